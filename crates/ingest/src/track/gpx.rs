//! GPX 1.0 and 1.1: tracks with their segments, routes and waypoints,
//! read as a stream of XML events.

use quick_xml::events::Event;
use std::io::BufRead;

use voussoir_core::track::{Segment, Track, TrackPoint};

use super::{blank_point, empty_read, valid_position, TrackFormat, TrackRead};
use crate::parse_xml_time;
use crate::xml::{attribute_with, push_text};

/// The element names, the most frequent first.
const TAGS: [(&[u8], Tag); 13] = [
    (b"trkpt", Tag::Trkpt),
    (b"time", Tag::Time),
    (b"ele", Tag::Ele),
    (b"trkseg", Tag::Trkseg),
    (b"hdop", Tag::Hdop),
    (b"pdop", Tag::Pdop),
    (b"sat", Tag::Sat),
    (b"rtept", Tag::Rtept),
    (b"wpt", Tag::Wpt),
    (b"rte", Tag::Rte),
    (b"trk", Tag::Trk),
    (b"name", Tag::Name),
    (b"gpx", Tag::Gpx),
];

/// The GPX elements the reader acts on; the stack holds these, not names.
#[derive(Clone, Copy, PartialEq)]
enum Tag {
    Gpx,
    Trk,
    Trkseg,
    Rte,
    Trkpt,
    Rtept,
    Wpt,
    Ele,
    Time,
    Hdop,
    Pdop,
    Sat,
    Name,
    Other,
}

impl Tag {
    fn of(start: &quick_xml::events::BytesStart<'_>) -> Tag {
        Tag::from_name(start.local_name().as_ref())
    }

    fn from_name(name: &[u8]) -> Tag {
        TAGS.iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
            .map_or(Tag::Other, |(_, tag)| *tag)
    }

    fn name(self) -> &'static str {
        TAGS.iter()
            .find(|(_, tag)| *tag == self)
            .and_then(|(name, _)| std::str::from_utf8(name).ok())
            .unwrap_or("an element")
    }
}

fn coordinate(start: &quick_xml::events::BytesStart<'_>, name: &[u8]) -> Option<f64> {
    attribute_with(start, name, |value| value.trim().parse::<f64>().ok())
}

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
    let mut stack: Vec<Tag> = Vec::new();
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
                let name = Tag::of(start);
                let is_empty = matches!(event, Event::Empty(_));
                match name {
                    Tag::Gpx => saw_gpx = true,
                    Tag::Trkseg if !is_empty || point.is_none() => {
                        read.track.segments.push(Segment::default());
                    }
                    Tag::Rte => read.track.routes.push(Segment::default()),
                    Tag::Trkpt | Tag::Rtept | Tag::Wpt => {
                        let kind = match name {
                            Tag::Trkpt => GpxPointKind::Track,
                            Tag::Rtept => GpxPointKind::Route,
                            _ => GpxPointKind::Waypoint,
                        };
                        let lat = coordinate(start, b"lat");
                        let lon = coordinate(start, b"lon");
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
                    _ => {}
                }
                if !is_empty {
                    crate::xml::enter(&mut stack, name)?;
                    text.clear();
                }
            }
            Event::End(_) => {
                let name = stack.pop().unwrap_or(Tag::Other);
                if let Some((kind, current, depth)) = point.as_mut() {
                    // Only the point's own children, not its extensions.
                    if stack.len() == *depth + 1 {
                        let value = text.trim();
                        match name {
                            Tag::Ele => current.elevation_m = value.parse().ok(),
                            Tag::Time => {
                                current.time_ms = parse_xml_time(value, zone);
                                if current.time_ms.is_none() && !value.is_empty() {
                                    bad_times += 1;
                                }
                            }
                            Tag::Hdop => current.hdop = value.parse().ok(),
                            Tag::Pdop => current.pdop = value.parse().ok(),
                            Tag::Sat => current.satellites = value.parse().ok(),
                            _ => {}
                        }
                    }
                    if stack.len() == *depth && matches!(name, Tag::Trkpt | Tag::Rtept | Tag::Wpt) {
                        let (kind, finished) = (*kind, *current);
                        finish_gpx_point(&mut read.track, kind, finished);
                        point = None;
                    }
                } else if name == Tag::Name
                    && stack.last() == Some(&Tag::Trk)
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
        let inside = stack.last().map_or("?", |tag| tag.name());
        return Err(format!("the file ends inside <{inside}>: it is truncated"));
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
