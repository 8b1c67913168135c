//! `voussoir demo`: builds the demo field book (the app crate's
//! `demo::build`) and prints every inspection graded, Alice's field data
//! and where her exports went.

use serde::Serialize;
use std::path::PathBuf;

use voussoir_core::words::fill;
use voussoir_store::FieldBook;

use super::grade::{grade, render, GradeView};
use crate::args::PhotoCommand;
use crate::context::Context;
use crate::outcome::Outcome;

#[derive(Serialize)]
struct DemoView {
    book: PathBuf,
    inspections: Vec<GradeView>,
    exports: Vec<PathBuf>,
}

pub fn run(context: &Context, dir: Option<PathBuf>, class: usize) -> anyhow::Result<Outcome> {
    let dir = dir.unwrap_or_else(|| PathBuf::from("voussoir-demo"));
    let built = voussoir_app::demo::build(&dir)?;
    let simulated = if class > 0 {
        Some(voussoir_app::demo::add_class(&dir, class)?)
    } else {
        None
    };
    let book = FieldBook::open(&dir)?;
    let (w, _) = crate::context::course_words(&book);
    let mut text = format!(
        "{}\n\n",
        fill(w.cli_demo_built, &[("dir", dir.display().to_string())])
    );
    let mut views = Vec::new();
    for id in &built.inspections {
        let view = grade(&book, *id, None)?;
        text.push_str(&render(&book, &view, context.verbose)?);
        text.push('\n');
        views.push(view);
    }
    let alice = built.alice;
    text.push_str(&fill(
        w.cli_demo_field,
        &[
            ("id", alice.to_string()),
            ("count", book.photos(Some(alice))?.len().to_string()),
        ],
    ));
    text.push('\n');
    let listing = Context {
        book: Some(dir.clone()),
        json: false,
        quiet: false,
        verbose: false,
    };
    let photos = super::field::photos(
        &listing,
        PhotoCommand::List {
            inspection: Some(alice),
        },
    )?;
    text.push_str(&photos.text);
    text.push_str(&format!("\n{}\n", w.cli_demo_exports));
    for path in &built.exports {
        text.push_str(&format!("  {}\n", path.display()));
    }
    if let Some(simulated) = &simulated {
        text.push_str(&format!(
            "\n{}\n",
            fill(
                w.cli_demo_class,
                &[
                    ("count", simulated.trainees.len().to_string()),
                    (
                        "file",
                        dir.join("simulated-class.json").display().to_string()
                    ),
                ],
            )
        ));
    }
    text.push_str(&format!(
        "\n{0}\n  voussoir --book {1} inspection list\n  voussoir --book {1} defect list\n  voussoir --book {1} compare\n  voussoir --book {1} report course\n  voussoir --book {1} grade --scheme nbi\n  voussoir --book {1} photo list\n  voussoir --book {1} export map -o map.svg\n",
        fill(w.cli_demo_next, &[("id", alice.to_string())]),
        dir.display(),
    ));
    Outcome::new(
        DemoView {
            book: dir,
            inspections: views,
            exports: built.exports,
        },
        text,
    )
}
