//! Writing a bundle: the inspection's manifest, its photos' copies and
//! its tracks, every file listed with its size and hash.

use std::io::{Seek, Write};

use voussoir_core::photo::Photo;

use super::*;
use crate::InspectionData;

/// Writes the bundle of an inspection. `media` gives the bytes of a file
/// of the field book's `media/` by relative path.
pub fn write_bundle<W: Write + Seek>(
    data: &InspectionData,
    media: &dyn Fn(&str) -> Option<Vec<u8>>,
    out: W,
) -> Result<Manifest, BundleError> {
    let mut zip = zip::ZipWriter::new(out);
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut files = Vec::new();
    let mut add = |zip: &mut zip::ZipWriter<W>,
                   path: &str,
                   bytes: &[u8],
                   compress: bool|
     -> Result<(), BundleError> {
        zip.start_file(path, if compress { deflated } else { stored })
            .map_err(|error| BundleError::Zip(error.to_string()))?;
        zip.write_all(bytes)?;
        files.push(FileEntry {
            path: path.to_string(),
            size: bytes.len() as u64,
            blake3: blake3::hash(bytes).to_hex().to_string(),
        });
        Ok(())
    };

    let mut photos: Vec<&Photo> = data.photos.iter().collect();
    photos.sort_by(|a, b| {
        (a.placement.taken_at)
            .cmp(&b.placement.taken_at)
            .then(a.hash.cmp(&b.hash))
    });
    let mut photo_entries = Vec::new();
    for photo in photos {
        let mut copy =
            |relative: Option<&str>, suffix: &str| -> Result<Option<String>, BundleError> {
                let Some(relative) = relative else {
                    return Ok(None);
                };
                let bytes = media(relative).ok_or_else(|| {
                    invalid(format!(
                        "the copy {relative} of {} is missing from media/; import the photo again",
                        photo.file
                    ))
                })?;
                let path = format!("media/{}{suffix}", photo.hash);
                add(&mut zip, &path, &bytes, false)?;
                Ok(Some(path))
            };
        let thumbnail = copy(photo.thumbnail.as_deref(), "-thumb.jpg")?;
        let review = copy(photo.review.as_deref(), "-review.jpg")?;
        photo_entries.push(PhotoEntry {
            hash: photo.hash.clone(),
            file_name: file_name(&photo.file),
            format: photo.format.clone(),
            taken_at: photo.placement.taken_at,
            camera_time: photo.camera_time,
            make: photo.make.clone(),
            model: photo.model.clone(),
            width: photo.width,
            height: photo.height,
            lon: photo.placement.position.map(|point| point.lon),
            lat: photo.placement.position.map(|point| point.lat),
            elevation_m: photo.placement.elevation_m,
            accuracy_m: photo.placement.accuracy_m,
            position_source: photo.placement.position_source,
            position_note: photo.placement.position_note.clone(),
            depth_m: photo.placement.depth_m,
            underwater: photo.placement.underwater,
            component: photo.placement.component.clone(),
            component_distance_m: photo.placement.component_distance_m,
            thumbnail,
            review,
        });
    }

    let mut track_entries = Vec::new();
    for (index, track) in data.tracks.iter().enumerate() {
        let points = TrackPoints {
            segments: track
                .track
                .segments
                .iter()
                .map(|segment| segment.points.iter().map(point_row).collect())
                .collect(),
            routes: track
                .track
                .routes
                .iter()
                .map(|segment| segment.points.iter().map(point_row).collect())
                .collect(),
            waypoints: track.track.waypoints.iter().map(point_row).collect(),
        };
        let path = format!("tracks/{}.json", index + 1);
        let bytes = serde_json::to_vec(&points).map_err(|error| invalid(error.to_string()))?;
        add(&mut zip, &path, &bytes, true)?;
        track_entries.push(TrackEntry {
            file_name: file_name(&track.file),
            format: track.format.clone(),
            name: track.track.name.clone(),
            points: path,
        });
    }

    let inspection = &data.inspection;
    let manifest = Manifest {
        format: FORMAT.to_string(),
        version: VERSION,
        course: CourseInfo {
            code: data.course_code.clone(),
            name: data.course_name.clone(),
            scheme: data.scheme.clone(),
        },
        structure: StructureInfo {
            code: data.structure.code.clone(),
            name: data.structure.name.clone(),
        },
        inspection: InspectionInfo {
            kind: inspection.kind.code().to_string(),
            inspector: inspection.inspector.clone(),
            date: inspection.date.map(|date| date.to_string()),
            weather: inspection.weather.clone(),
            is_reference: inspection.is_reference,
            scheme: inspection.scheme.clone(),
            not_inspected: inspection.not_inspected.clone(),
        },
        own_grades: data
            .own_grades
            .iter()
            .map(|(target, grade)| OwnGradeEntry {
                target: target.clone(),
                grade: grade.clone(),
            })
            .collect(),
        defects: data
            .defects
            .iter()
            .map(|defect| DefectEntry {
                component: defect.component.clone(),
                type_code: defect.type_code.clone(),
                severity: defect.severity.clone(),
                extent: defect.extent.map(|extent| extent.code().to_string()),
                measurements: defect.measurements,
                lon: defect.position.map(|point| point.lon),
                lat: defect.position.map(|point| point.lat),
                note: defect.note.clone(),
                photos: defect.photos.clone(),
            })
            .collect(),
        photos: photo_entries,
        tracks: track_entries,
        dives: data
            .dives
            .iter()
            .map(|dive| DiveEntry {
                number: dive.number,
                start_ms: dive.start_ms,
                samples: dive
                    .samples
                    .iter()
                    .map(|sample| (sample.time_ms, sample.depth_m))
                    .collect(),
            })
            .collect(),
        files,
    };
    let bytes = serde_json::to_vec_pretty(&manifest).map_err(|error| invalid(error.to_string()))?;
    zip.start_file("manifest.json", deflated)
        .map_err(|error| BundleError::Zip(error.to_string()))?;
    zip.write_all(&bytes)?;
    zip.finish()
        .map_err(|error| BundleError::Zip(error.to_string()))?;
    Ok(manifest)
}
