//! Cells written to CSV files that spreadsheets open: a cell that starts
//! like a formula (`=`, `+`, `-`, `@`, a tab or a carriage return) and is
//! not a number gets a leading `'`, as OWASP recommends against formula
//! injection, so a note typed as `=HYPERLINK(...)` stays text. Every CSV the
//! project writes goes through [`safe_cell`].

use std::borrow::Cow;

/// The cell as a spreadsheet should see it: text stays text.
///
/// ```
/// use voussoir_export::csv_safe::safe_cell;
/// assert_eq!(safe_cell("=1+2"), "'=1+2");
/// assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
/// assert_eq!(safe_cell("-3.4612"), "-3.4612");
/// assert_eq!(safe_cell("fissure"), "fissure");
/// ```
pub fn safe_cell(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.trim().parse::<f64>().is_err() {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A whole record, each cell made safe.
pub fn safe_record<I, S>(cells: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    cells
        .into_iter()
        .map(|cell| safe_cell(cell.as_ref()).into_owned())
        .collect()
}
