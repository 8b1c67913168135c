//! `voussoir export geojson|csv|map|report|bundle` and `import bundle`.
//! Output files are written to a temporary file beside the target and
//! renamed once complete, so nothing half-written is ever left.

use anyhow::{bail, Context as _};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

use voussoir_core::grading;
use voussoir_core::model::{InspectionKind, Photo};
use voussoir_core::recording::check_defect;
use voussoir_export::bundle::{defect_from_entry, read_bundle, write_bundle};
use voussoir_export::geojson::{write_geojson, GeoJsonOptions};
use voussoir_export::map::{render_map, MapOptions};
use voussoir_export::report::{render_report, Language};
use voussoir_export::spreadsheet::{write_csv, CsvKind};
use voussoir_export::{InspectionData, TrackData};
use voussoir_store::{FieldBook, ImportedInspection, NewInspection, PhotoPlacement, PhotoRecord};

use super::chosen_inspection;
use crate::args::{CsvWhat, ExportCommand};
use crate::context::Context;
use crate::outcome::Outcome;

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

/// A file written under a temporary name and renamed when complete.
struct AtomicOutput {
    temporary: PathBuf,
    target: PathBuf,
    file: Option<std::io::BufWriter<std::fs::File>>,
}

impl AtomicOutput {
    fn create(target: &Path) -> anyhow::Result<AtomicOutput> {
        let folder = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .with_context(|| format!("{} is not a file name", target.display()))?;
        let temporary = folder.join(format!(".{name}.{}.tmp", std::process::id()));
        let file = std::fs::File::create(&temporary)
            .with_context(|| format!("creating {}", temporary.display()))?;
        Ok(AtomicOutput {
            temporary,
            target: target.to_path_buf(),
            file: Some(std::io::BufWriter::new(file)),
        })
    }

    fn writer(&mut self) -> anyhow::Result<&mut std::io::BufWriter<std::fs::File>> {
        self.file
            .as_mut()
            .with_context(|| format!("{} is already closed", self.temporary.display()))
    }

    fn commit(mut self) -> anyhow::Result<()> {
        let writer = self.writer()?;
        writer.flush()?;
        let file = self
            .file
            .take()
            .with_context(|| format!("{} is already closed", self.temporary.display()))?
            .into_inner()
            .map_err(|error| {
                anyhow::anyhow!("writing {}: {}", self.temporary.display(), error.error())
            })?;
        file.sync_all()?;
        std::fs::rename(&self.temporary, &self.target)
            .with_context(|| format!("moving the result to {}", self.target.display()))
    }
}

impl Drop for AtomicOutput {
    fn drop(&mut self) {
        // After a successful commit the temporary is gone; otherwise remove it.
        let _ = std::fs::remove_file(&self.temporary);
    }
}

/// Writes the output with `write` to the file (atomically) or to stdout.
fn emit(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<Option<PathBuf>> {
    match output {
        Some(path) => {
            let mut out = AtomicOutput::create(path)?;
            write(out.writer()?)?;
            out.commit()?;
            Ok(Some(path.to_path_buf()))
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            write(&mut lock)?;
            lock.flush()?;
            Ok(None)
        }
    }
}

#[derive(Serialize)]
struct Written {
    inspection: i64,
    what: &'static str,
    file: Option<PathBuf>,
}

fn written(inspection: i64, what: &'static str, file: Option<PathBuf>) -> anyhow::Result<Outcome> {
    let text = match &file {
        Some(path) => format!(
            "Wrote the {what} of inspection #{inspection} to {}\n",
            path.display()
        ),
        None => String::new(),
    };
    let mut outcome = Outcome::new(
        Written {
            inspection,
            what,
            file: file.clone(),
        },
        text,
    )?;
    if file.is_none() {
        // The export itself went to standard output.
        outcome.value = serde_json::Value::Null;
        outcome.silent = true;
    }
    Ok(outcome)
}

fn media_reader(book: &FieldBook) -> impl Fn(&str) -> Option<Vec<u8>> {
    let media = book.media_dir();
    move |relative: &str| {
        if relative.contains("..") || relative.starts_with('/') {
            return None;
        }
        std::fs::read(media.join(relative)).ok()
    }
}

pub fn run(context: &Context, command: ExportCommand) -> anyhow::Result<Outcome> {
    let book = context.open_book()?;
    match command {
        ExportCommand::Geojson {
            inspection,
            output,
            simplify,
        } => {
            let id = chosen_inspection(&book, inspection)?;
            if simplify.is_some_and(|metres| metres.is_nan() || metres < 0.0) {
                bail!("--simplify takes a tolerance in metres, 0 or more");
            }
            let data = load_inspection_data(&book, id)?;
            let file = emit(output.as_deref(), |out| {
                write_geojson(
                    &data,
                    GeoJsonOptions {
                        simplify_m: simplify,
                    },
                    out,
                )?;
                Ok(())
            })?;
            written(id, "GeoJSON", file)
        }
        ExportCommand::Csv {
            inspection,
            what,
            output,
        } => {
            let id = chosen_inspection(&book, inspection)?;
            let data = load_inspection_data(&book, id)?;
            let kind = match what {
                CsvWhat::Defects => CsvKind::Defects,
                CsvWhat::Photos => CsvKind::Photos,
                CsvWhat::Grades => CsvKind::Grades,
            };
            let file = emit(output.as_deref(), |out| {
                write_csv(&data, kind, out)?;
                Ok(())
            })?;
            written(id, "CSV", file)
        }
        ExportCommand::Map { inspection, output } => {
            let id = chosen_inspection(&book, inspection)?;
            let data = load_inspection_data(&book, id)?;
            let svg = render_map(&data, MapOptions::default());
            let file = emit(output.as_deref(), |out| Ok(out.write_all(svg.as_bytes())?))?;
            written(id, "map", file)
        }
        ExportCommand::Report {
            inspection,
            output,
            lang,
        } => {
            let id = chosen_inspection(&book, inspection)?;
            let data = load_inspection_data(&book, id)?;
            let language = match lang.as_deref().unwrap_or(&data.language) {
                "fr" => Language::French,
                "en" => Language::English,
                other => bail!("--lang `{other}`: use fr or en"),
            };
            let html = render_report(&data, language, &media_reader(&book));
            let file = emit(output.as_deref(), |out| Ok(out.write_all(html.as_bytes())?))?;
            written(id, "report", file)
        }
        ExportCommand::Bundle { inspection, output } => {
            let id = chosen_inspection(&book, inspection)?;
            let data = load_inspection_data(&book, id)?;
            let target = output.unwrap_or_else(|| {
                PathBuf::from(format!("{}-inspection-{id}.zip", data.structure.code))
            });
            let mut out = AtomicOutput::create(&target)?;
            let manifest = {
                let file = out.writer()?.get_mut();
                write_bundle(&data, &media_reader(&book), file)?
            };
            out.commit()?;
            #[derive(Serialize)]
            struct BundleWritten {
                inspection: i64,
                file: PathBuf,
                photos: usize,
                defects: usize,
                tracks: usize,
                dives: usize,
            }
            let text = format!(
                "Wrote the bundle of inspection #{id} to {}: {} defect(s), {} photo(s), {} track(s), {} dive(s)\n",
                target.display(),
                manifest.defects.len(),
                manifest.photos.len(),
                manifest.tracks.len(),
                manifest.dives.len()
            );
            Outcome::new(
                BundleWritten {
                    inspection: id,
                    file: target,
                    photos: manifest.photos.len(),
                    defects: manifest.defects.len(),
                    tracks: manifest.tracks.len(),
                    dives: manifest.dives.len(),
                },
                text,
            )
        }
    }
}

#[derive(Serialize)]
struct BundleImported {
    file: PathBuf,
    inspection: i64,
    structure: String,
    defects: usize,
    photos: usize,
    tracks: usize,
    dives: usize,
}

/// Checks a bundle completely, then stores it as a new inspection in one
/// transaction (its media files written first).
pub fn import_bundle(context: &Context, file: &Path, max_size_mb: u64) -> anyhow::Result<Outcome> {
    let mut book = context.open_book()?;
    let reader =
        std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
    let mut bundle = read_bundle(
        std::io::BufReader::new(reader),
        max_size_mb.saturating_mul(1_000_000),
    )
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
            is_reference: manifest.inspection.is_reference,
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
    let text = format!(
        "Imported {} as inspection #{id} of {}: {} defect(s), {} photo(s), {} track(s), {} dive(s)\n",
        file.display(),
        summary.structure,
        summary.defects,
        summary.photos,
        summary.tracks,
        summary.dives
    );
    Outcome::new(summary, text)
}
