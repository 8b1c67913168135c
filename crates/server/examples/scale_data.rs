//! Builds a data folder for the load benchmark: the sample course grown to
//! 10 structures and 100 trainees, a reference inspection per structure,
//! and one submission per trainee and structure (1,000 in all), each with
//! defects, 5 photos (real JPEG copies) and a 300-point track.
//!
//! Usage: `cargo run --release -p voussoir-server --example scale_data -- DIR PASSWORD`
//! (see crates/server/benches/load.sh).

use voussoir_core::model::{Defect, InspectionKind, Measurements};
use voussoir_core::track::{Segment, Track, TrackPoint};
use voussoir_core::{Course, LonLat};
use voussoir_core::{Photo, PhotoPlacement, PositionSource};
use voussoir_store::{FieldBook, MediaKind, NewInspection, Role};

const STRUCTURES: usize = 10;
const TRAINEES: usize = 100;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(
        args.next()
            .unwrap_or_else(|| "/tmp/voussoir-load".to_string()),
    );
    let password = args
        .next()
        .unwrap_or_else(|| "load-test-password".to_string());
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    let mut book = FieldBook::init(&dir)?;
    // The sample course, with its bridge copied ten times along the river.
    let base = include_str!("../../../fixtures/course.toml");
    let mut text = base
        .split("[[structures]]")
        .next()
        .unwrap_or_default()
        .to_string();
    text = text.replace(
        "[[trainees]]\nname = \"alice\"",
        "[[trainees]]\nname = \"alice-unused\"",
    );
    for trainee in 0..TRAINEES {
        text.push_str(&format!("\n[[trainees]]\nname = \"trainee{trainee:03}\"\n"));
    }
    let structure_text = format!(
        "[[structures]]{}",
        base.split("[[structures]]").nth(1).unwrap_or_default()
    );
    for index in 0..STRUCTURES {
        let shifted = structure_text
            .replace("PONT-LEGUER", &format!("PONT-{index:02}"))
            .replace("-3.46", &format!("-3.4{}", 6 + index));
        text.push_str(&shifted);
    }
    let course = Course::from_toml(&text)?;
    book.load_course(&course)?;
    let hash = voussoir_server::auth::hash_password(&password)
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    book.add_user("instructor", Role::Instructor, &hash, Some(&course.code))?;
    let jpeg = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/field/IMG_0103.JPG"
    ))?;
    let reference_defects = |structure: &voussoir_core::Structure| -> Vec<Defect> {
        structure
            .components
            .iter()
            .enumerate()
            .filter(|(_, component)| {
                component.material != Some(voussoir_core::model::Material::Masonry)
            })
            .filter(|(_, component)| {
                matches!(component.kind.code(), "pier" | "span" | "foundation")
            })
            .map(|(index, component)| Defect {
                id: 0,
                component: component.code.clone(),
                type_code: if component.kind.code() == "foundation" {
                    "UW-SCOUR"
                } else {
                    "CON-SPALL"
                }
                .to_string(),
                severity: Some(["2", "2E", "3"][index % 3].to_string()),
                extent: None,
                measurements: Measurements {
                    area_m2: Some(0.5),
                    ..Measurements::default()
                },
                position: component.position,
                note: Some("reference".to_string()),
                photos: Vec::new(),
            })
            .collect()
    };
    let mut photo_counter = 0u64;
    for structure in &course.structures {
        let reference = book.new_inspection(&NewInspection {
            structure: structure.code.clone(),
            kind: InspectionKind::DetailedPeriodic,
            inspector: Some("instructor".to_string()),
            date: None,
            weather: None,
            is_reference: true,
            not_inspected: Vec::new(),
        })?;
        book.add_defects(reference.id, &reference_defects(structure))?;
    }
    for trainee in 0..TRAINEES {
        let name = format!("trainee{trainee:03}");
        let user = book.add_user(&name, Role::Trainee, &hash, Some(&course.code))?;
        for (index, structure) in course.structures.iter().enumerate() {
            let inspection = book.new_inspection(&NewInspection {
                structure: structure.code.clone(),
                kind: InspectionKind::DetailedPeriodic,
                inspector: Some(name.clone()),
                date: None,
                weather: None,
                is_reference: false,
                not_inspected: Vec::new(),
            })?;
            // Miss one defect in three, grade some differently.
            let defects: Vec<Defect> = reference_defects(structure)
                .into_iter()
                .enumerate()
                .filter(|(number, _)| (number + trainee + index) % 3 != 0)
                .map(|(number, mut defect)| {
                    if (number + trainee) % 4 == 0 {
                        defect.severity = Some("2".to_string());
                    }
                    defect.note = Some(format!("{name} note {number}"));
                    defect
                })
                .collect();
            book.add_defects(inspection.id, &defects)?;
            let origin = structure.position.unwrap_or(LonLat {
                lon: -3.46,
                lat: 48.73,
            });
            for shot in 0..5 {
                photo_counter += 1;
                let photo_hash = format!("{:064x}", photo_counter);
                let thumbnail = book
                    .media()
                    .write(&photo_hash, MediaKind::Thumbnail, &jpeg)?;
                let review = book.media().write(&photo_hash, MediaKind::Review, &jpeg)?;
                let position = LonLat {
                    lon: origin.lon + shot as f64 * 0.0001,
                    lat: origin.lat,
                };
                book.insert_photo(&Photo {
                    hash: photo_hash,
                    inspection_id: Some(inspection.id),
                    file: format!("IMG_{shot}.JPG"),
                    format: "JPEG".to_string(),
                    placement: PhotoPlacement {
                        taken_at: "2026-03-12T09:30:00Z".parse().ok(),
                        position: Some(position),
                        position_source: PositionSource::Track,
                        component: structure
                            .components
                            .get(shot)
                            .map(|component| component.code.clone()),
                        ..PhotoPlacement::default()
                    },
                    placed: true,
                    thumbnail: Some(thumbnail),
                    review: Some(review),
                    ..Photo::default()
                })?;
            }
            let points = (0..300)
                .map(|second| TrackPoint {
                    time_ms: Some(1_773_306_000_000 + second * 1000),
                    lon: origin.lon + (second as f64 / 300.0) * 0.001,
                    lat: origin.lat + 0.0001 * (second as f64 / 20.0).sin(),
                    elevation_m: None,
                    hdop: None,
                    pdop: None,
                    satellites: None,
                })
                .collect();
            let track = Track {
                name: None,
                segments: vec![Segment { points }],
                routes: Vec::new(),
                waypoints: Vec::new(),
            };
            book.insert_track(
                Some(inspection.id),
                "walk.gpx",
                &format!("track-{}", inspection.id),
                "GPX",
                &track,
            )?;
            let suggested = voussoir_app::review::suggested_mark(&book, inspection.id)?;
            book.add_submission(user.id, &structure.code, inspection.id, suggested)?;
        }
    }
    println!(
        "built {}: {STRUCTURES} structures, {TRAINEES} trainees, {} submissions, {photo_counter} photos",
        dir.display(),
        STRUCTURES * TRAINEES
    );
    Ok(())
}
