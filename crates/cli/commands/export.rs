//! `voussoir export geojson|csv|map|report|bundle` and `import bundle`.
//! Output files are written to a temporary file beside the target and
//! renamed once complete, so nothing half-written is ever left.

use anyhow::{bail, Context as _};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

use voussoir_app::exports::media_reader;
use voussoir_app::review::load_inspection;
use voussoir_export::bundle::write_bundle;
use voussoir_export::geojson::{write_geojson, GeoJsonOptions};
use voussoir_export::map::{render_map, MapOptions};
use voussoir_export::report::{render_report, Language};
use voussoir_export::spreadsheet::{write_csv, CsvKind};
use voussoir_store::FieldBook;

use crate::args::{CsvWhat, ExportCommand};
use crate::context::Context;
use crate::outcome::Outcome;
use voussoir_app::chosen_inspection;

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
            let data = load_inspection(&book, id)?;
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
            let data = load_inspection(&book, id)?;
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
            let data = load_inspection(&book, id)?;
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
            let data = load_inspection(&book, id)?;
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
            let mut book = book;
            let copies = voussoir_app::review_copies::ensure_review_copies(&mut book, id)?;
            for warning in &copies.warnings {
                eprintln!("voussoir: warning: {warning}");
            }
            let data = load_inspection(&book, id)?;
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
                warnings: Vec<String>,
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
                    warnings: copies.warnings,
                },
                text,
            )
        }
    }
}

/// `voussoir import bundle`: checks the bundle, then stores it, and says
/// what was done (a bundle seen before is not stored twice; a reference is
/// made only on request).
pub fn import_bundle(
    book: &mut FieldBook,
    file: &Path,
    max_size_mb: u64,
    as_reference: bool,
) -> anyhow::Result<Outcome> {
    let summary = voussoir_app::submission::import_bundle(
        book,
        file,
        max_size_mb.saturating_mul(1_000_000),
        as_reference,
    )?;
    let mut text = if summary.already_imported {
        format!(
            "{} was imported before as inspection #{}; nothing new was stored.\n",
            file.display(),
            summary.inspection
        )
    } else {
        format!(
            "Imported {} as inspection #{} of {}{}: {} defect(s), {} photo(s), {} track(s), {} dive(s); it is now the current inspection.\n",
            file.display(),
            summary.inspection,
            summary.structure,
            if summary.as_reference { ", the reference" } else { "" },
            summary.defects,
            summary.photos,
            summary.tracks,
            summary.dives
        )
    };
    if summary.claimed_reference && !summary.as_reference && !summary.already_imported {
        text.push_str(
            "The bundle calls itself a reference; it was imported as an ordinary inspection. Pass --reference to make it the answer key.\n",
        );
    }
    Outcome::new(summary, text)
}
