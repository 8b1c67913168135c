//! Export speed: an inspection with 10,000 photos, 500 defects and a
//! 1,000,000-point track, written to GeoJSON and drawn as an SVG map.
//! Run with `cargo bench -p voussoir-export --bench export`; results in
//! docs/performance.md.

use std::time::Instant;

use voussoir_core::grading::{grade_inspection, Iqoa};
use voussoir_core::model::*;
use voussoir_core::track::{Segment, Track, TrackPoint};
use voussoir_core::{LonLat, Photo, PhotoPlacement, PositionSource};
use voussoir_export::geojson::{write_geojson, GeoJsonOptions};
use voussoir_export::map::{render_map, MapOptions};
use voussoir_export::{InspectionData, TrackData};

/// Counts bytes written, so the output costs nothing to keep.
struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn data() -> InspectionData {
    let centre = LonLat {
        lon: -3.461,
        lat: 48.731,
    };
    let components: Vec<Component> = (0..12)
        .map(|index| Component {
            code: format!("P{index}"),
            kind: ComponentKind::Pier,
            name: None,
            material: Some(Material::Concrete),
            position: Some(LonLat {
                lon: centre.lon + index as f64 * 0.0001,
                lat: centre.lat,
            }),
            underwater: false,
            critical_scour_depth_m: None,
            quantity: None,
        })
        .collect();
    let structure = Structure {
        code: "BENCH".to_string(),
        name: "Bench bridge".to_string(),
        kind: StructureKind::Beam,
        material: Some(Material::Concrete),
        position: Some(centre),
        axis: vec![
            centre,
            LonLat {
                lon: centre.lon + 0.0011,
                lat: centre.lat,
            },
        ],
        crossing: None,
        deadline: None,
        components,
    };
    let inspection = Inspection {
        id: 1,
        structure: "BENCH".to_string(),
        kind: InspectionKind::DetailedPeriodic,
        inspector: Some("bench".to_string()),
        date: None,
        weather: None,
        is_reference: false,
        scheme: "iqoa".to_string(),
        not_inspected: Vec::new(),
    };
    let defects: Vec<Defect> = (0..500)
        .map(|index| Defect {
            id: index,
            component: format!("P{}", index % 12),
            type_code: "CON-CRACK".to_string(),
            severity: Some(["1", "2", "2E", "3", "3U"][index as usize % 5].to_string()),
            extent: None,
            measurements: Measurements {
                crack_width_mm: Some(0.3),
                ..Measurements::default()
            },
            position: Some(LonLat {
                lon: centre.lon + (index % 100) as f64 * 0.00001,
                lat: centre.lat + 0.00002,
            }),
            note: Some(format!("defect {index}")),
            photos: Vec::new(),
        })
        .collect();
    let grading = grade_inspection(&Iqoa, &structure, &inspection, &defects);
    let photos: Vec<Photo> = (0..10_000)
        .map(|index| Photo {
            hash: format!("{index:064x}"),
            file: format!("/card/DCIM/IMG_{index:05}.JPG"),
            format: "JPEG".to_string(),
            placement: PhotoPlacement {
                taken_at: "2026-03-12T09:30:00Z".parse().ok(),
                position: Some(LonLat {
                    lon: centre.lon + (index % 1000) as f64 * 0.000001,
                    lat: centre.lat - 0.00003,
                }),
                position_source: PositionSource::Track,
                position_note: Some("interpolated between fixes 1 s apart".to_string()),
                accuracy_m: Some(5.2),
                component: Some(format!("P{}", index % 12)),
                ..PhotoPlacement::default()
            },
            placed: true,
            thumbnail: Some(format!("ab/{index:064x}-thumb.jpg")),
            ..Photo::default()
        })
        .collect();
    let points: Vec<TrackPoint> = (0..1_000_000i64)
        .map(|second| {
            let angle = second as f64 / 600.0;
            TrackPoint {
                time_ms: Some(1_773_306_000_000 + second * 1000),
                lon: centre.lon + 0.001 * angle.cos(),
                lat: centre.lat + 0.001 * angle.sin(),
                elevation_m: Some(8.0),
                hdop: None,
                pdop: None,
                satellites: None,
            }
        })
        .collect();
    InspectionData {
        course_code: "BENCH".to_string(),
        course_name: "Bench".to_string(),
        scheme: "iqoa".to_string(),
        language: "en".to_string(),
        structure,
        inspection,
        defects,
        grading,
        photos,
        tracks: vec![TrackData {
            file: "big.gpx".to_string(),
            format: "GPX".to_string(),
            track: Track {
                name: None,
                segments: vec![Segment { points }],
                routes: Vec::new(),
                waypoints: Vec::new(),
            },
        }],
        dives: Vec::new(),
        own_grades: Vec::new(),
    }
}

fn best_of(runs: usize, mut work: impl FnMut() -> usize) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut size = 0;
    for _ in 0..runs {
        let start = Instant::now();
        size = work();
        best = best.min(start.elapsed().as_secs_f64());
    }
    (best, size)
}

fn main() {
    let data = data();
    let (geojson, bytes) = best_of(5, || {
        let mut counter = Counter(0);
        write_geojson(&data, GeoJsonOptions::default(), &mut counter).expect("write");
        counter.0
    });
    let (simplified, simplified_bytes) = best_of(5, || {
        let mut counter = Counter(0);
        write_geojson(
            &data,
            GeoJsonOptions {
                simplify_m: Some(1.0),
            },
            &mut counter,
        )
        .expect("write");
        counter.0
    });
    let (map, svg_bytes) = best_of(5, || render_map(&data, MapOptions::default()).len());
    println!("export: 10,000 photos, 500 defects, a 1,000,000-point track (best of 5)");
    println!(
        "  GeoJSON, every point:        {:>7.0} ms, {:>5.1} MB",
        geojson * 1000.0,
        bytes as f64 / 1e6
    );
    println!(
        "  GeoJSON, --simplify 1 m:     {:>7.0} ms, {:>5.1} MB",
        simplified * 1000.0,
        simplified_bytes as f64 / 1e6
    );
    println!(
        "  SVG map:                     {:>7.0} ms, {:>5.1} MB",
        map * 1000.0,
        svg_bytes as f64 / 1e6
    );
}
