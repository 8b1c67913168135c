//! `voussoir import photos|track|dive`: the import units of work of the
//! app crate, with a progress bar on a terminal and one line on standard
//! error for each bad file. The exit code is 1 when any file failed.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

use voussoir_app::import::{self, Counts, FileResult, FileStatus, Progress};

use super::geotag::render as render_geotag;
use crate::args::ImportCommand;
use crate::context::Context;
use crate::outcome::Outcome;
use voussoir_core::words::{errors, fill, Words};

pub fn run(context: &Context, command: ImportCommand) -> anyhow::Result<Outcome> {
    let mut book = context.open_book()?;
    let (w, _) = crate::context::course_words(&book);
    match command {
        ImportCommand::Photos {
            paths,
            inspection,
            keep_originals,
            review_copies_now,
            geotag,
        } => {
            let id = voussoir_app::chosen_inspection(&book, inspection)?;
            let mut display = ProgressDisplay::new(context, w, w.cli_import_photos);
            let import = import::photos(
                &mut book,
                id,
                &paths,
                import::ImportCopies {
                    keep_originals,
                    review_now: review_copies_now,
                },
                &geotag.to_options(),
                &mut |event| display.show(event),
            )?;
            display.finish();
            let mut text = summary(w, w.cli_import_photos, import.counts);
            if let Some(report) = &import.geotag {
                text.push_str(&render_geotag(w, report));
            }
            outcome(import.counts, &import, text)
        }
        ImportCommand::Track {
            files,
            inspection,
            tz,
        } => {
            let id = voussoir_app::chosen_inspection(&book, inspection)?;
            let mut display = ProgressDisplay::new(context, w, w.cli_import_tracks);
            let import = import::tracks(&mut book, id, &files, tz.as_deref(), &mut |event| {
                display.show(event)
            })?;
            display.finish();
            let mut text = String::new();
            for file in &import.files {
                if file.status == FileStatus::Failed {
                    continue;
                }
                let warnings = if file.warnings.is_empty() {
                    String::new()
                } else {
                    let said: Vec<String> = file
                        .warnings
                        .iter()
                        .map(|warning| errors::translate(warning, w.lang))
                        .collect();
                    format!("{}{}", w.semicolon, said.join(w.semicolon))
                };
                let line = fill(
                    w.cli_track_line,
                    &[
                        ("file", file.file.clone()),
                        ("format", file.format.unwrap_or("").to_string()),
                        (
                            "status",
                            if file.status == FileStatus::Duplicate {
                                w.cli_status_already
                            } else {
                                w.cli_status_imported
                            }
                            .to_string(),
                        ),
                        ("points", file.points.to_string()),
                        ("segments", file.segments.to_string()),
                    ],
                );
                text.push_str(&format!("{line}{warnings}\n"));
            }
            text.push_str(&summary(w, w.cli_import_tracks, import.counts));
            if import.counts.imported > 0 {
                text.push_str(&format!("{}\n", w.cli_geotag_hint));
            }
            outcome(import.counts, &import, text)
        }
        ImportCommand::Bundle {
            file,
            max_size_mb,
            reference,
        } => super::export::import_bundle(&mut book, &file, max_size_mb, reference),
        ImportCommand::Dive {
            files,
            inspection,
            tz,
        } => {
            let id = voussoir_app::chosen_inspection(&book, inspection)?;
            let mut display = ProgressDisplay::new(context, w, w.cli_import_dives);
            let import = import::dive_logs(&mut book, id, &files, tz.as_deref(), &mut |event| {
                display.show(event)
            })?;
            display.finish();
            let mut text = String::new();
            for file in &import.files {
                if file.status != FileStatus::Failed {
                    text.push_str(&format!(
                        "{}{}{} ({})\n",
                        file.file,
                        w.colon,
                        status_word(w, file.status),
                        errors::translate(file.detail.as_deref().unwrap_or(""), w.lang)
                    ));
                }
            }
            text.push_str(&summary(w, w.cli_import_dives, import.counts));
            outcome(import.counts, &import, text)
        }
    }
}

fn status_word(w: &Words, status: FileStatus) -> &'static str {
    match status {
        FileStatus::Imported => w.cli_status_imported,
        FileStatus::Duplicate => w.cli_status_duplicate,
        FileStatus::Failed => w.cli_status_failed,
    }
}

fn summary(w: &Words, what: &str, counts: Counts) -> String {
    let line = fill(
        w.cli_import_counts,
        &[
            ("what", what.to_string()),
            ("imported", counts.imported.to_string()),
            ("duplicates", counts.duplicates.to_string()),
            ("failed", counts.failed.to_string()),
        ],
    );
    format!("{line}\n")
}

fn outcome(counts: Counts, value: &impl serde::Serialize, text: String) -> anyhow::Result<Outcome> {
    let mut outcome = Outcome::new(value, text)?;
    outcome.failed = counts.failed > 0;
    Ok(outcome)
}

/// A progress bar on a terminal (hidden otherwise), and the lines a batch
/// prints on standard error as it goes.
struct ProgressDisplay {
    bar: Option<ProgressBar>,
    words: &'static Words,
    what: &'static str,
    verbose: bool,
    interactive: bool,
}

impl ProgressDisplay {
    fn new(context: &Context, words: &'static Words, what: &'static str) -> ProgressDisplay {
        ProgressDisplay {
            bar: None,
            words,
            what,
            verbose: context.verbose,
            interactive: !context.quiet && !context.json && std::io::stderr().is_terminal(),
        }
    }

    fn show(&mut self, event: Progress<'_>) {
        match event {
            Progress::Found { files } => {
                let bar = ProgressBar::new(files as u64);
                if !self.interactive || files < 2 {
                    bar.set_draw_target(ProgressDrawTarget::hidden());
                } else if let Ok(style) = ProgressStyle::with_template(&format!(
                    "{{bar:30}} {{pos}}/{{len}} {} · {{rate}} · ETA {{eta}}",
                    self.what
                )) {
                    // A rate people read: "7/s" or "0.4/s", not "6.9492/s".
                    bar.set_style(style.with_key(
                        "rate",
                        |state: &indicatif::ProgressState, out: &mut dyn std::fmt::Write| {
                            let rate = state.per_sec();
                            let _ = if rate >= 10.0 || rate == 0.0 {
                                write!(out, "{rate:.0}/s")
                            } else {
                                write!(out, "{rate:.1}/s")
                            };
                        },
                    ));
                }
                self.bar = Some(bar);
            }
            Progress::Done(result) => {
                let verbose = self.verbose;
                let words = self.words;
                match &self.bar {
                    Some(bar) => {
                        bar.suspend(|| report_line(words, verbose, result));
                        bar.inc(1);
                    }
                    None => report_line(words, verbose, result),
                }
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Prints a failed file (always) or a note (with -v) on standard error.
fn report_line(w: &Words, verbose: bool, result: &FileResult) {
    match (result.status, &result.detail) {
        (FileStatus::Failed, Some(reason)) => eprintln!(
            "voussoir: {}{}{}",
            result.file,
            w.colon,
            errors::translate(reason, w.lang)
        ),
        (FileStatus::Imported, Some(detail)) if detail.contains("EXIF") => eprintln!(
            "voussoir: {}{}{}{}{}",
            w.cli_warning,
            w.colon,
            result.file,
            w.colon,
            fill(
                w.cli_exif_warning,
                &[("detail", errors::translate(detail, w.lang))]
            )
        ),
        (status, Some(detail)) if verbose => eprintln!(
            "{}{}{} ({})",
            result.file,
            w.colon,
            status_word(w, status),
            errors::translate(detail, w.lang)
        ),
        _ => {}
    }
}
