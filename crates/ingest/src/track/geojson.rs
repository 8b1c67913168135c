//! GeoJSON (RFC 7946): LineString and MultiLineString with `coordTimes`
//! or `times`, and Points, checked as the RFC asks.

use std::io::BufRead;

use voussoir_core::track::{Segment, Track, TrackPoint};

use super::{blank_point, empty_read, valid_position, TrackFormat, TrackRead};
use crate::parse_xml_time;

pub(super) fn read_geojson<R: BufRead>(
    input: R,
    zone: &jiff::tz::TimeZone,
) -> Result<TrackRead, String> {
    let value: serde_json::Value =
        serde_json::from_reader(input).map_err(|error| format!("not valid JSON: {error}"))?;
    let mut read = empty_read(TrackFormat::GeoJson);
    check_geojson_object(&value)?;
    let kind = value
        .get("type")
        .and_then(|kind| kind.as_str())
        .unwrap_or_default();
    match kind {
        "FeatureCollection" => {
            let features = value
                .get("features")
                .and_then(|features| features.as_array())
                .ok_or("a FeatureCollection without a features array")?;
            for feature in features {
                geojson_feature(feature, zone, &mut read.track)?;
            }
        }
        "Feature" => geojson_feature(&value, zone, &mut read.track)?,
        "LineString" | "MultiLineString" | "Point" | "MultiPoint" | "GeometryCollection" => {
            geojson_geometry(&value, None, zone, &mut read.track)?;
        }
        other => return Err(format!("unknown GeoJSON type `{other}`")),
    }
    Ok(read)
}

/// RFC 7946 checks shared by every GeoJSON object: a string `type`, a
/// `bbox` of 4 or 6 numbers when present.
fn check_geojson_object(object: &serde_json::Value) -> Result<(), String> {
    if !object.is_object() {
        return Err("a GeoJSON member that is not an object".to_string());
    }
    if !object.get("type").is_some_and(|kind| kind.is_string()) {
        return Err("an object without a string \"type\"".to_string());
    }
    if let Some(bbox) = object.get("bbox") {
        let valid = bbox.as_array().is_some_and(|values| {
            (values.len() == 4 || values.len() == 6) && values.iter().all(|value| value.is_number())
        });
        if !valid {
            return Err("a bbox that is not an array of 4 or 6 numbers".to_string());
        }
    }
    Ok(())
}

fn geojson_feature(
    feature: &serde_json::Value,
    zone: &jiff::tz::TimeZone,
    track: &mut Track,
) -> Result<(), String> {
    check_geojson_object(feature)?;
    if feature.get("type").and_then(|kind| kind.as_str()) != Some("Feature") {
        return Err("a feature whose type is not \"Feature\"".to_string());
    }
    let properties = feature.get("properties");
    if properties.is_some_and(|properties| !(properties.is_object() || properties.is_null())) {
        return Err("feature properties that are neither an object nor null".to_string());
    }
    if track.name.is_none() {
        track.name = properties
            .and_then(|properties| properties.get("name"))
            .and_then(|name| name.as_str())
            .map(str::to_string);
    }
    let times = properties.and_then(|properties| {
        properties
            .get("coordTimes")
            .or_else(|| properties.get("times"))
    });
    match feature.get("geometry") {
        None | Some(serde_json::Value::Null) => Ok(()),
        Some(geometry) => geojson_geometry(geometry, times, zone, track),
    }
}

fn geojson_position(value: &serde_json::Value) -> Option<TrackPoint> {
    let members = value.as_array()?;
    // RFC 7946: two or three numbers (a fourth is tolerated), nothing else.
    if !(2..=4).contains(&members.len()) || members.iter().any(|member| !member.is_number()) {
        return None;
    }
    let numbers = members;
    let lon = numbers.first()?.as_f64()?;
    let lat = numbers.get(1)?.as_f64()?;
    if !valid_position(lon, lat) {
        return None;
    }
    let mut point = blank_point(lon, lat);
    point.elevation_m = numbers.get(2).and_then(|value| value.as_f64());
    Some(point)
}

fn geojson_line(
    coordinates: &serde_json::Value,
    times: Option<&serde_json::Value>,
    zone: &jiff::tz::TimeZone,
) -> Result<Segment, String> {
    let positions = coordinates
        .as_array()
        .ok_or("a LineString whose coordinates are not an array")?;
    if positions.len() < 2 {
        return Err("a LineString with fewer than two positions".to_string());
    }
    let times = times.and_then(|times| times.as_array());
    let mut segment = Segment::default();
    for (index, position) in positions.iter().enumerate() {
        let mut point = geojson_position(position)
            .ok_or("a position that is not [longitude, latitude] in degrees")?;
        point.time_ms = times
            .and_then(|times| times.get(index))
            .and_then(|time| match time {
                serde_json::Value::String(text) => parse_xml_time(text, zone),
                serde_json::Value::Number(number) => number.as_i64(),
                _ => None,
            });
        segment.points.push(point);
    }
    Ok(segment)
}

fn geojson_geometry(
    geometry: &serde_json::Value,
    times: Option<&serde_json::Value>,
    zone: &jiff::tz::TimeZone,
    track: &mut Track,
) -> Result<(), String> {
    check_geojson_object(geometry)?;
    let kind = geometry
        .get("type")
        .and_then(|kind| kind.as_str())
        .unwrap_or_default();
    let coordinates = geometry.get("coordinates");
    match kind {
        "LineString" => {
            let coordinates = coordinates.ok_or("a LineString without coordinates")?;
            track.segments.push(geojson_line(coordinates, times, zone)?);
        }
        "MultiLineString" => {
            let lines = coordinates
                .and_then(|coordinates| coordinates.as_array())
                .ok_or("a MultiLineString without coordinates")?;
            for (index, line) in lines.iter().enumerate() {
                let line_times = times.and_then(|times| times.get(index));
                track.segments.push(geojson_line(line, line_times, zone)?);
            }
        }
        "Point" => {
            let point = coordinates
                .and_then(geojson_position)
                .ok_or("a Point whose coordinates are not [longitude, latitude]")?;
            track.waypoints.push(point);
        }
        "MultiPoint" => {
            for position in coordinates
                .and_then(|value| value.as_array())
                .into_iter()
                .flatten()
            {
                if let Some(point) = geojson_position(position) {
                    track.waypoints.push(point);
                }
            }
        }
        "GeometryCollection" => {
            for member in geometry
                .get("geometries")
                .and_then(|value| value.as_array())
                .into_iter()
                .flatten()
            {
                geojson_geometry(member, None, zone, track)?;
            }
        }
        // Areas are not tracks.
        "Polygon" | "MultiPolygon" => {}
        other => return Err(format!("unknown geometry type `{other}`")),
    }
    Ok(())
}
