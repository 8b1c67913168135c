//! `voussoir compare`: a trainee's inspection against the reference, the
//! same comparison the instructor's web pages show.

use serde::Serialize;
use voussoir_core::words::fill;

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
    let w = voussoir_core::words::for_language(&book.course()?.language);
    let mut text = fill(
        w.cli_against,
        &[
            ("inspection", inspection_id.to_string()),
            ("reference", reference_id.to_string()),
            ("structure", structure.clone()),
        ],
    );
    text.push_str("\n\n");
    text.push_str(&fill(
        w.cli_found,
        &[
            ("matched", metrics.matched.to_string()),
            ("reference", metrics.reference_defects.to_string()),
            ("detection", w.percent(Some(metrics.detection_rate))),
            ("recorded", metrics.trainee_defects.to_string()),
            ("precision", w.percent(Some(metrics.precision))),
            ("exact", w.percent(Some(metrics.severity_exact))),
            ("within", w.percent(Some(metrics.severity_within_one))),
        ],
    ));
    if let Some(error) = metrics.mean_position_error_m {
        let error = w.decimal(&format!("{error:.1}"));
        text.push_str(&fill(w.cli_position_error, &[("error", error)]));
    }
    text.push_str("\n\n");
    if !comparison.matched.is_empty() {
        let mut rows = vec![[
            w.cli_ref,
            w.cli_yours,
            w.component,
            w.cli_type_pair,
            w.severity,
            w.cli_position,
        ]
        .map(str::to_uppercase)
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
                    .map(|error| format!("{} m", w.decimal(&format!("{error:.1}"))))
                    .unwrap_or_default(),
            ]);
        }
        text.push_str(&format!("{}{}\n", w.cli_matched, w.colon.trim_end()));
        text.push_str(&table(&rows));
    }
    for (heading, defects) in [
        (w.cli_missed, &comparison.missed),
        (w.cli_extra, &comparison.extra),
    ] {
        if defects.is_empty() {
            continue;
        }
        text.push_str(&format!("{heading}{}\n", w.colon.trim_end()));
        for defect in defects {
            let line = fill(
                w.cli_defect_on,
                &[
                    ("id", defect.id.to_string()),
                    ("type", defect.type_code.clone()),
                    ("component", defect.component.clone()),
                    ("severity", defect.severity.clone().unwrap_or("?".into())),
                ],
            );
            text.push_str(&format!("  {line}\n"));
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
            "{}{}{}\n",
            w.cli_grades_differ,
            w.colon,
            differing.join(", ")
        ));
    }
    text.push_str(&fill(
        w.cli_structure_grades,
        &[
            ("reference", comparison.structure_grade.reference.clone()),
            ("yours", comparison.structure_grade.trainee.clone()),
        ],
    ));
    text.push('\n');
    for grade in comparison
        .component_grades
        .iter()
        .chain(std::iter::once(&comparison.structure_grade))
    {
        if let Some(reason) = &grade.reference_reason {
            let line = fill(
                w.cli_override,
                &[
                    ("grade", grade.reference.clone()),
                    ("code", grade.code.clone()),
                    ("computed", grade.reference_computed.clone()),
                    ("reason", reason.clone()),
                ],
            );
            text.push_str(&format!("  {line}\n"));
        }
    }
    let mark = &comparison.mark;
    let tenths = |value: f64| w.decimal(&format!("{value:.1}"));
    text.push_str(&fill(
        w.cli_suggested,
        &[
            ("mark", w.decimal(&mark.suggested.to_string())),
            ("findings", tenths(mark.findings)),
            ("findings_of", mark.rubric.findings.to_string()),
            ("severity", tenths(mark.severity)),
            ("severity_of", mark.rubric.severity.to_string()),
            ("grades", tenths(mark.grades)),
            ("grades_of", mark.rubric.grades.to_string()),
        ],
    ));
    text.push('\n');
    for reason in mark.facts.reasons(w) {
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
