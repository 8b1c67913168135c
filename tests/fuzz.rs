//! Fuzzing every parser on the stable toolchain: seeds (the fixtures, the
//! shared corpus when present, a real bundle) are mutated by proptest —
//! bytes flipped, cut, repeated, inserted, removed — and fed to each
//! parser, which must answer Ok or Err and never panic, hang or abort.
//!
//! `cargo test` runs a few cases per target; `scripts/fuzz.sh` runs many
//! (`VOUSSOIR_FUZZ_CASES`). docs/security.md records what was run.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::util::fixture;

/// Cases per target: a few in `cargo test`, as many as asked by the script.
fn cases() -> u32 {
    std::env::var("VOUSSOIR_FUZZ_CASES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(48)
}

/// One change to a seed.
#[derive(Debug, Clone)]
enum Mutation {
    Flip {
        at: usize,
        byte: u8,
    },
    Cut {
        at: usize,
    },
    Insert {
        at: usize,
        bytes: Vec<u8>,
    },
    Remove {
        at: usize,
        length: usize,
    },
    Repeat {
        at: usize,
        length: usize,
        times: usize,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip { at, byte }),
        1 => any::<usize>().prop_map(|at| Mutation::Cut { at }),
        2 => (any::<usize>(), proptest::collection::vec(
                prop_oneof![any::<u8>(), Just(b'<'), Just(b'>'), Just(b'"'), Just(b','), Just(b'\n')], 1..16))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        2 => (any::<usize>(), 1usize..64).prop_map(|(at, length)| Mutation::Remove { at, length }),
        1 => (any::<usize>(), 1usize..32, 2usize..64)
            .prop_map(|(at, length, times)| Mutation::Repeat { at, length, times }),
    ]
}

fn apply(seed: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for mutation in mutations {
        let length = bytes.len().max(1);
        match mutation {
            Mutation::Flip { at, byte } => {
                if !bytes.is_empty() {
                    let at = at % bytes.len();
                    bytes[at] = *byte;
                }
            }
            Mutation::Cut { at } => bytes.truncate(at % length),
            Mutation::Insert {
                at,
                bytes: inserted,
            } => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, inserted.iter().copied());
            }
            Mutation::Remove {
                at,
                length: removed,
            } => {
                let at = at % length;
                let end = (at + removed).min(bytes.len());
                if at < end {
                    bytes.drain(at..end);
                }
            }
            Mutation::Repeat {
                at,
                length: repeated,
                times,
            } => {
                let at = at % length;
                let end = (at + repeated).min(bytes.len());
                if at < end {
                    let piece = bytes[at..end].to_vec();
                    for _ in 0..*times {
                        bytes.splice(end..end, piece.iter().copied());
                    }
                }
            }
        }
    }
    bytes
}

/// Files of the fixtures and the corpus whose names end with one of
/// `extensions`, at most 256 kB each.
fn seeds(extensions: &[&str]) -> Vec<Vec<u8>> {
    let mut folders = vec![fixture("field"), fixture("")];
    if let Some(corpus) = crate::util::corpus() {
        folders.push(corpus.clone());
        if let Ok(entries) = std::fs::read_dir(&corpus) {
            folders.extend(
                entries
                    .flatten()
                    .map(|entry| entry.path())
                    .filter(|path| path.is_dir()),
            );
        }
    }
    let mut found: Vec<PathBuf> = folders
        .iter()
        .filter_map(|folder| std::fs::read_dir(folder).ok())
        .flat_map(|entries| entries.flatten().map(|entry| entry.path()))
        .filter(|path| {
            let name = path.to_string_lossy().to_lowercase();
            extensions.iter().any(|extension| name.ends_with(extension))
        })
        .filter(|path| std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() <= 256 * 1024))
        .collect();
    found.sort();
    found.dedup();
    found
        .iter()
        .filter_map(|path| std::fs::read(path).ok())
        .collect()
}

/// Runs `target` on mutated seeds; a panic fails the test with the input.
fn fuzz(name: &str, seeds: Vec<Vec<u8>>, target: impl Fn(&[u8])) {
    assert!(!seeds.is_empty(), "{name}: no seed");
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (0..seeds.len(), proptest::collection::vec(mutation(), 0..6));
    runner
        .run(&strategy, |(seed, mutations)| {
            let input = apply(&seeds[seed], &mutations);
            target(&input);
            Ok(())
        })
        .unwrap_or_else(|error| panic!("{name}: {error}"));
}

fn paris() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("Europe/Paris").expect("zone")
}

#[test]
fn fuzz_photo_metadata_and_previews() {
    fuzz("jpeg/exif", seeds(&[".jpg", ".jpeg"]), |bytes| {
        if let Ok(read) =
            voussoir_ingest::photo::read_photo_bytes(Path::new("x.jpg"), bytes.to_vec())
        {
            let _ = voussoir_ingest::photo::make_previews(&read);
        }
    });
}

#[test]
fn fuzz_track_formats() {
    use voussoir_ingest::track::{parse_track, TrackFormat};
    let zone = paris();
    for (format, extensions) in [
        (TrackFormat::Gpx, &[".gpx"][..]),
        (TrackFormat::Kml, &[".kml"][..]),
        (TrackFormat::Nmea, &[".nmea", ".txt", ".log"][..]),
        (TrackFormat::GeoJson, &[".geojson", ".json"][..]),
    ] {
        let mut seeds = seeds(extensions);
        if seeds.is_empty() {
            // Without the corpus: a minimal file of the format.
            seeds.push(match format {
                TrackFormat::Nmea => b"$GPRMC,092751.000,A,4843.8600,N,00327.6600,W,0.1,0.0,120326,,,A*4F\n".to_vec(),
                TrackFormat::GeoJson => br#"{"type":"LineString","coordinates":[[-3.46,48.73],[-3.461,48.731]]}"#.to_vec(),
                TrackFormat::Kml => b"<kml><Placemark><LineString><coordinates>-3.46,48.73 -3.461,48.731</coordinates></LineString></Placemark></kml>".to_vec(),
                TrackFormat::Gpx => std::fs::read(fixture("field/alice-walk.gpx")).expect("walk"),
            });
        }
        fuzz(format.name(), seeds, |bytes| {
            let _ = parse_track(bytes, format, &zone);
        });
    }
}

#[test]
fn fuzz_dive_logs() {
    let zone = paris();
    let mut seeds = seeds(&[".ssrf", ".uddf", ".xml"]);
    seeds.push(std::fs::read(fixture("field/dive-p2.ssrf")).expect("dive"));
    fuzz("dive logs", seeds, |bytes| {
        let _ = voussoir_ingest::dive::parse_dive_log(bytes, &zone);
    });
}

#[test]
fn fuzz_course_file_and_defects_sheet() {
    let course_text = std::fs::read(fixture("course.toml")).expect("course");
    fuzz("course file", vec![course_text.clone()], |bytes| {
        let _ = voussoir_core::Course::from_toml(&String::from_utf8_lossy(bytes));
    });
    let course =
        voussoir_core::Course::from_toml(&String::from_utf8_lossy(&course_text)).expect("course");
    let structure = course.structures[0].clone();
    let sheets = seeds(&["-defects.csv"]);
    fuzz("defects sheet", sheets, |bytes| {
        let _ = voussoir_core::sheet::parse_sheet(
            &String::from_utf8_lossy(bytes),
            &structure,
            &voussoir_core::grading::Iqoa,
        );
    });
}

#[test]
fn fuzz_bundles() {
    let dir = tempfile::tempdir().expect("temp");
    let demo = voussoir_app::demo::build(&dir.path().join("demo")).expect("demo");
    let bundle = demo
        .exports
        .iter()
        .find(|path| path.to_string_lossy().ends_with(".zip"))
        .expect("the demo's bundle");
    let bytes = std::fs::read(bundle).expect("read");
    // The zip itself, and its manifest alone (mutated as JSON).
    fuzz("bundle zip", vec![bytes.clone()], |bytes| {
        let _ =
            voussoir_export::bundle::read_bundle(std::io::Cursor::new(bytes.to_vec()), 50_000_000);
    });
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut manifest = Vec::new();
    std::io::Read::read_to_end(
        &mut archive.by_name("manifest.json").expect("manifest"),
        &mut manifest,
    )
    .expect("read");
    fuzz("bundle manifest", vec![manifest], |bytes| {
        if let Ok(manifest) = serde_json::from_slice::<voussoir_export::bundle::Manifest>(bytes) {
            let _ = voussoir_export::bundle::limits::check_manifest(&manifest);
        }
    });
}
