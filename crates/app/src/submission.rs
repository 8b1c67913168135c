//! Receiving an inspection from elsewhere: a submission bundle imported
//! from the command line, or handed in to the review server as a new
//! version of a trainee's submission.
//!
//! A bundle is checked completely before anything is written; its media
//! are then stored under the hash of what arrived (a bundle's claimed hash
//! is never trusted); the rows follow in one transaction, so that a crash
//! leaves the inspection with its submission, or neither.

use serde::Serialize;
use std::path::{Path, PathBuf};

use voussoir_core::compare::CompareOptions;
use voussoir_core::grading;
use voussoir_core::model::InspectionKind;
use voussoir_core::recording::check_defect;
use voussoir_core::{Inspection, Photo};
use voussoir_export::bundle::{defect_from_entry, read_bundle, CheckedBundle};
use voussoir_store::{FieldBook, ImportedInspection, MediaKind, NewInspection, Submission, User};

use crate::review::{compare_sides, reference_of, Side};
use crate::{Error, Result};

/// What importing a bundle stored.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BundleImported {
    pub file: PathBuf,
    pub inspection: i64,
    pub structure: String,
    pub defects: usize,
    pub photos: usize,
    pub tracks: usize,
    pub dives: usize,
    /// Imported as the reference (asked for explicitly).
    pub as_reference: bool,
    /// The bundle's manifest called itself a reference.
    pub claimed_reference: bool,
    /// The same bundle was imported before, as `inspection`: nothing new
    /// was stored.
    pub already_imported: bool,
}

/// A bundle read and checked, its media stored, ready for its rows.
struct Received {
    imported: ImportedInspection,
    counts: (usize, usize, usize, usize),
    /// The manifest says `"is_reference": true` (never obeyed as such).
    claimed_reference: bool,
}

fn refuse(file: &Path, reason: impl std::fmt::Display) -> Error {
    Error::Refused {
        file: file.display().to_string(),
        reason: reason.to_string(),
    }
}

/// Copies one of a bundle's photo files into `media/` under the hash of
/// the original the bundle names, once the copy is known to exist.
fn store_copy(
    book: &FieldBook,
    bundle: &mut CheckedBundle<std::io::BufReader<std::fs::File>>,
    file: &Path,
    inside: Option<&str>,
    kind: MediaKind,
) -> Result<Option<String>> {
    let Some(inside) = inside else {
        return Ok(None);
    };
    let bytes = bundle.file(inside).map_err(|error| refuse(file, error))?;
    // Content-addressed by what arrived, never by the photo hash the
    // bundle claims (which cannot be checked without the original): a
    // forged claim cannot reach another inspection's copies.
    let own = blake3::hash(&bytes).to_hex().to_string();
    Ok(Some(book.media().write(&own, kind, &bytes)?))
}

/// Reads and checks a bundle completely, then writes its media.
fn receive(book: &FieldBook, file: &Path, max_bytes: u64) -> Result<Received> {
    let reader = std::fs::File::open(file).map_err(Error::io(file))?;
    let mut bundle = read_bundle(std::io::BufReader::new(reader), max_bytes)
        .map_err(|error| refuse(file, error))?;
    let manifest = bundle.manifest.clone();
    let structure = book
        .structure(&manifest.structure.code)
        .map_err(|error| refuse(file, error))?;
    let scheme =
        grading::scheme(&manifest.inspection.scheme).map_err(|error| refuse(file, error))?;
    let kind: InspectionKind = manifest
        .inspection
        .kind
        .parse()
        .map_err(|error| refuse(file, error))?;
    let date = manifest
        .inspection
        .date
        .as_deref()
        .map(|text| text.parse::<jiff::civil::Date>())
        .transpose()
        .map_err(|error| refuse(file, format!("inspection date: {error}")))?;
    for code in &manifest.inspection.not_inspected {
        if structure.component(code).is_none() {
            return Err(refuse(
                file,
                format!("unknown component `{code}` in not_inspected"),
            ));
        }
    }
    let mut defects = Vec::new();
    for (index, entry) in manifest.defects.iter().enumerate() {
        let checked = check_defect(&structure, scheme, entry.to_input())
            .map_err(|error| refuse(file, format!("defect {}: {error}", index + 1)))?;
        let mut defect = defect_from_entry(entry);
        defect.component = checked.component;
        defect.type_code = checked.type_code;
        defect.severity = checked.severity;
        defects.push(defect);
    }
    let tracks = bundle.tracks().map_err(|error| refuse(file, error))?;
    let mut own_grades = Vec::new();
    for entry in &manifest.own_grades {
        own_grades.push(
            voussoir_core::grading::own::check_own_grade(
                scheme.code(),
                &structure,
                &entry.target,
                &entry.grade,
            )
            .map_err(|error| refuse(file, format!("own grade: {error}")))?,
        );
    }

    // Everything is checked: write the media, then the caller writes the
    // rows in one go.
    let mut photos: Vec<Photo> = Vec::new();
    for entry in &manifest.photos {
        let mut photo = entry.to_photo();
        photo.thumbnail = store_copy(
            book,
            &mut bundle,
            file,
            entry.thumbnail.as_deref(),
            MediaKind::Thumbnail,
        )?;
        photo.review = store_copy(
            book,
            &mut bundle,
            file,
            entry.review.as_deref(),
            MediaKind::Review,
        )?;
        photos.push(photo);
    }
    let track_rows = tracks
        .into_iter()
        .map(|(entry, track)| {
            let hash = manifest
                .files
                .iter()
                .find(|listed| listed.path == entry.points)
                .map(|listed| listed.blake3.clone())
                .unwrap_or_default();
            (entry.file_name, hash, entry.format, track)
        })
        .collect();
    let dives: Vec<_> = manifest.dives.iter().map(|entry| entry.to_dive()).collect();
    let dive_logs = if dives.is_empty() {
        Vec::new()
    } else {
        let listed = serde_json::to_string(&manifest.dives).unwrap_or_default();
        let hash = blake3::hash(listed.as_bytes()).to_hex().to_string();
        vec![(
            format!("{} (bundle)", file.display()),
            hash,
            "bundle".to_string(),
            dives,
        )]
    };
    Ok(Received {
        imported: ImportedInspection {
            new: NewInspection {
                structure: structure.code.clone(),
                kind,
                inspector: manifest.inspection.inspector.clone(),
                date,
                weather: manifest.inspection.weather.clone(),
                is_reference: false,
                not_inspected: manifest.inspection.not_inspected.clone(),
            },
            scheme: scheme.code().to_string(),
            defects,
            photos,
            tracks: track_rows,
            dive_logs,
            own_grades,
        },
        claimed_reference: manifest.inspection.is_reference,
        counts: (
            manifest.defects.len(),
            manifest.photos.len(),
            manifest.tracks.len(),
            manifest.dives.len(),
        ),
    })
}

/// Imports a bundle as a new inspection of the field book: an ordinary
/// inspection unless `as_reference` (only the instructor makes a reference,
/// explicitly; a manifest's own claim is not obeyed). The same bundle
/// imported again is recognised and not stored twice.
pub fn import_bundle(
    book: &mut FieldBook,
    file: &Path,
    max_bytes: u64,
    as_reference: bool,
) -> Result<BundleImported> {
    let mut received = receive(book, file, max_bytes)?;
    let claimed_reference = received.claimed_reference;
    received.imported.new.is_reference = as_reference;
    let fingerprint = crate::hand_in::fingerprint(&received.imported);
    let (defects, photos, tracks, dives) = received.counts;
    let summary = |inspection, already_imported| BundleImported {
        file: file.to_path_buf(),
        inspection,
        structure: received.imported.new.structure.clone(),
        defects,
        photos,
        tracks,
        dives,
        as_reference,
        claimed_reference,
        already_imported,
    };
    if let Some(existing) = book.inspection_by_fingerprint(&fingerprint)? {
        return Ok(summary(existing, true));
    }
    let id = book.import_inspection(&received.imported, Some(&fingerprint))?;
    Ok(summary(id, false))
}

/// The mark the reference suggests for an inspection not yet stored.
fn suggested_for(book: &FieldBook, imported: &ImportedInspection) -> Result<Option<f64>> {
    let Some(reference_id) = reference_of(book, &imported.new.structure)? else {
        return Ok(None);
    };
    let structure = book.structure(&imported.new.structure)?;
    let course = book.course()?;
    let scheme = grading::scheme(&course.scheme)?;
    let reference = book.inspection(reference_id)?;
    let reference_defects = book.defects(reference_id)?;
    let reference_own = book.own_grades(reference_id)?;
    let reference_reasons = book.grade_reasons(reference_id)?;
    let trainee = Inspection {
        id: 0,
        structure: imported.new.structure.clone(),
        kind: imported.new.kind,
        inspector: imported.new.inspector.clone(),
        date: imported.new.date,
        weather: imported.new.weather.clone(),
        is_reference: false,
        scheme: imported.scheme.clone(),
        not_inspected: imported.new.not_inspected.clone(),
    };
    let comparison = compare_sides(
        scheme,
        &structure,
        Side {
            inspection: &reference,
            defects: &reference_defects,
            own_grades: &reference_own,
            grade_reasons: &reference_reasons,
        },
        Side {
            inspection: &trainee,
            defects: &imported.defects,
            own_grades: &imported.own_grades,
            grade_reasons: &[],
        },
        CompareOptions {
            rubric: course.rubric,
            ..CompareOptions::default()
        },
    );
    Ok(Some(comparison.mark.suggested.value()))
}

/// Receives a trainee's bundle as the next version of their submission:
/// always an ordinary inspection (a trainee never uploads a reference),
/// stored with its submission row in one transaction.
pub fn submit_bundle(
    book: &mut FieldBook,
    trainee: &User,
    file: &Path,
    max_bytes: u64,
) -> Result<Submission> {
    let received = receive(book, file, max_bytes)?;
    store_submission(book, trainee, &received.imported)
}

/// Stores a received inspection as the trainee's next submission version,
/// with the mark the reference suggests, in one transaction; while the
/// submission is open (`hand_in`), and not twice: the same work handed in
/// again answers with the version already stored, marked unchanged.
pub(crate) fn store_submission(
    book: &mut FieldBook,
    trainee: &User,
    imported: &ImportedInspection,
) -> Result<Submission> {
    let fingerprint = crate::hand_in::fingerprint(imported);
    let structure = book.structure(&imported.new.structure)?;
    let latest = book.latest_submission(trainee.id, &structure.code)?;
    if let Some((latest, received_as)) = &latest {
        if received_as.as_deref() == Some(fingerprint.as_str()) {
            // The same work again: the version already stored answers.
            return Ok(Submission {
                unchanged: true,
                ..latest.clone()
            });
        }
    }
    crate::hand_in::check_open(
        &book.course()?,
        &structure,
        latest.as_ref().map(|(latest, _)| latest),
        jiff::Timestamp::now(),
    )?;
    let suggested = suggested_for(book, imported)?;
    Ok(book.import_submission(imported, trainee.id, suggested, &fingerprint)?)
}

/// Records an inspection already in the field book as a trainee's
/// submission (the demo's trainees).
pub fn submit_stored(
    book: &mut FieldBook,
    trainee: &User,
    inspection_id: i64,
) -> Result<Submission> {
    let structure = book.inspection(inspection_id)?.structure;
    let suggested = crate::review::suggested_mark(book, inspection_id)?;
    Ok(book.add_submission(trainee.id, &structure, inspection_id, suggested)?)
}
