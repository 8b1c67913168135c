//! `voussoir import photos|track|dive`: reads files with the ingest crate
//! and stores them, one file per transaction. A bad file is one line on
//! standard error naming it and the reason; the rest of the batch goes on
//! and the exit code is 1 at the end.

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Mutex};

use voussoir_ingest::photo::{make_previews, read_photo, PhotoRead};
use voussoir_ingest::IngestError;
use voussoir_store::{FieldBook, Inserted, PhotoPlacement, PhotoRecord};

use super::geotag::{geotag, render as render_geotag, time_zone, GeotagReport};
use crate::args::{GeotagArgs, ImportCommand};
use crate::context::Context;
use crate::outcome::Outcome;

/// File extensions picked up when walking a folder.
const PHOTO_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "tif", "tiff", "webp", "heic", "heif"];

pub fn run(context: &Context, command: ImportCommand) -> anyhow::Result<Outcome> {
    match command {
        ImportCommand::Photos {
            paths,
            inspection,
            keep_originals,
            geotag,
        } => {
            let mut book = context.open_book()?;
            let id = super::chosen_inspection(&book, inspection)?;
            import_photos(context, &mut book, id, &paths, keep_originals, &geotag)
        }
        ImportCommand::Track {
            files,
            inspection,
            tz,
        } => {
            let mut book = context.open_book()?;
            let id = super::chosen_inspection(&book, inspection)?;
            import_tracks(&mut book, id, &files, tz.as_deref())
        }
        ImportCommand::Bundle { file, max_size_mb } => {
            super::export::import_bundle(context, &file, max_size_mb)
        }
        ImportCommand::Dive {
            files,
            inspection,
            tz,
        } => {
            let mut book = context.open_book()?;
            let id = super::chosen_inspection(&book, inspection)?;
            import_dives(&mut book, id, &files, tz.as_deref())
        }
    }
}

/// One file's fate in a batch.
#[derive(Debug, Serialize, Clone)]
pub struct FileResult {
    pub file: String,
    /// `imported`, `duplicate` or `failed`.
    pub status: &'static str,
    pub hash: Option<String>,
    /// Why it failed, or what it duplicates, or what to know about it.
    pub detail: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PhotoImport {
    pub inspection: i64,
    pub imported: usize,
    pub duplicates: usize,
    pub failed: usize,
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
                Err(error) => problems.push(failed(&path, &error.to_string())),
            },
            Ok(_) => files.push(path),
            Err(error) => problems.push(failed(&path, &error.to_string())),
        }
    }
    files.sort();
    files.dedup();
    (files, problems)
}

fn failed(path: &Path, reason: &str) -> FileResult {
    FileResult {
        file: path.display().to_string(),
        status: "failed",
        hash: None,
        detail: Some(reason.to_string()),
    }
}

/// What a worker thread hands to the writer: a photo ready to store.
enum Prepared {
    New(Box<PhotoRecord>, Vec<String>),
    Duplicate(PathBuf, String),
    Failed(IngestError),
}

fn progress_bar(context: &Context, length: usize) -> ProgressBar {
    let bar = ProgressBar::new(length as u64);
    if context.quiet || context.json || !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    } else if let Ok(style) =
        ProgressStyle::with_template("{bar:30} {pos}/{len} photos · {per_sec} · ETA {eta}")
    {
        bar.set_style(style);
    }
    bar
}

/// Reads, hashes and copies one photo (run on a worker thread).
fn prepare_photo(
    media_dir: &Path,
    path: &Path,
    inspection_id: i64,
    keep_originals: bool,
    seen: &Mutex<HashSet<String>>,
) -> Prepared {
    let photo: PhotoRead = match read_photo(path) {
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
    let previews = match make_previews(&photo) {
        Ok(previews) => previews,
        Err(reason) => return Prepared::Failed(IngestError::new(path, reason)),
    };
    let write = |suffix: &str, bytes: &[u8]| -> Result<String, IngestError> {
        let relative = FieldBook::media_path(&photo.hash, suffix);
        voussoir_store::write_atomically(&media_dir.join(&relative), bytes)
            .map_err(|error| IngestError::new(path, format!("cannot write its copy: {error}")))?;
        Ok(relative)
    };
    let mut notes = photo.metadata.notes.clone();
    let (thumbnail, review) = match &previews {
        Some(previews) => match (
            write("-thumb.jpg", &previews.thumbnail_jpeg),
            write("-review.jpg", &previews.review_jpeg),
        ) {
            (Ok(thumbnail), Ok(review)) => (Some(thumbnail), Some(review)),
            (Err(error), _) | (_, Err(error)) => return Prepared::Failed(error),
        },
        None => {
            notes.push(format!(
                "no preview can be made from a {} file; its metadata was read",
                photo.format.name()
            ));
            (None, None)
        }
    };
    let original = if keep_originals {
        match write(&format!(".{}", photo.format.extension()), &photo.bytes) {
            Ok(relative) => Some(relative),
            Err(error) => return Prepared::Failed(error),
        }
    } else {
        None
    };
    let metadata = &photo.metadata;
    let record = PhotoRecord {
        hash: photo.hash.clone(),
        inspection_id: Some(inspection_id),
        file: path.display().to_string(),
        format: photo.format.name().to_string(),
        bytes: photo.bytes.len() as i64,
        width: Some(i64::from(photo.width)),
        height: Some(i64::from(photo.height)),
        make: metadata.make.clone(),
        model: metadata.model.clone(),
        orientation: i64::from(metadata.orientation),
        camera_time: metadata.camera_time.map(|time| time.to_string()),
        camera_offset: metadata.offset.map(|offset| offset.to_string()),
        exif_position: metadata.gps,
        exif_altitude_m: metadata.altitude_m,
        exif_accuracy_m: metadata.gps_accuracy_m,
        metadata_notes: notes.clone(),
        placement: PhotoPlacement {
            position_source: "none".to_string(),
            ..PhotoPlacement::default()
        },
        thumbnail,
        review,
        original,
    };
    Prepared::New(Box::new(record), notes)
}

pub fn import_photos(
    context: &Context,
    book: &mut FieldBook,
    inspection_id: i64,
    paths: &[PathBuf],
    keep_originals: bool,
    options: &GeotagArgs,
) -> anyhow::Result<Outcome> {
    // Check the options before doing any work.
    time_zone(book, options.tz.as_deref())?;
    let (files, mut results) = collect_photo_files(paths);
    for problem in &results {
        report_line(context, problem);
    }
    let known: HashSet<String> = book
        .photos(None)?
        .into_iter()
        .map(|photo| photo.hash)
        .collect();
    let seen = Mutex::new(known);
    let bar = progress_bar(context, files.len());
    let media_dir = book.media_dir();
    let mut new_hashes = HashSet::new();

    // Workers read and copy photos on both cores; this thread alone writes
    // to the database. The bounded channel keeps at most a few decoded
    // photos in memory whatever the size of the batch.
    let (sender, receiver) = mpsc::sync_channel::<Prepared>(4);
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let files = &files;
        let seen = &seen;
        let media_dir = &media_dir;
        scope.spawn(move || {
            files.par_iter().for_each_with(sender, |sender, path| {
                let prepared = prepare_photo(media_dir, path, inspection_id, keep_originals, seen);
                // The receiver only goes away on a database error.
                let _ = sender.send(prepared);
            });
        });
        for prepared in receiver {
            let result = match prepared {
                Prepared::Failed(error) => FileResult {
                    file: error.path.display().to_string(),
                    status: "failed",
                    hash: None,
                    detail: Some(error.reason),
                },
                Prepared::Duplicate(path, hash) => duplicate(book, &path, hash)?,
                Prepared::New(record, notes) => {
                    let inserted = book.insert_photo(&record)?;
                    if inserted {
                        new_hashes.insert(record.hash.clone());
                        FileResult {
                            file: record.file.clone(),
                            status: "imported",
                            hash: Some(record.hash.clone()),
                            detail: (!notes.is_empty()).then(|| notes.join("; ")),
                        }
                    } else {
                        duplicate(book, Path::new(&record.file), record.hash.clone())?
                    }
                }
            };
            bar.suspend(|| report_line(context, &result));
            bar.inc(1);
            results.push(result);
        }
        Ok(())
    })?;
    bar.finish_and_clear();

    let geotag_report = if new_hashes.is_empty() {
        None
    } else {
        if options.camera.is_some() {
            // Photos from other cameras are placed too, without this
            // camera's clock correction.
            let others = GeotagArgs {
                clock_offset: None,
                sync: Vec::new(),
                estimate_offset: false,
                camera: None,
                ..options.clone()
            };
            geotag(book, inspection_id, &others, Some(&new_hashes))?;
        }
        Some(geotag(book, inspection_id, options, Some(&new_hashes))?)
    };
    let count = |status: &str| {
        results
            .iter()
            .filter(|result| result.status == status)
            .count()
    };
    let import = PhotoImport {
        inspection: inspection_id,
        imported: count("imported"),
        duplicates: count("duplicate"),
        failed: count("failed"),
        files: results.clone(),
        geotag: geotag_report,
    };
    let mut text = format!(
        "Photos: {} imported, {} duplicate(s), {} failed\n",
        import.imported, import.duplicates, import.failed
    );
    if let Some(report) = &import.geotag {
        text.push_str(&render_geotag(report));
    }
    let failed = import.failed > 0;
    let mut outcome = Outcome::new(import, text)?;
    outcome.failed = failed;
    Ok(outcome)
}

fn duplicate(book: &FieldBook, path: &Path, hash: String) -> anyhow::Result<FileResult> {
    let first = book.photo_file(&hash)?;
    Ok(FileResult {
        file: path.display().to_string(),
        status: "duplicate",
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

/// Prints a failed file (always) or a note (with -v) on standard error.
fn report_line(context: &Context, result: &FileResult) {
    match (result.status, &result.detail) {
        ("failed", Some(reason)) => eprintln!("voussoir: {}: {reason}", result.file),
        ("imported", Some(detail)) if detail.contains("EXIF") => eprintln!(
            "voussoir: warning: {}: {detail}; imported, but its time or position may be missing",
            result.file
        ),
        (_, Some(detail)) if context.verbose => {
            eprintln!("{}: {} ({detail})", result.file, result.status)
        }
        _ => {}
    }
}

/// A file's fate, as batch summaries count it.
trait Status {
    fn status(&self) -> &'static str;
}

impl Status for FileResult {
    fn status(&self) -> &'static str {
        self.status
    }
}

impl Status for TrackFileResult {
    fn status(&self) -> &'static str {
        self.status
    }
}

/// The JSON of a track or dive-log import: counts and every file.
#[derive(Debug, Serialize)]
struct BatchImport<T: Serialize> {
    inspection: i64,
    imported: usize,
    duplicates: usize,
    failed: usize,
    files: Vec<T>,
}

impl<T: Serialize + Status> BatchImport<T> {
    fn new(inspection: i64, files: Vec<T>) -> Self {
        let count = |status: &str| files.iter().filter(|file| file.status() == status).count();
        BatchImport {
            inspection,
            imported: count("imported"),
            duplicates: count("duplicate"),
            failed: count("failed"),
            files,
        }
    }

    fn summary(&self, what: &str) -> String {
        format!(
            "{what}: {} imported, {} duplicate(s), {} failed\n",
            self.imported, self.duplicates, self.failed
        )
    }
}

fn file_hash(path: &Path) -> anyhow::Result<String> {
    let mut hasher = blake3::Hasher::new();
    let mut file =
        std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    std::io::copy(&mut file, &mut hasher).with_context(|| format!("reading {}", path.display()))?;
    Ok(hasher.finalize().to_hex().to_string())
}

#[derive(Debug, Serialize)]
struct TrackFileResult {
    file: String,
    status: &'static str,
    format: Option<&'static str>,
    points: usize,
    segments: usize,
    sentences: usize,
    bad_checksums: usize,
    warnings: Vec<String>,
    detail: Option<String>,
}

fn import_tracks(
    book: &mut FieldBook,
    inspection_id: i64,
    files: &[PathBuf],
    tz: Option<&str>,
) -> anyhow::Result<Outcome> {
    let zone = time_zone(book, tz)?;
    let mut results = Vec::new();
    let mut text = String::new();
    for path in files {
        let result = (|| -> Result<TrackFileResult, String> {
            let read =
                voussoir_ingest::track::read_track(path, &zone).map_err(|error| error.reason)?;
            let hash = file_hash(path).map_err(|error| error.to_string())?;
            let summary = read.track.summary();
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
                status: match inserted {
                    Inserted::New(_) => "imported",
                    Inserted::Duplicate(_) => "duplicate",
                },
                format: Some(read.format.name()),
                points: summary.points,
                segments: summary.segments,
                sentences: read.sentences,
                bad_checksums: read.bad_checksums,
                warnings: read.warnings,
                detail: None,
            })
        })();
        let result = result.unwrap_or_else(|reason| {
            eprintln!("voussoir: {}: {reason}", path.display());
            TrackFileResult {
                file: path.display().to_string(),
                status: "failed",
                format: None,
                points: 0,
                segments: 0,
                sentences: 0,
                bad_checksums: 0,
                warnings: Vec::new(),
                detail: Some(reason),
            }
        });
        if result.status != "failed" {
            text.push_str(&format!(
                "{}: {} {}, {} point(s) in {} segment(s){}\n",
                result.file,
                result.format.unwrap_or(""),
                if result.status == "duplicate" {
                    "already imported"
                } else {
                    "imported"
                },
                result.points,
                result.segments,
                if result.warnings.is_empty() {
                    String::new()
                } else {
                    format!("; {}", result.warnings.join("; "))
                }
            ));
        }
        results.push(result);
    }
    let import = BatchImport::new(inspection_id, results);
    let failed = import.failed > 0;
    text.push_str(&import.summary("Tracks"));
    if import.imported > 0 {
        text.push_str("Run `voussoir geotag` to place the inspection's photos on the new track.\n");
    }
    let mut outcome = Outcome::new(import, text)?;
    outcome.failed = failed;
    Ok(outcome)
}

fn import_dives(
    book: &mut FieldBook,
    inspection_id: i64,
    files: &[PathBuf],
    tz: Option<&str>,
) -> anyhow::Result<Outcome> {
    let zone = time_zone(book, tz)?;
    let mut results = Vec::new();
    let mut text = String::new();
    for path in files {
        let result = (|| -> Result<FileResult, String> {
            let read =
                voussoir_ingest::dive::read_dive_log(path, &zone).map_err(|error| error.reason)?;
            let hash = file_hash(path).map_err(|error| error.to_string())?;
            let format = match read.format {
                voussoir_ingest::dive::DiveFormat::Uddf => "UDDF",
                voussoir_ingest::dive::DiveFormat::Subsurface => "Subsurface XML",
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
                status: match inserted {
                    Inserted::New(_) => "imported",
                    Inserted::Duplicate(_) => "duplicate",
                },
                hash: Some(hash),
                detail: Some(detail),
            })
        })();
        let result = result.unwrap_or_else(|reason| {
            eprintln!("voussoir: {}: {reason}", path.display());
            failed(path, &reason)
        });
        if result.status != "failed" {
            text.push_str(&format!(
                "{}: {} ({})\n",
                result.file,
                result.status,
                result.detail.as_deref().unwrap_or("")
            ));
        }
        results.push(result);
    }
    let import = BatchImport::new(inspection_id, results);
    let failed_any = import.failed > 0;
    text.push_str(&import.summary("Dive logs"));
    let mut outcome = Outcome::new(import, text)?;
    outcome.failed = failed_any;
    Ok(outcome)
}
