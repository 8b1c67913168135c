//! Field import end to end: photos, tracks and dive logs from the shared
//! corpus of real files, checked against the expectations computed by
//! independent tools (exiftool, gpxpy, GPSBabel); bad files; duplicates;
//! a killed import that resumes.

use std::path::Path;
use std::process::Stdio;

use crate::util::{corpus, fixture, voussoir, Book};

fn book_with_inspection() -> Book {
    let book = Book::with_course();
    book.ok(&[
        "inspection",
        "new",
        "--structure",
        "PONT-LEGUER",
        "--kind",
        "IDP",
        "--inspector",
        "alice",
    ]);
    book
}

fn expected(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("expected.json is JSON")
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `2016:09:28 18:18:05` + subseconds + offset → the UTC instant.
fn expected_utc(raw: &str, subsec: Option<&str>, offset: Option<&str>) -> jiff::Timestamp {
    let (date, time) = raw.split_once(' ').expect("date and time");
    let mut text = format!("{}T{}", date.replace(':', "-"), time);
    if let (Some(digits), false) = (subsec, time.contains('.')) {
        text.push('.');
        text.push_str(digits.trim());
    }
    let civil: jiff::civil::DateTime = text.parse().expect("civil time");
    let offset_seconds = offset.map_or(0, |offset| {
        let sign = if offset.starts_with('-') { -1 } else { 1 };
        let hours: i32 = offset[1..3].parse().expect("hours");
        let minutes: i32 = offset[4..6].parse().expect("minutes");
        sign * (hours * 3600 + minutes * 60)
    });
    jiff::tz::Offset::from_seconds(offset_seconds)
        .expect("offset")
        .to_timestamp(civil)
        .expect("instant")
}

#[test]
fn corpus_photos_match_exiftool_times_positions_and_sizes() {
    let Some(corpus) = corpus() else { return };
    let photos_dir = corpus.join("photos");
    let expected = expected(&photos_dir);
    let book = book_with_inspection();
    let import = book.json(&[
        "import",
        "photos",
        photos_dir.to_str().expect("utf-8"),
        "--tz",
        "UTC",
    ]);
    let files = expected["files"].as_object().expect("files");
    assert_eq!(
        import["imported"].as_u64(),
        Some(files.len() as u64),
        "{import}"
    );
    assert_eq!(import["failed"], 0);
    // The review copies are made on first need: a bundle export makes
    // them, from every format the thumbnails come from.
    let target = book.path().join("corpus.zip");
    let exported = book.json(&[
        "export",
        "bundle",
        "--output",
        target.to_str().expect("utf-8"),
    ]);
    assert_eq!(
        exported["warnings"].as_array().map(Vec::len),
        Some(0),
        "{exported}"
    );
    let listed = book.json(&["photo", "list"]);
    let listed = listed.as_array().expect("photo list");
    assert_eq!(listed.len(), files.len());
    for (name, want) in files {
        let photo = listed
            .iter()
            .find(|photo| file_name(photo["file"].as_str().expect("file")) == *name)
            .unwrap_or_else(|| panic!("{name} not listed"));
        // Positions: the EXIF GPS block, within 1e-6 degrees.
        for (ours, theirs) in [("exif_lat", "exif_gps_lat"), ("exif_lon", "exif_gps_lon")] {
            match want[theirs].as_f64() {
                Some(value) => {
                    let got = photo[ours]
                        .as_f64()
                        .unwrap_or_else(|| panic!("{name}: no {ours}"));
                    assert!(
                        (got - value).abs() < 1e-6,
                        "{name}: {ours} {got} vs {value}"
                    );
                }
                None => assert!(photo[ours].is_null(), "{name}: {ours} should be null"),
            }
        }
        // A 0,0 fix is no fix: kept as read, but not used as a position.
        if want["exif_gps_lat"].as_f64() == Some(0.0) && want["exif_gps_lon"].as_f64() == Some(0.0)
        {
            assert_eq!(photo["position_source"], "none", "{name}");
        } else if want["exif_gps_lat"].is_number() {
            assert_eq!(photo["position_source"], "exif", "{name}");
            assert_eq!(photo["lat"], photo["exif_lat"]);
        }
        // Times: exact, sub-seconds and offset included.
        match want["exif_datetime_original"].as_str() {
            Some(raw) => {
                let instant = expected_utc(
                    raw,
                    want["exif_subsec_time_original"].as_str(),
                    want["exif_offset_time_original"].as_str(),
                );
                let got: jiff::Timestamp = photo["taken_at"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{name}: no taken_at"))
                    .parse()
                    .expect("RFC 3339");
                assert_eq!(got, instant, "{name}");
            }
            None => {
                assert!(
                    photo["taken_at"].is_null(),
                    "{name}: taken_at should be null"
                );
                assert!(
                    photo["position_note"].as_str().is_some(),
                    "{name}: a note says why"
                );
            }
        }
        assert_eq!(photo["width"], want["pixel_width"], "{name} width");
        assert_eq!(photo["height"], want["pixel_height"], "{name} height");
        if let Some(make) = want["make"].as_str().filter(|make| !make.is_empty()) {
            assert_eq!(
                photo["make"].as_str().map(str::trim),
                Some(make.trim()),
                "{name} make"
            );
        }
        // Previews: made for every format but HEIF, which says so.
        if want["file_type"] == "HEIC" {
            assert!(photo["thumbnail"].is_null(), "{name}");
            let notes = photo["notes"].to_string();
            assert!(notes.contains("no preview"), "{name}: {notes}");
        } else {
            let thumbnail = photo["thumbnail"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}: no thumbnail"));
            assert!(
                book.path().join("media").join(thumbnail).is_file(),
                "{name}"
            );
            let review = photo["review"].as_str().expect("review");
            assert!(book.path().join("media").join(review).is_file(), "{name}");
        }
    }
}

#[test]
fn corpus_gpx_point_counts_and_times_match_gpxpy() {
    let Some(corpus) = corpus() else { return };
    let gpx_dir = corpus.join("gpx");
    let expected = expected(&gpx_dir);
    for (name, want) in expected["files"].as_object().expect("files") {
        let book = book_with_inspection();
        let path = gpx_dir.join(name);
        let output = book.run(&[
            "--json",
            "import",
            "track",
            path.to_str().expect("utf-8"),
            "--tz",
            "UTC",
        ]);
        let has_points = want["track_points"].as_u64().unwrap_or(0) > 0
            || want["route_points"].as_u64().unwrap_or(0) > 0
            || want["waypoints"].as_u64().unwrap_or(0) > 0;
        if !has_points {
            assert!(
                !output.status.success(),
                "{name}: nothing to import must fail"
            );
            let errors = String::from_utf8_lossy(&output.stderr);
            assert!(
                errors.contains(name.as_str()) && errors.contains("no track point"),
                "{name}: {errors}"
            );
            continue;
        }
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let tracks = book.json(&["track", "list"]);
        let track = &tracks[0];
        assert_eq!(track["all_points"], want["track_points"], "{name} points");
        assert_eq!(
            track["points"], want["track_points_with_time"],
            "{name} timed points"
        );
        assert_eq!(track["segments"], want["segments"], "{name} segments");
        for (ours, theirs) in [
            ("first_time", "earliest_time"),
            ("last_time", "latest_time"),
        ] {
            match want[theirs].as_str() {
                None => assert!(track[ours].is_null(), "{name} {ours}"),
                Some(text) => {
                    let instant = text.parse::<jiff::Timestamp>().unwrap_or_else(|_| {
                        let civil: jiff::civil::DateTime = text.parse().expect("time");
                        jiff::tz::Offset::UTC.to_timestamp(civil).expect("instant")
                    });
                    let got: jiff::Timestamp =
                        track[ours].as_str().expect("time").parse().expect("time");
                    // Times are kept to the millisecond.
                    let difference = (got.as_microsecond() - instant.as_microsecond()).abs();
                    assert!(difference < 1000, "{name} {ours}: {got} vs {instant}");
                }
            }
        }
    }
}

#[test]
fn corpus_nmea_checksums_and_points() {
    let Some(corpus) = corpus() else { return };
    let nmea_dir = corpus.join("nmea");
    let expected = expected(&nmea_dir);
    for (name, want) in expected["files"].as_object().expect("files") {
        let book = book_with_inspection();
        let path = nmea_dir.join(name);
        let output = book.run(&["--json", "import", "track", path.to_str().expect("utf-8")]);
        let errors = String::from_utf8_lossy(&output.stderr).into_owned();
        if !output.status.success() {
            // Only logs without any position may fail, and they say so.
            assert!(errors.contains("no track point"), "{name}: {errors}");
            continue;
        }
        let import: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
        let file = &import["files"][0];
        assert_eq!(file["format"], "NMEA", "{name}");
        assert_eq!(file["bad_checksums"], want["checksum_bad"], "{name}");
        // Where GPSBabel finds dated fixes, so does Voussoir.
        if want["gpsbabel_track_points"].as_u64().unwrap_or(0) > 0 {
            let tracks = book.json(&["track", "list"]);
            assert!(
                tracks[0]["points"].as_u64().unwrap_or(0) > 0,
                "{name}: no timed point"
            );
            let first: jiff::Timestamp = tracks[0]["first_time"]
                .as_str()
                .expect("time")
                .parse()
                .expect("time");
            let theirs: jiff::Timestamp = want["gpsbabel_first_time"]
                .as_str()
                .expect("time")
                .parse()
                .expect("time");
            // GPSBabel merges sentences differently, and reads two-digit
            // years its own way (98 as 2098): the first fix falls on the same
            // day of the year within a second.
            let day_ms = |time: jiff::Timestamp| {
                let civil = jiff::tz::Offset::UTC.to_datetime(time);
                (
                    civil.month(),
                    civil.day(),
                    time.as_millisecond().rem_euclid(86_400_000),
                )
            };
            let (ours, gpsbabel) = (day_ms(first), day_ms(theirs));
            assert_eq!(
                (ours.0, ours.1),
                (gpsbabel.0, gpsbabel.1),
                "{name}: {first} vs {theirs}"
            );
            assert!(
                (ours.2 - gpsbabel.2).abs() <= 1000,
                "{name}: {first} vs {theirs}"
            );
        }
    }
}

#[test]
fn corpus_kml_and_geojson_tracks_are_read() {
    let Some(corpus) = corpus() else { return };
    let kml = expected(&corpus.join("kml"));
    for (name, want) in kml["files"].as_object().expect("files") {
        let book = book_with_inspection();
        let path = corpus.join("kml").join(name);
        let output = book.run(&["--json", "import", "track", path.to_str().expect("utf-8")]);
        let gpsbabel_points = want["gpsbabel"]["trkpt"].as_u64().unwrap_or(0)
            + want["gpsbabel"]["wpt"].as_u64().unwrap_or(0);
        if output.status.success() {
            let tracks = book.json(&["track", "list"]);
            if want.get("Track").is_some() && want["gpsbabel"]["trkpt"].as_u64().is_some() {
                assert_eq!(
                    tracks[0]["all_points"], want["gpsbabel"]["trkpt"],
                    "{name}: track points"
                );
            }
        } else {
            let errors = String::from_utf8_lossy(&output.stderr);
            assert!(errors.contains(name.as_str()), "{name}: {errors}");
            // Only files GPSBabel finds nothing in (or a KMZ) may fail.
            let nothing_readable = want["coordinate_tuples"] == 0 && want["coord"].is_null();
            assert!(
                gpsbabel_points == 0
                    || nothing_readable
                    || name.ends_with(".kmz")
                    || name.contains("polygon")
                    || name.contains("timespan"),
                "{name}: {errors}"
            );
        }
    }
    let geojson_dir = corpus.join("geojson");
    let track_file = geojson_dir.join("togeojson_out_run.gpx.geojson");
    let book = book_with_inspection();
    book.ok(&["import", "track", track_file.to_str().expect("utf-8")]);
    let tracks = book.json(&["track", "list"]);
    assert!(
        tracks[0]["points"].as_u64().unwrap_or(0) > 0,
        "coordTimes give timed points: {tracks}"
    );
}

#[test]
fn corpus_dive_logs_give_dives_and_underwater_photos_get_their_depth() {
    let Some(corpus) = corpus() else { return };
    let dives_dir = corpus.join("divelogs");
    let expected = expected(&dives_dir);
    for (name, want) in expected["files"].as_object().expect("files") {
        let book = book_with_inspection();
        let path = dives_dir.join(name);
        let output = book.run(&[
            "--json",
            "import",
            "dive",
            path.to_str().expect("utf-8"),
            "--tz",
            "UTC",
        ]);
        let errors = String::from_utf8_lossy(&output.stderr).into_owned();
        if !output.status.success() {
            assert!(errors.contains(name.as_str()), "{name}: {errors}");
            assert!(
                want["format"] == "FIT" || want["dives"] == 0 || want["first_dive"].is_null(),
                "{name} should import: {errors}"
            );
            continue;
        }
        let dives = book.json(&["dive", "list"]);
        let dives = dives.as_array().expect("dives");
        if want["format"] == "Subsurface XML" {
            assert_eq!(
                dives.len() as u64,
                want["dives"].as_u64().expect("count"),
                "{name}"
            );
            let first = want["first_dive"].as_str().expect("first dive");
            let (date, time) = first.split_once(' ').expect("date time");
            let mut parts = date.split('-');
            let civil = jiff::civil::date(
                parts.next().expect("y").parse().expect("y"),
                parts.next().expect("m").parse().expect("m"),
                parts.next().expect("d").parse().expect("d"),
            )
            .to_datetime(time.parse().expect("time"));
            let instant = jiff::tz::Offset::UTC.to_timestamp(civil).expect("instant");
            let got: jiff::Timestamp = dives[0]["start"]
                .as_str()
                .expect("start")
                .parse()
                .expect("time");
            assert_eq!(got, instant, "{name}");
        } else {
            assert!(!dives.is_empty(), "{name}");
        }
    }

    // The Olympus photos of the sample dives were taken 16:40 and 81:36 into
    // the dive of 2014-10-10 12:34:34: both are underwater with a depth.
    let book = book_with_inspection();
    let log = dives_dir.join("subsurface_SampleDivesV2.ssrf");
    book.ok(&[
        "import",
        "dive",
        log.to_str().expect("utf-8"),
        "--tz",
        "UTC",
    ]);
    for photo in [
        "subsurface_olympus_em5_dive_PA102003.jpg",
        "subsurface_olympus_em5_dive_PA102039.jpg",
    ] {
        let path = corpus.join("photos").join(photo);
        book.ok(&[
            "import",
            "photos",
            path.to_str().expect("utf-8"),
            "--tz",
            "UTC",
        ]);
    }
    let photos = book.json(&["photo", "list"]);
    for photo in photos.as_array().expect("photos") {
        assert_eq!(photo["underwater"], true, "{photo}");
        assert!(photo["depth_m"].as_f64().expect("depth") > 0.5, "{photo}");
    }
}

/// Files of `broken/` that a lenient reader may accept: their pixels or
/// metadata are intact (see the corpus provenance notes).
const TOLERATED: &[&str] = &[
    "mapillary_corrupt_exif_wrong_type.jpg",
    "mapillary_oneplus_corrupt_exif.jpg",
    "exiv2_xmp_dto_bad_suffix_A.jpg",
    "exiv2_sigma_dto_invalid_size.jpg",
    "mei_olympus_c2040z_truncated_scan.jpg",
    "mei_fujifilm_sp2500_blank_dto_truncated.jpg",
    "mei_olympus_c860l_zero_dto_truncated.jpg",
];

#[test]
fn every_broken_corpus_file_is_refused_with_a_clear_line_and_the_batch_goes_on() {
    let Some(corpus) = corpus() else { return };
    let broken = corpus.join("broken");
    let mut names: Vec<String> = std::fs::read_dir(&broken)
        .expect("broken dir")
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name != "expected.json")
        .collect();
    names.sort();
    let good_photo = corpus.join("photos").join("et_apple.jpg");
    let book = book_with_inspection();
    let mut all_errors = String::new();
    for name in &names {
        let path = broken.join(name);
        let lower = name.to_lowercase();
        let command = if [".jpg", ".jpeg", ".tif", ".tiff", ".heic", ".heif"]
            .iter()
            .any(|ext| lower.ends_with(ext))
        {
            "photos"
        } else if lower.ends_with(".uddf") {
            "dive"
        } else {
            "track"
        };
        let mut args = vec!["--json", "import", command, path.to_str().expect("utf-8")];
        if command == "photos" {
            args.push(good_photo.to_str().expect("utf-8"));
        }
        let output = book.run(&args);
        let errors = String::from_utf8_lossy(&output.stderr).into_owned();
        all_errors.push_str(&errors);
        let tolerated = TOLERATED.contains(&name.as_str());
        if !tolerated {
            let line = errors
                .lines()
                .find(|line| line.contains(name.as_str()))
                .unwrap_or_else(|| panic!("{name}: no line names the file: {errors}"));
            assert!(
                line.len() > name.len() + 20,
                "{name}: the line gives a reason: {line}"
            );
            // Refused, or kept for its sound pixels with a warning about
            // its damaged EXIF block (the JSON says which, in any language).
            let kept_with_warning = serde_json::from_slice::<serde_json::Value>(&output.stdout)
                .ok()
                .and_then(|import| import["files"].as_array().cloned())
                .unwrap_or_default()
                .iter()
                .any(|file| {
                    file["file"]
                        .as_str()
                        .is_some_and(|file| file.ends_with(name.as_str()))
                        && file["status"] == "imported"
                        && file["detail"].as_str().is_some_and(|d| d.contains("EXIF"))
                });
            assert!(
                !output.status.success() || kept_with_warning,
                "{name} should be refused: {line}"
            );
        }
        assert!(!errors.contains("panicked"), "{name}: {errors}");
        if command == "photos" && output.status.code().is_some() {
            // The good photo of the same batch went in.
            let import: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
            let imported_or_known = import["files"]
                .as_array()
                .expect("files")
                .iter()
                .any(|file| {
                    file["file"]
                        .as_str()
                        .is_some_and(|file| file.ends_with("et_apple.jpg"))
                        && file["status"] != "failed"
                });
            assert!(
                imported_or_known,
                "{name}: the rest of the batch must go on: {import}"
            );
        }
    }
    // The course is French: no reader's reason is left in English (each
    // English template's longer words would show if it were).
    for (key, template) in voussoir_core::words::errors::EN
        .iter()
        .filter(|(key, _)| key.starts_with("ingest.") || key.starts_with("bundle."))
    {
        for piece in template.split(['{', '}']).filter(|piece| piece.len() >= 15) {
            assert!(
                !all_errors.contains(piece),
                "`{key}` left in English: {all_errors}"
            );
        }
    }
    // The field book is sound after all that.
    let check: String = book
        .database()
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .expect("integrity");
    assert_eq!(check, "ok");
}

#[test]
fn a_text_file_named_jpg_and_a_decompression_bomb_are_refused() {
    let book = book_with_inspection();
    let text = book.path().join("notes.jpg");
    std::fs::write(&text, "These are my notes from the bridge, not a photo.\n").expect("write");
    // A JPEG header declaring 60000 x 60000 pixels, and nothing behind it.
    let bomb = book.path().join("bomb.jpg");
    let mut bytes = vec![
        0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0xEA, 0x60, 0xEA, 0x60, 0x03,
    ];
    bytes.extend_from_slice(&[1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    bytes.extend_from_slice(&[0xFF, 0xD9]);
    std::fs::write(&bomb, bytes).expect("write");
    let output = book.run(&[
        "import",
        "photos",
        text.to_str().expect("utf-8"),
        bomb.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let errors = String::from_utf8_lossy(&output.stderr);
    assert!(
        errors.contains("notes.jpg : un fichier texte, pas une photo"),
        "{errors}"
    );
    assert!(
        errors.contains("bomb.jpg") && errors.contains("60000 x 60000"),
        "{errors}"
    );
    assert_eq!(book.count("photo"), 0);
}

#[test]
fn the_same_photo_under_another_name_is_a_duplicate() {
    let book = book_with_inspection();
    let original = fixture("field/IMG_0101.JPG");
    let copy = book.path().join("renamed.jpg");
    std::fs::copy(&original, &copy).expect("copy");
    let first = book.json(&["import", "photos", original.to_str().expect("utf-8")]);
    assert_eq!(first["imported"], 1);
    let second = book.json(&[
        "import",
        "photos",
        copy.to_str().expect("utf-8"),
        original.to_str().expect("utf-8"),
    ]);
    assert_eq!(second["imported"], 0);
    assert_eq!(second["duplicates"], 2);
    let detail = second["files"].to_string();
    assert!(detail.contains("same photo as"), "{detail}");
    assert_eq!(book.count("photo"), 1);
}

#[test]
fn the_fixture_walk_places_photos_on_the_right_components() {
    let book = book_with_inspection();
    book.ok(&[
        "import",
        "track",
        fixture("field/alice-walk.gpx").to_str().expect("utf-8"),
    ]);
    book.ok(&[
        "import",
        "dive",
        fixture("field/dive-p2.ssrf").to_str().expect("utf-8"),
    ]);
    book.ok(&[
        "import",
        "photos",
        fixture("field").to_str().expect("utf-8"),
    ]);
    let report = book.json(&["geotag", "--camera", "TG-7", "--clock-offset", "-73"]);
    assert_eq!(report["photos"], 7);
    assert_eq!(report["clock_offset_s"], -73.0);
    let photos = book.json(&["photo", "list"]);
    let by_name = |name: &str| {
        photos
            .as_array()
            .expect("photos")
            .iter()
            .find(|photo| {
                photo["file"]
                    .as_str()
                    .is_some_and(|file| file.ends_with(name))
            })
            .cloned()
            .unwrap_or_else(|| panic!("{name}"))
    };
    let on_parapet = by_name("IMG_0103.JPG");
    assert_eq!(on_parapet["position_source"], "track");
    assert_eq!(on_parapet["component"], "GC");
    assert!(on_parapet["position_note"]
        .as_str()
        .expect("note")
        .contains("interpolated"));
    let diving = by_name("IMG_0110.JPG");
    assert_eq!(diving["underwater"], true);
    assert_eq!(diving["depth_m"], 3.5);
    assert_eq!(diving["component"], "FND-P2");
    let phone = by_name("PXL_0001.jpg");
    assert_eq!(phone["position_source"], "exif");
    assert_eq!(phone["taken_at"], "2026-03-12T09:32:27Z");
    // Without the correction, the same photo is 73 s later on the track.
    book.ok(&["geotag", "--camera", "TG-7"]);
    let uncorrected = book.json(&["photo", "list"]);
    let moved = uncorrected
        .as_array()
        .expect("photos")
        .iter()
        .find(|photo| {
            photo["file"]
                .as_str()
                .is_some_and(|file| file.ends_with("IMG_0103.JPG"))
        })
        .expect("photo")
        .clone();
    assert_ne!(moved["lon"], on_parapet["lon"]);
}

#[test]
fn sync_points_from_the_gps_screen_give_the_offset() {
    let book = book_with_inspection();
    book.ok(&[
        "import",
        "track",
        fixture("field/alice-walk.gpx").to_str().expect("utf-8"),
    ]);
    book.ok(&[
        "import",
        "photos",
        fixture("field").to_str().expect("utf-8"),
    ]);
    // IMG_0101 says 10:31:26 local (09:31:26Z); the logger's screen in it read 09:30:13Z.
    let report = book.json(&[
        "geotag",
        "--camera",
        "TG-7",
        "--sync",
        "2026-03-12T09:30:13Z@IMG_0101.JPG",
    ]);
    assert_eq!(report["clock_offset_s"], -73.0);
    let error = book.fails(&["geotag", "--sync", "2026-03-12T09:30:13Z@NOPE.JPG"]);
    assert!(
        error.contains("aucune photo importée nommée « NOPE.JPG »"),
        "{error}"
    );
}

#[test]
fn a_killed_photo_import_leaves_a_sound_book_and_resumes_without_duplicates() {
    let Some(corpus) = corpus() else { return };
    let book = book_with_inspection();
    // 120 distinct large photos: one 4K frame with a different trailer each.
    let source =
        std::fs::read(corpus.join("photos/mapillary_sony_hdr-as300_offset.jpg")).expect("read");
    let batch = book.path().join("card");
    std::fs::create_dir_all(&batch).expect("mkdir");
    for index in 0..120 {
        let mut bytes = source.clone();
        bytes.extend_from_slice(format!("copy {index}").as_bytes());
        std::fs::write(batch.join(format!("DSC{index:05}.JPG")), bytes).expect("write");
    }
    let mut child = voussoir()
        .arg("--book")
        .arg(book.path())
        .args(["import", "photos", batch.to_str().expect("utf-8")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    // Wait until some photos are in, then kill -9.
    let started = std::time::Instant::now();
    loop {
        std::thread::sleep(std::time::Duration::from_millis(50));
        let count: i64 = rusqlite::Connection::open(book.path().join("voussoir.db"))
            .and_then(|connection| {
                connection.query_row("SELECT count(*) FROM photo", [], |row| row.get(0))
            })
            .unwrap_or(0);
        if count >= 5 || started.elapsed().as_secs() > 60 {
            break;
        }
    }
    child.kill().expect("kill");
    child.wait().expect("wait");
    let partial = book.count("photo");
    assert!(
        partial > 0 && partial < 120,
        "killed midway: {partial} photos in"
    );
    let check: String = book
        .database()
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .expect("integrity");
    assert_eq!(check, "ok");
    // Running the same import again completes it.
    let resumed = book.json(&["import", "photos", batch.to_str().expect("utf-8")]);
    assert_eq!(resumed["failed"], 0);
    assert_eq!(
        resumed["imported"].as_i64().expect("count")
            + resumed["duplicates"].as_i64().expect("count"),
        120
    );
    assert_eq!(book.count("photo"), 120);
    // Every stored photo has both its copies on disk, and is placed: the
    // photos the killed run stored are placed by the second run too
    // (regression, issue 8), with their corrected time and a note.
    let unplaced: i64 = book
        .database()
        .query_row("SELECT count(*) FROM photo WHERE placed = 0", [], |row| {
            row.get(0)
        })
        .expect("count");
    assert_eq!(unplaced, 0);
    let photos = book.json(&["photo", "list"]);
    for photo in photos.as_array().expect("photos") {
        assert!(photo["taken_at"].is_string(), "placed: {photo}");
        assert!(photo["position_note"].is_string(), "placed: {photo}");
        let relative = photo["thumbnail"].as_str().expect("copy");
        assert!(
            book.path().join("media").join(relative).is_file(),
            "{relative}"
        );
        assert!(photo["review"].is_null(), "made on first need: {photo}");
    }
}

/// GeographicLib through Python, the independent reference for geodesic
/// lengths, when it is installed (CI installs Debian's
/// python3-geographiclib).
fn geographiclib_python() -> Option<&'static str> {
    ["/usr/bin/python3", "python3"].into_iter().find(|python| {
        std::process::Command::new(python)
            .args(["-c", "import geographiclib.geodesic"])
            .output()
            .is_ok_and(|output| output.status.success())
    })
}

/// The length of a GPX file's track segments (not its routes), summed
/// within segments, by GeographicLib.
fn geographiclib_length_m(python: &str, gpx: &Path) -> f64 {
    let script = r#"
import sys, xml.etree.ElementTree as ET
from geographiclib.geodesic import Geodesic
total = 0.0
for element in ET.parse(sys.argv[1]).iter():
    if element.tag.rsplit('}', 1)[-1] != 'trkseg':
        continue
    points = [(float(p.get('lat')), float(p.get('lon'))) for p in element
              if p.tag.rsplit('}', 1)[-1] == 'trkpt']
    for (lat1, lon1), (lat2, lon2) in zip(points, points[1:]):
        total += Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)['s12']
print(repr(total))
"#;
    let output = std::process::Command::new(python)
        .args(["-c", script])
        .arg(gpx)
        .output()
        .expect("run python");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .expect("a length")
}

#[test]
fn track_lengths_are_geodesic_as_geographiclib_measures_them() {
    let Some(python) = geographiclib_python() else {
        eprintln!("SKIPPED: Python geographiclib is not installed; geodesic lengths not checked");
        return;
    };
    let mut files = vec![fixture("field/alice-walk.gpx")];
    if let Some(corpus) = corpus() {
        for name in [
            "georust_garmin-activity.gpx",
            "gpsbabel_gpsies_2segments.gpx",
            "gpxpy_around-visnjan-with-car.gpx",
        ] {
            files.push(corpus.join("gpx").join(name));
        }
    }
    for file in files {
        let book = book_with_inspection();
        book.ok(&["import", "track", file.to_str().expect("utf-8")]);
        // The stored length, to the last digit; the listing rounds it to
        // a tenth of a metre.
        let ours: f64 = book
            .database()
            .query_row("SELECT length_m FROM track", [], |row| row.get(0))
            .expect("length");
        let listed = book.json(&["track", "list"])[0]["length_m"]
            .as_f64()
            .expect("listed length");
        assert!((listed - ours).abs() <= 0.05, "{listed} lists {ours}");
        let reference = geographiclib_length_m(python, &file);
        assert!(reference > 100.0, "{}: a real walk", file.display());
        let relative = (ours - reference).abs() / reference;
        assert!(
            relative < 1e-6,
            "{}: {ours} m against GeographicLib's {reference} m",
            file.display()
        );
    }
}

#[test]
fn pipes_devices_and_deeply_nested_xml_are_refused_without_hanging() {
    let book = book_with_inspection();
    let fifo = book.path().join("track.gpx");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    let mut inputs: Vec<(&str, std::path::PathBuf)> = vec![
        ("track", std::path::PathBuf::from("/dev/zero")),
        ("dive", std::path::PathBuf::from("/dev/zero")),
        ("photos", std::path::PathBuf::from("/dev/zero")),
    ];
    if made.is_ok_and(|status| status.success()) {
        inputs.push(("track", fifo.clone()));
        inputs.push(("dive", fifo));
    }
    for (what, path) in inputs {
        let mut child = voussoir()
            .args(["--book", book.path_str(), "import", what])
            .arg(&path)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while child.try_wait().expect("wait").is_none() {
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                panic!("import {what} {} hangs", path.display());
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let output = child.wait_with_output().expect("output");
        let text = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        assert!(
            text.contains("not a regular file"),
            "import {what} {}: {text}",
            path.display()
        );
    }
    // Ten thousand nested elements: refused with the reason, memory flat.
    let nested = book.path().join("nested.gpx");
    let depth = 10_000;
    let text = format!(
        "<gpx version=\"1.1\">{}{}</gpx>",
        "<e>".repeat(depth),
        "</e>".repeat(depth)
    );
    std::fs::write(&nested, text).expect("write");
    let output = book.run(&["import", "track", nested.to_str().expect("utf-8")]);
    let said = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("imbriqués sur plus de 256 niveaux"), "{said}");
    // A point with 200,000 attributes is read in linear time.
    let wide = book.path().join("wide.gpx");
    let attributes: String = (0..200_000).map(|n| format!(" a{n}=\"1\"")).collect();
    std::fs::write(
        &wide,
        format!("<gpx version=\"1.1\"><trk><trkseg><trkpt lat=\"48.73\" lon=\"-3.46\"{attributes}/></trkseg></trk></gpx>"),
    )
    .expect("write");
    let imported = book.json(&["import", "track", wide.to_str().expect("utf-8")]);
    assert_eq!(imported["imported"], 1, "{imported}");
}

/// A photo list without the paths of its copies, to compare imports.
fn without_copies(list: &serde_json::Value) -> Vec<serde_json::Value> {
    let mut photos: Vec<serde_json::Value> = list
        .as_array()
        .expect("photos")
        .iter()
        .map(|photo| {
            let mut photo = photo.clone();
            let object = photo.as_object_mut().expect("object");
            for key in ["thumbnail", "review", "original"] {
                object.remove(key);
            }
            photo
        })
        .collect();
    photos.sort_by_key(|photo| photo["hash"].as_str().map(str::to_string));
    photos
}

#[test]
fn review_copies_follow_on_first_export_and_an_eager_import_places_the_same() {
    let field = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(fixture("field")).expect("fixtures") {
        let path = entry.expect("entry").path();
        if path
            .extension()
            .is_some_and(|extension| extension.eq_ignore_ascii_case("jpg"))
        {
            std::fs::copy(&path, field.path().join(path.file_name().expect("name"))).expect("copy");
        }
    }
    let folder = field.path().to_str().expect("utf-8");
    let lazy = book_with_inspection();
    lazy.ok(&["import", "photos", folder]);
    let eager = book_with_inspection();
    eager.ok(&["import", "photos", folder, "--review-copies-now"]);
    let lazy_list = lazy.json(&["photo", "list"]);
    let eager_list = eager.json(&["photo", "list"]);
    assert!(lazy_list
        .as_array()
        .expect("photos")
        .iter()
        .all(|photo| photo["review"].is_null()));
    assert!(eager_list
        .as_array()
        .expect("photos")
        .iter()
        .all(|photo| photo["review"].is_string()));
    assert_eq!(
        without_copies(&lazy_list),
        without_copies(&eager_list),
        "same hashes, times, positions and notes either way"
    );

    // One original is gone before the export: the bundle is written, its
    // photo keeps its thumbnail, and the warning names it.
    std::fs::remove_file(field.path().join("IMG_0104.JPG")).expect("remove");
    let target = lazy.path().join("bundle.zip");
    let exported = lazy.json(&[
        "export",
        "bundle",
        "--output",
        target.to_str().expect("utf-8"),
    ]);
    let warnings = exported["warnings"].as_array().expect("warnings");
    assert_eq!(warnings.len(), 1, "{exported}");
    assert!(
        warnings[0].as_str().expect("text").contains("IMG_0104.JPG"),
        "{exported}"
    );
    assert!(target.is_file());
    let after = lazy.json(&["photo", "list"]);
    for photo in after.as_array().expect("photos") {
        let gone = photo["file"]
            .as_str()
            .expect("file")
            .ends_with("IMG_0104.JPG");
        assert_eq!(photo["review"].is_null(), gone, "{photo}");
        if let Some(review) = photo["review"].as_str() {
            assert!(lazy.path().join("media").join(review).is_file());
        }
    }
    // A second export makes nothing again and warns again.
    let again = lazy.json(&[
        "export",
        "bundle",
        "--output",
        target.to_str().expect("utf-8"),
    ]);
    assert_eq!(again["warnings"].as_array().map(Vec::len), Some(1));
}
