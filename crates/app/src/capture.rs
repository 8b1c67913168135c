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
use std::path::Path;

use voussoir_core::catalogue::CATALOGUE;
use voussoir_core::field_position::{
    check_field_position, MAX_DISTANCE_FROM_STRUCTURE_M, REFUSE_ACCURACY_M, WARN_ACCURACY_M,
};
use voussoir_core::geotag::nearest_component;
use voussoir_core::grading::{self, own::check_own_grade};
use voussoir_core::model::{InspectionKind, Measurements};
use voussoir_core::photo::{Photo, PhotoPlacement, PositionSource};
use voussoir_core::recording::{check_defect, DefectInput};
use voussoir_core::{Inspection, Structure};
use voussoir_ingest::photo::{make_previews, read_photo_bytes};
use voussoir_store::{
    CaptureInspection, CaptureWrite, FieldBook, ImportedInspection, MediaKind, NewInspection,
    Submission, User,
};

use crate::{Error, Result};

/// Limits of what a device may send.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct CaptureLimits {
    /// Largest photo accepted, bytes.
    pub max_photo_bytes: u64,
    /// Most photos in one inspection.
    pub max_photos: usize,
    pub warn_accuracy_m: f64,
    pub refuse_accuracy_m: f64,
    pub max_distance_m: f64,
}

impl Default for CaptureLimits {
    fn default() -> Self {
        CaptureLimits {
            max_photo_bytes: 25 * 1024 * 1024,
            max_photos: 400,
            warn_accuracy_m: WARN_ACCURACY_M,
            refuse_accuracy_m: REFUSE_ACCURACY_M,
            max_distance_m: MAX_DISTANCE_FROM_STRUCTURE_M,
        }
    }
}

/// A defect type as the app lists it.
#[derive(Debug, Serialize)]
pub struct TypeEntry {
    pub code: &'static str,
    pub name_en: &'static str,
    pub name_fr: &'static str,
    pub family: String,
    pub measures: Vec<&'static str>,
    pub underwater: bool,
}

/// One severity of the scheme, with its colour.
#[derive(Debug, Serialize)]
pub struct SeverityEntry {
    pub code: &'static str,
    pub meaning: &'static str,
    pub colour: &'static str,
}

/// A component with the defect types valid for its kind and material.
#[derive(Debug, Serialize)]
pub struct ComponentEntry {
    #[serde(flatten)]
    pub component: voussoir_core::Component,
    pub types: Vec<&'static str>,
}

/// A structure as the app shows it.
#[derive(Debug, Serialize)]
pub struct StructureEntry {
    pub code: String,
    pub name: String,
    pub position: Option<voussoir_core::LonLat>,
    pub axis: Vec<voussoir_core::LonLat>,
    pub components: Vec<ComponentEntry>,
}

/// Everything the app keeps on the device to work offline.
#[derive(Debug, Serialize)]
pub struct CaptureSetup {
    pub course_code: String,
    pub course_name: String,
    pub language: String,
    pub scheme: String,
    pub scheme_name: &'static str,
    pub severities: Vec<SeverityEntry>,
    /// The classes a component or the structure may be given.
    pub grades: Vec<String>,
    /// Groups that take their own grade (`group:equipment`...).
    pub groups: Vec<String>,
    pub structures: Vec<StructureEntry>,
    pub catalogue: Vec<TypeEntry>,
    pub limits: CaptureLimits,
}

fn valid_types(component: &voussoir_core::Component) -> Vec<&'static str> {
    CATALOGUE
        .iter()
        .filter(|entry| entry.applies_to(component.kind))
        .filter(|entry| {
            entry.materials.is_empty()
                || component
                    .material
                    .is_none_or(|material| entry.materials.contains(&material))
        })
        .map(|entry| entry.code)
        .collect()
}

/// What the app needs to work offline.
pub fn setup(book: &FieldBook, limits: CaptureLimits) -> Result<CaptureSetup> {
    let course = book.course()?;
    let scheme = grading::scheme(&course.scheme)?;
    let (grades, groups): (Vec<&str>, Vec<&str>) = if scheme.code() == "nbi" {
        (
            vec!["9", "8", "7", "6", "5", "4", "3", "2", "1", "0", "N"],
            vec!["deck", "superstructure", "substructure", "culvert"],
        )
    } else {
        (
            vec!["1", "2", "2E", "3", "3U", "NE"],
            vec!["structure", "equipment", "protection"],
        )
    };
    let structures = book
        .structures()?
        .into_iter()
        .map(|structure| StructureEntry {
            components: structure
                .components
                .iter()
                .map(|component| ComponentEntry {
                    types: valid_types(component),
                    component: component.clone(),
                })
                .collect(),
            code: structure.code,
            name: structure.name,
            position: structure.position,
            axis: structure.axis,
        })
        .collect();
    Ok(CaptureSetup {
        course_code: course.code,
        course_name: course.name,
        language: course.language,
        scheme: scheme.code().to_string(),
        scheme_name: scheme.name(),
        severities: scheme
            .severities()
            .into_iter()
            .filter(|info| scheme.to_step(info.code).is_some())
            .map(|info| SeverityEntry {
                code: info.code,
                meaning: info.meaning,
                colour: grading::severity_colour(scheme, Some(info.code)),
            })
            .collect(),
        grades: grades.into_iter().map(str::to_string).collect(),
        groups: groups
            .into_iter()
            .map(|group| format!("group:{group}"))
            .collect(),
        structures,
        catalogue: CATALOGUE
            .iter()
            .map(|entry| TypeEntry {
                code: entry.code,
                name_en: entry.name_en,
                name_fr: entry.name_fr,
                family: format!("{:?}", entry.family),
                measures: entry
                    .measures
                    .iter()
                    .map(|measure| measure.code())
                    .collect(),
                underwater: entry.underwater,
            })
            .collect(),
        limits,
    })
}

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
        Err(Error::Invalid(format!(
            "`{}` is not a record id; the app names records with UUIDs",
            id.chars().take(80).collect::<String>()
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
        .map_err(|_| Error::Invalid(format!("date `{text}`: write YYYY-MM-DD")))?;
    if date > today.tomorrow().unwrap_or(today) {
        return Err(Error::Invalid(format!("date {date} is in the future")));
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
            Error::Invalid(format!(
                "unknown component `{code}`; {} has {}",
                structure.code,
                structure.component_codes().join(", ")
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
            check_field_position(&structure, lat, lon, record.accuracy_m)
                .map_err(|error| Error::Invalid(format!("position: {error}")))?,
        ),
        (None, None) => None,
        _ => {
            return Err(Error::Invalid(
                "position: give both latitude and longitude, or neither".to_string(),
            ))
        }
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

/// What the app tells of a photo besides its bytes.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PhotoRecord {
    /// When it was taken, UTC milliseconds (the phone's clock).
    pub taken_ms: Option<i64>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub accuracy_m: Option<f64>,
    /// The component it was taken for.
    pub component: Option<String>,
}

/// Stores a photo from the device: its content is checked and read here
/// (format, EXIF, size), never trusted from the claim; the same photo id
/// sent again is recognised and changes nothing.
pub fn save_photo(
    book: &mut FieldBook,
    trainee: &User,
    inspection_id: &str,
    photo_id: &str,
    bytes: Vec<u8>,
    record: &PhotoRecord,
    limits: CaptureLimits,
) -> Result<Ack> {
    let working = owned(book, trainee, inspection_id)?;
    check_id(photo_id)?;
    if let Some(found) = book.capture_photo(working.inspection_id, photo_id)? {
        return Ok(Ack {
            id: photo_id.to_string(),
            status: "stored",
            hash: Some(found.hash),
        });
    }
    if bytes.len() as u64 > limits.max_photo_bytes {
        return Err(Error::Invalid(format!(
            "the photo is {:.1} MB, more than the {:.1} MB a photo may be; take it again at a lower size",
            bytes.len() as f64 / 1e6,
            limits.max_photo_bytes as f64 / 1e6
        )));
    }
    if book.photos(Some(working.inspection_id))?.len() >= limits.max_photos {
        return Err(Error::Invalid(format!(
            "this inspection already has {} photos, the most it may hold",
            limits.max_photos
        )));
    }
    let name = photo_file_name(photo_id);
    let read = read_photo_bytes(Path::new(&name), bytes)
        .map_err(|error| Error::Invalid(format!("photo {photo_id}: {}", error.reason)))?;
    let inspection = book.inspection(working.inspection_id)?;
    let structure = book.structure(&inspection.structure)?;
    let previews = make_previews(&read)
        .map_err(|reason| Error::Invalid(format!("photo {photo_id}: {reason}")))?
        .ok_or_else(|| {
            Error::Invalid(format!(
                "photo {photo_id}: a {} photo cannot be shown; send a JPEG",
                read.format.name()
            ))
        })?;
    let media = book.media();
    let thumbnail = media.write(&read.hash, MediaKind::Thumbnail, &previews.thumbnail_jpeg)?;
    let review = media.write(&read.hash, MediaKind::Review, &previews.review_jpeg)?;
    let placement = device_placement(&structure, &read.metadata, record);
    let metadata = read.metadata;
    let photo = Photo {
        hash: read.hash.clone(),
        inspection_id: Some(working.inspection_id),
        file: name,
        format: read.format.name().to_string(),
        bytes: read.bytes.len() as u64,
        width: Some(read.width),
        height: Some(read.height),
        make: metadata.make,
        model: metadata.model,
        orientation: metadata.orientation,
        camera_time: metadata.camera_time,
        camera_offset: metadata.offset,
        exif_position: metadata.gps,
        exif_altitude_m: metadata.altitude_m,
        exif_accuracy_m: metadata.gps_accuracy_m,
        metadata_notes: metadata.notes,
        placement,
        placed: true,
        capture_id: Some(photo_id.to_string()),
        thumbnail: Some(thumbnail),
        review: Some(review),
        original: None,
    };
    if !book.insert_photo(&photo)? {
        // The same picture under another id: the first one stands.
        let existing = book
            .photos(Some(working.inspection_id))?
            .into_iter()
            .find(|stored| stored.hash == photo.hash);
        return Ok(Ack {
            id: photo_id.to_string(),
            status: "stored",
            hash: existing.map(|stored| stored.hash),
        });
    }
    Ok(Ack {
        id: photo_id.to_string(),
        status: "stored",
        hash: Some(read.hash),
    })
}

/// Where a phone photo is: the phone's fix when it is sane, else the
/// photo's own GPS; the component it was taken for, else the nearest.
fn device_placement(
    structure: &Structure,
    metadata: &voussoir_ingest::photo::PhotoMetadata,
    record: &PhotoRecord,
) -> PhotoPlacement {
    let mut placement = PhotoPlacement {
        taken_at: record
            .taken_ms
            .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok()),
        ..PhotoPlacement::default()
    };
    let fix = match (record.lat, record.lon) {
        (Some(lat), Some(lon)) => {
            Some(check_field_position(structure, lat, lon, record.accuracy_m))
        }
        _ => None,
    };
    match (fix, metadata.gps) {
        (Some(Ok(position)), _) => {
            placement.position = Some(position);
            placement.accuracy_m = record.accuracy_m;
            placement.position_source = PositionSource::Device;
            placement.position_note =
                Some("from the phone's position in the capture app".to_string());
        }
        (fix, Some(gps)) => {
            placement.position = Some(gps);
            placement.accuracy_m = metadata.gps_accuracy_m;
            placement.position_source = PositionSource::Exif;
            placement.position_note = Some(match fix {
                Some(Err(error)) => {
                    format!("phone position refused ({error}); from the photo's own GPS")
                }
                _ => "from the photo's own GPS".to_string(),
            });
        }
        (Some(Err(error)), None) => {
            placement.position_note = Some(format!("phone position refused: {error}"));
        }
        (None, None) => {
            placement.position_note = Some("the phone gave no position".to_string());
        }
    }
    let chosen = record
        .component
        .as_deref()
        .and_then(|code| structure.component(code))
        .map(|component| component.code.clone());
    placement.component = chosen.or_else(|| {
        placement.position.and_then(|position| {
            nearest_component(structure, position, 50.0, false).map(|(code, _)| code)
        })
    });
    placement
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
