//! `voussoir demo`: builds the demo field book (the app crate's
//! `demo::build`) and prints every inspection graded, Alice's field data
//! and where her exports went.

use serde::Serialize;
use std::path::PathBuf;

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
    let mut text = format!("Built a demo field book in {}\n\n", dir.display());
    let mut views = Vec::new();
    for id in &built.inspections {
        let view = grade(&book, *id, None)?;
        text.push_str(&render(&book, &view, context.verbose)?);
        text.push('\n');
        views.push(view);
    }
    let alice = built.alice;
    text.push_str(&format!(
        "Field data of inspection #{alice} (alice): a GPS track, a dive log and {} photos, her camera's clock corrected by -73 s:\n",
        book.photos(Some(alice))?.len()
    ));
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
    text.push_str("\nExports of Alice's inspection:\n");
    for path in &built.exports {
        text.push_str(&format!("  {}\n", path.display()));
    }
    if let Some(simulated) = &simulated {
        text.push_str(&format!(
            "\nA simulated class of {} trainees (sim-01...) inspected the bridge too, with planted grade bias and miss rates: {}\n",
            simulated.trainees.len(),
            dir.join("simulated-class.json").display()
        ));
    }
    text.push_str(&format!(
        "\nAlice's inspection (#{alice}) is the current one. Try next:\n  voussoir --book {0} inspection list\n  voussoir --book {0} defect list\n  voussoir --book {0} compare\n  voussoir --book {0} report course\n  voussoir --book {0} grade --scheme nbi\n  voussoir --book {0} photo list\n  voussoir --book {0} export map -o map.svg\n",
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
