//! The demo: a field book built from the bundled fixtures (the Léguer
//! training bridge near Lannion, the instructor's reference and two
//! trainees' inspections from their defect sheets, and Alice's field data:
//! a GPS walk, a dive log and photos from two cameras, one of them 73 s
//! fast), with Alice's inspection exported as a map, a report, GeoJSON and
//! a bundle; Bob hands in one of Alice's photos as his own. The command
//! line prints it; `serve --demo` serves it.

use std::path::{Path, PathBuf};
use voussoir_core::words::errors::english as said;

use voussoir_export::geojson::{write_geojson, GeoJsonOptions};
use voussoir_export::map::{render_map, MapOptions};
use voussoir_export::report::{render_report, Language};
use voussoir_store::{write_atomically, FieldBook};

use crate::course::{import_defect_sheet, open_inspection, parse_course, InspectionRequest};
use crate::exports::{bundle_bytes, media_reader};
use crate::geotag::{place, GeotagReport, PlaceOptions};
use crate::import::Progress;
use crate::review::load_inspection;
use crate::{Error, Result};

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

/// The date of the demo inspections.
const DEMO_DATE: &str = "2026-03-12";

/// What the demo built.
#[derive(Debug, Clone)]
pub struct DemoBook {
    pub dir: PathBuf,
    /// The reference, Alice's and Bob's inspections, in that order.
    pub inspections: Vec<i64>,
    /// Alice's inspection, the one with field data; the book's current one.
    pub alice: i64,
    /// How Alice's photos were placed after her camera's clock correction.
    pub corrected: GeotagReport,
    /// Alice's inspection as a map, report, GeoJSON and bundle.
    pub exports: Vec<PathBuf>,
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    Ok(write_atomically(path, bytes)?)
}

/// Builds the demo field book in `dir`, which must be empty, missing, or
/// an earlier demo (then rebuilt).
pub fn build(dir: &Path) -> Result<DemoBook> {
    prepare_folder(dir)?;
    let mut book = FieldBook::init(dir)?;
    write(
        &dir.join(DEMO_MARKER),
        b"built by `voussoir demo`; safe to delete\n",
    )?;
    let course = parse_course(fixtures::COURSE, "fixtures/course.toml")?;
    book.load_course(&course)?;
    let structure = course
        .structures
        .first()
        .map(|structure| structure.code.clone())
        .ok_or_else(|| Error::Invalid("the demo course has no structure".to_string()))?;
    let date = jiff::civil::Date::strptime("%Y-%m-%d", DEMO_DATE)
        .map_err(|error| Error::Invalid(error.to_string()))?;

    let sheets = dir.join("sheets");
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
        write(&sheet, contents.as_bytes())?;
        let request = InspectionRequest {
            structure: structure.clone(),
            kind: "detailed-periodic".to_string(),
            inspector: Some(inspector.to_string()),
            date: Some(DEMO_DATE.to_string()),
            weather: Some("overcast, 9 °C, river at low water".to_string()),
            reference: is_reference,
            not_inspected: Vec::new(),
        };
        let id = open_inspection(&mut book, &request, date)?;
        import_defect_sheet(&mut book, id, &sheet, false)?;
        ids.push(id);
    }

    // Alice's sheet gives her own grades too (GRADE rows), as the course
    // asks; Bob gives none, and the grades his defects imply are scored.

    // Alice's field data goes with her inspection: track, dive log, photos,
    // then her camera's clock (73 s fast) is corrected.
    let field = dir.join("field");
    for (name, bytes) in fixtures::FIELD {
        write(&field.join(name), bytes)?;
    }
    let alice = ids[1];
    let mut quiet = |_: Progress<'_>| {};
    let tracks = crate::import::tracks(
        &mut book,
        alice,
        &[field.join("alice-walk.gpx")],
        None,
        &mut quiet,
    )?;
    let dives = crate::import::dive_logs(
        &mut book,
        alice,
        &[field.join("dive-p2.ssrf")],
        None,
        &mut quiet,
    )?;
    let photos = crate::import::photos(
        &mut book,
        alice,
        std::slice::from_ref(&field),
        crate::import::ImportCopies::default(),
        &PlaceOptions::default(),
        &mut quiet,
    )?;
    if tracks.counts.failed + dives.counts.failed + photos.counts.failed > 0 {
        return Err(Error::Invalid(
            "the demo's field data did not all import; this is a bug".to_string(),
        ));
    }
    // Bob borrowed Alice's parapet photo: the instructor's dashboard shows
    // it as a sign of copying (same photo content under two trainees).
    let borrowed = dir.join("field-bob");
    write(
        &borrowed.join("IMG_0103.JPG"),
        include_bytes!("../../../fixtures/field/IMG_0103.JPG"),
    )?;
    let bob_photos = crate::import::photos(
        &mut book,
        ids[2],
        std::slice::from_ref(&borrowed),
        crate::import::ImportCopies::default(),
        &PlaceOptions::default(),
        &mut quiet,
    )?;
    if bob_photos.counts.failed > 0 {
        return Err(Error::Invalid(
            "the demo's borrowed photo did not import; this is a bug".to_string(),
        ));
    }
    let corrected = place(
        &mut book,
        alice,
        &PlaceOptions {
            camera: Some("TG-7".to_string()),
            clock_offset: Some("-73".to_string()),
            ..PlaceOptions::default()
        },
        None,
    )?;
    let exports = export_alice(&mut book, alice, &dir.join("exports"))?;
    // The inspection with field data is the one a newcomer explores.
    book.set_current_inspection(alice)?;
    Ok(DemoBook {
        dir: dir.to_path_buf(),
        inspections: ids,
        alice,
        corrected,
        exports,
    })
}

/// Alice's inspection leaves as a map, a report, GeoJSON and a bundle.
fn export_alice(book: &mut FieldBook, alice: i64, folder: &Path) -> Result<Vec<PathBuf>> {
    let data = load_inspection(book, alice)?;
    let map = render_map(&data, MapOptions::default());
    let report = render_report(
        &data,
        Language::from_code(&data.language),
        &media_reader(book),
    );
    let mut geojson = Vec::new();
    write_geojson(&data, GeoJsonOptions::default(), &mut geojson).map_err(Error::io(folder))?;
    let (bundle, _, _) = bundle_bytes(book, alice)?;
    let files: [(&str, &[u8]); 4] = [
        ("alice-map.svg", map.as_bytes()),
        ("alice-report.html", report.as_bytes()),
        ("alice.geojson", &geojson),
        ("alice-bundle.zip", &bundle),
    ];
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = folder.join(name);
        write(&path, bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// Makes sure the folder is empty or an earlier demo (then removed).
fn prepare_folder(dir: &Path) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    if dir.join(DEMO_MARKER).is_file() {
        return std::fs::remove_dir_all(dir).map_err(Error::io(dir));
    }
    let empty = std::fs::read_dir(dir)
        .map_err(Error::io(dir))?
        .next()
        .is_none();
    if !empty {
        return Err(Error::Invalid(said(
            "demo.not_ours",
            &[("dir", dir.display().to_string())],
        )));
    }
    Ok(())
}

/// The seed of the demo's simulated class: the same class every time.
pub const CLASS_SEED: u64 = 20_261_201;

/// Adds a simulated class of `count` trainees to a demo book (see
/// `simulated_class`), and writes what was planted to
/// `simulated-class.json` beside it.
pub fn add_class(dir: &Path, count: usize) -> Result<crate::simulated_class::SimulatedClass> {
    let mut book = FieldBook::open(dir)?;
    let structure = book
        .course()?
        .structures
        .first()
        .map(|structure| structure.code.clone())
        .ok_or_else(|| Error::Invalid("the demo course has no structure".to_string()))?;
    let class = crate::simulated_class::add(&mut book, &structure, count, CLASS_SEED, DEMO_DATE)?;
    let planted = serde_json::to_vec_pretty(&class)
        .map_err(|error| Error::Invalid(format!("simulated-class.json: {error}")))?;
    write(&dir.join("simulated-class.json"), &planted)?;
    Ok(class)
}
