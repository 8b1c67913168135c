//! Importing photos: worker threads (rayon, both cores) read, hash and
//! copy each photo into `media/`; this thread alone writes the rows, one
//! photo per statement, so a killed import keeps every photo it stored.
//! A bounded channel between them keeps memory flat whatever the size of
//! the batch. Placement is part of the unit of work: the photos stored by
//! this run, and any photo of the inspection an interrupted run stored but
//! never placed, are placed at the end.

use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Mutex};

use voussoir_core::photo::Photo;
use voussoir_ingest::photo::{make_previews, make_thumbnail, read_photo};
use voussoir_ingest::IngestError;
use voussoir_store::{FieldBook, Media, MediaKind};

use super::{Counts, FileResult, FileStatus, Progress};
use crate::geotag::{place, time_zone, GeotagReport, PlaceOptions};
use crate::Result;

/// File extensions picked up when walking a folder.
const PHOTO_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "tif", "tiff", "webp", "heic", "heif"];

/// What a photo import did.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct PhotoImport {
    pub inspection: i64,
    #[serde(flatten)]
    pub counts: Counts,
    pub files: Vec<FileResult>,
    pub geotag: Option<GeotagReport>,
}

/// Expands folders (recursively) into photo files, keeping named files.
fn collect_photo_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<FileResult>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut stack: Vec<PathBuf> = paths.to_vec();
    while let Some(path) = stack.pop() {
        match std::fs::metadata(&path) {
            Ok(metadata) if metadata.is_dir() => match std::fs::read_dir(&path) {
                Ok(entries) => {
                    for entry in entries.flatten() {
                        let child = entry.path();
                        let is_dir = entry.file_type().is_ok_and(|kind| kind.is_dir());
                        let is_photo = child
                            .extension()
                            .map(|extension| extension.to_string_lossy().to_lowercase())
                            .is_some_and(|extension| {
                                PHOTO_EXTENSIONS.contains(&extension.as_str())
                            });
                        if is_dir || is_photo {
                            stack.push(child);
                        }
                    }
                }
                Err(error) => problems.push(FileResult::failed(&path, error.to_string())),
            },
            Ok(_) => files.push(path),
            Err(error) => problems.push(FileResult::failed(&path, error.to_string())),
        }
    }
    files.sort();
    files.dedup();
    (files, problems)
}

/// The copies an import keeps of each photo beside its thumbnail.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCopies {
    /// Keep the original file in `media/`.
    pub keep_originals: bool,
    /// Make the review copy now rather than on first need (export,
    /// review): for a memory card about to be wiped.
    pub review_now: bool,
}

/// What a worker thread hands to the writer: the photo and the absolute
/// path it was read from.
enum Prepared {
    New(Box<Photo>, String),
    Duplicate(PathBuf, String),
    Failed(IngestError),
}

/// Reads, hashes and copies one photo (run on a worker thread).
fn prepare_photo(
    media: &Media,
    path: &Path,
    inspection_id: i64,
    copies: ImportCopies,
    seen: &Mutex<HashSet<String>>,
) -> Prepared {
    let photo = match read_photo(path) {
        Ok(photo) => photo,
        Err(error) => return Prepared::Failed(error),
    };
    {
        let mut seen = match seen.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if !seen.insert(photo.hash.clone()) {
            return Prepared::Duplicate(path.to_path_buf(), photo.hash);
        }
    }
    let write = |kind: MediaKind, bytes: &[u8]| -> Result<String, IngestError> {
        media
            .write(&photo.hash, kind, bytes)
            .map_err(|error| IngestError::new(path, format!("cannot write its copy: {error}")))
    };
    let mut notes = photo.metadata.notes.clone();
    // The thumbnail alone decodes an eighth of the pixels; the review copy
    // follows on first need unless asked for now.
    let copies_made = if copies.review_now {
        make_previews(&photo).map(|previews| {
            previews.map(|previews| (previews.thumbnail_jpeg, Some(previews.review_jpeg)))
        })
    } else {
        make_thumbnail(&photo).map(|thumbnail| thumbnail.map(|thumbnail| (thumbnail, None)))
    };
    let (thumbnail, review) = match copies_made {
        Err(reason) => return Prepared::Failed(IngestError::new(path, reason)),
        Ok(Some((thumbnail_jpeg, review_jpeg))) => {
            let thumbnail = match write(MediaKind::Thumbnail, &thumbnail_jpeg) {
                Ok(thumbnail) => thumbnail,
                Err(error) => return Prepared::Failed(error),
            };
            let review = match review_jpeg.map(|jpeg| write(MediaKind::Review, &jpeg)) {
                Some(Err(error)) => return Prepared::Failed(error),
                Some(Ok(review)) => Some(review),
                None => None,
            };
            (Some(thumbnail), review)
        }
        Ok(None) => {
            notes.push(format!(
                "no preview can be made from a {} file; its metadata was read",
                photo.format.name()
            ));
            (None, None)
        }
    };
    let original = if copies.keep_originals {
        let kind = MediaKind::Original {
            extension: photo.format.extension(),
        };
        match write(kind, &photo.bytes) {
            Ok(relative) => Some(relative),
            Err(error) => return Prepared::Failed(error),
        }
    } else {
        None
    };
    let metadata = photo.metadata;
    let source = std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string();
    Prepared::New(
        Box::new(Photo {
            hash: photo.hash,
            inspection_id: Some(inspection_id),
            file: path.display().to_string(),
            format: photo.format.name().to_string(),
            bytes: photo.bytes.len() as u64,
            width: Some(photo.width),
            height: Some(photo.height),
            make: metadata.make,
            model: metadata.model,
            orientation: metadata.orientation,
            camera_time: metadata.camera_time,
            camera_offset: metadata.offset,
            exif_position: metadata.gps,
            exif_altitude_m: metadata.altitude_m,
            exif_accuracy_m: metadata.gps_accuracy_m,
            metadata_notes: notes,
            placement: Default::default(),
            placed: false,
            capture_id: None,
            thumbnail,
            review,
            original,
        }),
        source,
    )
}

fn duplicate(book: &FieldBook, path: &Path, hash: String) -> Result<FileResult> {
    let first = book.photo_file(&hash)?;
    Ok(FileResult {
        file: path.display().to_string(),
        status: FileStatus::Duplicate,
        detail: Some(match first {
            Some(first) if first != path.display().to_string() => {
                format!("same photo as {first}, already imported")
            }
            Some(_) => "already imported".to_string(),
            None => "same photo as another file of this batch".to_string(),
        }),
        hash: Some(hash),
    })
}

/// Imports photo files and folders into an inspection, then places the
/// photos that need it with `options`.
pub fn photos(
    book: &mut FieldBook,
    inspection_id: i64,
    paths: &[PathBuf],
    copies: ImportCopies,
    options: &PlaceOptions,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<PhotoImport> {
    // Check the options before doing any work.
    time_zone(book, options.tz.as_deref())?;
    let (files, mut results) = collect_photo_files(paths);
    progress(Progress::Found {
        files: files.len() + results.len(),
    });
    for problem in &results {
        progress(Progress::Done(problem));
    }
    // A photo already in this inspection is a duplicate; the same picture
    // in another inspection (a second version, a classmate's) is not: each
    // inspection keeps its own evidence.
    let known: HashSet<String> = book
        .photos(Some(inspection_id))?
        .into_iter()
        .map(|photo| photo.hash)
        .collect();
    let seen = Mutex::new(known);
    let media = book.media();

    // Workers read and copy photos on both cores; this thread alone writes
    // to the database. The bounded channel keeps at most a few decoded
    // photos in memory whatever the size of the batch.
    let (sender, receiver) = mpsc::sync_channel::<Prepared>(4);
    std::thread::scope(|scope| -> Result<()> {
        let files = &files;
        let seen = &seen;
        let media = &media;
        scope.spawn(move || {
            files.par_iter().for_each_with(sender, |sender, path| {
                let prepared = prepare_photo(media, path, inspection_id, copies, seen);
                // The receiver only goes away on a database error.
                let _ = sender.send(prepared);
            });
        });
        for prepared in receiver {
            let result = match prepared {
                Prepared::Failed(error) => FileResult::failed(&error.path, error.reason),
                Prepared::Duplicate(path, hash) => duplicate(book, &path, hash)?,
                Prepared::New(photo, source) => match book.insert_photo_from(&photo, &source) {
                    Ok(true) => FileResult {
                        file: photo.file.clone(),
                        status: FileStatus::Imported,
                        hash: Some(photo.hash.clone()),
                        detail: (!photo.metadata_notes.is_empty())
                            .then(|| photo.metadata_notes.join("; ")),
                    },
                    Ok(false) => duplicate(book, Path::new(&photo.file), photo.hash.clone())?,
                    // A full disk, say: this photo is not stored, the batch
                    // still ends with its summary (rerun once there is room).
                    Err(error) => {
                        FileResult::failed(Path::new(&photo.file), format!("not stored: {error}"))
                    }
                },
            };
            progress(Progress::Done(&result));
            results.push(result);
        }
        Ok(())
    })?;

    // Placement: every photo of the inspection not yet placed, which is
    // this run's new photos and any an interrupted run left unplaced.
    let unplaced: HashSet<String> = book
        .photos(Some(inspection_id))?
        .into_iter()
        .filter(|photo| !photo.placed)
        .map(|photo| photo.hash)
        .collect();
    let geotag = if unplaced.is_empty() {
        None
    } else {
        if options.camera.is_some() {
            // Photos from other cameras are placed too, without this
            // camera's clock correction.
            place(
                book,
                inspection_id,
                &options.for_other_cameras(),
                Some(&unplaced),
            )?;
        }
        Some(place(book, inspection_id, options, Some(&unplaced))?)
    };
    Ok(PhotoImport {
        inspection: inspection_id,
        counts: Counts::of(results.iter().map(|result| result.status)),
        files: results,
        geotag,
    })
}
