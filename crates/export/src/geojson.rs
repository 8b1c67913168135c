//! GeoJSON (RFC 7946) export: one FeatureCollection with the structure,
//! its components, the tracks, the photos and the defects.
//!
//! Written as a stream: each feature goes out as soon as it is built, and a
//! track's coordinates are written point by point, so a million-point track
//! never exists twice in memory. Longitude before latitude, no `crs`
//! member, at most 7 decimals. Property names are documented in
//! `docs/geojson.md` and stable.

use serde_json::{json, Map, Value};
use std::io::{self, Write};

use geo::SimplifyIdx;
use voussoir_core::track::Segment;
use voussoir_core::LonLat;

use crate::text::coordinate;
use crate::InspectionData;

/// Options of the GeoJSON export.
#[derive(Debug, Clone, Copy, Default)]
pub struct GeoJsonOptions {
    /// Douglas–Peucker tolerance for tracks, in metres; `None` keeps every
    /// point.
    pub simplify_m: Option<f64>,
}

struct FeatureWriter<W: Write> {
    out: W,
    first: bool,
}

impl<W: Write> FeatureWriter<W> {
    fn begin(&mut self) -> io::Result<()> {
        if !self.first {
            self.out.write_all(b",\n")?;
        }
        self.first = false;
        Ok(())
    }

    fn point(&mut self, position: LonLat, properties: Value) -> io::Result<()> {
        self.begin()?;
        write!(
            self.out,
            r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{},{}]}},"properties":"#,
            coordinate(position.lon),
            coordinate(position.lat)
        )?;
        serde_json::to_writer(&mut self.out, &properties)?;
        self.out.write_all(b"}")
    }

    fn line(&mut self, points: &[LonLat], properties: Value) -> io::Result<()> {
        self.begin()?;
        self.out
            .write_all(br#"{"type":"Feature","geometry":{"type":"LineString","coordinates":"#)?;
        self.positions(points.iter().copied())?;
        self.out.write_all(br#"},"properties":"#)?;
        serde_json::to_writer(&mut self.out, &properties)?;
        self.out.write_all(b"}")
    }

    fn positions(&mut self, points: impl Iterator<Item = LonLat>) -> io::Result<()> {
        self.out.write_all(b"[")?;
        for (index, point) in points.enumerate() {
            if index > 0 {
                self.out.write_all(b",")?;
            }
            write!(
                self.out,
                "[{},{}]",
                coordinate(point.lon),
                coordinate(point.lat)
            )?;
        }
        self.out.write_all(b"]")
    }
}

/// The indices of the points kept by Douglas–Peucker at `tolerance_m`,
/// computed in a local metric projection so that the tolerance means the
/// same east–west and north–south.
fn simplified(segment: &Segment, tolerance_m: f64) -> Vec<usize> {
    let Some(origin) = segment.points.first() else {
        return Vec::new();
    };
    let metres_per_degree = 111_320.0;
    let cos_lat = origin.lat.to_radians().cos();
    let line: geo::LineString<f64> = segment
        .points
        .iter()
        .map(|point| {
            geo::coord! {
                x: (point.lon - origin.lon) * metres_per_degree * cos_lat,
                y: (point.lat - origin.lat) * metres_per_degree,
            }
        })
        .collect();
    line.simplify_idx(tolerance_m)
}

fn measurements(defect: &voussoir_core::Defect) -> Map<String, Value> {
    let mut map = Map::new();
    let measures = &defect.measurements;
    for measure in voussoir_core::model::Measure::ALL {
        map.insert(measure.code().to_string(), json!(measures.get(*measure)));
    }
    map
}

/// Writes the inspection as one FeatureCollection.
pub fn write_geojson<W: Write>(
    data: &InspectionData,
    options: GeoJsonOptions,
    out: W,
) -> io::Result<()> {
    let mut writer = FeatureWriter { out, first: true };
    writer
        .out
        .write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n")?;
    let structure = &data.structure;
    let grades = &data.grading;

    let structure_properties = json!({
        "feature": "structure",
        "code": structure.code,
        "name": structure.name,
        "structure_kind": structure.kind.code(),
        "material": structure.material.map(|material| material.code()),
        "crosses": structure.crossing,
        "course": data.course_code,
        "inspection_kind": data.inspection.kind.code(),
        "inspection_date": data.inspection.date.map(|date| date.to_string()),
        "inspector": data.inspection.inspector,
        "is_reference": data.inspection.is_reference,
        "scheme": grades.scheme,
        "grade": grades.structure.label,
    });
    if structure.axis.len() >= 2 {
        writer.line(&structure.axis, structure_properties)?;
    } else if let Some(position) = structure.position {
        writer.point(position, structure_properties)?;
    }

    for component in &structure.components {
        let Some(position) = component.position else {
            continue;
        };
        let grade = grades
            .components
            .iter()
            .find(|grade| grade.component == component.code);
        writer.point(
            position,
            json!({
                "feature": "component",
                "code": component.code,
                "component_kind": component.kind.code(),
                "name": component.name,
                "material": component.material.map(|material| material.code()),
                "underwater": component.underwater,
                "grade": grade.map(|grade| grade.class.clone()),
            }),
        )?;
    }

    for track in &data.tracks {
        let segments: Vec<&Segment> = track
            .track
            .segments
            .iter()
            .filter(|segment| segment.points.len() >= 2)
            .collect();
        if segments.is_empty() {
            continue;
        }
        let summary = track.track.summary();
        let time = |ms: Option<i64>| {
            ms.and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
                .map(|timestamp| timestamp.to_string())
        };
        let properties = json!({
            "feature": "track",
            "file": track.file,
            "format": track.format,
            "name": track.track.name,
            "points": summary.points,
            "segments": segments.len(),
            "first_time": time(summary.first_time_ms),
            "last_time": time(summary.last_time_ms),
            "length_m": (summary.length_m * 10.0).round() / 10.0,
            "simplified_m": options.simplify_m,
        });
        let kept = |segment: &Segment| -> Vec<LonLat> {
            match options.simplify_m {
                Some(tolerance) if tolerance > 0.0 => simplified(segment, tolerance)
                    .into_iter()
                    .map(|index| segment.points[index].position())
                    .collect(),
                _ => segment
                    .points
                    .iter()
                    .map(|point| point.position())
                    .collect(),
            }
        };
        writer.begin()?;
        if segments.len() == 1 {
            writer.out.write_all(
                br#"{"type":"Feature","geometry":{"type":"LineString","coordinates":"#,
            )?;
            match options.simplify_m {
                Some(tolerance) if tolerance > 0.0 => {
                    writer.positions(kept(segments[0]).into_iter())?
                }
                _ => writer.positions(segments[0].points.iter().map(|point| point.position()))?,
            }
        } else {
            writer.out.write_all(
                br#"{"type":"Feature","geometry":{"type":"MultiLineString","coordinates":["#,
            )?;
            for (index, segment) in segments.iter().enumerate() {
                if index > 0 {
                    writer.out.write_all(b",")?;
                }
                writer.positions(kept(segment).into_iter())?;
            }
            writer.out.write_all(b"]")?;
        }
        writer.out.write_all(br#"},"properties":"#)?;
        serde_json::to_writer(&mut writer.out, &properties)?;
        writer.out.write_all(b"}")?;
    }

    for photo in &data.photos {
        let Some(position) = photo.placement.position else {
            continue;
        };
        writer.point(
            position,
            json!({
                "feature": "photo",
                "file": photo.file,
                "hash": photo.hash,
                "taken_at": photo.placement.taken_at,
                "position_source": photo.placement.position_source,
                "position_note": photo.placement.position_note,
                "accuracy_m": photo.placement.accuracy_m,
                "depth_m": photo.placement.depth_m,
                "underwater": photo.placement.underwater,
                "component": photo.placement.component,
                "thumbnail": photo.thumbnail.as_ref().map(|path| format!("media/{path}")),
            }),
        )?;
    }

    for defect in &data.defects {
        let Some((position, placed)) = data.defect_position(defect) else {
            continue;
        };
        let mut properties = Map::new();
        properties.insert("feature".into(), json!("defect"));
        properties.insert("defect_id".into(), json!(defect.id));
        properties.insert("type".into(), json!(defect.type_code));
        properties.insert(
            "type_name".into(),
            json!(voussoir_core::catalogue::find(&defect.type_code).map(|entry| entry.name_en)),
        );
        properties.insert("severity".into(), json!(defect.severity));
        properties.insert(
            "extent".into(),
            json!(defect.extent.map(|extent| extent.code())),
        );
        properties.insert("component".into(), json!(defect.component));
        properties.extend(measurements(defect));
        properties.insert("position".into(), json!(placed));
        properties.insert("note".into(), json!(defect.note));
        let photos: Vec<&str> = data
            .photos_of_defect(defect)
            .into_iter()
            .map(|photo| photo.hash.as_str())
            .collect();
        properties.insert("photos".into(), json!(photos));
        writer.point(position, Value::Object(properties))?;
    }
    writer.out.write_all(b"\n]}\n")?;
    writer.out.flush()
}
