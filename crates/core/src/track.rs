//! Tracks and dive profiles as values: what the ingest crate reads from GPX,
//! NMEA, KML, GeoJSON, UDDF and Subsurface files, and what geotagging uses.
//!
//! Times are UTC milliseconds since the Unix epoch (`i64`), which keeps a
//! million-point track compact and its search fast.

use serde::Serialize;

use crate::geometry::{path_length_m, LonLat};

/// One fix of a GPS track.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TrackPoint {
    /// UTC milliseconds since the Unix epoch; `None` when the fix has no time
    /// (kept for the map, never used for geotagging).
    pub time_ms: Option<i64>,
    pub lon: f64,
    pub lat: f64,
    pub elevation_m: Option<f64>,
    pub hdop: Option<f64>,
    pub pdop: Option<f64>,
    pub satellites: Option<u32>,
}

impl TrackPoint {
    pub fn position(&self) -> LonLat {
        LonLat {
            lon: self.lon,
            lat: self.lat,
        }
    }
}

/// A continuous run of fixes: the logger did not stop between them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Segment {
    pub points: Vec<TrackPoint>,
}

/// A track read from one file (GPX tracks, routes and waypoints, NMEA
/// sentences, KML LineStrings, GeoJSON LineStrings all become segments).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Track {
    pub name: Option<String>,
    pub segments: Vec<Segment>,
    /// Planned routes (GPX `<rte>`), kept for the map only.
    pub routes: Vec<Segment>,
    /// Stand-alone points (GPX waypoints), kept for the map only.
    pub waypoints: Vec<TrackPoint>,
}

/// Summary figures of a track.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TrackSummary {
    pub points: usize,
    pub timed_points: usize,
    pub segments: usize,
    pub first_time_ms: Option<i64>,
    pub last_time_ms: Option<i64>,
    /// Geodesic length in metres, summed within segments only.
    pub length_m: f64,
}

impl Track {
    /// Points in the track's segments (routes and waypoints apart): what
    /// [`Track::summary`] counts, without measuring the length.
    pub fn point_count(&self) -> usize {
        self.segments
            .iter()
            .map(|segment| segment.points.len())
            .sum()
    }

    pub fn summary(&self) -> TrackSummary {
        let mut points = 0;
        let mut timed_points = 0;
        let mut first_time_ms: Option<i64> = None;
        let mut last_time_ms: Option<i64> = None;
        let mut length_m = 0.0;
        for segment in &self.segments {
            points += segment.points.len();
            for point in &segment.points {
                if let Some(time) = point.time_ms {
                    timed_points += 1;
                    first_time_ms = Some(first_time_ms.map_or(time, |first| first.min(time)));
                    last_time_ms = Some(last_time_ms.map_or(time, |last| last.max(time)));
                }
            }
            let positions: Vec<LonLat> = segment.points.iter().map(TrackPoint::position).collect();
            length_m += path_length_m(&positions);
        }
        TrackSummary {
            points,
            timed_points,
            segments: self.segments.len(),
            first_time_ms,
            last_time_ms,
            length_m,
        }
    }
}

/// One depth sample of a dive profile.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DepthSample {
    /// UTC milliseconds since the Unix epoch.
    pub time_ms: i64,
    pub depth_m: f64,
}

/// One dive: its start and depth-over-time profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dive {
    /// The dive's number in the log, when the log gives one.
    pub number: Option<u32>,
    pub start_ms: i64,
    pub samples: Vec<DepthSample>,
    /// Where the log says the dive was, when it says.
    pub site: Option<LonLat>,
}

impl Dive {
    pub fn end_ms(&self) -> i64 {
        self.samples
            .last()
            .map_or(self.start_ms, |sample| sample.time_ms.max(self.start_ms))
    }

    pub fn max_depth_m(&self) -> f64 {
        self.samples
            .iter()
            .map(|sample| sample.depth_m)
            .fold(0.0, f64::max)
    }

    /// Depth at a time by linear interpolation between samples, or `None`
    /// outside the dive.
    ///
    /// ```
    /// use voussoir_core::track::{DepthSample, Dive};
    /// let dive = Dive { number: None, start_ms: 0, site: None, samples: vec![
    ///     DepthSample { time_ms: 0, depth_m: 0.0 },
    ///     DepthSample { time_ms: 60_000, depth_m: 6.0 },
    /// ]};
    /// assert_eq!(dive.depth_at(30_000), Some(3.0));
    /// assert_eq!(dive.depth_at(90_000), None);
    /// ```
    pub fn depth_at(&self, time_ms: i64) -> Option<f64> {
        let samples = &self.samples;
        let first = samples.first()?;
        let last = samples.last()?;
        if time_ms < first.time_ms || time_ms > last.time_ms {
            return None;
        }
        let after = samples.partition_point(|sample| sample.time_ms <= time_ms);
        if after == 0 {
            return Some(first.depth_m);
        }
        let before = &samples[after - 1];
        let Some(next) = samples.get(after) else {
            return Some(before.depth_m);
        };
        let span = (next.time_ms - before.time_ms) as f64;
        if span <= 0.0 {
            return Some(before.depth_m);
        }
        let fraction = (time_ms - before.time_ms) as f64 / span;
        Some(before.depth_m + fraction * (next.depth_m - before.depth_m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(time_ms: Option<i64>, lat: f64) -> TrackPoint {
        TrackPoint {
            time_ms,
            lon: 0.0,
            lat,
            elevation_m: None,
            hdop: None,
            pdop: None,
            satellites: None,
        }
    }

    #[test]
    fn the_length_is_summed_within_segments_only() {
        let track = Track {
            name: None,
            segments: vec![
                Segment {
                    points: vec![point(Some(0), 0.0), point(Some(1000), 0.001)],
                },
                Segment {
                    points: vec![point(Some(5000), 1.0), point(None, 1.001)],
                },
            ],
            routes: Vec::new(),
            waypoints: Vec::new(),
        };
        let summary = track.summary();
        assert_eq!(summary.points, 4);
        assert_eq!(summary.timed_points, 3);
        assert_eq!(summary.first_time_ms, Some(0));
        assert_eq!(summary.last_time_ms, Some(5000));
        // Two geodesic legs of 0.001 degree near the equator (110.6 m
        // each, GeographicLib), not the 1-degree jump between segments.
        assert!(
            (summary.length_m - 221.148_890).abs() < 1e-3,
            "{}",
            summary.length_m
        );
    }
}
