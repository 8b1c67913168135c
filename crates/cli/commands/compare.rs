//! `voussoir compare`: a trainee's inspection against the reference, the
//! same comparison the instructor's web pages show.

use serde::Serialize;

use voussoir_app::review::{class_agreement, class_of, comparison, required_reference};
use voussoir_core::compare::{CompareOptions, Comparison};

use crate::context::Context;
use crate::outcome::{table, Outcome};
use voussoir_app::chosen_inspection;

#[derive(Serialize)]
struct CompareView {
    reference: i64,
    inspection: i64,
    structure: String,
    scheme: String,
    #[serde(flatten)]
    comparison: Comparison,
}

pub fn run(
    context: &Context,
    reference: Option<i64>,
    inspection: Option<i64>,
    tolerance: f64,
) -> anyhow::Result<Outcome> {
    let book = context.open_book()?;
    let inspection_id = chosen_inspection(&book, inspection)?;
    let structure = book.inspection(inspection_id)?.structure;
    let reference_id = match reference {
        Some(id) => id,
        None => required_reference(&book, inspection_id)?,
    };
    if tolerance.is_nan() || tolerance < 0.0 {
        anyhow::bail!("--tolerance takes a distance in metres, 0 or more");
    }
    let comparison = comparison(
        &book,
        reference_id,
        inspection_id,
        CompareOptions {
            tolerance_m: tolerance,
            ..CompareOptions::default()
        },
    )?;
    let metrics = &comparison.metrics;
    let mut text = format!(
        "Inspection #{inspection_id} against the reference #{reference_id} ({structure})\n\n"
    );
    text.push_str(&format!(
        "Found {} of {} reference defects ({:.0} %), {} of {} recorded are real ({:.0} %); severities exact {:.0} %, within one grade {:.0} %",
        metrics.matched,
        metrics.reference_defects,
        metrics.detection_rate * 100.0,
        metrics.matched,
        metrics.trainee_defects,
        metrics.precision * 100.0,
        metrics.severity_exact * 100.0,
        metrics.severity_within_one * 100.0
    ));
    if let Some(error) = metrics.mean_position_error_m {
        text.push_str(&format!("; mean position error {error:.1} m"));
    }
    text.push_str("\n\n");
    if !comparison.matched.is_empty() {
        let mut rows = vec![[
            "REF",
            "YOURS",
            "COMPONENT",
            "TYPE (REF / YOURS)",
            "SEVERITY",
            "POSITION",
        ]
        .map(str::to_string)
        .to_vec()];
        for pair in &comparison.matched {
            rows.push(vec![
                format!("#{}", pair.reference_id),
                format!("#{}", pair.trainee_id),
                pair.component.clone(),
                if pair.reference_type == pair.trainee_type {
                    pair.reference_type.clone()
                } else {
                    format!("{} / {}", pair.reference_type, pair.trainee_type)
                },
                format!(
                    "{} / {}{}",
                    pair.reference_severity.as_deref().unwrap_or("?"),
                    pair.trainee_severity.as_deref().unwrap_or("?"),
                    match pair.severity_difference {
                        Some(0) => String::new(),
                        Some(difference) => format!(" ({difference:+})"),
                        None => String::new(),
                    }
                ),
                pair.position_error_m
                    .map(|error| format!("{error:.1} m"))
                    .unwrap_or_default(),
            ]);
        }
        text.push_str("Matched:\n");
        text.push_str(&table(&rows));
    }
    for (heading, defects) in [
        ("Missed:", &comparison.missed),
        ("Not in the reference:", &comparison.extra),
    ] {
        if defects.is_empty() {
            continue;
        }
        text.push_str(heading);
        text.push('\n');
        for defect in defects {
            text.push_str(&format!(
                "  #{} {} on {} ({})\n",
                defect.id,
                defect.type_code,
                defect.component,
                defect.severity.as_deref().unwrap_or("?")
            ));
        }
    }
    let differing: Vec<String> = comparison
        .component_grades
        .iter()
        .filter(|grade| grade.reference != grade.trainee)
        .map(|grade| format!("{} {} → {}", grade.code, grade.reference, grade.trainee))
        .collect();
    if !differing.is_empty() {
        text.push_str(&format!(
            "Component grades that differ (reference → yours): {}\n",
            differing.join(", ")
        ));
    }
    text.push_str(&format!(
        "Structure: reference {}, yours {}\n",
        comparison.structure_grade.reference, comparison.structure_grade.trainee
    ));
    for grade in comparison
        .component_grades
        .iter()
        .chain(std::iter::once(&comparison.structure_grade))
    {
        if let Some(reason) = &grade.reference_reason {
            text.push_str(&format!(
                "  reference {} for {} set by the instructor (its defects imply {}): {reason}\n",
                grade.reference, grade.code, grade.reference_computed
            ));
        }
    }
    let mark = &comparison.mark;
    text.push_str(&format!(
        "Suggested mark: {}/20 (findings {:.1}/{}, severity {:.1}/{}, grades {:.1}/{})\n",
        mark.suggested,
        mark.findings,
        mark.rubric.findings,
        mark.severity,
        mark.rubric.severity,
        mark.grades,
        mark.rubric.grades
    ));
    for reason in &mark.reasons {
        text.push_str(&format!("  - {reason}\n"));
    }
    Outcome::new(
        CompareView {
            reference: reference_id,
            inspection: inspection_id,
            structure,
            scheme: book.course()?.scheme,
            comparison,
        },
        text,
    )
}

fn share(value: Option<f64>) -> String {
    value
        .map(|value| format!("{:.0} %", value * 100.0))
        .unwrap_or_else(|| "—".to_string())
}

/// `voussoir agreement`: every non-reference inspection of a structure
/// against the reference and against each other.
pub fn agreement(context: &Context, structure: Option<String>) -> anyhow::Result<Outcome> {
    let book = context.open_book()?;
    let structure = match structure {
        Some(code) => book.structure(&code)?.code,
        None => book
            .structures()?
            .first()
            .map(|structure| structure.code.clone())
            .ok_or_else(|| {
                anyhow::anyhow!("the field book has no structure; load a course file")
            })?,
    };
    let inspections = class_of(&book, &structure)?;
    if inspections.is_empty() {
        anyhow::bail!("structure {structure} has no inspection besides the reference");
    }
    let result = class_agreement(&book, &structure, &inspections)?;
    let mut text = format!(
        "Agreement on the component grades of {structure} ({} inspection(s), {})\n\n",
        inspections.len(),
        result.scheme.to_uppercase()
    );
    let mut rows = vec![
        ["INSPECTION", "WHO", "WEIGHTED KAPPA", "EXACT", "WITHIN ONE"]
            .map(str::to_string)
            .to_vec(),
    ];
    for trainee in &result.trainees {
        rows.push(vec![
            format!("#{}", trainee.inspection),
            trainee.inspector.clone(),
            match (trainee.weighted_kappa, trainee.kappa_words) {
                (Some(kappa), Some(words)) => format!("{kappa:.2} ({words})"),
                _ => "—".to_string(),
            },
            share(trainee.exact_share),
            share(trainee.within_one_share),
        ]);
    }
    text.push_str(&table(&rows));
    text.push('\n');
    let mut rows = vec![[
        "COMPONENT",
        "REFERENCE",
        "CLASSES",
        "BIAS",
        "EXACT",
        "WITHIN ONE",
    ]
    .map(str::to_string)
    .to_vec()];
    for component in &result.components {
        rows.push(vec![
            component.component.clone(),
            component
                .reference
                .clone()
                .unwrap_or_else(|| "—".to_string()),
            component
                .classes
                .iter()
                .map(|class| class.clone().unwrap_or_else(|| "—".to_string()))
                .collect::<Vec<_>>()
                .join(" "),
            component
                .mean_bias
                .map(|bias| format!("{bias:+.1}"))
                .unwrap_or_default(),
            share(component.exact_share),
            share(component.within_one_share),
        ]);
    }
    text.push_str(&table(&rows));
    text.push_str(&format!(
        "\nAcross the class ({} component(s) graded by all): Fleiss kappa {}, ICC(2,1) {}; ratings within one step of the mean {}, of the median {}\n",
        result.components_compared,
        result.fleiss_kappa.map(|kappa| format!("{kappa:.2}")).unwrap_or_else(|| "—".to_string()),
        result.icc_2_1.map(|icc| format!("{icc:.2}")).unwrap_or_else(|| "—".to_string()),
        share(result.within_one_of_mean),
        share(result.within_one_of_median)
    ));
    Outcome::new(result, text)
}
