//! Exports end to end: GeoJSON read back by GDAL's `ogrinfo` and the
//! `geojson` crate, CSV parsed back, the SVG map and the HTML report
//! checked, and the submission bundle round trip and refusals.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use crate::util::{fixture, voussoir, Book};

/// The demo field book: course, three inspections, Alice's field data.
fn demo_book() -> Book {
    let book = Book::empty();
    let output = voussoir()
        .args(["-q", "demo", book.path_str()])
        .output()
        .expect("run demo");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    book
}

fn ogrinfo_available() -> bool {
    let found = Command::new("ogrinfo").arg("--version").output().is_ok();
    if !found {
        eprintln!("SKIPPED: ogrinfo (gdal-bin) is not installed; .ci/run installs it");
    }
    found
}

#[test]
fn geojson_opens_in_gdal_and_parses_back_with_the_expected_features() {
    let book = demo_book();
    let path = book.path().join("alice.geojson");
    book.ok(&[
        "export",
        "geojson",
        "--inspection",
        "2",
        "-o",
        path.to_str().expect("utf-8"),
    ]);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(!text.contains("\"crs\""));
    // An independent RFC 7946 reader accepts it.
    let parsed: geojson::GeoJson = text.parse().expect("the geojson crate reads it");
    assert!(matches!(parsed, geojson::GeoJson::FeatureCollection(_)));
    let value: serde_json::Value = serde_json::from_str(&text).expect("json");
    let features = value["features"].as_array().expect("features");
    let count = |feature: &str, geometry: &str| {
        features
            .iter()
            .filter(|candidate| {
                candidate["properties"]["feature"] == feature
                    && candidate["geometry"]["type"] == geometry
            })
            .count()
    };
    assert_eq!(count("structure", "LineString"), 1);
    assert_eq!(count("component", "Point"), 13);
    assert_eq!(count("track", "MultiLineString"), 1);
    assert_eq!(count("photo", "Point"), 8);
    assert_eq!(count("defect", "Point"), 12);
    // A defect lists the photos it cites: FND-P2's scour shows in the two dive photos.
    let scour = features
        .iter()
        .find(|feature| feature["properties"]["type"] == "UW-SCOUR")
        .expect("the scour defect");
    assert_eq!(
        scour["properties"]["photos"]
            .as_array()
            .expect("photos")
            .len(),
        2
    );
    // Longitude first, at most 7 decimals.
    let first = &features[0]["geometry"]["coordinates"][0];
    assert_eq!(first[0].as_f64(), Some(-3.46148));
    assert_eq!(first[1].as_f64(), Some(48.731));
    for number in text.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-')) {
        if let Some((_, decimals)) = number.split_once('.') {
            assert!(
                decimals.len() <= 7 || number.len() > 20,
                "too many decimals: {number}"
            );
        }
    }
    if ogrinfo_available() {
        let output = Command::new("ogrinfo")
            .args(["-ro", "-al", "-so"])
            .arg(&path)
            .output()
            .expect("ogrinfo");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let report = String::from_utf8_lossy(&output.stdout);
        assert!(report.contains("Feature Count: 35"), "{report}");
        for (geometry, expected) in [("POINT", 33), ("LINESTRING", 1), ("MULTILINESTRING", 1)] {
            let output = Command::new("ogrinfo")
                .args(["-ro", "-q", "-dialect", "SQLite", "-sql"])
                .arg(format!(
                    "SELECT count(*) AS n FROM alice WHERE ST_GeometryType(geometry) = '{geometry}'"
                ))
                .arg(&path)
                .output()
                .expect("ogrinfo");
            let text = String::from_utf8_lossy(&output.stdout);
            assert!(
                text.contains(&format!("n (Integer) = {expected}")),
                "{geometry}: {text}"
            );
        }
    }
}

#[test]
fn geojson_goes_to_stdout_and_simplify_drops_points() {
    let book = demo_book();
    let full = book.ok(&["export", "geojson", "--inspection", "2"]);
    let simplified = book.ok(&["export", "geojson", "--inspection", "2", "--simplify", "5"]);
    assert!(full.starts_with("{\"type\":\"FeatureCollection\""));
    let points = |text: &str| -> usize {
        let value: serde_json::Value = serde_json::from_str(text).expect("json");
        value["features"]
            .as_array()
            .expect("features")
            .iter()
            .filter(|feature| feature["properties"]["feature"] == "track")
            .map(|feature| {
                feature["geometry"]["coordinates"]
                    .as_array()
                    .expect("lines")
                    .iter()
                    .map(|line| line.as_array().expect("line").len())
                    .sum::<usize>()
            })
            .sum()
    };
    assert_eq!(points(&full), 164);
    assert!(points(&simplified) < 60, "{}", points(&simplified));
}

#[test]
fn csv_parses_back_with_commas_quotes_newlines_and_accents() {
    let book = Book::with_course();
    book.ok(&[
        "inspection",
        "new",
        "--structure",
        "PONT-LEGUER",
        "--kind",
        "IDP",
    ]);
    let tricky = "fissure \"active\", côté amont\nà revoir — élément P1";
    book.ok(&[
        "defect",
        "add",
        "--component",
        "P1",
        "--type",
        "CON-CRACK",
        "--severity",
        "2",
        "--note",
        tricky,
    ]);
    let path = book.path().join("defects.csv");
    book.ok(&[
        "export",
        "csv",
        "--what",
        "defects",
        "-o",
        path.to_str().expect("utf-8"),
    ]);
    let bytes = std::fs::read(&path).expect("read");
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "a BOM for Excel");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers = reader.headers().expect("headers").clone();
    assert_eq!(&headers[2], "component");
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(rows.len(), 1);
    let note_column = headers
        .iter()
        .position(|name| name == "note")
        .expect("note");
    assert_eq!(&rows[0][note_column], tricky);
    for what in ["photos", "grades"] {
        let output = book.ok(&["export", "csv", "--what", what]);
        let mut reader = csv::Reader::from_reader(output.trim_start_matches('\u{feff}').as_bytes());
        assert!(reader.records().all(|row| row.is_ok()), "{what}");
    }
    let grades = book.ok(&["export", "csv", "--what", "grades"]);
    assert!(grades.contains("structure,PONT-LEGUER"), "{grades}");
}

#[test]
fn the_svg_map_is_well_formed_with_labels_scale_and_legend() {
    let book = demo_book();
    let svg = book.ok(&["export", "map", "--inspection", "2"]);
    let mut reader = quick_xml::Reader::from_str(&svg);
    let mut elements = std::collections::HashMap::new();
    let mut labels = Vec::new();
    let mut in_label = false;
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(start) | quick_xml::events::Event::Empty(start) => {
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                in_label = start.attributes().flatten().any(|attribute| {
                    attribute.key.as_ref() == b"class" && attribute.value.as_ref() == b"label"
                });
                *elements.entry(name).or_insert(0) += 1;
            }
            quick_xml::events::Event::Text(text) if in_label => {
                labels.push(text.decode().expect("text").into_owned());
                in_label = false;
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(elements.get("svg"), Some(&1));
    for code in [
        "C0", "P1", "FND-P1", "P2", "FND-P2", "C3", "T1", "T2", "T3", "TAB", "AP", "J1", "GC",
    ] {
        assert!(
            labels.iter().any(|label| label == code),
            "label {code}: {labels:?}"
        );
    }
    for class in [
        "scale-bar",
        "north-arrow",
        "legend",
        "track",
        "defect",
        "photo",
    ] {
        assert!(svg.contains(&format!("class=\"{class}\"")), "{class}");
    }
    assert!(svg.contains("Pont d&#39;entraînement du Léguer"));
    assert!(svg.contains("2026-03-12"));
    assert!(
        !svg.contains("http://")
            || !svg
                .replace("http://www.w3.org/2000/svg", "")
                .contains("http")
    );
}

#[test]
fn the_report_has_every_defect_and_no_external_request() {
    let book = demo_book();
    let path = book.path().join("report.html");
    book.ok(&[
        "export",
        "report",
        "--inspection",
        "2",
        "--lang",
        "en",
        "-o",
        path.to_str().expect("utf-8"),
    ]);
    let html = std::fs::read_to_string(&path).expect("read");
    let defects = book.json(&["defect", "list", "--inspection", "2"]);
    for defect in defects.as_array().expect("defects") {
        let row = format!("<tr><td>{}</td>", defect["id"]);
        assert!(html.contains(&row), "defect {} missing", defect["id"]);
    }
    // Images are embedded; nothing is fetched from elsewhere.
    let without_namespace = html.replace("http://www.w3.org/2000/svg", "");
    assert!(!without_namespace.contains("http://") && !without_namespace.contains("https://"));
    assert!(!html.contains("src=\"media/"));
    assert!(html.contains("data:image/jpeg;base64,"));
    assert!(html.contains("@page { size: A4"));
    assert!(html.contains("Inspection report"));
    let french = book.ok(&["export", "report", "--inspection", "2"]);
    assert!(french.contains("Rapport d&#39;inspection") || french.contains("Rapport d'inspection"));
}

#[test]
fn user_text_in_the_report_is_escaped() {
    let book = Book::with_course();
    book.ok(&[
        "inspection",
        "new",
        "--structure",
        "PONT-LEGUER",
        "--kind",
        "IDP",
        "--inspector",
        "<script>alert(1)</script>",
    ]);
    book.ok(&[
        "defect",
        "add",
        "--component",
        "P1",
        "--type",
        "CON-CRACK",
        "--note",
        "<img src=x onerror=alert(2)>",
    ]);
    let html = book.ok(&["export", "report"]);
    assert!(!html.contains("<script>alert"), "inspector escaped");
    assert!(!html.contains("<img src=x"), "note escaped");
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
}

pub(crate) fn manifest_of(path: &Path) -> serde_json::Value {
    let file = std::fs::File::open(path).expect("open");
    let mut archive = zip::ZipArchive::new(file).expect("zip");
    let mut entry = archive.by_name("manifest.json").expect("manifest");
    let mut text = String::new();
    std::io::Read::read_to_string(&mut entry, &mut text).expect("read");
    serde_json::from_str(&text).expect("json")
}

#[test]
fn a_bundle_round_trips_into_a_fresh_field_book() {
    let source = demo_book();
    let first = source.path().join("alice.zip");
    source.ok(&[
        "export",
        "bundle",
        "--inspection",
        "2",
        "-o",
        first.to_str().expect("utf-8"),
    ]);
    let target = Book::with_course();
    let imported = target.json(&["import", "bundle", first.to_str().expect("utf-8")]);
    assert_eq!(imported["defects"], 12);
    assert_eq!(imported["photos"], 8);
    assert_eq!(imported["tracks"], 1);
    assert_eq!(imported["dives"], 1);
    let id = imported["inspection"].as_i64().expect("id").to_string();
    let second = target.path().join("again.zip");
    target.ok(&[
        "export",
        "bundle",
        "--inspection",
        &id,
        "-o",
        second.to_str().expect("utf-8"),
    ]);
    assert_eq!(manifest_of(&first), manifest_of(&second));
    // The imported inspection grades as the original.
    let original = source.json(&["grade", "--inspection", "2"]);
    let copy = target.json(&["grade", "--inspection", &id]);
    assert_eq!(original["structure"]["label"], copy["structure"]["label"]);
    let classes = |grade: &serde_json::Value| -> Vec<String> {
        grade["components"]
            .as_array()
            .expect("components")
            .iter()
            .map(|component| format!("{} {}", component["component"], component["class"]))
            .collect()
    };
    assert_eq!(classes(&original), classes(&copy));
    assert_eq!(target.count("photo"), 8);
}

/// A bundle to refuse: its file name, its entries, and the words the
/// refusal must contain.
type BadBundle = (&'static str, Vec<(&'static str, Vec<u8>)>, &'static str);

/// Writes a zip with the given entries (name, bytes).
fn write_zip(path: &Path, entries: &[(&str, Vec<u8>)]) {
    let file = std::fs::File::create(path).expect("create");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(*name, options).expect("start");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("finish");
}

fn manifest_with(files: &[(&str, &[u8])], version: u64) -> Vec<u8> {
    let text = std::fs::read_to_string(fixture("course.toml")).expect("course");
    assert!(text.contains("PONT-LEGUER"));
    let listed: Vec<serde_json::Value> = files
        .iter()
        .map(|(path, bytes)| {
            serde_json::json!({"path": path, "size": bytes.len(), "blake3": blake3::hash(bytes).to_hex().to_string()})
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "format": "voussoir-bundle", "version": version,
        "course": {"code": "OA-LANNION-2026", "name": "x", "scheme": "iqoa"},
        "structure": {"code": "PONT-LEGUER", "name": "x"},
        "inspection": {"kind": "detailed-periodic", "inspector": "mallory", "date": null, "weather": null,
                       "is_reference": false, "scheme": "iqoa", "not_inspected": []},
        "defects": [], "photos": [], "tracks": [], "dives": [], "files": listed
    }))
    .expect("json")
}

/// A valid empty manifest, changed by `change`.
fn manifest_changed(change: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&manifest_with(&[], 1)).expect("json");
    change(&mut manifest);
    serde_json::to_vec(&manifest).expect("json")
}

/// A defect entry at a latitude and longitude.
fn defect_entry(lat: f64, lon: Option<f64>) -> serde_json::Value {
    serde_json::json!({"component": "P1", "type": "CON-CRACK", "severity": "2", "extent": null,
                       "lat": lat, "lon": lon, "note": null, "photos": []})
}

#[test]
fn malicious_or_broken_bundles_are_refused_and_leave_nothing_behind() {
    let book = Book::with_course();
    let dir = book.path().join("bundles");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let payload = b"hello".to_vec();
    let cases: Vec<BadBundle> = vec![
        (
            "traversal.zip",
            vec![
                ("../evil.txt", payload.clone()),
                (
                    "manifest.json",
                    manifest_with(&[("../evil.txt", &payload)], 1),
                ),
            ],
            "nom dangereux",
        ),
        (
            "absolute.zip",
            vec![
                ("/etc/evil", payload.clone()),
                ("manifest.json", manifest_with(&[], 1)),
            ],
            "nom dangereux",
        ),
        (
            "version.zip",
            vec![("manifest.json", manifest_with(&[], 99))],
            "version 99 du format de paquet est inconnue",
        ),
        (
            "hash.zip",
            vec![
                ("media/a.jpg", payload.clone()),
                (
                    "manifest.json",
                    manifest_with(&[("media/a.jpg", b"longer than hello")], 1),
                ),
            ],
            "octets dans le zip",
        ),
        (
            "tampered.zip",
            vec![
                ("media/a.jpg", b"HELLO".to_vec()),
                (
                    "manifest.json",
                    manifest_with(&[("media/a.jpg", &payload)], 1),
                ),
            ],
            "ne correspond pas à son empreinte",
        ),
        (
            "unlisted.zip",
            vec![
                ("extra.bin", payload.clone()),
                ("manifest.json", manifest_with(&[], 1)),
            ],
            "n'est pas dans le manifeste",
        ),
        (
            "nomanifest.zip",
            vec![("media/a.jpg", payload.clone())],
            "pas de manifest.json",
        ),
        (
            "latitude.zip",
            vec![(
                "manifest.json",
                manifest_changed(|manifest| {
                    manifest["defects"] = serde_json::json!([defect_entry(91.0, Some(-3.46))]);
                }),
            )],
            "latitude 91",
        ),
        (
            "half.zip",
            vec![(
                "manifest.json",
                manifest_changed(|manifest| {
                    manifest["defects"] = serde_json::json!([defect_entry(48.73, None)]);
                }),
            )],
            "une latitude demande sa longitude",
        ),
        (
            "photos.zip",
            vec![(
                "manifest.json",
                manifest_changed(|manifest| {
                    let mut defect = defect_entry(48.73, Some(-3.46));
                    defect["photos"] = serde_json::json!((0..51)
                        .map(|n| format!("IMG_{n}.JPG"))
                        .collect::<Vec<_>>());
                    manifest["defects"] = serde_json::json!([defect]);
                }),
            )],
            "51 photos cited by defect 1, plus que les 50",
        ),
        (
            "note.zip",
            vec![(
                "manifest.json",
                manifest_changed(|manifest| {
                    let mut defect = defect_entry(48.73, Some(-3.46));
                    defect["note"] = serde_json::json!("x".repeat(5000));
                    manifest["defects"] = serde_json::json!([defect]);
                }),
            )],
            "defect 1 note fait 5000 caractères",
        ),
        (
            "bomb.zip",
            vec![
                ("zeros.bin", vec![0u8; 50 * 1024 * 1024]),
                ("manifest.json", manifest_with(&[], 1)),
            ],
            "bombe zip",
        ),
    ];
    for (name, entries, expected) in cases {
        let path = dir.join(name);
        write_zip(&path, &entries);
        let error = book.fails(&["import", "bundle", path.to_str().expect("utf-8")]);
        assert!(error.contains(expected), "{name}: {error}");
        assert!(error.contains("rien n'a été importé"), "{name}: {error}");
    }
    // Duplicate entries need a hand-made zip: the writer refuses them.
    let duplicate = dir.join("duplicate.zip");
    {
        let file = std::fs::File::create(&duplicate).expect("create");
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("manifest.json", options).expect("start");
        zip.write_all(&manifest_with(&[], 1)).expect("write");
        zip.start_file("MEDIA/A.JPG", options).expect("start");
        zip.write_all(&payload).expect("write");
        zip.start_file("media/a.jpg", options).expect("start");
        zip.write_all(&payload).expect("write");
        zip.finish().expect("finish");
    }
    let error = book.fails(&["import", "bundle", duplicate.to_str().expect("utf-8")]);
    assert!(error.contains("apparaît deux fois"), "{error}");
    let not_zip = dir.join("notes.zip");
    std::fs::write(&not_zip, "not a zip").expect("write");
    let error = book.fails(&["import", "bundle", not_zip.to_str().expect("utf-8")]);
    assert!(error.contains("pas un fichier zip lisible"), "{error}");
    // Nothing was written: no inspection, no media.
    assert_eq!(book.count("inspection"), 0);
    assert!(!book.path().join("evil.txt").exists());
    assert_eq!(
        std::fs::read_dir(book.path().join("media"))
            .expect("media")
            .count(),
        0
    );
}

#[test]
fn a_bundle_imported_again_keeps_its_evidence_once_and_never_makes_a_reference_unasked() {
    let book = demo_book();
    let bundle = book.path().join("alice.zip");
    book.ok(&[
        "export",
        "bundle",
        "--inspection",
        "2",
        "-o",
        bundle.to_str().expect("utf-8"),
    ]);
    // Into the very book it came from: the new inspection has its own
    // photos, track and dive log, though the files are already there.
    let imported = book.json(&["import", "bundle", bundle.to_str().expect("utf-8")]);
    assert_eq!(imported["already_imported"], false);
    let id = imported["inspection"].as_i64().expect("id");
    let per_inspection = |table: &str| -> i64 {
        book.database()
            .query_row(
                &format!("SELECT count(*) FROM {table} WHERE inspection_id = ?1"),
                [id],
                |row| row.get(0),
            )
            .expect("count")
    };
    assert_eq!(per_inspection("photo"), 8);
    assert_eq!(per_inspection("track"), 1);
    assert_eq!(per_inspection("dive_log"), 1);
    // The same bundle again: recognised, nothing stored twice.
    let inspections = book.count("inspection");
    let again = book.ok(&["import", "bundle", bundle.to_str().expect("utf-8")]);
    assert!(
        again.contains(&format!("imported before as inspection #{id}")),
        "{again}"
    );
    assert_eq!(book.count("inspection"), inspections);

    // A trainee's bundle claiming to be the reference is not obeyed.
    let forged = book.path().join("forged.zip");
    let mut manifest = manifest_of(&bundle);
    manifest["inspection"]["is_reference"] = serde_json::json!(true);
    manifest["inspection"]["weather"] = serde_json::json!("forged");
    rewrite_manifest(&bundle, &forged, &manifest);
    let text = book.ok(&["import", "bundle", forged.to_str().expect("utf-8")]);
    assert!(
        text.contains("imported as an ordinary inspection"),
        "{text}"
    );
    let references: i64 = book
        .database()
        .query_row(
            "SELECT count(*) FROM inspection WHERE is_reference",
            [],
            |row| row.get(0),
        )
        .expect("count");
    assert_eq!(references, 1, "still only the instructor's reference");
}

/// Copies a bundle with another manifest.
pub(crate) fn rewrite_manifest(from: &Path, to: &Path, manifest: &serde_json::Value) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(from).expect("open")).expect("zip");
    let mut writer = zip::ZipWriter::new(std::fs::File::create(to).expect("create"));
    let options = zip::write::SimpleFileOptions::default();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).expect("entry");
        let name = entry.name().to_string();
        writer.start_file(&name, options).expect("start");
        if name == "manifest.json" {
            writer
                .write_all(serde_json::to_string(manifest).expect("json").as_bytes())
                .expect("write");
        } else {
            std::io::copy(&mut entry, &mut writer).expect("copy");
        }
    }
    writer.finish().expect("finish");
}

#[test]
fn a_note_that_looks_like_a_formula_stays_text_in_the_csv() {
    let book = Book::with_course();
    book.ok(&[
        "inspection",
        "new",
        "--structure",
        "PONT-LEGUER",
        "--kind",
        "IDP",
        "--date",
        "2026-03-12",
    ]);
    book.ok(&[
        "defect",
        "add",
        "--component",
        "P1",
        "--type",
        "CON-CRACK",
        "--severity",
        "2",
        "--note",
        "=HYPERLINK(\"http://evil.example\";\"clic\")",
        "--at",
        "48.7310",
        "-3.4612",
    ]);
    let csv = book.ok(&["export", "csv", "--what", "defects"]);
    assert!(csv.contains("'=HYPERLINK("), "{csv}");
    assert!(
        csv.contains(",-3.4612,"),
        "negative numbers stay numbers: {csv}"
    );
}
