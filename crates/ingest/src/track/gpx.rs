//! GPX 1.0 and 1.1: tracks with their segments, routes and waypoints,
//! read as a stream of XML events.

use quick_xml::events::Event;
use std::io::BufRead;

use voussoir_core::track::{Segment, Track, TrackPoint};

use super::{blank_point, empty_read, valid_position, TrackFormat, TrackRead};
use crate::parse_xml_time;
use crate::xml::{attribute, local_name, push_text};

/// Where a GPX point goes once it is complete.
#[derive(Clone, Copy, PartialEq)]
enum GpxPointKind {
    Track,
    Route,
    Waypoint,
}

pub(super) fn read_gpx<R: BufRead>(
    input: R,
    zone: &jiff::tz::TimeZone,
) -> Result<TrackRead, String> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buffer = Vec::new();
    let mut read = empty_read(TrackFormat::Gpx);
    let mut stack: Vec<String> = Vec::new();
    let mut point: Option<(GpxPointKind, TrackPoint, usize)> = None;
    let mut text = String::new();
    let mut bad_points = 0usize;
    let mut bad_times = 0usize;
    let mut saw_gpx = false;
    loop {
        let event = reader.read_event_into(&mut buffer).map_err(|error| {
            format!("malformed XML at byte {}: {error}", reader.error_position())
        })?;
        match &event {
            Event::Start(start) | Event::Empty(start) => {
                let name = local_name(start);
                let is_empty = matches!(event, Event::Empty(_));
                match name.as_str() {
                    "gpx" => saw_gpx = true,
                    "trkseg" if !is_empty || point.is_none() => {
                        read.track.segments.push(Segment::default());
                    }
                    "rte" => read.track.routes.push(Segment::default()),
                    "trkpt" | "rtept" | "wpt" => {
                        let kind = match name.as_str() {
                            "trkpt" => GpxPointKind::Track,
                            "rtept" => GpxPointKind::Route,
                            _ => GpxPointKind::Waypoint,
                        };
                        let lat = attribute(start, "lat")
                            .and_then(|value| value.trim().parse::<f64>().ok());
                        let lon = attribute(start, "lon")
                            .and_then(|value| value.trim().parse::<f64>().ok());
                        match (lon, lat) {
                            (Some(lon), Some(lat)) if valid_position(lon, lat) => {
                                let new_point = (kind, blank_point(lon, lat), stack.len());
                                if is_empty {
                                    finish_gpx_point(&mut read.track, new_point.0, new_point.1);
                                } else {
                                    point = Some(new_point);
                                }
                            }
                            _ => bad_points += 1,
                        }
                    }
                    "trk" => {}
                    _ => {}
                }
                if !is_empty {
                    crate::xml::enter(&mut stack, name)?;
                    text.clear();
                }
            }
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                if let Some((kind, current, depth)) = point.as_mut() {
                    // Only the point's own children, not its extensions.
                    if stack.len() == *depth + 1 {
                        let value = text.trim();
                        match name.as_str() {
                            "ele" => current.elevation_m = value.parse().ok(),
                            "time" => {
                                current.time_ms = parse_xml_time(value, zone);
                                if current.time_ms.is_none() && !value.is_empty() {
                                    bad_times += 1;
                                }
                            }
                            "hdop" => current.hdop = value.parse().ok(),
                            "pdop" => current.pdop = value.parse().ok(),
                            "sat" => current.satellites = value.parse().ok(),
                            _ => {}
                        }
                    }
                    if stack.len() == *depth && matches!(name.as_str(), "trkpt" | "rtept" | "wpt") {
                        let (kind, finished) = (*kind, *current);
                        finish_gpx_point(&mut read.track, kind, finished);
                        point = None;
                    }
                } else if name == "name"
                    && stack.last().map(String::as_str) == Some("trk")
                    && read.track.name.is_none()
                {
                    let value = text.trim();
                    if !value.is_empty() {
                        read.track.name = Some(value.to_string());
                    }
                }
                text.clear();
            }
            Event::Eof => break,
            other => push_text(other, &mut text),
        }
        buffer.clear();
    }
    if !saw_gpx {
        return Err("no <gpx> element: not a GPX file".to_string());
    }
    if !stack.is_empty() {
        return Err(format!(
            "the file ends inside <{}>: it is truncated",
            stack.last().map(String::as_str).unwrap_or("?")
        ));
    }
    if bad_points > 0 {
        read.warnings.push(format!(
            "{bad_points} point(s) without a valid lat/lon skipped"
        ));
    }
    if bad_times > 0 {
        read.warnings.push(format!(
            "{bad_times} point(s) with an unreadable time kept without time"
        ));
    }
    Ok(read)
}

fn finish_gpx_point(track: &mut Track, kind: GpxPointKind, point: TrackPoint) {
    match kind {
        GpxPointKind::Track => {
            if track.segments.is_empty() {
                track.segments.push(Segment::default());
            }
            if let Some(segment) = track.segments.last_mut() {
                segment.points.push(point);
            }
        }
        GpxPointKind::Route => {
            if track.routes.is_empty() {
                track.routes.push(Segment::default());
            }
            if let Some(route) = track.routes.last_mut() {
                route.points.push(point);
            }
        }
        GpxPointKind::Waypoint => track.waypoints.push(point),
    }
}
