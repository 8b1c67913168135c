//! Review logic shared by the web pages, the JSON API and the CLI:
//! gathering an inspection for display, comparing it with the reference,
//! and receiving a submission bundle into the data folder.

use anyhow::{bail, Context as _};
use serde::Serialize;
use std::path::{Path, PathBuf};

use voussoir_core::compare::{compare, CompareOptions, Comparison};
use voussoir_core::grading;
use voussoir_core::model::{InspectionKind, Photo};
use voussoir_core::recording::check_defect;
use voussoir_export::bundle::{defect_from_entry, read_bundle};
use voussoir_export::{InspectionData, TrackData};
use voussoir_store::{FieldBook, ImportedInspection, NewInspection, PhotoPlacement, PhotoRecord};

/// Gathers everything about one inspection for the exporters.
pub fn load_inspection_data(book: &FieldBook, id: i64) -> anyhow::Result<InspectionData> {
    let course = book.course()?;
    let inspection = book.inspection(id)?;
    let structure = book.structure(&inspection.structure)?;
    let defects = book.defects(id)?;
    let scheme = grading::scheme(&course.scheme)?;
    let grading = grading::grade_inspection(scheme, &structure, &inspection, &defects);
    let photos = book
        .photos(Some(id))?
        .iter()
        .map(photo_from_record)
        .collect();
    let mut tracks = Vec::new();
    for record in book.tracks(Some(id))? {
        tracks.push(TrackData {
            file: record.file.clone(),
            format: record.format.clone(),
            track: book.load_track(record.id)?,
        });
    }
    Ok(InspectionData {
        course_code: course.code,
        course_name: course.name,
        scheme: course.scheme,
        language: course.language,
        structure,
        inspection,
        defects,
        grading,
        photos,
        tracks,
        dives: book.load_dives(Some(id))?,
    })
}

fn photo_from_record(record: &PhotoRecord) -> Photo {
    let placement = &record.placement;
    Photo {
        hash: record.hash.clone(),
        file: record.file.clone(),
        format: record.format.clone(),
        taken_at: placement.taken_at.clone(),
        camera_time: record.camera_time.clone(),
        make: record.make.clone(),
        model: record.model.clone(),
        width: record.width,
        height: record.height,
        position: placement.position,
        elevation_m: placement.elevation_m,
        accuracy_m: placement.accuracy_m,
        position_source: placement.position_source.clone(),
        position_note: placement.position_note.clone(),
        depth_m: placement.depth_m,
        underwater: placement.underwater,
        component: placement.component.clone(),
        component_distance_m: placement.component_distance_m,
        thumbnail: record.thumbnail.clone(),
        review: record.review.clone(),
    }
}

/// The reference inspection of a structure: the newest one marked so.
pub fn reference_of(book: &FieldBook, structure: &str) -> anyhow::Result<Option<i64>> {
    Ok(book.reference_inspection(structure)?)
}

/// The mark the comparison with the structure's reference suggests for an
/// inspection, or `None` while the structure has no reference.
pub fn suggested_mark(
    book: &FieldBook,
    structure: &str,
    inspection_id: i64,
) -> anyhow::Result<Option<f64>> {
    let Some(reference) = reference_of(book, structure)? else {
        return Ok(None);
    };
    let compared = comparison(book, reference, inspection_id, CompareOptions::default())?;
    Ok(Some(compared.mark.suggested))
}

/// Compares two inspections of the same structure in the course's scheme.
pub fn comparison(
    book: &FieldBook,
    reference_id: i64,
    inspection_id: i64,
    options: CompareOptions,
) -> anyhow::Result<Comparison> {
    let reference = book.inspection(reference_id)?;
    let trainee = book.inspection(inspection_id)?;
    if !reference.structure.eq_ignore_ascii_case(&trainee.structure) {
        bail!(
            "inspection #{inspection_id} is of {}, the reference #{reference_id} of {}: compare inspections of the same structure",
            trainee.structure,
            reference.structure
        );
    }
    let structure = book.structure(&reference.structure)?;
    let scheme = grading::scheme(&book.course()?.scheme)?;
    let reference_defects = book.defects(reference_id)?;
    let trainee_defects = book.defects(inspection_id)?;
    let reference_grading =
        grading::grade_inspection(scheme, &structure, &reference, &reference_defects);
    let trainee_grading = grading::grade_inspection(scheme, &structure, &trainee, &trainee_defects);
    // Both sides in the course's scheme, so severities compare.
    let convert =
        |defects: &[voussoir_core::Defect], recorded: &str| -> Vec<voussoir_core::Defect> {
            let source = grading::scheme(recorded).ok();
            defects
                .iter()
                .map(|defect| {
                    let mut defect = defect.clone();
                    if let (Some(source), Some(severity)) = (source, defect.severity.as_deref()) {
                        if source.code() != scheme.code() {
                            defect.severity = source
                                .to_step(severity)
                                .map(|step| scheme.severity_at_step(step));
                        }
                    }
                    defect
                })
                .collect()
        };
    let reference_defects = convert(&reference_defects, &reference.scheme);
    let trainee_defects = convert(&trainee_defects, &trainee.scheme);
    Ok(compare(
        scheme,
        (&reference_defects, &reference_grading),
        (&trainee_defects, &trainee_grading),
        options,
    ))
}

/// What importing a bundle stored.
#[derive(Debug, Clone, Serialize)]
pub struct BundleImported {
    pub file: PathBuf,
    pub inspection: i64,
    pub structure: String,
    pub defects: usize,
    pub photos: usize,
    pub tracks: usize,
    pub dives: usize,
}

/// Checks a bundle completely, then stores it as a new inspection in one
/// transaction (its media files written first). `as_trainee` makes it an
/// ordinary inspection whatever the bundle says: a trainee never uploads a
/// reference.
pub fn import_bundle(
    book: &mut FieldBook,
    file: &Path,
    max_bytes: u64,
    as_trainee: bool,
) -> anyhow::Result<BundleImported> {
    let reader =
        std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
    let mut bundle = read_bundle(std::io::BufReader::new(reader), max_bytes)
        .with_context(|| format!("{} refused, nothing imported", file.display()))?;
    let manifest = bundle.manifest.clone();
    let refuse = |message: String| {
        anyhow::anyhow!("{} refused, nothing imported: {message}", file.display())
    };
    let structure = book
        .structure(&manifest.structure.code)
        .map_err(|error| refuse(error.to_string()))?;
    let scheme =
        grading::scheme(&manifest.inspection.scheme).map_err(|error| refuse(error.to_string()))?;
    let kind: InspectionKind = manifest
        .inspection
        .kind
        .parse()
        .map_err(|error: voussoir_core::model::UnknownCode| refuse(error.to_string()))?;
    let date = manifest
        .inspection
        .date
        .as_deref()
        .map(|text| text.parse::<jiff::civil::Date>())
        .transpose()
        .map_err(|error| refuse(format!("inspection date: {error}")))?;
    for code in &manifest.inspection.not_inspected {
        if structure.component(code).is_none() {
            return Err(refuse(format!(
                "unknown component `{code}` in not_inspected"
            )));
        }
    }
    let mut defects = Vec::new();
    for (index, entry) in manifest.defects.iter().enumerate() {
        let checked = check_defect(&structure, scheme, entry.to_input())
            .map_err(|error| refuse(format!("defect {}: {error}", index + 1)))?;
        let mut defect = defect_from_entry(entry);
        defect.component = checked.component;
        defect.type_code = checked.type_code;
        defect.severity = checked.severity;
        defects.push(defect);
    }
    let tracks = bundle.tracks().map_err(|error| refuse(error.to_string()))?;

    // Everything is checked: write the media, then the rows in one go.
    let mut photos = Vec::new();
    for entry in &manifest.photos {
        let mut copy = |path: &Option<String>, suffix: &str| -> anyhow::Result<Option<String>> {
            match path {
                Some(path) => {
                    let bytes = bundle.file(path)?;
                    Ok(Some(book.write_media(&entry.hash, suffix, &bytes)?))
                }
                None => Ok(None),
            }
        };
        let thumbnail = copy(&entry.thumbnail, "-thumb.jpg")?;
        let review = copy(&entry.review, "-review.jpg")?;
        let photo = entry.to_photo();
        photos.push(PhotoRecord {
            hash: photo.hash.clone(),
            inspection_id: None,
            file: photo.file.clone(),
            format: photo.format.clone(),
            bytes: 0,
            width: photo.width,
            height: photo.height,
            make: photo.make.clone(),
            model: photo.model.clone(),
            orientation: 1,
            camera_time: photo.camera_time.clone(),
            camera_offset: None,
            exif_position: None,
            exif_altitude_m: None,
            exif_accuracy_m: None,
            metadata_notes: vec!["imported from a submission bundle".to_string()],
            placement: PhotoPlacement {
                taken_at: photo.taken_at.clone(),
                position: photo.position,
                elevation_m: photo.elevation_m,
                accuracy_m: photo.accuracy_m,
                position_source: photo.position_source.clone(),
                position_note: photo.position_note.clone(),
                depth_m: photo.depth_m,
                underwater: photo.underwater,
                component: photo.component.clone(),
                component_distance_m: photo.component_distance_m,
            },
            thumbnail,
            review,
            original: None,
        });
    }
    let track_rows = tracks
        .into_iter()
        .map(|(entry, track)| {
            let hash = manifest
                .files
                .iter()
                .find(|file| file.path == entry.points)
                .map(|file| file.blake3.clone())
                .unwrap_or_default();
            (entry.file_name, hash, entry.format, track)
        })
        .collect();
    let dives: Vec<_> = manifest.dives.iter().map(|entry| entry.to_dive()).collect();
    let dive_logs = if dives.is_empty() {
        Vec::new()
    } else {
        let hash = blake3::hash(
            serde_json::to_string(&manifest.dives)
                .unwrap_or_default()
                .as_bytes(),
        )
        .to_hex()
        .to_string();
        vec![(
            format!("{} (bundle)", file.display()),
            hash,
            "bundle".to_string(),
            dives,
        )]
    };
    let imported = ImportedInspection {
        new: NewInspection {
            structure: structure.code.clone(),
            kind,
            inspector: manifest.inspection.inspector.clone(),
            date,
            weather: manifest.inspection.weather.clone(),
            is_reference: manifest.inspection.is_reference && !as_trainee,
            not_inspected: manifest.inspection.not_inspected.clone(),
        },
        scheme: scheme.code().to_string(),
        defects,
        photos,
        tracks: track_rows,
        dive_logs,
    };
    let id = book.import_inspection(&imported)?;
    let summary = BundleImported {
        file: file.to_path_buf(),
        inspection: id,
        structure: structure.code,
        defects: manifest.defects.len(),
        photos: manifest.photos.len(),
        tracks: manifest.tracks.len(),
        dives: manifest.dives.len(),
    };
    Ok(summary)
}

/// Agreement on one structure's component grades between the given
/// inspections (id, who), and with the reference when there is one.
pub fn class_agreement(
    book: &FieldBook,
    structure_code: &str,
    inspections: &[(i64, String)],
) -> anyhow::Result<voussoir_core::agreement::Agreement> {
    let structure = book.structure(structure_code)?;
    let scheme = grading::scheme(&book.course()?.scheme)?;
    let grade = |id: i64| -> anyhow::Result<voussoir_core::grading::Grading> {
        let inspection = book.inspection(id)?;
        let defects = book.defects(id)?;
        Ok(grading::grade_inspection(
            scheme,
            &structure,
            &inspection,
            &defects,
        ))
    };
    let reference = match reference_of(book, &structure.code)? {
        Some(id) => Some(grade(id)?),
        None => None,
    };
    let gradings = inspections
        .iter()
        .map(|(id, _)| grade(*id))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let raters: Vec<voussoir_core::agreement::Rater<'_>> = inspections
        .iter()
        .zip(&gradings)
        .map(|((id, who), grading)| voussoir_core::agreement::Rater {
            inspection: *id,
            inspector: who.clone(),
            grading,
        })
        .collect();
    Ok(voussoir_core::agreement::agreement(
        reference.as_ref(),
        &raters,
    ))
}
