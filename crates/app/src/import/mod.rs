//! Importing field data into an inspection: photos (a pipeline on both
//! cores), GPS tracks and dive logs (one file per transaction). A bad file
//! is one [`FileResult`] naming it and the reason; the rest of the batch
//! goes on. Progress is reported through a callback; nothing here prints.

mod photos;
mod tracks;

use serde::Serialize;
use std::path::Path;

pub use photos::{photos, ImportCopies, PhotoImport};
pub use tracks::{dive_logs, tracks, BatchImport, TrackFileResult};

use crate::{Error, Result};

/// What became of one file of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    Imported,
    Duplicate,
    Failed,
}

/// One file's fate in a batch.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct FileResult {
    pub file: String,
    pub status: FileStatus,
    pub hash: Option<String>,
    /// Why it failed, or what it duplicates, or what to know about it.
    pub detail: Option<String>,
}

impl FileResult {
    pub fn failed(path: &Path, reason: impl Into<String>) -> FileResult {
        FileResult {
            file: path.display().to_string(),
            status: FileStatus::Failed,
            hash: None,
            detail: Some(reason.into()),
        }
    }
}

/// Where a batch has got to, for a progress display.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// The batch holds this many files.
    Found { files: usize },
    /// One file is done.
    Done(&'a FileResult),
}

/// Counts of a batch by status.
#[derive(Debug, Serialize, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub imported: usize,
    pub duplicates: usize,
    pub failed: usize,
}

impl Counts {
    pub fn of(statuses: impl IntoIterator<Item = FileStatus>) -> Counts {
        let mut counts = Counts::default();
        for status in statuses {
            match status {
                FileStatus::Imported => counts.imported += 1,
                FileStatus::Duplicate => counts.duplicates += 1,
                FileStatus::Failed => counts.failed += 1,
            }
        }
        counts
    }
}

/// The BLAKE3 hash of a file's bytes, streamed.
pub(crate) fn file_hash(path: &Path) -> Result<String> {
    let mut hasher = blake3::Hasher::new();
    let file = voussoir_ingest::open_regular(path, voussoir_ingest::MAX_TRACK_BYTES)
        .map_err(|error| Error::Invalid(error.to_string()))?;
    std::io::copy(
        &mut std::io::Read::take(file, voussoir_ingest::MAX_TRACK_BYTES),
        &mut hasher,
    )
    .map_err(Error::io(path))?;
    Ok(hasher.finalize().to_hex().to_string())
}
