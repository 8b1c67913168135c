//! The course report written for spreadsheets, in the course language's
//! CSV dialect (French Excel's for French: BOM, `;`, decimal commas): one
//! row per reference defect (who found it), then one per trainee (figures
//! at full precision); and as an XLSX workbook of three sheets (defects
//! found, grades against the reference, trainees), numbers as numbers.
//! Writing only; `voussoir_app::course_report` computes the report.

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

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\\`.
fn sheet_name(title: &str) -> String {
    title
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}

fn write_optional(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    column: u16,
    value: Option<f64>,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    if let Some(value) = value.filter(|value| value.is_finite()) {
        sheet.write_number(row, column, value)?;
    }
    Ok(())
}

fn write_titles(
    sheet: &mut rust_xlsxwriter::Worksheet,
    titles: &[&str],
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (column, title) in titles.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, *title, &bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The report as an XLSX workbook: shares as fractions formatted as
/// percentages, figures at full precision, an undefined figure left empty.
pub fn course_report_xlsx(
    reports: &[StructureReport],
    w: &Words,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let percent = rust_xlsxwriter::Format::new().set_num_format("0%");
    let decimal = rust_xlsxwriter::Format::new().set_num_format("0.00");

    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(w.report_detection_heading))?;
    write_titles(
        sheet,
        &[
            w.structure,
            w.defect,
            w.component,
            w.defect_type,
            w.report_under_water,
            w.report_share,
            w.report_found_by,
        ],
    )?;
    let mut row = 1;
    for report in reports {
        for defect in &report.defects {
            sheet.write_string(row, 0, &report.structure)?;
            sheet.write_number(row, 1, defect.id as f64)?;
            sheet.write_string(row, 2, &defect.component)?;
            sheet.write_string(row, 3, &defect.type_code)?;
            sheet.write_boolean(row, 4, defect.underwater)?;
            if let Some(share) = defect.share {
                sheet.write_number_with_format(row, 5, share, &percent)?;
            }
            sheet.write_string(row, 6, defect.found_by.join(", "))?;
            row += 1;
        }
    }
    sheet.set_column_width(6, 50)?;

    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(w.report_grades_heading))?;
    write_titles(
        sheet,
        &[
            w.structure,
            w.component,
            w.reference,
            w.report_graded,
            w.exact,
            w.within_one,
            w.report_within_two,
            w.report_mean_signed,
            w.report_mean_absolute,
            w.report_sd,
        ],
    )?;
    let mut row = 1;
    for report in reports {
        for spread in report.components.iter().chain([&report.structure_grade]) {
            sheet.write_string(row, 0, &report.structure)?;
            sheet.write_string(row, 1, &spread.component)?;
            sheet.write_string(row, 2, &spread.reference)?;
            sheet.write_number(row, 3, spread.graded as f64)?;
            for (column, share) in [
                (4, spread.exact),
                (5, spread.within_one),
                (6, spread.within_two),
            ] {
                if let Some(share) = share {
                    sheet.write_number_with_format(row, column, share, &percent)?;
                }
            }
            write_optional(sheet, row, 7, spread.mean_signed)?;
            write_optional(sheet, row, 8, spread.mean_absolute)?;
            write_optional(sheet, row, 9, spread.sd)?;
            row += 1;
        }
    }

    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(w.report_people_heading))?;
    write_titles(
        sheet,
        &[
            w.structure,
            w.trainee,
            w.report_rank,
            w.report_detection,
            w.report_precision,
            w.report_bias_alone,
            w.report_interval_low,
            w.report_interval_high,
            w.report_kappa_linear,
            w.report_kappa_quadratic,
            w.report_ac2,
        ],
    )?;
    let mut row = 1;
    for report in reports {
        for figures in &report.people {
            sheet.write_string(row, 0, &report.structure)?;
            sheet.write_string(row, 1, &figures.trainee)?;
            sheet.write_number(row, 2, figures.rank as f64)?;
            sheet.write_number_with_format(row, 3, figures.detection, &percent)?;
            sheet.write_number_with_format(row, 4, figures.precision, &percent)?;
            if let Some(bias) = figures.bias {
                sheet.write_number_with_format(row, 5, bias, &decimal)?;
            }
            if let Some((low, high)) = figures.bias_interval {
                sheet.write_number_with_format(row, 6, low, &decimal)?;
                sheet.write_number_with_format(row, 7, high, &decimal)?;
            }
            write_optional(sheet, row, 8, figures.kappa_linear)?;
            write_optional(sheet, row, 9, figures.kappa_quadratic)?;
            write_optional(sheet, row, 10, figures.ac2_linear)?;
            row += 1;
        }
    }
    sheet.set_column_width(1, 24)?;
    workbook.save_to_buffer()
}
