//! Reading GPS tracks: GPX 1.0/1.1 (tracks with segments, routes,
//! waypoints), NMEA 0183 logs (RMC, GGA, GSA, ZDA; checksums verified),
//! KML (LineString, gx:Track, gx:MultiTrack, Point) and GeoJSON
//! (LineString/MultiLineString with `coordTimes` or `times`, Points).
//! One module per format; this one detects the format and holds what they
//! share.
//!
//! GPX, KML and NMEA are read as streams: memory grows with the points kept,
//! not with the file. Times with `Z` or an offset are exact; times without
//! one are read in the time zone given (the course's).

mod geojson;
mod gpx;
mod kml;
mod nmea;

use geojson::read_geojson;
use gpx::read_gpx;
use kml::read_kml;
use nmea::read_nmea;
use std::io::BufReader;
use std::path::Path;

use voussoir_core::track::{Track, TrackPoint};

use crate::IngestError;

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
    let file = crate::open_regular(path, crate::MAX_TRACK_BYTES)?;
    let reader = BufReader::new(std::io::Read::take(file, crate::MAX_TRACK_BYTES));
    let result = match format {
        TrackFormat::Gpx => read_gpx(reader, zone),
        TrackFormat::Kml => read_kml(reader, zone),
        TrackFormat::Nmea => read_nmea(reader),
        TrackFormat::GeoJson => read_geojson(reader, zone),
    };
    let mut read = result.map_err(|reason| IngestError::new(path, reason))?;
    read.format = format;
    let points = read.track.point_count();
    let route_points: usize = read
        .track
        .routes
        .iter()
        .map(|route| route.points.len())
        .sum();
    if points == 0 && route_points == 0 && read.track.waypoints.is_empty() {
        return Err(IngestError::new(
            path,
            format!("no track point found in this {} file", format.name()),
        ));
    }
    Ok(read)
}

/// Parses track bytes in a known format (what `read_track` does after
/// opening the file); for tests and fuzzing, and for bytes already in
/// memory.
pub fn parse_track(
    bytes: &[u8],
    format: TrackFormat,
    zone: &jiff::tz::TimeZone,
) -> Result<TrackRead, String> {
    let mut read = match format {
        TrackFormat::Gpx => read_gpx(bytes, zone),
        TrackFormat::Kml => read_kml(bytes, zone),
        TrackFormat::Nmea => read_nmea(bytes),
        TrackFormat::GeoJson => read_geojson(bytes, zone),
    }?;
    read.format = format;
    Ok(read)
}

fn detect_format(path: &Path) -> Result<TrackFormat, IngestError> {
    use std::io::Read;
    let mut head = [0u8; 4096];
    let mut file = crate::open_regular(path, crate::MAX_TRACK_BYTES)?;
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

pub(crate) fn empty_read(format: TrackFormat) -> TrackRead {
    TrackRead {
        format,
        track: Track::default(),
        warnings: Vec::new(),
        sentences: 0,
        bad_checksums: 0,
    }
}

pub(crate) fn blank_point(lon: f64, lat: f64) -> TrackPoint {
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

pub(crate) fn valid_position(lon: f64, lat: f64) -> bool {
    (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)
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
