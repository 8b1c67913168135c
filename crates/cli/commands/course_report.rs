//! `voussoir report course`: the course report as text in the course's
//! language (plain sentences first, figures rounded to what they carry)
//! and as JSON with full precision.

use voussoir_core::reliability::{GradeSpread, StructureReport};
use voussoir_core::words::{fill, Words};

use crate::context::Context;
use crate::outcome::{table, Outcome};

fn percent(w: &Words, share: Option<f64>) -> String {
    w.percent(share)
}

fn decimal(w: &Words, value: Option<f64>) -> String {
    value.map_or_else(
        || "—".to_string(),
        |value| w.decimal(&format!("{value:+.2}")),
    )
}

fn coefficient(w: &Words, value: Option<f64>) -> String {
    value.map_or_else(
        || "—".to_string(),
        |value| w.decimal(&format!("{value:.2}")),
    )
}

fn spread_row(w: &Words, spread: &GradeSpread) -> Vec<String> {
    let distribution: Vec<String> = spread
        .distribution
        .iter()
        .map(|(class, count)| format!("{class}×{count}"))
        .collect();
    vec![
        spread.component.clone(),
        spread.reference.clone(),
        distribution.join(" "),
        percent(w, spread.exact),
        percent(w, spread.within_one),
        percent(w, spread.within_two),
        decimal(w, spread.mean_signed),
        spread.mean_absolute.map_or_else(
            || "—".to_string(),
            |value| w.decimal(&format!("{value:.2}")),
        ),
    ]
}

fn render(w: &Words, report: &StructureReport) -> String {
    let mut text = format!("{} — {}\n", w.course_report_title, report.structure);
    text.push_str(&fill(
        w.report_counted,
        &[("trainees", report.trainees.to_string())],
    ));
    text.push_str("\n\n");
    // In plain words first.
    let threshold = percent(w, Some(report.threshold));
    match report.defects.first() {
        Some(least) if least.share.is_some_and(|share| share < report.threshold) => {
            text.push_str(&fill(
                w.report_least_found,
                &[
                    ("defect", format!("#{} {}", least.id, least.type_code)),
                    ("component", least.component.clone()),
                    ("found", least.found_by.len().to_string()),
                    ("trainees", report.trainees.to_string()),
                ],
            ));
        }
        _ => text.push_str(&fill(
            w.report_all_found,
            &[("threshold", threshold.clone())],
        )),
    }
    text.push('\n');
    let structure = &report.structure_grade;
    let all: Vec<&GradeSpread> = report.components.iter().collect();
    let graded: usize = all.iter().map(|spread| spread.graded).sum();
    let weighted = |pick: fn(&GradeSpread) -> Option<f64>| {
        (graded > 0).then(|| {
            all.iter()
                .map(|spread| pick(spread).unwrap_or(0.0) * spread.graded as f64)
                .sum::<f64>()
                / graded as f64
        })
    };
    text.push_str(&fill(
        w.report_grades_sentence,
        &[
            ("exact", percent(w, weighted(|s| s.exact))),
            ("one", percent(w, weighted(|s| s.within_one))),
            ("two", percent(w, weighted(|s| s.within_two))),
        ],
    ));
    text.push_str("\n\n");

    let low: Vec<_> = report
        .defects
        .iter()
        .filter(|defect| defect.share.is_some_and(|share| share < report.threshold))
        .collect();
    if !low.is_empty() {
        text.push_str(&fill(w.report_teach_better, &[("threshold", threshold)]));
        text.push_str(w.colon.trim_end());
        text.push('\n');
        for defect in &low {
            text.push_str(&format!(
                "  #{} {} {} — {} ({}/{})\n",
                defect.id,
                defect.type_code,
                defect.component,
                percent(w, defect.share),
                defect.found_by.len(),
                report.trainees
            ));
        }
        text.push('\n');
    }
    text.push_str(&format!(
        "{}{}\n",
        w.report_detection_heading,
        w.colon.trim_end()
    ));
    for (by, heading) in [
        ("family", w.report_by_family),
        ("component", w.report_by_component),
        ("water", w.report_by_water),
    ] {
        let parts: Vec<String> = report
            .groups
            .iter()
            .filter(|group| group.by == by)
            .map(|group| {
                let key = match group.key.as_str() {
                    "underwater" => w.report_under_water.to_string(),
                    "above water" => w.report_above_water.to_string(),
                    other => other.to_string(),
                };
                format!("{key} {}", percent(w, group.share))
            })
            .collect();
        text.push_str(&format!("  {heading}{}{}\n", w.colon, parts.join(", ")));
    }
    text.push('\n');
    text.push_str(&format!(
        "{}{}\n",
        w.report_grades_heading,
        w.colon.trim_end()
    ));
    let mut rows = vec![vec![
        w.component.to_string(),
        w.reference.to_string(),
        w.trainees.to_string(),
        w.exact.to_string(),
        "±1".to_string(),
        "±2".to_string(),
        w.report_mean_signed.to_string(),
        w.report_mean_absolute.to_string(),
    ]];
    rows.extend(report.components.iter().map(|spread| spread_row(w, spread)));
    rows.push(spread_row(w, structure));
    text.push_str(&table(&rows));
    text.push('\n');
    text.push_str(&format!(
        "{}{}\n",
        w.report_people_heading,
        w.colon.trim_end()
    ));
    let mut rows = vec![vec![
        w.report_rank.to_string(),
        w.trainee.to_string(),
        w.report_detection.to_string(),
        w.report_precision.to_string(),
        w.report_bias.to_string(),
        w.report_kappa.to_string(),
        w.report_ac2.to_string(),
    ]];
    let mut people: Vec<_> = report.people.iter().collect();
    people.sort_by_key(|figures| figures.rank);
    let mut paradox = false;
    for figures in people {
        paradox |= figures.kappa_paradox;
        let leaning = match figures.leaning {
            Some("harsh") => w.report_harsh,
            Some("lenient") => w.report_lenient,
            Some(_) => w.report_even,
            None => "",
        };
        let bias = match (figures.bias, figures.bias_interval) {
            (Some(bias), Some((low, high))) => format!(
                "{} [{} ; {}] {leaning}",
                w.decimal(&format!("{bias:+.2}")),
                w.decimal(&format!("{low:+.2}")),
                w.decimal(&format!("{high:+.2}"))
            ),
            (Some(bias), None) => w.decimal(&format!("{bias:+.2}")),
            _ => w.report_undefined.to_string(),
        };
        rows.push(vec![
            figures.rank.to_string(),
            figures.trainee.clone(),
            percent(w, Some(figures.detection)),
            percent(w, Some(figures.precision)),
            bias,
            format!(
                "{} / {}",
                coefficient(w, figures.kappa_linear),
                coefficient(w, figures.kappa_quadratic)
            ),
            coefficient(w, figures.ac2_linear),
        ]);
    }
    text.push_str(&table(&rows));
    if paradox {
        text.push_str(&format!("* {}\n", w.report_paradox));
    }
    text.push_str(&format!(
        "{}{}{}\n",
        w.report_alpha,
        w.colon,
        coefficient(w, report.class_alpha)
    ));
    text
}

/// One intake's figures for the side-by-side table: trainees, mean
/// detection, the FHWA shares over every component grade, mean bias.
fn intake_row(w: &Words, name: &str, reports: &[StructureReport]) -> Vec<String> {
    let trainees: usize = reports.iter().map(|report| report.trainees).sum();
    let detections: Vec<f64> = reports
        .iter()
        .flat_map(|report| report.people.iter().map(|figures| figures.detection))
        .collect();
    let spreads: Vec<&GradeSpread> = reports
        .iter()
        .flat_map(|report| &report.components)
        .collect();
    let graded: usize = spreads.iter().map(|spread| spread.graded).sum();
    let weighted = |pick: fn(&GradeSpread) -> Option<f64>| {
        (graded > 0).then(|| {
            spreads
                .iter()
                .map(|spread| pick(spread).unwrap_or(0.0) * spread.graded as f64)
                .sum::<f64>()
                / graded as f64
        })
    };
    let mean = |values: &[f64]| {
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    };
    vec![
        name.to_string(),
        trainees.to_string(),
        percent(w, mean(&detections)),
        percent(w, weighted(|s| s.exact)),
        percent(w, weighted(|s| s.within_one)),
        percent(w, weighted(|s| s.within_two)),
        decimal(w, weighted(|s| s.mean_signed)),
    ]
}

/// What `--json` prints: this intake's reports, and the others'.
#[derive(serde::Serialize)]
struct Intake {
    book: String,
    reports: Vec<StructureReport>,
}

/// `voussoir report course`.
/// Where to write the report as files, besides the text or JSON.
pub struct Files<'a> {
    pub csv: Option<&'a std::path::Path>,
    pub xlsx: Option<&'a std::path::Path>,
}

/// Writes the CSV and XLSX files asked for, whole or not at all, and says
/// where.
fn write_files(
    files: &Files<'_>,
    reports: &[StructureReport],
    w: &Words,
    text: &mut String,
) -> anyhow::Result<()> {
    if let Some(path) = files.csv {
        let bytes = voussoir_export::course_report::course_report_csv(reports, w)?;
        voussoir_store::write_atomically(path, &bytes)
            .map_err(|error| anyhow::anyhow!("--csv {}: {error}", path.display()))?;
        text.push_str(&format!("{}\n", path.display()));
    }
    if let Some(path) = files.xlsx {
        let bytes = voussoir_export::course_report::course_report_xlsx(reports, w)?;
        voussoir_store::write_atomically(path, &bytes)
            .map_err(|error| anyhow::anyhow!("--xlsx {}: {error}", path.display()))?;
        text.push_str(&format!("{}\n", path.display()));
    }
    Ok(())
}

pub fn run(
    context: &Context,
    structure: Option<&str>,
    threshold: f64,
    intakes: &[std::path::PathBuf],
    files: Files<'_>,
) -> anyhow::Result<Outcome> {
    if !(0.0..=1.0).contains(&threshold) {
        anyhow::bail!("--threshold {threshold}: give a share between 0 and 1, such as 0.5");
    }
    let book = context.open_book()?;
    let w = voussoir_core::words::for_language(&book.course()?.language);
    let reports = voussoir_app::course_report::course_report(&book, structure, threshold)?;
    let mut text = if reports.is_empty() {
        format!("{}\n", w.report_none)
    } else {
        reports
            .iter()
            .map(|report| render(w, report))
            .collect::<Vec<_>>()
            .join("\n")
    };
    write_files(&files, &reports, w, &mut text)?;
    if intakes.is_empty() {
        return Outcome::new(&reports, text);
    }
    let mut all = vec![Intake {
        book: book.root().display().to_string(),
        reports,
    }];
    for path in intakes {
        let other = voussoir_store::FieldBook::open(path)
            .map_err(|error| anyhow::anyhow!("--intake {}: {error}", path.display()))?;
        all.push(Intake {
            book: path.display().to_string(),
            reports: voussoir_app::course_report::course_report(&other, structure, threshold)?,
        });
    }
    let mut rows = vec![vec![
        w.report_intake.to_string(),
        w.trainees.to_string(),
        w.report_mean_detection.to_string(),
        w.exact.to_string(),
        "±1".to_string(),
        "±2".to_string(),
        w.report_mean_signed.to_string(),
    ]];
    rows.extend(
        all.iter()
            .map(|intake| intake_row(w, &intake.book, &intake.reports)),
    );
    text.push_str(&format!("\n{}{}\n", w.report_intakes, w.colon.trim_end()));
    text.push_str(&table(&rows));
    Outcome::new(&all, text)
}
