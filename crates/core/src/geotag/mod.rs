//! Geotagging by time: placing a photo on the GPS track from its corrected
//! capture time, correcting camera clocks, estimating a clock offset, and
//! assigning the nearest component.
//!
//! The rules follow what exiftool `-geotag` and gpscorrelate do, with safer
//! defaults: interpolate only between two fixes of the same segment at most
//! `max_gap_s` apart; beyond the track's ends, only within
//! `max_extrapolate_s` (default 0, never); fixes can be filtered by HDOP,
//! PDOP and satellite count. Pure: times come in as UTC milliseconds.

use crate::words::reasons::english;
use serde::Serialize;

use crate::geometry::LonLat;
use crate::model::Structure;
use crate::track::{Track, TrackPoint};

mod clock;

pub use clock::{
    capture_time_utc, estimate_offset, parse_clock_offset, ClockCorrection, OffsetEstimate,
};

/// Options for placing photos on tracks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeotagOptions {
    /// Longest time between two fixes to interpolate between (seconds).
    pub max_gap_s: f64,
    /// How far beyond a track's ends a photo may be placed (seconds); it is
    /// then put at the nearest fix.
    pub max_extrapolate_s: f64,
    /// Interpolate across segment breaks of the same track.
    pub across_segments: bool,
    pub max_hdop: Option<f64>,
    pub max_pdop: Option<f64>,
    pub min_satellites: Option<u32>,
}

impl Default for GeotagOptions {
    fn default() -> Self {
        GeotagOptions {
            max_gap_s: 60.0,
            max_extrapolate_s: 0.0,
            across_segments: false,
            max_hdop: None,
            max_pdop: None,
            min_satellites: None,
        }
    }
}

/// Where a photo was placed on a track, or why it was not.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Placement {
    Placed {
        position: LonLat,
        elevation_m: Option<f64>,
        /// Estimated horizontal accuracy in metres.
        accuracy_m: f64,
        note: String,
    },
    NotPlaced {
        note: String,
    },
}

/// Accuracy of one fix when the track does not say: a consumer GPS in the
/// open, in metres.
const DEFAULT_FIX_ACCURACY_M: f64 = 5.0;
/// User equivalent range error used to turn HDOP into metres.
const UERE_M: f64 = 5.0;

fn fix_accuracy_m(point: &TrackPoint) -> f64 {
    point
        .hdop
        .map_or(DEFAULT_FIX_ACCURACY_M, |hdop| (hdop * UERE_M).max(1.0))
}

/// A run of timed fixes, sorted by time, in which interpolation is allowed.
struct Run {
    times: Vec<i64>,
    points: Vec<TrackPoint>,
}

/// Tracks prepared for repeated lookups: fixes filtered and sorted once.
pub struct Geotagger {
    runs: Vec<Run>,
    options: GeotagOptions,
}

fn keep_fix(point: &TrackPoint, options: &GeotagOptions) -> bool {
    if point.time_ms.is_none() {
        return false;
    }
    if let (Some(limit), Some(hdop)) = (options.max_hdop, point.hdop) {
        if hdop > limit {
            return false;
        }
    }
    if let (Some(limit), Some(pdop)) = (options.max_pdop, point.pdop) {
        if pdop > limit {
            return false;
        }
    }
    if let (Some(minimum), Some(satellites)) = (options.min_satellites, point.satellites) {
        if satellites < minimum {
            return false;
        }
    }
    true
}

fn describe_duration(seconds: f64) -> String {
    let seconds = seconds.abs();
    if seconds < 120.0 {
        format!("{seconds:.0} s")
    } else if seconds < 7200.0 {
        format!("{:.0} min", seconds / 60.0)
    } else if seconds < 172_800.0 {
        format!("{:.1} h", seconds / 3600.0)
    } else {
        format!("{:.0} days", seconds / 86_400.0)
    }
}

impl Geotagger {
    pub fn new(tracks: &[Track], options: GeotagOptions) -> Geotagger {
        let mut runs = Vec::new();
        for track in tracks {
            if options.across_segments {
                let points: Vec<TrackPoint> = track
                    .segments
                    .iter()
                    .flat_map(|segment| segment.points.iter().copied())
                    .filter(|point| keep_fix(point, &options))
                    .collect();
                runs.push(points);
            } else {
                for segment in &track.segments {
                    runs.push(
                        segment
                            .points
                            .iter()
                            .copied()
                            .filter(|point| keep_fix(point, &options))
                            .collect(),
                    );
                }
            }
        }
        let runs = runs
            .into_iter()
            .filter(|points| !points.is_empty())
            .map(|mut points| {
                points.sort_by_key(|point| point.time_ms);
                Run {
                    times: points.iter().filter_map(|point| point.time_ms).collect(),
                    points,
                }
            })
            .collect();
        Geotagger { runs, options }
    }

    /// Whether any usable (timed, kept) fix exists.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// Places a photo taken at a corrected UTC time.
    pub fn locate(&self, time_ms: i64) -> Placement {
        if self.runs.is_empty() {
            return Placement::NotPlaced {
                note: english("place.no_track", &[]),
            };
        }
        let max_gap_ms = (self.options.max_gap_s * 1000.0) as i64;
        let max_extrapolate_ms = (self.options.max_extrapolate_s * 1000.0) as i64;
        let mut best: Option<(i64, Placement)> = None;
        let mut nearest_miss: Option<(i64, String)> = None;
        let mut consider_miss = |distance: i64, note: String| {
            if nearest_miss
                .as_ref()
                .is_none_or(|(current, _)| distance < *current)
            {
                nearest_miss = Some((distance, note));
            }
        };
        for run in &self.runs {
            let first = run.times[0];
            let last = run.times[run.times.len() - 1];
            if time_ms < first || time_ms > last {
                let (outside_ms, end_index, before) = if time_ms < first {
                    (first - time_ms, 0, true)
                } else {
                    (time_ms - last, run.points.len() - 1, false)
                };
                let duration = describe_duration(outside_ms as f64 / 1000.0);
                if outside_ms <= max_extrapolate_ms {
                    let point = &run.points[end_index];
                    let placement = Placement::Placed {
                        position: point.position(),
                        elevation_m: point.elevation_m,
                        accuracy_m: fix_accuracy_m(point),
                        note: english(
                            if before {
                                "place.extrapolated_before"
                            } else {
                                "place.extrapolated_after"
                            },
                            &[
                                ("duration", duration),
                                ("max", self.options.max_extrapolate_s.to_string()),
                            ],
                        ),
                    };
                    if best.as_ref().is_none_or(|(score, _)| outside_ms < *score) {
                        best = Some((outside_ms, placement));
                    }
                } else {
                    let key = if before {
                        "place.outside_before"
                    } else {
                        "place.outside_after"
                    };
                    consider_miss(outside_ms, english(key, &[("duration", duration)]));
                }
                continue;
            }
            let after = run.times.partition_point(|time| *time <= time_ms);
            if after == 0 || after > run.points.len() {
                continue;
            }
            let before_point = &run.points[after - 1];
            let Some(after_point) = run.points.get(after) else {
                // Exactly on the last fix.
                let placement = Placement::Placed {
                    position: before_point.position(),
                    elevation_m: before_point.elevation_m,
                    accuracy_m: fix_accuracy_m(before_point),
                    note: english("place.on_fix", &[]),
                };
                best = Some((0, placement));
                continue;
            };
            let before_time = run.times[after - 1];
            let after_time = run.times[after];
            let gap_ms = after_time - before_time;
            if gap_ms > max_gap_ms {
                consider_miss(
                    0,
                    english(
                        "place.gap",
                        &[
                            ("duration", describe_duration(gap_ms as f64 / 1000.0)),
                            ("max", self.options.max_gap_s.to_string()),
                        ],
                    ),
                );
                continue;
            }
            let fraction = if gap_ms == 0 {
                0.0
            } else {
                (time_ms - before_time) as f64 / gap_ms as f64
            };
            let position = LonLat {
                lon: before_point.lon + fraction * (after_point.lon - before_point.lon),
                lat: before_point.lat + fraction * (after_point.lat - before_point.lat),
            };
            let elevation_m = match (before_point.elevation_m, after_point.elevation_m) {
                (Some(a), Some(b)) => Some(a + fraction * (b - a)),
                (a, b) => a.or(b),
            };
            let leg_m = before_point.position().distance_m(after_point.position());
            let accuracy_m =
                fix_accuracy_m(before_point).max(fix_accuracy_m(after_point)) + leg_m / 4.0;
            let note = if gap_ms == 0 || time_ms == before_time {
                english("place.on_fix", &[])
            } else {
                english(
                    "place.interpolated",
                    &[("duration", describe_duration(gap_ms as f64 / 1000.0))],
                )
            };
            if best.as_ref().is_none_or(|(score, _)| gap_ms < *score) {
                best = Some((
                    gap_ms,
                    Placement::Placed {
                        position,
                        elevation_m,
                        accuracy_m,
                        note,
                    },
                ));
            }
        }
        if let Some((_, placement)) = best {
            return placement;
        }
        let note = match nearest_miss {
            Some((_, note)) => note,
            None => english("place.not_covered", &[]),
        };
        // Between two segments of one track reads better said plainly.
        if !self.options.across_segments && self.between_segments(time_ms) {
            return Placement::NotPlaced {
                note: english("place.between_segments", &[]),
            };
        }
        Placement::NotPlaced { note }
    }

    fn between_segments(&self, time_ms: i64) -> bool {
        let mut ends_before = false;
        let mut starts_after = false;
        for run in &self.runs {
            let first = run.times[0];
            let last = run.times[run.times.len() - 1];
            if last < time_ms {
                ends_before = true;
            }
            if first > time_ms {
                starts_after = true;
            }
            if first <= time_ms && time_ms <= last {
                return false;
            }
        }
        ends_before && starts_after
    }
}

/// Default distance beyond which a photo is not assigned to any component.
pub const DEFAULT_COMPONENT_RADIUS_M: f64 = 50.0;

/// The nearest positioned component within `radius_m`, with its distance.
pub fn nearest_component(
    structure: &Structure,
    position: LonLat,
    radius_m: f64,
    underwater: bool,
) -> Option<(String, f64)> {
    structure
        .components
        .iter()
        .filter_map(|component| {
            let distance = component.position?.distance_m(position);
            // Under water, prefer underwater parts: a diver at a pier's foot
            // photographs its foundation, not the deck above.
            let weight = if underwater && !component.underwater {
                2.0
            } else {
                1.0
            };
            Some((component.code.clone(), distance, distance * weight))
        })
        .filter(|(_, distance, _)| *distance <= radius_m)
        .min_by(|a, b| a.2.total_cmp(&b.2))
        .map(|(code, distance, _)| (code, distance))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::track::Segment;

    fn fix(seconds: i64, lat: f64) -> TrackPoint {
        TrackPoint {
            time_ms: Some(seconds * 1000),
            lon: 0.0,
            lat,
            elevation_m: Some(10.0),
            hdop: None,
            pdop: None,
            satellites: None,
        }
    }

    fn track(segments: Vec<Vec<TrackPoint>>) -> Track {
        Track {
            name: None,
            segments: segments
                .into_iter()
                .map(|points| Segment { points })
                .collect(),
            routes: Vec::new(),
            waypoints: Vec::new(),
        }
    }

    fn placed_lat(placement: &Placement) -> Option<f64> {
        match placement {
            Placement::Placed { position, .. } => Some(position.lat),
            Placement::NotPlaced { .. } => None,
        }
    }

    fn note(placement: &Placement) -> String {
        match placement {
            Placement::Placed { note, .. } | Placement::NotPlaced { note } => note.clone(),
        }
    }

    #[test]
    fn a_photo_between_two_fixes_is_interpolated_linearly() {
        let tagger = Geotagger::new(
            &[track(vec![vec![fix(0, 0.0), fix(10, 1.0)]])],
            GeotagOptions::default(),
        );
        let placement = tagger.locate(2_500);
        assert!((placed_lat(&placement).expect("placed") - 0.25).abs() < 1e-12);
        assert!(note(&placement).contains("10 s apart"));
    }

    #[test]
    fn a_gap_longer_than_max_gap_is_not_bridged() {
        let tagger = Geotagger::new(
            &[track(vec![vec![fix(0, 0.0), fix(300, 1.0)]])],
            GeotagOptions::default(),
        );
        let placement = tagger.locate(100_000);
        assert_eq!(placed_lat(&placement), None);
        assert!(
            note(&placement).contains("gap of 5 min"),
            "{}",
            note(&placement)
        );
    }

    #[test]
    fn a_photo_beyond_the_track_is_refused_by_default() {
        let tagger = Geotagger::new(
            &[track(vec![vec![fix(0, 0.0), fix(10, 1.0)]])],
            GeotagOptions::default(),
        );
        let placement = tagger.locate(15_000);
        assert_eq!(placed_lat(&placement), None);
        assert!(note(&placement).contains("5 s after the track ends"));
    }

    #[test]
    fn extrapolation_puts_the_photo_at_the_nearest_end_within_the_limit() {
        let options = GeotagOptions {
            max_extrapolate_s: 10.0,
            ..GeotagOptions::default()
        };
        let tagger = Geotagger::new(&[track(vec![vec![fix(0, 0.0), fix(10, 1.0)]])], options);
        assert_eq!(placed_lat(&tagger.locate(15_000)), Some(1.0));
        assert_eq!(placed_lat(&tagger.locate(-5_000)), Some(0.0));
        assert_eq!(placed_lat(&tagger.locate(25_000)), None);
    }

    #[test]
    fn segment_breaks_are_respected_unless_asked() {
        let tracks = [track(vec![
            vec![fix(0, 0.0), fix(10, 1.0)],
            vec![fix(20, 2.0), fix(30, 3.0)],
        ])];
        let tagger = Geotagger::new(&tracks, GeotagOptions::default());
        let placement = tagger.locate(15_000);
        assert_eq!(placed_lat(&placement), None);
        assert!(note(&placement).contains("between two track segments"));
        let across = Geotagger::new(
            &tracks,
            GeotagOptions {
                across_segments: true,
                ..GeotagOptions::default()
            },
        );
        assert!((placed_lat(&across.locate(15_000)).expect("placed") - 1.5).abs() < 1e-12);
    }

    #[test]
    fn fixes_are_filtered_by_hdop_and_satellites() {
        let mut bad = fix(5, 50.0);
        bad.hdop = Some(12.0);
        bad.satellites = Some(3);
        let tracks = [track(vec![vec![fix(0, 0.0), bad, fix(10, 1.0)]])];
        let unfiltered = Geotagger::new(&tracks, GeotagOptions::default());
        assert_eq!(placed_lat(&unfiltered.locate(5_000)), Some(50.0));
        let by_hdop = Geotagger::new(
            &tracks,
            GeotagOptions {
                max_hdop: Some(5.0),
                ..GeotagOptions::default()
            },
        );
        assert!((placed_lat(&by_hdop.locate(5_000)).expect("placed") - 0.5).abs() < 1e-12);
        let by_satellites = Geotagger::new(
            &tracks,
            GeotagOptions {
                min_satellites: Some(4),
                ..GeotagOptions::default()
            },
        );
        assert!((placed_lat(&by_satellites.locate(5_000)).expect("placed") - 0.5).abs() < 1e-12);
    }

    #[test]
    fn untimed_fixes_are_never_used() {
        let mut untimed = fix(5, 50.0);
        untimed.time_ms = None;
        let tagger = Geotagger::new(&[track(vec![vec![untimed]])], GeotagOptions::default());
        assert!(tagger.is_empty());
        assert!(note(&tagger.locate(5_000)).contains("no track"));
    }

    #[test]
    fn two_overlapping_loggers_are_each_used() {
        let tracks = [
            track(vec![vec![fix(0, 0.0), fix(100, 1.0)]]),
            track(vec![vec![fix(40, 10.0), fix(50, 11.0)]]),
        ];
        let tagger = Geotagger::new(&tracks, GeotagOptions::default());
        // The 10 s leg of the second logger beats the 100 s gap of the first.
        assert!((placed_lat(&tagger.locate(45_000)).expect("placed") - 10.5).abs() < 1e-12);
    }

    #[test]
    fn a_constant_offset_is_added_to_the_camera_time() {
        assert_eq!(ClockCorrection::Offset(-73_000).correct(100_000), 27_000);
    }

    #[test]
    fn sync_points_follow_a_drifting_clock_and_extrapolate() {
        let correction = ClockCorrection::from_sync(vec![(1_000_000, 1_010_000), (0, 0)]);
        assert_eq!(correction.offset_at(0), 0);
        assert_eq!(correction.offset_at(500_000), 5_000);
        assert_eq!(correction.offset_at(2_000_000), 20_000);
        let single = ClockCorrection::from_sync(vec![(100, 350)]);
        assert_eq!(single, ClockCorrection::Offset(250));
    }

    #[test]
    fn the_clock_offset_is_estimated_from_photos_with_their_own_gps() {
        let points: Vec<TrackPoint> = (0..600)
            .map(|second| fix(second, second as f64 * 1e-4))
            .collect();
        let tagger = Geotagger::new(&[track(vec![points])], GeotagOptions::default());
        // The camera runs 73 s fast: a photo at true time t says t + 73.
        let photos: Vec<(i64, LonLat)> = [100, 250, 400]
            .iter()
            .map(|true_s| {
                (
                    (true_s + 73) * 1000,
                    LonLat {
                        lon: 0.0,
                        lat: *true_s as f64 * 1e-4,
                    },
                )
            })
            .collect();
        let estimate = estimate_offset(&tagger, &photos, 3600).expect("estimate");
        assert_eq!(estimate.offset_s, -73.0);
        assert_eq!(estimate.photos_used, 3);
        assert!(estimate.uncertainty_s <= 1.0);
    }

    #[test]
    fn the_nearest_component_within_the_radius_is_assigned() {
        let mut structure = crate::grading::test_support::bridge();
        structure.components[0].position = Some(LonLat { lon: 0.0, lat: 0.0 });
        structure.components[1].position = Some(LonLat {
            lon: 0.0,
            lat: 0.0003,
        });
        let near_pier = LonLat {
            lon: 0.0,
            lat: 0.00028,
        };
        let (code, distance) =
            nearest_component(&structure, near_pier, 50.0, false).expect("assigned");
        assert_eq!(code, "P1");
        assert!(distance < 3.0);
        let far = LonLat {
            lon: 0.0,
            lat: 0.01,
        };
        assert_eq!(nearest_component(&structure, far, 50.0, false), None);
    }
}
