//! Geotagging speed: 10,000 photo times placed on a 1,000,000-point track.
//! Run with `cargo bench -p voussoir-core --bench geotag`; results are
//! reported in docs/performance.md. Plain timing with `Instant`, best of
//! several runs, so the bench needs no extra dependency.

use std::hint::black_box;
use std::time::{Duration, Instant};

use voussoir_core::geotag::{GeotagOptions, Geotagger, Placement};
use voussoir_core::track::{Segment, Track, TrackPoint};

const TRACK_POINTS: i64 = 1_000_000;
const PHOTOS: i64 = 10_000;
const RUNS: usize = 7;

fn best_of(runs: usize, mut work: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    // One fix a second, walking a slow spiral around Lannion.
    let start_ms = 1_773_306_000_000_i64;
    let points: Vec<TrackPoint> = (0..TRACK_POINTS)
        .map(|second| {
            let angle = second as f64 / 600.0;
            TrackPoint {
                time_ms: Some(start_ms + second * 1000),
                lon: -3.46 + 0.001 * angle.cos(),
                lat: 48.73 + 0.001 * angle.sin(),
                elevation_m: Some(10.0),
                hdop: Some(0.9),
                pdop: None,
                satellites: Some(9),
            }
        })
        .collect();
    let track = Track {
        name: None,
        segments: vec![Segment { points }],
        routes: Vec::new(),
        waypoints: Vec::new(),
    };
    let photo_times: Vec<i64> = (0..PHOTOS)
        .map(|index| start_ms + index * (TRACK_POINTS * 1000 / PHOTOS) + 437)
        .collect();

    let mut geotagger = None;
    let build = best_of(RUNS, || {
        geotagger = Some(Geotagger::new(
            black_box(std::slice::from_ref(&track)),
            GeotagOptions::default(),
        ));
    });
    let Some(geotagger) = geotagger else {
        return;
    };
    let mut placed = 0;
    let locate = best_of(RUNS, || {
        placed = photo_times
            .iter()
            .filter(|time| {
                matches!(
                    geotagger.locate(black_box(**time)),
                    Placement::Placed { .. }
                )
            })
            .count();
    });
    println!("geotag: {PHOTOS} photos on a {TRACK_POINTS}-point track");
    println!(
        "  prepare the track (filter, sort): {:>8.1} ms",
        build.as_secs_f64() * 1000.0
    );
    println!(
        "  place the photos:                 {:>8.1} ms ({placed} placed)",
        locate.as_secs_f64() * 1000.0
    );
    println!(
        "  total:                            {:>8.1} ms",
        (build + locate).as_secs_f64() * 1000.0
    );
}
