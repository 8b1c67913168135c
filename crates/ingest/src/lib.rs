//! Reading field data from files: photos (EXIF metadata, content hash,
//! thumbnail and review copies), GPS tracks (GPX, NMEA, KML, GeoJSON) and
//! dive logs (UDDF, Subsurface XML).
//!
//! This crate reads files and decodes them into `voussoir-core` values; it
//! never touches the database. Every failure is an [`IngestError`] naming
//! the file and the reason, so a batch can report it and go on.

pub mod dive;
pub mod photo;
pub mod track;
mod utc_time;
mod xml;

use std::path::{Path, PathBuf};

/// A file that could not be read, and why.
#[derive(Debug, thiserror::Error)]
#[error("{}: {reason}", path.display())]
pub struct IngestError {
    pub path: PathBuf,
    pub reason: String,
}

impl IngestError {
    pub fn new(path: &Path, reason: impl Into<String>) -> IngestError {
        IngestError {
            path: path.to_path_buf(),
            reason: reason.into(),
        }
    }
}

/// Largest file read whole into memory (photos, dive logs): 512 MiB.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Largest track file read (a million-point GPX is about 150 MB).
pub const MAX_TRACK_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// Opens a regular file no larger than `limit`: a pipe, a device or a
/// folder is refused (reading `/dev/zero` or a FIFO would never end).
pub fn open_regular(path: &Path, limit: u64) -> Result<std::fs::File, IngestError> {
    let not_regular = || {
        IngestError::new(
            path,
            "not a regular file (a folder, a pipe or a device): give a file",
        )
    };
    // Looked at before opening: opening a pipe waits for a writer.
    let before =
        std::fs::metadata(path).map_err(|error| IngestError::new(path, error.to_string()))?;
    if !before.is_file() {
        return Err(not_regular());
    }
    let file =
        std::fs::File::open(path).map_err(|error| IngestError::new(path, error.to_string()))?;
    let metadata = file
        .metadata()
        .map_err(|error| IngestError::new(path, error.to_string()))?;
    if !metadata.is_file() {
        return Err(not_regular());
    }
    if metadata.len() > limit {
        return Err(IngestError::new(
            path,
            format!(
                "the file is {} MB, more than the {} MB limit",
                metadata.len() / 1_000_000,
                limit / 1_000_000
            ),
        ));
    }
    Ok(file)
}

/// Reads a whole regular file, refusing anything larger than
/// [`MAX_FILE_BYTES`]; the read itself is capped too, should the file grow.
pub fn read_file(path: &Path) -> Result<Vec<u8>, IngestError> {
    use std::io::Read;
    let file = open_regular(path, MAX_FILE_BYTES)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| IngestError::new(path, error.to_string()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(IngestError::new(
            path,
            "the file grew past the 512 MB limit while read",
        ));
    }
    Ok(bytes)
}

/// Parses an XML date-time as used by GPX, KML and UDDF: with `Z` or an
/// offset it is exact; without, it is local time in `zone`.
pub(crate) fn parse_xml_time(text: &str, zone: &jiff::tz::TimeZone) -> Option<i64> {
    let text = text.trim();
    if let Some(ms) = utc_time::parse(text) {
        return Some(ms);
    }
    if let Ok(timestamp) = text.parse::<jiff::Timestamp>() {
        return Some(timestamp.as_millisecond());
    }
    let civil: jiff::civil::DateTime = text.parse().ok()?;
    zone.to_ambiguous_timestamp(civil)
        .compatible()
        .ok()
        .map(|timestamp| timestamp.as_millisecond())
}
