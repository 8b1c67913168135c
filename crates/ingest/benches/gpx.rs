//! GPX reading speed: a generated 1,000,000-point track, parsed by
//! `read_track` (streaming, every point kept). Run with
//! `cargo bench -p voussoir-ingest --bench gpx`; compare with
//! `gpsbabel -i gpx` in `benches/peers.sh`. Results in docs/performance.md.

use std::io::Write;
use std::time::Instant;

fn main() {
    let dir = std::env::temp_dir().join("voussoir-gpx-bench");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("big.gpx");
    if !path.exists() {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="bench" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>"#).expect("write");
        let start = jiff::Timestamp::from_second(1_720_944_000).expect("time");
        for second in 0..1_000_000i64 {
            let angle = second as f64 / 600.0;
            let time = start
                .checked_add(jiff::SignedDuration::from_secs(second))
                .expect("time");
            writeln!(
                out,
                r#"<trkpt lat="{:.7}" lon="{:.7}"><ele>{}.0</ele><time>{time}</time></trkpt>"#,
                48.73 + 0.001 * angle.sin(),
                -3.46 + 0.001 * angle.cos(),
                10 + second % 7
            )
            .expect("write");
        }
        writeln!(out, "</trkseg></trk></gpx>").expect("write");
    }
    let size = std::fs::metadata(&path).expect("size").len();
    let mut best = f64::MAX;
    let mut points = 0;
    for _ in 0..5 {
        let start = Instant::now();
        let read =
            voussoir_ingest::track::read_track(&path, &jiff::tz::TimeZone::UTC).expect("read");
        best = best.min(start.elapsed().as_secs_f64());
        points = read.track.summary().points;
    }
    println!(
        "gpx: {points} points, {} MB read in {:.3} s (best of 5): {:.2} µs/point",
        size / 1_000_000,
        best,
        best * 1e6 / points as f64
    );
}
