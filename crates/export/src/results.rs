//! The course results written for spreadsheets: CSV as French Excel opens
//! it when the course is French (UTF-8 with a byte-order mark, `;`
//! separators, decimal commas), plain CSV otherwise, and XLSX. Writing
//! only; `voussoir_app::results` computes the rows.

use serde::Serialize;

use crate::csv_safe::safe_record;
use voussoir_core::words::Words;

/// One submission version in the course results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResultRow {
    pub trainee: String,
    pub full_name: String,
    pub structure: String,
    pub version: i64,
    pub status: String,
    /// RFC 3339, to the second.
    pub submitted_at: String,
    /// Shares from 0 to 1, when the structure has a reference.
    pub detection: Option<f64>,
    pub precision: Option<f64>,
    /// Share of component grades equal to the reference's.
    pub grades_exact: Option<f64>,
    pub suggested_mark: Option<f64>,
    pub final_mark: Option<f64>,
    pub feedback: String,
}

/// The column titles, in the words' language.
fn titles(w: &Words) -> [&'static str; 12] {
    [
        w.user_name,
        w.trainee,
        w.structure,
        w.version,
        w.status,
        w.submitted_on,
        w.detection,
        w.precision,
        w.grades_exact_share,
        w.suggested_mark,
        w.final_mark,
        w.feedback,
    ]
}

fn cells(row: &ResultRow, number: &dyn Fn(Option<f64>) -> String) -> [String; 12] {
    [
        row.trainee.clone(),
        row.full_name.clone(),
        row.structure.clone(),
        row.version.to_string(),
        row.status.clone(),
        row.submitted_at.clone(),
        number(row.detection),
        number(row.precision),
        number(row.grades_exact),
        number(row.suggested_mark),
        number(row.final_mark),
        row.feedback.clone(),
    ]
}

/// The results as CSV in the words' language: French Excel's dialect for
/// French (BOM, `;`, decimal comma), the usual one for English.
pub fn results_csv(rows: &[ResultRow], w: &Words) -> Result<Vec<u8>, csv::Error> {
    let french = w.lang == "fr";
    let mut out = Vec::new();
    if french {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut writer = csv::WriterBuilder::new()
        .delimiter(if french { b';' } else { b',' })
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(safe_record(titles(w)))?;
    let number = |value: Option<f64>| {
        value
            .map(|value| {
                let text = format!("{}", (value * 1000.0).round() / 1000.0);
                if french {
                    text.replace('.', ",")
                } else {
                    text
                }
            })
            .unwrap_or_default()
    };
    for row in rows {
        writer.write_record(safe_record(cells(row, &number)))?;
    }
    writer
        .into_inner()
        .map_err(|error| error.into_error().into())
}

/// The results as an XLSX workbook, numbers as numbers.
pub fn results_xlsx(rows: &[ResultRow], w: &Words) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(w.course_results.chars().take(31).collect::<String>())?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (column, title) in titles(w).iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, *title, &bold)?;
    }
    for (index, row) in rows.iter().enumerate() {
        let line = index as u32 + 1;
        let texts = cells(row, &|_| String::new());
        for (column, text) in texts.iter().enumerate() {
            let column = column as u16;
            let value = match column {
                3 => Some(row.version as f64),
                6 => row.detection,
                7 => row.precision,
                8 => row.grades_exact,
                9 => row.suggested_mark,
                10 => row.final_mark,
                _ => None,
            };
            match value {
                Some(number) => {
                    sheet.write_number(line, column, number)?;
                }
                None if matches!(column, 6..=10) => {}
                None => {
                    sheet.write_string(line, column, text)?;
                }
            }
        }
    }
    sheet.set_column_width(1, 22)?;
    sheet.set_column_width(11, 60)?;
    workbook.save_to_buffer()
}
