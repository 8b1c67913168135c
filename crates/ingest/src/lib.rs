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

/// Reads a whole file, refusing anything larger than [`MAX_FILE_BYTES`].
pub fn read_file(path: &Path) -> Result<Vec<u8>, IngestError> {
    let metadata =
        std::fs::metadata(path).map_err(|error| IngestError::new(path, error.to_string()))?;
    if metadata.len() > MAX_FILE_BYTES {
        return Err(IngestError::new(
            path,
            format!(
                "the file is {} MB, more than the 512 MB limit",
                metadata.len() / 1_000_000
            ),
        ));
    }
    std::fs::read(path).map_err(|error| IngestError::new(path, error.to_string()))
}

/// Parses an XML date-time as used by GPX, KML and UDDF: with `Z` or an
/// offset it is exact; without, it is local time in `zone`.
pub(crate) fn parse_xml_time(text: &str, zone: &jiff::tz::TimeZone) -> Option<i64> {
    let text = text.trim();
    if let Ok(timestamp) = text.parse::<jiff::Timestamp>() {
        return Some(timestamp.as_millisecond());
    }
    let civil: jiff::civil::DateTime = text.parse().ok()?;
    zone.to_ambiguous_timestamp(civil)
        .compatible()
        .ok()
        .map(|timestamp| timestamp.as_millisecond())
}
