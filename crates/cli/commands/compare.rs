//! `voussoir compare`: a trainee's inspection against the reference, the
//! same comparison the instructor's web pages show.

use anyhow::bail;
use serde::Serialize;

use voussoir_core::compare::{CompareOptions, Comparison};
use voussoir_server::review::{comparison, reference_of};

use super::chosen_inspection;
use crate::context::Context;
use crate::outcome::{table, Outcome};

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
        None => reference_of(&book, &structure)?.ok_or_else(|| {
            anyhow::anyhow!(
                "structure {structure} has no reference inspection; pass --reference ID or open one with `inspection new --reference`"
            )
        })?,
    };
    if tolerance.is_nan() || tolerance < 0.0 {
        bail!("--tolerance takes a distance in metres, 0 or more");
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
    if !comparison.missed.is_empty() {
        text.push_str("Missed:\n");
        for defect in &comparison.missed {
            text.push_str(&format!(
                "  #{} {} on {} ({})\n",
                defect.id,
                defect.type_code,
                defect.component,
                defect.severity.as_deref().unwrap_or("?")
            ));
        }
    }
    if !comparison.extra.is_empty() {
        text.push_str("Not in the reference:\n");
        for defect in &comparison.extra {
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
    let mark = &comparison.mark;
    text.push_str(&format!(
        "Suggested mark: {}/20 (detection {:.1}/{}, precision {:.1}/{}, severity {:.1}/{}, structure grade {:.1}/{})\n",
        mark.suggested,
        mark.detection,
        mark.rubric.detection,
        mark.precision,
        mark.rubric.precision,
        mark.severity,
        mark.rubric.severity,
        mark.structure_grade,
        mark.rubric.structure_grade
    ));
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
