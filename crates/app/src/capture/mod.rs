//! The phone capture app's units of work: what the app needs to work
//! offline (the course, its structures, the catalogue, the scheme), and
//! each record it sends — the inspection, a defect, a photo, the own grades
//! — checked as the command line checks them and stored by the device's
//! ids, so that a resend changes nothing. Handing in copies the working
//! inspection into a new submission version, as an uploaded bundle would.
//!
//! Conflicts between two devices (or two offline edits) are settled per
//! record: the newest edit time wins, and a deletion is kept so that an
//! older edit cannot bring a record back.

use serde::{Deserialize, Serialize};
use voussoir_core::words::errors::english as said;

use voussoir_core::field_position::check_field_position;
use voussoir_core::grading::{self, own::check_own_grade};
use voussoir_core::model::{InspectionKind, Measurements};
use voussoir_core::recording::{check_defect, DefectInput};
use voussoir_core::Inspection;
use voussoir_store::{
    CaptureInspection, CaptureWrite, FieldBook, ImportedInspection, NewInspection, Submission, User,
};

use crate::{Error, Result};

mod photos;
mod setup;

pub use photos::{
    check_photo, prepare_photo, save_photo, store_photo, Checked, PhotoRecord, PreparedPhoto,
};
pub use setup::{
    setup, CaptureLimits, CaptureSetup, ComponentEntry, SeverityEntry, StructureEntry, TypeEntry,
};

/// The inspection's visit details, as the app sends them.
#[derive(Debug, Clone, Deserialize)]
pub struct InspectionRecord {
    pub structure: String,
    pub kind: String,
    pub date: Option<String>,
    pub weather: Option<String>,
    #[serde(default)]
    pub not_inspected: Vec<String>,
    /// The device's edit time, UTC milliseconds.
    pub edited_ms: i64,
}

/// A defect as the app sends it.
#[derive(Debug, Clone, Deserialize)]
pub struct DefectRecord {
    pub component: String,
    #[serde(rename = "type")]
    pub type_code: String,
    pub severity: Option<String>,
    pub extent: Option<String>,
    #[serde(default)]
    pub measurements: Measurements,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub accuracy_m: Option<f64>,
    pub note: Option<String>,
    /// Device ids of the photos that show the defect.
    #[serde(default)]
    pub photos: Vec<String>,
    pub edited_ms: i64,
}

/// The own grades as the app sends them: target → grade.
#[derive(Debug, Clone, Deserialize)]
pub struct GradesRecord {
    pub grades: Vec<(String, String)>,
    pub edited_ms: i64,
}

/// What the server says of one record: stored, or a newer edit is here.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Ack {
    pub id: String,
    /// `stored` or `newer-on-server`.
    pub status: &'static str,
    /// The content hash, for photos.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

fn ack(id: &str, written: CaptureWrite) -> Ack {
    Ack {
        id: id.to_string(),
        status: match written {
            CaptureWrite::Applied => "stored",
            CaptureWrite::Stale { .. } => "newer-on-server",
        },
        hash: None,
    }
}

/// A device id: a UUID or similar, short and plain.
fn check_id(id: &str) -> Result<()> {
    let fine = (8..=64).contains(&id.len())
        && id
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-');
    if fine {
        Ok(())
    } else {
        Err(Error::Invalid(said(
            "capture.not_an_id",
            &[("id", id.chars().take(80).collect::<String>())],
        )))
    }
}

/// The trainee's working inspection for a device id, or "not found" for
/// anybody else's.
fn owned(book: &FieldBook, trainee: &User, capture_id: &str) -> Result<CaptureInspection> {
    check_id(capture_id)?;
    match book.capture_inspection(capture_id)? {
        Some(found) if found.trainee_id == trainee.id => Ok(found),
        _ => Err(Error::Store(voussoir_store::StoreError::NotFound(format!(
            "no inspection {capture_id}; send the inspection before its records"
        )))),
    }
}

fn parse_date(text: Option<&str>, today: jiff::civil::Date) -> Result<Option<jiff::civil::Date>> {
    let Some(text) = text.filter(|text| !text.trim().is_empty()) else {
        return Ok(None);
    };
    let date: jiff::civil::Date = text
        .trim()
        .parse()
        .map_err(|_| Error::Invalid(said("capture.date", &[("given", text.to_string())])))?;
    if date > today.tomorrow().unwrap_or(today) {
        return Err(Error::Invalid(said(
            "capture.future",
            &[("date", date.to_string())],
        )));
    }
    Ok(Some(date))
}

/// Creates or updates the trainee's working inspection.
pub fn save_inspection(
    book: &mut FieldBook,
    trainee: &User,
    capture_id: &str,
    record: &InspectionRecord,
    today: jiff::civil::Date,
) -> Result<Ack> {
    check_id(capture_id)?;
    if let Some(found) = book.capture_inspection(capture_id)? {
        if found.trainee_id != trainee.id {
            return Err(Error::Store(voussoir_store::StoreError::NotFound(format!(
                "no inspection {capture_id}"
            ))));
        }
    }
    let structure = book.structure(&record.structure)?;
    let kind: InspectionKind = record.kind.parse()?;
    let mut not_inspected = Vec::new();
    for code in &record.not_inspected {
        let component = structure.component(code).ok_or_else(|| {
            Error::Invalid(said(
                "defect.unknown_component",
                &[
                    ("given", code.to_string()),
                    ("structure", structure.code.clone()),
                    ("known", structure.component_codes().join(", ")),
                ],
            ))
        })?;
        not_inspected.push(component.code.clone());
    }
    let new = NewInspection {
        structure: structure.code.clone(),
        kind,
        inspector: Some(trainee.name.clone()),
        date: parse_date(record.date.as_deref(), today)?,
        weather: record
            .weather
            .clone()
            .filter(|text| !text.trim().is_empty()),
        is_reference: false,
        not_inspected,
    };
    let scheme = book.course()?.scheme;
    book.save_capture_inspection(capture_id, trainee.id, &new, &scheme, record.edited_ms)?;
    Ok(ack(capture_id, CaptureWrite::Applied))
}

/// The file name a device photo is known by in defects.
fn photo_file_name(photo_id: &str) -> String {
    format!("{photo_id}.jpg")
}

/// Checks a defect from the device as the command line would, then stores
/// it unless a newer edit is already here.
pub fn save_defect(
    book: &mut FieldBook,
    trainee: &User,
    inspection_id: &str,
    defect_id: &str,
    record: &DefectRecord,
) -> Result<Ack> {
    let working = owned(book, trainee, inspection_id)?;
    check_id(defect_id)?;
    for photo in &record.photos {
        check_id(photo)?;
    }
    let inspection = book.inspection(working.inspection_id)?;
    let structure = book.structure(&inspection.structure)?;
    let scheme = grading::scheme(&inspection.scheme)?;
    let position = match (record.lat, record.lon) {
        (Some(lat), Some(lon)) => Some(
            check_field_position(&structure, lat, lon, record.accuracy_m).map_err(|error| {
                Error::Invalid(said("position.of", &[("error", error.to_string())]))
            })?,
        ),
        (None, None) => None,
        _ => return Err(Error::Invalid(said("position.both", &[]))),
    };
    let input = DefectInput {
        component: record.component.clone(),
        type_code: record.type_code.clone(),
        severity: record.severity.clone(),
        extent: record.extent.clone(),
        measurements: record.measurements,
        position,
        note: record.note.clone().filter(|note| !note.trim().is_empty()),
        photos: record.photos.iter().map(|id| photo_file_name(id)).collect(),
    };
    let defect = check_defect(&structure, scheme, input)
        .map_err(|error| Error::Invalid(error.to_string()))?;
    let written =
        book.save_capture_defect(working.inspection_id, defect_id, &defect, record.edited_ms)?;
    Ok(ack(defect_id, written))
}

/// Deletes a defect the device recorded (again is fine).
pub fn delete_defect(
    book: &mut FieldBook,
    trainee: &User,
    inspection_id: &str,
    defect_id: &str,
    edited_ms: i64,
) -> Result<Ack> {
    let working = owned(book, trainee, inspection_id)?;
    check_id(defect_id)?;
    let written = book.delete_capture_defect(working.inspection_id, defect_id, edited_ms)?;
    Ok(ack(defect_id, written))
}

/// Replaces the trainee's own grades, each checked against the scheme.
pub fn save_grades(
    book: &mut FieldBook,
    trainee: &User,
    inspection_id: &str,
    record: &GradesRecord,
) -> Result<Ack> {
    let working = owned(book, trainee, inspection_id)?;
    let inspection = book.inspection(working.inspection_id)?;
    let structure = book.structure(&inspection.structure)?;
    let mut grades = Vec::new();
    for (target, grade) in &record.grades {
        if grade.trim().is_empty() {
            continue;
        }
        grades.push(
            check_own_grade(&inspection.scheme, &structure, target, grade)
                .map_err(|error| Error::Invalid(error.to_string()))?,
        );
    }
    let written = book.save_own_grades(working.inspection_id, &grades, record.edited_ms)?;
    Ok(ack(inspection_id, written))
}

/// What the server holds of a device inspection, for the app to mark what
/// is acknowledged.
#[derive(Debug, Serialize)]
pub struct CaptureState {
    pub inspection: i64,
    pub defects: Vec<DefectState>,
    pub photos: Vec<PhotoState>,
    pub grades: Vec<(String, String)>,
    pub submissions: Vec<Submission>,
}

#[derive(Debug, Serialize)]
pub struct DefectState {
    pub id: String,
    pub edited_ms: i64,
    pub deleted: bool,
}

#[derive(Debug, Serialize)]
pub struct PhotoState {
    pub id: String,
    pub hash: String,
}

/// What the server holds of a device inspection.
pub fn state(book: &FieldBook, trainee: &User, inspection_id: &str) -> Result<CaptureState> {
    let working = owned(book, trainee, inspection_id)?;
    let structure = book.inspection(working.inspection_id)?.structure;
    Ok(CaptureState {
        inspection: working.inspection_id,
        defects: book
            .capture_defects(working.inspection_id)?
            .into_iter()
            .map(|defect| DefectState {
                id: defect.capture_id,
                edited_ms: defect.edited_ms,
                deleted: defect.deleted,
            })
            .collect(),
        photos: book
            .photos(Some(working.inspection_id))?
            .into_iter()
            .filter_map(|photo| {
                Some(PhotoState {
                    id: photo.capture_id?,
                    hash: photo.hash,
                })
            })
            .collect(),
        grades: book.own_grades(working.inspection_id)?,
        submissions: book
            .submissions(Some(trainee.id))?
            .into_iter()
            .filter(|submission| submission.structure.eq_ignore_ascii_case(&structure))
            .collect(),
    })
}

/// Hands the working inspection in: a copy of it becomes the trainee's
/// next submission version, stored whole in one transaction; the working
/// copy stays for later edits.
pub fn submit(book: &mut FieldBook, trainee: &User, inspection_id: &str) -> Result<Submission> {
    let working = owned(book, trainee, inspection_id)?;
    let data = crate::review::load_inspection(book, working.inspection_id)?;
    let inspection: &Inspection = &data.inspection;
    let imported = ImportedInspection {
        new: NewInspection {
            structure: inspection.structure.clone(),
            kind: inspection.kind,
            inspector: inspection.inspector.clone(),
            date: inspection.date,
            weather: inspection.weather.clone(),
            is_reference: false,
            not_inspected: inspection.not_inspected.clone(),
        },
        scheme: inspection.scheme.clone(),
        defects: data.defects.clone(),
        photos: data.photos.clone(),
        tracks: Vec::new(),
        dive_logs: Vec::new(),
        own_grades: data.own_grades.clone(),
    };
    crate::submission::store_submission(book, trainee, &imported)
}
