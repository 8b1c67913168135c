//! Setting up the work: reading a course file, opening an inspection,
//! importing a defects sheet. Each stores whole or not at all.

use std::path::Path;
use voussoir_core::words::errors::english as said;

use voussoir_core::grading;
use voussoir_core::model::InspectionKind;
use voussoir_core::sheet::parse_sheet;
use voussoir_core::Course;
use voussoir_store::{FieldBook, NewInspection};

use crate::{Error, Result};

/// Parses and checks a course file's text; `name` says where it came from
/// in messages. The caller stores it.
pub fn parse_course(text: &str, name: &str) -> Result<Course> {
    let course = Course::from_toml(text).map_err(|error| {
        Error::Invalid(said(
            "course.file",
            &[("name", name.to_string()), ("error", error.to_string())],
        ))
    })?;
    if jiff::tz::TimeZone::get(&course.time_zone).is_err() {
        return Err(Error::Invalid(said(
            "course.time_zone",
            &[
                ("name", name.to_string()),
                ("zone", course.time_zone.clone()),
            ],
        )));
    }
    Ok(course)
}

/// Largest background layer file, in bytes.
const MAX_LAYER_BYTES: u64 = 5_000_000;

/// Reads and checks a course file, with the map layers it names (GeoJSON
/// files beside it).
pub fn read_course_file(path: &Path) -> Result<Course> {
    let text = std::fs::read_to_string(path).map_err(Error::io(path))?;
    let mut course = parse_course(&text, &path.display().to_string())?;
    let folder = path.parent().unwrap_or(Path::new("."));
    for layer in &mut course.map.layers {
        let file = folder.join(&layer.file);
        let size = std::fs::metadata(&file).map_err(Error::io(&file))?.len();
        if size > MAX_LAYER_BYTES {
            return Err(Error::Invalid(said(
                "course.layer_too_big",
                &[
                    ("file", file.display().to_string()),
                    ("layer", layer.name.clone()),
                    ("size", (size / 1_000_000).to_string()),
                ],
            )));
        }
        let text = std::fs::read_to_string(&file).map_err(Error::io(&file))?;
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|error| {
            Error::Invalid(said(
                "course.layer_not_json",
                &[
                    ("file", file.display().to_string()),
                    ("layer", layer.name.clone()),
                    ("error", error.to_string()),
                ],
            ))
        })?;
        let kind = value
            .get("type")
            .and_then(|kind| kind.as_str())
            .unwrap_or("");
        if !matches!(
            kind,
            "FeatureCollection"
                | "Feature"
                | "LineString"
                | "Polygon"
                | "MultiPolygon"
                | "MultiLineString"
                | "Point"
                | "MultiPoint"
                | "GeometryCollection"
        ) {
            return Err(Error::Invalid(said(
                "course.layer_not_geojson",
                &[
                    ("file", file.display().to_string()),
                    ("layer", layer.name.clone()),
                ],
            )));
        }
        layer.geojson = Some(value.to_string());
    }
    Ok(course)
}

/// What a new inspection is, as a user gives it.
#[derive(Debug, Clone, Default)]
pub struct InspectionRequest {
    pub structure: String,
    /// An inspection kind code or abbreviation (`detailed-periodic`, `IDP`).
    pub kind: String,
    pub inspector: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    pub weather: Option<String>,
    pub reference: bool,
    pub not_inspected: Vec<String>,
}

/// The latest date an inspection may carry: `today` plus one day, for
/// clocks and time zones a little ahead.
fn check_date(text: &str, today: jiff::civil::Date) -> Result<jiff::civil::Date> {
    let date: jiff::civil::Date = text
        .parse()
        .map_err(|_| Error::Invalid(said("date.not_a_date", &[("given", text.to_string())])))?;
    let latest = today.tomorrow().unwrap_or(today);
    if date > latest {
        return Err(Error::Invalid(said(
            "date.future",
            &[("date", date.to_string()), ("today", today.to_string())],
        )));
    }
    Ok(date)
}

/// Opens a new inspection and makes it the current one; `today` bounds
/// its date.
pub fn open_inspection(
    book: &mut FieldBook,
    request: &InspectionRequest,
    today: jiff::civil::Date,
) -> Result<i64> {
    let kind: InspectionKind = request.kind.parse()?;
    let date = request
        .date
        .as_deref()
        .map(|text| check_date(text, today))
        .transpose()?;
    let inspection = book.new_inspection(&NewInspection {
        structure: request.structure.clone(),
        kind,
        inspector: request.inspector.clone(),
        date,
        weather: request.weather.clone(),
        is_reference: request.reference,
        not_inspected: request.not_inspected.clone(),
    })?;
    Ok(inspection.id)
}

/// What a defects sheet import did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SheetImported {
    /// Ids of the defects added.
    pub ids: Vec<i64>,
    /// Defects of the inspection the sheet replaced (with `replace`).
    pub replaced: usize,
    /// Own grades given by the sheet.
    pub grades: usize,
    /// Every defect of the sheet was already in the inspection: nothing
    /// was added (import it with `replace` to start over).
    pub already_there: bool,
}

/// Imports a whole defects sheet into an inspection, or nothing at all:
/// every bad row is reported at once with its line. Its own-grade rows
/// join the inspection's own grades. With `replace` the sheet's defects
/// replace the inspection's; without, a sheet whose defects are all there
/// already adds nothing (importing the same sheet twice does not double
/// it). One transaction.
pub fn import_defect_sheet(
    book: &mut FieldBook,
    inspection_id: i64,
    file: &Path,
    replace: bool,
) -> Result<SheetImported> {
    let bytes = std::fs::read(file).map_err(Error::io(file))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::Invalid(said(
            "course.not_utf8",
            &[("file", file.display().to_string())],
        ))
    })?;
    let inspection = book.inspection(inspection_id)?;
    let structure = book.structure(&inspection.structure)?;
    let scheme = grading::scheme(&inspection.scheme)?;
    let sheet = parse_sheet(&text, &structure, scheme).map_err(|problems| {
        let lines: Vec<String> = problems
            .iter()
            .map(|problem| format!("{}: {problem}", file.display()))
            .collect();
        Error::Invalid(format!(
            "{}\n{}",
            said("course.rows", &[]),
            lines.join("\n")
        ))
    })?;
    let existing = book.defects(inspection_id)?;
    let same = |a: &voussoir_core::Defect, b: &voussoir_core::Defect| {
        let (mut a, mut b) = (a.clone(), b.clone());
        a.id = 0;
        b.id = 0;
        a == b
    };
    let already_there = !replace
        && !sheet.defects.is_empty()
        && sheet
            .defects
            .iter()
            .all(|defect| existing.iter().any(|known| same(known, defect)));
    let defects: &[voussoir_core::Defect] = if already_there { &[] } else { &sheet.defects };
    let now = jiff::Timestamp::now().as_millisecond();
    let ids = book.store_sheet(inspection_id, defects, &sheet.own_grades, replace, now)?;
    Ok(SheetImported {
        ids,
        replaced: if replace { existing.len() } else { 0 },
        grades: sheet.own_grades.len(),
        already_there,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> jiff::civil::Date {
        jiff::civil::date(2026, 12, 1)
    }

    #[test]
    fn an_inspection_date_in_the_future_is_refused() {
        let error = check_date("2036-03-12", today()).expect_err("future");
        assert!(error.to_string().contains("in the future"), "{error}");
    }

    #[test]
    fn today_and_tomorrow_are_accepted_for_clocks_ahead() {
        assert!(check_date("2026-12-01", today()).is_ok());
        assert!(check_date("2026-12-02", today()).is_ok());
        assert!(check_date("2026-12-03", today()).is_err());
    }

    #[test]
    fn a_malformed_date_says_how_to_write_it() {
        let error = check_date("12/03/2026", today()).expect_err("malformed");
        assert!(error.to_string().contains("YYYY-MM-DD"), "{error}");
    }
}
