//! Reading GPS tracks: GPX 1.0/1.1 (tracks with segments, routes,
//! waypoints), NMEA 0183 logs (RMC, GGA, GSA, ZDA; checksums verified),
//! KML (LineString, gx:Track, gx:MultiTrack, Point) and GeoJSON
//! (LineString/MultiLineString with `coordTimes` or `times`, Points).
//!
//! GPX, KML and NMEA are read as streams: memory grows with the points kept,
//! not with the file. Times with `Z` or an offset are exact; times without
//! one are read in the time zone given (the course's).

use quick_xml::events::Event;
use std::io::{BufRead, BufReader};
use std::path::Path;

use voussoir_core::track::{Segment, Track, TrackPoint};

use crate::xml::{attribute, local_name, push_text};
use crate::{parse_xml_time, IngestError};

/// The formats a track can come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackFormat {
    Gpx,
    Nmea,
    Kml,
    GeoJson,
}

impl TrackFormat {
    pub fn name(self) -> &'static str {
        match self {
            TrackFormat::Gpx => "GPX",
            TrackFormat::Nmea => "NMEA",
            TrackFormat::Kml => "KML",
            TrackFormat::GeoJson => "GeoJSON",
        }
    }
}

/// A track read from a file, with what was skipped on the way.
#[derive(Debug, Clone)]
pub struct TrackRead {
    pub format: TrackFormat,
    pub track: Track,
    /// Things worth telling the user (bad checksums, points without a fix).
    pub warnings: Vec<String>,
    /// NMEA only: sentences read, and those with a bad checksum.
    pub sentences: usize,
    pub bad_checksums: usize,
}

/// Reads a track file, choosing the format from its first bytes (and the
/// extension when the content does not tell).
pub fn read_track(path: &Path, zone: &jiff::tz::TimeZone) -> Result<TrackRead, IngestError> {
    let format = detect_format(path)?;
    let file =
        std::fs::File::open(path).map_err(|error| IngestError::new(path, error.to_string()))?;
    let reader = BufReader::new(file);
    let result = match format {
        TrackFormat::Gpx => read_gpx(reader, zone),
        TrackFormat::Kml => read_kml(reader, zone),
        TrackFormat::Nmea => read_nmea(reader),
        TrackFormat::GeoJson => read_geojson(reader, zone),
    };
    let mut read = result.map_err(|reason| IngestError::new(path, reason))?;
    read.format = format;
    let summary = read.track.summary();
    let route_points: usize = read
        .track
        .routes
        .iter()
        .map(|route| route.points.len())
        .sum();
    if summary.points == 0 && route_points == 0 && read.track.waypoints.is_empty() {
        return Err(IngestError::new(
            path,
            format!("no track point found in this {} file", format.name()),
        ));
    }
    Ok(read)
}

fn detect_format(path: &Path) -> Result<TrackFormat, IngestError> {
    use std::io::Read;
    let mut head = [0u8; 4096];
    let mut file =
        std::fs::File::open(path).map_err(|error| IngestError::new(path, error.to_string()))?;
    let length = file
        .read(&mut head)
        .map_err(|error| IngestError::new(path, error.to_string()))?;
    let text = String::from_utf8_lossy(&head[..length]).to_lowercase();
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let extension = path
        .extension()
        .map(|extension| extension.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if head.starts_with(b"PK") {
        return Err(IngestError::new(
            path,
            "this is a zip archive (KMZ?); unzip it and import the .kml inside",
        ));
    }
    if trimmed.starts_with('<') {
        if text.contains("<gpx") {
            return Ok(TrackFormat::Gpx);
        }
        if text.contains("<kml") {
            return Ok(TrackFormat::Kml);
        }
        return match extension.as_str() {
            "gpx" => Ok(TrackFormat::Gpx),
            "kml" => Ok(TrackFormat::Kml),
            _ => Err(IngestError::new(
                path,
                "an XML file that is neither GPX nor KML",
            )),
        };
    }
    if trimmed.starts_with('{') {
        return Ok(TrackFormat::GeoJson);
    }
    if text.lines().any(|line| {
        line.contains("$gp")
            || line.contains("$gn")
            || line.contains("$gl")
            || line.contains("$bd")
            || line.contains("$ga")
            || line.contains("$gb")
    }) {
        return Ok(TrackFormat::Nmea);
    }
    match extension.as_str() {
        "nmea" | "log" => Ok(TrackFormat::Nmea),
        "gpx" => Err(IngestError::new(
            path,
            "not a GPX file: it does not start with XML",
        )),
        "kml" => Err(IngestError::new(
            path,
            "not a KML file: it does not start with XML",
        )),
        "geojson" | "json" => Err(IngestError::new(
            path,
            "not a GeoJSON file: it does not start with {",
        )),
        _ => Err(IngestError::new(
            path,
            "not a track: expected GPX, NMEA, KML or GeoJSON",
        )),
    }
}

fn empty_read(format: TrackFormat) -> TrackRead {
    TrackRead {
        format,
        track: Track::default(),
        warnings: Vec::new(),
        sentences: 0,
        bad_checksums: 0,
    }
}

fn blank_point(lon: f64, lat: f64) -> TrackPoint {
    TrackPoint {
        time_ms: None,
        lon,
        lat,
        elevation_m: None,
        hdop: None,
        pdop: None,
        satellites: None,
    }
}

fn valid_position(lon: f64, lat: f64) -> bool {
    (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)
}

/// Where a GPX point goes once it is complete.
#[derive(Clone, Copy, PartialEq)]
enum GpxPointKind {
    Track,
    Route,
    Waypoint,
}

fn read_gpx<R: BufRead>(input: R, zone: &jiff::tz::TimeZone) -> Result<TrackRead, String> {
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
                    stack.push(name);
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

fn read_kml<R: BufRead>(input: R, zone: &jiff::tz::TimeZone) -> Result<TrackRead, String> {
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
                stack.push(name);
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

/// A fix being assembled from the sentences of one second.
#[derive(Default, Clone, Copy)]
struct NmeaFix {
    time_of_day_ms: Option<i64>,
    lon: Option<f64>,
    lat: Option<f64>,
    elevation_m: Option<f64>,
    hdop: Option<f64>,
    satellites: Option<u32>,
}

fn nmea_checksum_ok(sentence: &str) -> Option<bool> {
    let body = sentence.strip_prefix(['$', '!'])?;
    let (data, checksum) = body.split_once('*')?;
    // A `*` without two hex digits after it is a damaged checksum.
    let Some(expected) = checksum
        .trim()
        .get(..2)
        .and_then(|digits| u8::from_str_radix(digits, 16).ok())
    else {
        return Some(false);
    };
    let actual = data.bytes().fold(0u8, |sum, byte| sum ^ byte);
    Some(actual == expected)
}

fn nmea_coordinate(value: &str, hemisphere: &str) -> Option<f64> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let number: f64 = value.parse().ok()?;
    let degrees = (number / 100.0).trunc();
    let minutes = number - degrees * 100.0;
    if !(0.0..60.0).contains(&minutes) {
        return None;
    }
    let decimal = degrees + minutes / 60.0;
    match hemisphere.trim() {
        "N" | "E" => Some(decimal),
        "S" | "W" => Some(-decimal),
        _ => None,
    }
}

fn nmea_time_of_day(value: &str) -> Option<i64> {
    let value = value.trim();
    if value.len() < 6 {
        return None;
    }
    let hours: i64 = value.get(0..2)?.parse().ok()?;
    let minutes: i64 = value.get(2..4)?.parse().ok()?;
    let seconds: f64 = value.get(4..)?.parse().ok()?;
    if hours > 23 || minutes > 59 || !(0.0..61.0).contains(&seconds) {
        return None;
    }
    Some(hours * 3_600_000 + minutes * 60_000 + (seconds * 1000.0).round() as i64)
}

fn nmea_date(value: &str) -> Option<jiff::civil::Date> {
    let value = value.trim();
    if value.len() != 6 {
        return None;
    }
    let day: i8 = value.get(0..2)?.parse().ok()?;
    let month: i8 = value.get(2..4)?.parse().ok()?;
    let year: i16 = value.get(4..6)?.parse().ok()?;
    // Two-digit years: 80–99 are 1980s–1990s, the rest this century.
    let year = if year >= 80 { 1900 + year } else { 2000 + year };
    jiff::civil::Date::new(year, month, day).ok()
}

/// Builds fixes from NMEA sentences: the sentences of one second make one
/// fix, stamped with the date last given (RMC or ZDA) and rolled over at
/// midnight.
#[derive(Default)]
struct NmeaAssembler {
    pending: NmeaFix,
    date: Option<jiff::civil::Date>,
    last_time_of_day: Option<i64>,
    pdop: Option<f64>,
    segment: Segment,
    undated: usize,
}

impl NmeaAssembler {
    /// Starts the fix of a new second, finishing the previous one.
    fn at(&mut self, time_of_day: Option<i64>) {
        if self.pending.time_of_day_ms.is_some() && self.pending.time_of_day_ms != time_of_day {
            self.flush();
        }
        self.pending.time_of_day_ms = time_of_day;
    }

    /// A new date from RMC or ZDA.
    fn set_date(&mut self, new_date: jiff::civil::Date) {
        if self.date != Some(new_date) {
            self.date = Some(new_date);
            self.last_time_of_day = None;
        }
    }

    /// Turns the pending sentences into a point.
    fn flush(&mut self) {
        let fix = std::mem::take(&mut self.pending);
        let (Some(lon), Some(lat)) = (fix.lon, fix.lat) else {
            return;
        };
        let mut point = blank_point(lon, lat);
        point.elevation_m = fix.elevation_m;
        point.hdop = fix.hdop;
        point.pdop = self.pdop;
        point.satellites = fix.satellites;
        match (fix.time_of_day_ms, self.date.as_mut()) {
            (Some(time_of_day), Some(day)) => {
                // Time going back without a new date: midnight passed.
                if let Some(last) = self.last_time_of_day {
                    if time_of_day + 3_600_000 < last {
                        if let Ok(next) = day.tomorrow() {
                            *day = next;
                        }
                    }
                }
                self.last_time_of_day = Some(time_of_day);
                if let Ok(midnight) = jiff::tz::Offset::UTC
                    .to_timestamp(day.to_datetime(jiff::civil::Time::midnight()))
                {
                    point.time_ms = Some(midnight.as_millisecond() + time_of_day);
                }
            }
            (Some(_), None) => self.undated += 1,
            (None, _) => {}
        }
        self.segment.points.push(point);
    }
}

fn read_nmea<R: BufRead>(input: R) -> Result<TrackRead, String> {
    let mut read = empty_read(TrackFormat::Nmea);
    let mut fixes = NmeaAssembler::default();
    let mut without_fix = 0usize;
    for line in input.split(b'\n') {
        let line = line.map_err(|error| error.to_string())?;
        let line = String::from_utf8_lossy(&line);
        let Some(start) = line.find(['$', '!']) else {
            continue;
        };
        let sentence = line[start..].trim();
        read.sentences += 1;
        match nmea_checksum_ok(sentence) {
            Some(true) => {}
            Some(false) => {
                read.bad_checksums += 1;
                continue;
            }
            // No checksum at all: accepted, as many loggers omit it.
            None => {}
        }
        let data = sentence[1..].split('*').next().unwrap_or_default();
        let fields: Vec<&str> = data.split(',').collect();
        let kind = fields[0]
            .get(fields[0].len().saturating_sub(3)..)
            .unwrap_or_default();
        match kind {
            "RMC" if fields.len() >= 10 => {
                let time_of_day = nmea_time_of_day(fields[1]);
                // The previous second's fix keeps the date it was given.
                fixes.at(time_of_day);
                if let Some(new_date) = nmea_date(fields[9]) {
                    fixes.set_date(new_date);
                }
                if fields[2].trim() != "A" {
                    without_fix += 1;
                    continue;
                }
                fixes.pending.lat = nmea_coordinate(fields[3], fields[4]).or(fixes.pending.lat);
                fixes.pending.lon = nmea_coordinate(fields[5], fields[6]).or(fixes.pending.lon);
            }
            "GGA" if fields.len() >= 10 => {
                if fields[6].trim() == "0" || fields[6].trim().is_empty() {
                    without_fix += 1;
                    continue;
                }
                fixes.at(nmea_time_of_day(fields[1]));
                let pending = &mut fixes.pending;
                pending.lat = nmea_coordinate(fields[2], fields[3]).or(pending.lat);
                pending.lon = nmea_coordinate(fields[4], fields[5]).or(pending.lon);
                pending.satellites = fields[7].trim().parse().ok();
                pending.hdop = fields[8].trim().parse().ok();
                pending.elevation_m = fields[9].trim().parse().ok();
            }
            "GSA" if fields.len() >= 16 => {
                fixes.pdop = fields[15].trim().parse().ok();
            }
            "ZDA" if fields.len() >= 5 => {
                let day: Option<i8> = fields[2].trim().parse().ok();
                let month: Option<i8> = fields[3].trim().parse().ok();
                let year: Option<i16> = fields[4].trim().parse().ok();
                if let (Some(day), Some(month), Some(year)) = (day, month, year) {
                    if let Ok(new_date) = jiff::civil::Date::new(year, month, day) {
                        fixes.set_date(new_date);
                    }
                }
            }
            _ => {}
        }
    }
    fixes.flush();
    let undated = fixes.undated;
    read.track.segments.push(fixes.segment);
    if read.sentences == 0 {
        return Err("no NMEA sentence found".to_string());
    }
    if read.bad_checksums > 0 {
        read.warnings.push(format!(
            "{} sentence(s) with a bad checksum skipped",
            read.bad_checksums
        ));
    }
    if without_fix > 0 {
        read.warnings.push(format!(
            "{without_fix} sentence(s) without a GPS fix skipped"
        ));
    }
    if undated > 0 {
        read.warnings.push(format!(
            "{undated} point(s) before any date (RMC or ZDA) kept without time: they will not geotag"
        ));
    }
    Ok(read)
}

fn read_geojson<R: BufRead>(input: R, zone: &jiff::tz::TimeZone) -> Result<TrackRead, String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn utc() -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::UTC
    }

    #[test]
    fn gpx_segments_routes_and_waypoints_are_kept_apart() {
        let gpx = r#"<?xml version="1.0"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
  <wpt lat="48.1" lon="-3.1"><name>A</name></wpt>
  <rte><rtept lat="48.2" lon="-3.2"/></rte>
  <trk><name>Walk</name>
    <trkseg>
      <trkpt lat="48.731" lon="-3.461"><ele>12.5</ele><time>2026-03-12T09:00:00Z</time><hdop>1.2</hdop><sat>9</sat>
        <extensions><time>1999-01-01T00:00:00Z</time></extensions></trkpt>
      <trkpt lat="48.732" lon="-3.462"><time>2026-03-12T11:00:05+02:00</time></trkpt>
    </trkseg>
    <trkseg/>
  </trk>
</gpx>"#;
        let read = read_gpx(gpx.as_bytes(), &utc()).expect("valid");
        let track = &read.track;
        assert_eq!(track.name.as_deref(), Some("Walk"));
        assert_eq!(track.segments.len(), 2);
        assert_eq!(track.segments[0].points.len(), 2);
        assert_eq!(track.routes[0].points.len(), 1);
        assert_eq!(track.waypoints.len(), 1);
        let first = track.segments[0].points[0];
        assert_eq!(first.elevation_m, Some(12.5));
        assert_eq!(first.hdop, Some(1.2));
        assert_eq!(first.satellites, Some(9));
        // The extension's <time> is not the point's time.
        assert_eq!(first.time_ms, Some(1_773_306_000_000));
        // +02:00 is honoured: 11:00:05+02:00 is 09:00:05Z.
        assert_eq!(track.segments[0].points[1].time_ms, Some(1_773_306_005_000));
    }

    #[test]
    fn a_truncated_gpx_is_refused() {
        let gpx = r#"<gpx version="1.1"><trk><trkseg><trkpt lat="1" lon="2">"#;
        let error = read_gpx(gpx.as_bytes(), &utc()).expect_err("truncated");
        assert!(
            error.contains("truncated") || error.contains("malformed"),
            "{error}"
        );
    }

    #[test]
    fn nmea_checksums_are_verified_and_midnight_is_crossed() {
        let log = "\
$GPRMC,235959,A,4843.8600,N,00327.6600,W,0.0,0.0,120326,,*05
$GPRMC,235959,A,4843.8600,N,00327.6600,W,0.0,0.0,120326,,*00
$GPGGA,000001,4843.8700,N,00327.6700,W,1,08,0.9,12.0,M,,,,*00
";
        // Compute the right checksums for the first and third lines.
        let fix = |line: &str| {
            let data = &line[1..line.find('*').expect("star")];
            let sum = data.bytes().fold(0u8, |sum, byte| sum ^ byte);
            format!("${data}*{sum:02X}")
        };
        let lines: Vec<&str> = log.lines().collect();
        let text = format!("{}\n{}\n{}\n", fix(lines[0]), lines[1], fix(lines[2]));
        let read = read_nmea(text.as_bytes()).expect("valid");
        assert_eq!(read.sentences, 3);
        assert_eq!(read.bad_checksums, 1);
        let points = &read.track.segments[0].points;
        assert_eq!(points.len(), 2);
        let first = points[0].time_ms.expect("timed");
        let second = points[1].time_ms.expect("timed");
        // 23:59:59 on 12 March, then 00:00:01 on 13 March: 2 s later.
        assert_eq!(second - first, 2_000);
        assert!((points[0].lat - 48.731).abs() < 1e-9);
        assert!((points[0].lon + 3.461).abs() < 1e-9);
        assert_eq!(points[1].satellites, Some(8));
    }

    #[test]
    fn kml_gx_track_pairs_times_with_coordinates() {
        let kml = r#"<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">
<Placemark><gx:Track>
<when>2026-03-12T09:00:00Z</when><when>2026-03-12T09:00:10Z</when>
<gx:coord>-3.461 48.731 10</gx:coord><gx:coord>-3.462 48.732 11</gx:coord>
</gx:Track></Placemark>
<Placemark><LineString><coordinates>-3.1,48.1,0 -3.2,48.2,0</coordinates></LineString></Placemark>
<Placemark><Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 1,0 1,1 0,0</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
</kml>"#;
        let read = read_kml(kml.as_bytes(), &utc()).expect("valid");
        assert_eq!(read.track.segments.len(), 2);
        assert_eq!(
            read.track.segments[0].points[1].time_ms,
            Some(1_773_306_010_000)
        );
        assert_eq!(read.track.segments[1].points.len(), 2);
        assert_eq!(read.track.segments[1].points[0].time_ms, None);
    }

    #[test]
    fn geojson_coord_times_give_point_times() {
        let json = r#"{"type":"Feature","properties":{"coordTimes":["2026-03-12T09:00:00Z","2026-03-12T09:00:10Z"]},
            "geometry":{"type":"LineString","coordinates":[[-3.461,48.731],[-3.462,48.732]]}}"#;
        let read = read_geojson(json.as_bytes(), &utc()).expect("valid");
        assert_eq!(
            read.track.segments[0].points[1].time_ms,
            Some(1_773_306_010_000)
        );
    }
}
