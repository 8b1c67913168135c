//! The course report written for spreadsheets, in the course language's
//! CSV dialect (French Excel's for French: BOM, `;`, decimal commas): one
//! row per reference defect (who found it), then one per trainee (figures
//! at full precision). Writing only; `voussoir_app::course_report`
//! computes the report.

use voussoir_core::reliability::StructureReport;
use voussoir_core::words::Words;

use crate::csv_safe::safe_record;

/// The report as CSV.
pub fn course_report_csv(reports: &[StructureReport], w: &Words) -> Result<Vec<u8>, csv::Error> {
    let french = w.lang == "fr";
    let mut out = Vec::new();
    if french {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut writer = csv::WriterBuilder::new()
        .delimiter(if french { b';' } else { b',' })
        .flexible(true)
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let number = |value: Option<f64>| {
        value
            .map(|value| w.decimal(&value.to_string()))
            .unwrap_or_default()
    };
    writer.write_record(safe_record([
        w.structure,
        w.defect,
        w.component,
        w.defect_type,
        w.report_under_water,
        w.report_share,
        w.report_found_by,
    ]))?;
    for report in reports {
        for defect in &report.defects {
            writer.write_record(safe_record([
                report.structure.clone(),
                format!("#{}", defect.id),
                defect.component.clone(),
                defect.type_code.clone(),
                defect.underwater.to_string(),
                number(defect.share),
                defect.found_by.join(", "),
            ]))?;
        }
    }
    writer.write_record(safe_record([
        w.structure,
        w.trainee,
        w.report_rank,
        w.report_detection,
        w.report_precision,
        w.report_bias,
        w.report_kappa,
        w.report_ac2,
    ]))?;
    for report in reports {
        for figures in &report.people {
            let interval = figures
                .bias_interval
                .map(|(low, high)| format!("[{} ; {}]", number(Some(low)), number(Some(high))))
                .unwrap_or_default();
            writer.write_record(safe_record([
                report.structure.clone(),
                figures.trainee.clone(),
                figures.rank.to_string(),
                number(Some(figures.detection)),
                number(Some(figures.precision)),
                format!("{} {interval}", number(figures.bias)),
                format!(
                    "{} / {}",
                    number(figures.kappa_linear),
                    number(figures.kappa_quadratic)
                ),
                number(figures.ac2_linear),
            ]))?;
        }
    }
    writer
        .into_inner()
        .map_err(|error| error.into_error().into())
}
