//! Importing GPS tracks (GPX, NMEA, KML, GeoJSON) and dive logs (UDDF,
//! Subsurface XML): each file is read whole, then stored in one
//! transaction, once per content.

use serde::Serialize;
use std::path::{Path, PathBuf};

use voussoir_ingest::dive::{read_dive_log, DiveFormat};
use voussoir_ingest::track::read_track;
use voussoir_store::{FieldBook, Inserted};

use super::{file_hash, Counts, FileResult, FileStatus, Progress};
use crate::geotag::time_zone;
use crate::Result;

/// One track file's fate, with what was read from it.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct TrackFileResult {
    pub file: String,
    pub status: FileStatus,
    pub format: Option<&'static str>,
    pub points: usize,
    pub segments: usize,
    pub sentences: usize,
    pub bad_checksums: usize,
    pub warnings: Vec<String>,
    pub detail: Option<String>,
}

/// A batch of track or dive-log files.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct BatchImport<T> {
    pub inspection: i64,
    #[serde(flatten)]
    pub counts: Counts,
    pub files: Vec<T>,
}

fn status(inserted: Inserted) -> FileStatus {
    match inserted {
        Inserted::New(_) => FileStatus::Imported,
        Inserted::Duplicate(_) => FileStatus::Duplicate,
    }
}

fn one_track(
    book: &mut FieldBook,
    inspection_id: i64,
    path: &Path,
    zone: &jiff::tz::TimeZone,
) -> Result<TrackFileResult, String> {
    // The hash and the parse each read the file: on two threads they
    // overlap.
    let (read, hash) = std::thread::scope(|scope| {
        let hashing = scope.spawn(|| file_hash(path));
        let read = read_track(path, zone);
        (read, hashing.join())
    });
    let read = read.map_err(|error| error.reason)?;
    let hash = hash
        .map_err(|_| "the file's hash could not be computed".to_string())?
        .map_err(|error| error.to_string())?;
    let inserted = book
        .insert_track(
            Some(inspection_id),
            &path.display().to_string(),
            &hash,
            read.format.name(),
            &read.track,
        )
        .map_err(|error| error.to_string())?;
    Ok(TrackFileResult {
        file: path.display().to_string(),
        status: status(inserted),
        format: Some(read.format.name()),
        points: read.track.point_count(),
        segments: read.track.segments.len(),
        sentences: read.sentences,
        bad_checksums: read.bad_checksums,
        warnings: read.warnings,
        detail: None,
    })
}

/// Imports GPS tracks into an inspection, one transaction per file.
pub fn tracks(
    book: &mut FieldBook,
    inspection_id: i64,
    files: &[PathBuf],
    tz: Option<&str>,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<BatchImport<TrackFileResult>> {
    let zone = time_zone(book, tz)?;
    progress(Progress::Found { files: files.len() });
    let mut results = Vec::new();
    for path in files {
        let result =
            one_track(book, inspection_id, path, &zone).unwrap_or_else(|reason| TrackFileResult {
                file: path.display().to_string(),
                status: FileStatus::Failed,
                format: None,
                points: 0,
                segments: 0,
                sentences: 0,
                bad_checksums: 0,
                warnings: Vec::new(),
                detail: Some(reason),
            });
        progress(Progress::Done(&FileResult {
            file: result.file.clone(),
            status: result.status,
            hash: None,
            detail: result.detail.clone(),
        }));
        results.push(result);
    }
    Ok(BatchImport {
        inspection: inspection_id,
        counts: Counts::of(results.iter().map(|result| result.status)),
        files: results,
    })
}

fn one_dive_log(
    book: &mut FieldBook,
    inspection_id: i64,
    path: &Path,
    zone: &jiff::tz::TimeZone,
) -> Result<FileResult, String> {
    let read = read_dive_log(path, zone).map_err(|error| error.reason)?;
    let hash = file_hash(path).map_err(|error| error.to_string())?;
    let format = match read.format {
        DiveFormat::Uddf => "UDDF",
        DiveFormat::Subsurface => "Subsurface XML",
    };
    let inserted = book
        .insert_dive_log(
            Some(inspection_id),
            &path.display().to_string(),
            &hash,
            format,
            &read.dives,
        )
        .map_err(|error| error.to_string())?;
    let mut detail = format!("{format}, {} dive(s)", read.dives.len());
    for warning in &read.warnings {
        detail.push_str(&format!("; {warning}"));
    }
    Ok(FileResult {
        file: path.display().to_string(),
        status: status(inserted),
        hash: Some(hash),
        detail: Some(detail),
    })
}

/// Imports dive logs into an inspection, one transaction per file.
pub fn dive_logs(
    book: &mut FieldBook,
    inspection_id: i64,
    files: &[PathBuf],
    tz: Option<&str>,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<BatchImport<FileResult>> {
    let zone = time_zone(book, tz)?;
    progress(Progress::Found { files: files.len() });
    let mut results = Vec::new();
    for path in files {
        let result = one_dive_log(book, inspection_id, path, &zone)
            .unwrap_or_else(|reason| FileResult::failed(path, reason));
        progress(Progress::Done(&result));
        results.push(result);
    }
    Ok(BatchImport {
        inspection: inspection_id,
        counts: Counts::of(results.iter().map(|result| result.status)),
        files: results,
    })
}
