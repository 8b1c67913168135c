//! `voussoir demo`: builds a field book from the bundled fixtures (the
//! Léguer training bridge, a reference inspection and two trainees'
//! inspections) and prints the graded result.

use anyhow::{bail, Context as _};
use serde::Serialize;
use std::path::{Path, PathBuf};

use voussoir_store::FieldBook;

use super::grade::{grade, render, GradeView};
use super::{book, defect, export, field as field_lists, geotag, import, inspection};
use crate::args::{ExportCommand, GeotagArgs, ImportCommand, NewInspectionArgs, PhotoCommand};
use crate::context::Context;
use crate::outcome::Outcome;

/// The fixtures, embedded so the demo runs from any folder.
mod fixtures {
    pub const COURSE: &str = include_str!("../../../fixtures/course.toml");
    pub const REFERENCE_DEFECTS: &str = include_str!("../../../fixtures/reference-defects.csv");
    pub const ALICE_DEFECTS: &str = include_str!("../../../fixtures/trainee-alice-defects.csv");
    pub const BOB_DEFECTS: &str = include_str!("../../../fixtures/trainee-bob-defects.csv");

    /// Alice's field data: GPS track, dive log and photos.
    pub const FIELD: &[(&str, &[u8])] = &[
        (
            "alice-walk.gpx",
            include_bytes!("../../../fixtures/field/alice-walk.gpx"),
        ),
        (
            "dive-p2.ssrf",
            include_bytes!("../../../fixtures/field/dive-p2.ssrf"),
        ),
        (
            "IMG_0101.JPG",
            include_bytes!("../../../fixtures/field/IMG_0101.JPG"),
        ),
        (
            "IMG_0102.JPG",
            include_bytes!("../../../fixtures/field/IMG_0102.JPG"),
        ),
        (
            "IMG_0103.JPG",
            include_bytes!("../../../fixtures/field/IMG_0103.JPG"),
        ),
        (
            "IMG_0104.JPG",
            include_bytes!("../../../fixtures/field/IMG_0104.JPG"),
        ),
        (
            "IMG_0105.JPG",
            include_bytes!("../../../fixtures/field/IMG_0105.JPG"),
        ),
        (
            "IMG_0110.JPG",
            include_bytes!("../../../fixtures/field/IMG_0110.JPG"),
        ),
        (
            "IMG_0111.JPG",
            include_bytes!("../../../fixtures/field/IMG_0111.JPG"),
        ),
        (
            "PXL_0001.jpg",
            include_bytes!("../../../fixtures/field/PXL_0001.jpg"),
        ),
    ];
}

/// Marks a field book as built by the demo, so running it again may
/// rebuild it without risking anyone's real work.
const DEMO_MARKER: &str = ".voussoir-demo";

#[derive(Serialize)]
struct DemoView {
    book: PathBuf,
    inspections: Vec<GradeView>,
    exports: Vec<PathBuf>,
}

pub fn run(context: &Context, dir: Option<PathBuf>) -> anyhow::Result<Outcome> {
    let dir = dir.unwrap_or_else(|| PathBuf::from("voussoir-demo"));
    prepare_folder(&dir)?;
    let mut book = FieldBook::init(&dir)
        .with_context(|| format!("creating the demo field book in {}", dir.display()))?;
    std::fs::write(
        dir.join(DEMO_MARKER),
        "built by `voussoir demo`; safe to delete\n",
    )
    .with_context(|| format!("writing {}", dir.join(DEMO_MARKER).display()))?;

    let course = book::parse_course(fixtures::COURSE, "fixtures/course.toml")?;
    book.load_course(&course)?;
    let structure = course.structures[0].code.clone();

    let sheets = dir.join("sheets");
    std::fs::create_dir_all(&sheets).with_context(|| format!("creating {}", sheets.display()))?;
    let inspections = [
        (
            "reference-defects.csv",
            fixtures::REFERENCE_DEFECTS,
            "instructor",
            true,
        ),
        (
            "trainee-alice-defects.csv",
            fixtures::ALICE_DEFECTS,
            "alice",
            false,
        ),
        (
            "trainee-bob-defects.csv",
            fixtures::BOB_DEFECTS,
            "bob",
            false,
        ),
    ];
    let mut ids = Vec::new();
    for (file_name, contents, inspector, is_reference) in inspections {
        let sheet = sheets.join(file_name);
        std::fs::write(&sheet, contents).with_context(|| format!("writing {}", sheet.display()))?;
        let id = inspection::open_inspection(
            &mut book,
            &NewInspectionArgs {
                structure: structure.clone(),
                kind: "detailed-periodic".to_string(),
                inspector: Some(inspector.to_string()),
                date: Some("2026-03-12".to_string()),
                weather: Some("overcast, 9 °C, river at low water".to_string()),
                reference: is_reference,
                not_inspected: Vec::new(),
            },
        )?;
        defect::import(&mut book, id, &sheet)?;
        ids.push(id);
    }

    // Alice's field data goes with her inspection: track, dive log, photos,
    // then her camera's clock (73 s fast) is corrected.
    let field = dir.join("field");
    std::fs::create_dir_all(&field).with_context(|| format!("creating {}", field.display()))?;
    for (name, bytes) in fixtures::FIELD {
        let path = field.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    let alice = ids[1];
    let quiet = Context {
        book: Some(dir.clone()),
        json: true,
        quiet: true,
        verbose: false,
    };
    import::run(
        &quiet,
        ImportCommand::Track {
            files: vec![field.join("alice-walk.gpx")],
            inspection: Some(alice),
            tz: None,
        },
    )?;
    import::run(
        &quiet,
        ImportCommand::Dive {
            files: vec![field.join("dive-p2.ssrf")],
            inspection: Some(alice),
            tz: None,
        },
    )?;
    let photos = import::run(
        &quiet,
        ImportCommand::Photos {
            paths: vec![field.clone()],
            inspection: Some(alice),
            keep_originals: false,
            geotag: GeotagArgs::default_options(),
        },
    )?;
    if photos.failed {
        bail!("the demo photos did not all import; this is a bug");
    }
    let mut book = FieldBook::open(&dir)?;
    let corrected = geotag::geotag(
        &mut book,
        alice,
        &GeotagArgs {
            camera: Some("TG-7".to_string()),
            clock_offset: Some("-73".to_string()),
            ..GeotagArgs::default_options()
        },
        None,
    )?;

    // Alice's inspection leaves as a map, a report and GeoJSON.
    let exports = dir.join("exports");
    std::fs::create_dir_all(&exports).with_context(|| format!("creating {}", exports.display()))?;
    let written = [
        (
            ExportCommand::Map {
                inspection: Some(alice),
                output: Some(exports.join("alice-map.svg")),
            },
            "alice-map.svg",
        ),
        (
            ExportCommand::Report {
                inspection: Some(alice),
                output: Some(exports.join("alice-report.html")),
                lang: None,
            },
            "alice-report.html",
        ),
        (
            ExportCommand::Geojson {
                inspection: Some(alice),
                output: Some(exports.join("alice.geojson")),
                simplify: None,
            },
            "alice.geojson",
        ),
        (
            ExportCommand::Bundle {
                inspection: Some(alice),
                output: Some(exports.join("alice-bundle.zip")),
            },
            "alice-bundle.zip",
        ),
    ];
    let mut export_paths = Vec::new();
    for (command, name) in written {
        export::run(&quiet, command)?;
        export_paths.push(exports.join(name));
    }

    let mut text = format!("Built a demo field book in {}\n\n", dir.display());
    let mut views = Vec::new();
    for id in &ids {
        let view = grade(&book, *id, None)?;
        text.push_str(&render(&book, &view, context.verbose)?);
        text.push('\n');
        views.push(view);
    }
    text.push_str(&format!(
        "Field data of inspection #{alice} (alice): a GPS track, a dive log and {} photos, her camera's clock corrected by -73 s:\n",
        corrected.photos + 1
    ));
    let listing = field_list(&dir, alice)?;
    text.push_str(&listing);
    text.push('\n');
    text.push_str("Exports of Alice's inspection:\n");
    for path in &export_paths {
        text.push_str(&format!("  {}\n", path.display()));
    }
    text.push('\n');
    text.push_str(&format!(
        "Try next:\n  voussoir --book {0} inspection list\n  voussoir --book {0} defect list --inspection {1}\n  voussoir --book {0} grade --inspection {1} --scheme nbi\n  voussoir --book {0} photo list --inspection {1}\n",
        dir.display(),
        ids[1]
    ));
    Outcome::new(
        DemoView {
            book: dir,
            inspections: views,
            exports: export_paths,
        },
        text,
    )
}

/// Makes sure the folder is empty or an earlier demo (then removed).
fn prepare_folder(dir: &Path) -> anyhow::Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    if dir.join(DEMO_MARKER).is_file() {
        std::fs::remove_dir_all(dir)
            .with_context(|| format!("removing the earlier demo in {}", dir.display()))?;
        return Ok(());
    }
    let empty = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .next()
        .is_none();
    if !empty {
        bail!(
            "{} exists and was not built by `voussoir demo`; pass another folder: voussoir demo DIR",
            dir.display()
        );
    }
    Ok(())
}

/// The photo table of an inspection, as `photo list` prints it.
fn field_list(dir: &Path, inspection: i64) -> anyhow::Result<String> {
    let context = Context {
        book: Some(dir.to_path_buf()),
        json: false,
        quiet: false,
        verbose: false,
    };
    let outcome = field_lists::photos(
        &context,
        PhotoCommand::List {
            inspection: Some(inspection),
        },
    )?;
    Ok(outcome.text)
}
