//! Settings resolved once at the edge (flags, then `VOUSSOIR_*`, then
//! defaults) and the field book they point to.

use anyhow::{bail, Context as _};
use std::path::PathBuf;

use voussoir_core::words::errors::english as said;
use voussoir_store::FieldBook;

use crate::args::Cli;

pub struct Context {
    pub book: Option<PathBuf>,
    pub json: bool,
    pub quiet: bool,
    pub verbose: bool,
}

impl Context {
    pub fn new(cli: &Cli) -> Context {
        Context {
            book: cli.book.clone(),
            json: cli.json,
            quiet: cli.quiet,
            verbose: cli.verbose,
        }
    }

    /// The field book's folder: `--book`/`VOUSSOIR_BOOK`, else the current
    /// folder or its nearest parent holding a field book.
    pub fn book_dir(&self) -> anyhow::Result<PathBuf> {
        if let Some(dir) = &self.book {
            return Ok(dir.clone());
        }
        let current = std::env::current_dir().context("reading the current folder")?;
        match FieldBook::discover(&current) {
            Some(dir) => Ok(dir),
            None => bail!(said(
                "book.none_here",
                &[("dir", current.display().to_string())]
            )),
        }
    }

    pub fn open_book(&self) -> anyhow::Result<FieldBook> {
        let dir = self.book_dir()?;
        FieldBook::open(&dir)
            .with_context(|| said("book.opening", &[("dir", dir.display().to_string())]))
    }

    /// The words of the course of the field book this command points to,
    /// English when there is none: what an error is written in. Reading
    /// them does not open the book for writing.
    pub fn words(&self) -> &'static voussoir_core::words::Words {
        self.book_dir()
            .ok()
            .and_then(|dir| FieldBook::course_language(&dir))
            .map_or(voussoir_core::words::for_language("en"), |language| {
                voussoir_core::words::for_language(&language)
            })
    }
}

/// The words of a field book's course language (English without a course)
/// and its time zone (UTC when unknown): what every text of the command
/// line is written with.
pub fn course_words(
    book: &FieldBook,
) -> (&'static voussoir_core::words::Words, jiff::tz::TimeZone) {
    match book.course() {
        Ok(course) => (
            voussoir_core::words::for_language(&course.language),
            jiff::tz::TimeZone::get(&course.time_zone).unwrap_or(jiff::tz::TimeZone::UTC),
        ),
        Err(_) => (
            voussoir_core::words::for_language("en"),
            jiff::tz::TimeZone::UTC,
        ),
    }
}
