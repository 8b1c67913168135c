//! Camera clocks: a camera's local time in UTC, a correction by a fixed
//! offset or by sync points for a drifting clock, and the estimate of an
//! offset from photos that carry their own GPS.

use serde::Serialize;

use super::{Geotagger, Placement};
use crate::geometry::LonLat;

/// A correction of the camera clock: a constant offset, or sync points
/// (camera time → true time) interpolated piecewise linearly to follow a
/// drifting clock, extrapolated from the two nearest points outside them.
#[derive(Debug, Clone, PartialEq)]
pub enum ClockCorrection {
    /// Milliseconds added to the camera time.
    Offset(i64),
    /// Pairs of (camera time, true time), UTC milliseconds.
    Sync(Vec<(i64, i64)>),
}

impl ClockCorrection {
    /// Builds a correction from sync points; one point gives a constant
    /// offset.
    pub fn from_sync(mut points: Vec<(i64, i64)>) -> ClockCorrection {
        points.sort_by_key(|(camera, _)| *camera);
        points.dedup_by_key(|(camera, _)| *camera);
        if points.len() == 1 {
            let (camera, truth) = points[0];
            ClockCorrection::Offset(truth - camera)
        } else {
            ClockCorrection::Sync(points)
        }
    }

    /// The offset (true − camera) in milliseconds at a camera time.
    ///
    /// ```
    /// use voussoir_core::geotag::ClockCorrection;
    /// // A camera 73 s fast: --clock-offset -73.
    /// assert_eq!(ClockCorrection::Offset(-73_000).correct(1_000_000), 927_000);
    /// // Drifting: 10 s slow at 0, 20 s slow at 1000 s.
    /// let drift = ClockCorrection::from_sync(vec![(0, 10_000), (1_000_000, 1_020_000)]);
    /// assert_eq!(drift.correct(500_000), 515_000);
    /// ```
    pub fn offset_at(&self, camera_ms: i64) -> i64 {
        match self {
            ClockCorrection::Offset(offset) => *offset,
            ClockCorrection::Sync(points) => {
                let index = points
                    .partition_point(|(camera, _)| *camera <= camera_ms)
                    .clamp(1, points.len() - 1);
                let (camera_a, truth_a) = points[index - 1];
                let (camera_b, truth_b) = points[index];
                let offset_a = (truth_a - camera_a) as f64;
                let offset_b = (truth_b - camera_b) as f64;
                let fraction = (camera_ms - camera_a) as f64 / (camera_b - camera_a) as f64;
                (offset_a + fraction * (offset_b - offset_a)).round() as i64
            }
        }
    }

    pub fn correct(&self, camera_ms: i64) -> i64 {
        camera_ms + self.offset_at(camera_ms)
    }
}

/// An estimated camera clock offset.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OffsetEstimate {
    /// Seconds to add to the camera time.
    pub offset_s: f64,
    /// Half-width of the range of offsets that fit almost as well.
    pub uncertainty_s: f64,
    pub photos_used: usize,
    /// Median distance between the photos' own positions and the track at
    /// the estimated offset, in metres.
    pub median_distance_m: f64,
    /// Other offsets far from this one fit about as well (a track passing
    /// the same places twice): check the result.
    pub ambiguous: bool,
}

/// Estimates the camera clock offset from photos that carry both their own
/// GPS position and a camera time (already in UTC, uncorrected), by finding
/// the offset at which the track agrees best with their positions.
/// Searches ±`search_s` seconds. `None` when no photo can be placed at any
/// offset.
pub fn estimate_offset(
    geotagger: &Geotagger,
    photos: &[(i64, LonLat)],
    search_s: i64,
) -> Option<OffsetEstimate> {
    if photos.is_empty() || geotagger.is_empty() {
        return None;
    }
    let cost = |offset_s: i64| -> Option<f64> {
        let mut distances: Vec<f64> = photos
            .iter()
            .filter_map(
                |(time_ms, position)| match geotagger.locate(time_ms + offset_s * 1000) {
                    Placement::Placed {
                        position: placed, ..
                    } => Some(placed.distance_m(*position)),
                    Placement::NotPlaced { .. } => None,
                },
            )
            .collect();
        // Offsets that place fewer than half the photos do not count.
        if distances.len() * 2 < photos.len() || distances.is_empty() {
            return None;
        }
        distances.sort_by(f64::total_cmp);
        Some(distances[distances.len() / 2])
    };
    let coarse_step = 10;
    let mut coarse_scores = Vec::new();
    let mut offset = -search_s;
    while offset <= search_s {
        if let Some(value) = cost(offset) {
            coarse_scores.push((offset, value));
        }
        offset += coarse_step;
    }
    let best_coarse = coarse_scores
        .iter()
        .map(|(_, value)| *value)
        .min_by(f64::total_cmp)?;
    // Among offsets that fit about as well, the smallest correction wins: a
    // track that loops back past the same place must not move a clock by
    // half an hour when it was right.
    let fitting: Vec<i64> = coarse_scores
        .iter()
        .filter(|(_, value)| *value <= best_coarse * 1.1 + 1.0)
        .map(|(offset, _)| *offset)
        .collect();
    let coarse = fitting.iter().copied().min_by_key(|offset| offset.abs())?;
    let ambiguous = fitting.iter().any(|offset| (offset - coarse).abs() > 120);
    let mut scores = Vec::new();
    for offset in (coarse - 3 * coarse_step)..=(coarse + 3 * coarse_step) {
        if let Some(value) = cost(offset) {
            scores.push((offset, value));
        }
    }
    let (best_offset, best_value) = scores.iter().copied().min_by(|a, b| a.1.total_cmp(&b.1))?;
    let tolerance = best_value * 1.1 + 1.0;
    let near: Vec<i64> = scores
        .iter()
        .filter(|(_, value)| *value <= tolerance)
        .map(|(offset, _)| *offset)
        .collect();
    let low = near.iter().copied().min().unwrap_or(best_offset);
    let high = near.iter().copied().max().unwrap_or(best_offset);
    let used = photos
        .iter()
        .filter(|(time_ms, _)| {
            matches!(
                geotagger.locate(time_ms + best_offset * 1000),
                Placement::Placed { .. }
            )
        })
        .count();
    Some(OffsetEstimate {
        offset_s: best_offset as f64,
        uncertainty_s: ((high - low) as f64 / 2.0).max(0.5),
        photos_used: used,
        median_distance_m: best_value,
        ambiguous,
    })
}

/// The UTC time of a camera's local capture time: the photo's own offset
/// (EXIF OffsetTimeOriginal) when it has one, else the time zone's rules on
/// that date (daylight saving included; an hour that occurs twice when
/// clocks go back is read as the first).
///
/// ```
/// use jiff::{civil::datetime, tz::TimeZone};
/// use voussoir_core::geotag::capture_time_utc;
/// let paris = TimeZone::get("Europe/Paris").unwrap();
/// // Summer time: UTC+2.
/// let utc = capture_time_utc(datetime(2026, 7, 1, 12, 0, 0, 0), None, &paris).unwrap();
/// assert_eq!(utc.to_string(), "2026-07-01T10:00:00Z");
/// ```
pub fn capture_time_utc(
    local: jiff::civil::DateTime,
    offset: Option<jiff::tz::Offset>,
    zone: &jiff::tz::TimeZone,
) -> Result<jiff::Timestamp, jiff::Error> {
    match offset {
        Some(offset) => offset.to_timestamp(local),
        None => zone.to_ambiguous_timestamp(local).compatible(),
    }
}

/// Parses a clock offset: `-73`, `+1:30`, `-01:02:03` (seconds, or
/// [H]H:MM[:SS]), with an optional sign.
///
/// ```
/// use voussoir_core::geotag::parse_clock_offset;
/// assert_eq!(parse_clock_offset("-73"), Some(-73.0));
/// assert_eq!(parse_clock_offset("+01:00:30"), Some(3630.0));
/// assert_eq!(parse_clock_offset("1:30"), Some(5400.0));
/// assert_eq!(parse_clock_offset("abc"), None);
/// ```
pub fn parse_clock_offset(text: &str) -> Option<f64> {
    let text = text.trim();
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, text.strip_prefix('+').unwrap_or(text)),
    };
    if !body.contains(':') {
        let seconds: f64 = body.parse().ok()?;
        return seconds.is_finite().then_some(sign * seconds);
    }
    let parts: Vec<&str> = body.split(':').collect();
    let numbers: Vec<f64> = parts
        .iter()
        .map(|part| part.parse::<f64>().ok().filter(|value| *value >= 0.0))
        .collect::<Option<Vec<_>>>()?;
    let seconds = match numbers.as_slice() {
        [hours, minutes] if *minutes < 60.0 => hours * 3600.0 + minutes * 60.0,
        [hours, minutes, seconds] if *minutes < 60.0 && *seconds < 60.0 => {
            hours * 3600.0 + minutes * 60.0 + seconds
        }
        _ => return None,
    };
    Some(sign * seconds)
}
