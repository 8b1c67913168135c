//! KML: LineString, gx:Track, gx:MultiTrack and Point placemarks, read as
//! a stream of XML events.

use quick_xml::events::Event;
use std::io::BufRead;

use voussoir_core::track::{Segment, TrackPoint};

use super::{blank_point, empty_read, valid_position, TrackFormat, TrackRead};
use crate::parse_xml_time;
use crate::xml::{local_name, push_text};

pub(super) fn read_kml<R: BufRead>(
    input: R,
    zone: &jiff::tz::TimeZone,
) -> Result<TrackRead, String> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buffer = Vec::new();
    let mut read = empty_read(TrackFormat::Kml);
    let mut stack: Vec<String> = Vec::new();
    let mut text = String::new();
    // gx:Track state: its <when> times and <coord> positions, paired at the end.
    let mut whens: Vec<Option<i64>> = Vec::new();
    let mut coords: Vec<TrackPoint> = Vec::new();
    let mut placemark_time: Option<i64> = None;
    let mut saw_kml = false;
    loop {
        let event = reader.read_event_into(&mut buffer).map_err(|error| {
            format!("malformed XML at byte {}: {error}", reader.error_position())
        })?;
        match &event {
            Event::Start(start) => {
                let name = local_name(start);
                match name.as_str() {
                    "kml" => saw_kml = true,
                    "track" => {
                        whens.clear();
                        coords.clear();
                    }
                    "placemark" => placemark_time = None,
                    _ => {}
                }
                crate::xml::enter(&mut stack, name)?;
                text.clear();
            }
            Event::Empty(start) => {
                if local_name(start) == "kml" {
                    saw_kml = true;
                }
            }
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                let parent = stack.last().map(String::as_str).unwrap_or("");
                let value = text.trim().to_string();
                match name.as_str() {
                    "name"
                        if parent == "placemark"
                            && read.track.name.is_none()
                            && !value.is_empty() =>
                    {
                        read.track.name = Some(value);
                    }
                    "when" if parent == "track" => whens.push(parse_xml_time(&value, zone)),
                    "when" if parent == "timestamp" => {
                        placemark_time = parse_xml_time(&value, zone)
                    }
                    "coord" if parent == "track" => {
                        let numbers: Vec<f64> = value
                            .split_whitespace()
                            .filter_map(|part| part.parse().ok())
                            .collect();
                        if let [lon, lat, rest @ ..] = numbers.as_slice() {
                            if valid_position(*lon, *lat) {
                                let mut point = blank_point(*lon, *lat);
                                point.elevation_m = rest.first().copied();
                                coords.push(point);
                            }
                        }
                    }
                    "track" => {
                        let mut segment = Segment::default();
                        for (index, mut point) in coords.drain(..).enumerate() {
                            point.time_ms = whens.get(index).copied().flatten();
                            segment.points.push(point);
                        }
                        read.track.segments.push(segment);
                    }
                    "coordinates" => {
                        let points = parse_kml_coordinates(&value)?;
                        match parent {
                            "linestring" => read.track.segments.push(Segment { points }),
                            "point" => {
                                for mut point in points {
                                    point.time_ms = placemark_time;
                                    read.track.waypoints.push(point);
                                }
                            }
                            // Polygons and rings are areas, not tracks.
                            _ => {}
                        }
                    }
                    _ => {}
                }
                text.clear();
            }
            Event::Eof => break,
            other => push_text(other, &mut text),
        }
        buffer.clear();
    }
    if !saw_kml {
        return Err("no <kml> element: not a KML file".to_string());
    }
    if !stack.is_empty() {
        return Err(format!(
            "the file ends inside <{}>: it is truncated",
            stack.last().map(String::as_str).unwrap_or("?")
        ));
    }
    Ok(read)
}

fn parse_kml_coordinates(text: &str) -> Result<Vec<TrackPoint>, String> {
    text.split_whitespace()
        .map(|tuple| {
            let numbers: Option<Vec<f64>> = tuple
                .split(',')
                .map(|part| {
                    part.trim()
                        .parse::<f64>()
                        .ok()
                        .filter(|value| value.is_finite())
                })
                .collect();
            match numbers.as_deref() {
                Some([lon, lat, rest @ ..]) if valid_position(*lon, *lat) => {
                    let mut point = blank_point(*lon, *lat);
                    point.elevation_m = rest.first().copied();
                    Ok(point)
                }
                _ => Err(format!(
                    "coordinates `{tuple}` are not longitude,latitude[,altitude] in degrees"
                )),
            }
        })
        .collect()
}
