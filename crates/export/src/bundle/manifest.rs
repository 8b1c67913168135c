//! The manifest's types, as `manifest.json` spells them (docs/bundle.md),
//! and their conversions to and from the domain's values.

use serde::{Deserialize, Serialize};

use voussoir_core::model::{Defect, Extent, Measurements};
use voussoir_core::photo::{Photo, PhotoPlacement, PositionSource};
use voussoir_core::track::{DepthSample, Dive, TrackPoint};
use voussoir_core::LonLat;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    pub course: CourseInfo,
    pub structure: StructureInfo,
    pub inspection: InspectionInfo,
    pub defects: Vec<DefectEntry>,
    pub photos: Vec<PhotoEntry>,
    pub tracks: Vec<TrackEntry>,
    pub dives: Vec<DiveEntry>,
    /// The inspector's own grades, per component or part and for the
    /// structure; absent from bundles written before they were recorded.
    #[serde(default)]
    pub own_grades: Vec<OwnGradeEntry>,
    pub files: Vec<FileEntry>,
}

/// One of the inspector's own grades: a component code, a part, or
/// `structure`, with its grade in the inspection's scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnGradeEntry {
    pub target: String,
    pub grade: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseInfo {
    pub code: String,
    pub name: String,
    pub scheme: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StructureInfo {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectionInfo {
    pub kind: String,
    pub inspector: Option<String>,
    pub date: Option<String>,
    pub weather: Option<String>,
    pub is_reference: bool,
    pub scheme: String,
    pub not_inspected: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefectEntry {
    pub component: String,
    #[serde(rename = "type")]
    pub type_code: String,
    pub severity: Option<String>,
    pub extent: Option<String>,
    /// One key per measurement, by its code (`crack_width_mm`, `count`...).
    #[serde(flatten)]
    pub measurements: Measurements,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub note: Option<String>,
    /// File names of the photos that show it (optional; empty when none).
    #[serde(default)]
    pub photos: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoEntry {
    pub hash: String,
    pub file_name: String,
    pub format: String,
    pub taken_at: Option<jiff::Timestamp>,
    pub camera_time: Option<jiff::civil::DateTime>,
    pub make: Option<String>,
    pub model: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub elevation_m: Option<f64>,
    pub accuracy_m: Option<f64>,
    pub position_source: PositionSource,
    pub position_note: Option<String>,
    pub depth_m: Option<f64>,
    pub underwater: bool,
    pub component: Option<String>,
    pub component_distance_m: Option<f64>,
    /// Path of the thumbnail inside the bundle, or `null`.
    pub thumbnail: Option<String>,
    /// Path of the review-size copy inside the bundle, or `null`.
    pub review: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackEntry {
    pub file_name: String,
    pub format: String,
    pub name: Option<String>,
    /// Path of the track's points inside the bundle (`tracks/N.json`).
    pub points: String,
}

/// The content of a `tracks/N.json` entry: segments, routes and waypoints
/// as `[lon, lat, elevation_m or null, time (UTC ms) or null]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackPoints {
    pub segments: Vec<Vec<[Option<f64>; 4]>>,
    pub routes: Vec<Vec<[Option<f64>; 4]>>,
    pub waypoints: Vec<[Option<f64>; 4]>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiveEntry {
    pub number: Option<u32>,
    pub start_ms: i64,
    /// `[time (UTC ms), depth (m)]`.
    pub samples: Vec<(i64, f64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    pub path: String,
    pub size: u64,
    pub blake3: String,
}

/// Why a bundle was refused.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("not a readable zip file: {0}")]
    Zip(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

pub(crate) fn invalid(message: impl Into<String>) -> BundleError {
    BundleError::Invalid(message.into())
}

pub(crate) fn point_row(point: &TrackPoint) -> [Option<f64>; 4] {
    [
        Some(point.lon),
        Some(point.lat),
        point.elevation_m,
        point.time_ms.map(|time| time as f64),
    ]
}

pub(crate) fn row_point(row: &[Option<f64>; 4]) -> Option<TrackPoint> {
    let (lon, lat) = (row[0]?, row[1]?);
    LonLat::new(lon, lat).ok()?;
    Some(TrackPoint {
        time_ms: row[3].map(|time| time as i64),
        lon,
        lat,
        elevation_m: row[2],
        hdop: None,
        pdop: None,
        satellites: None,
    })
}

pub(crate) fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}

impl DefectEntry {
    /// The defect as typed, for checking against the target structure.
    pub fn to_input(&self) -> voussoir_core::recording::DefectInput {
        voussoir_core::recording::DefectInput {
            component: self.component.clone(),
            type_code: self.type_code.clone(),
            severity: self.severity.clone(),
            extent: self.extent.clone(),
            measurements: self.measurements,
            position: match (self.lon, self.lat) {
                (Some(lon), Some(lat)) => LonLat::new(lon, lat).ok(),
                _ => None,
            },
            note: self.note.clone(),
            photos: self.photos.clone(),
        }
    }
}

impl PhotoEntry {
    /// The photo as the bundle describes it, placed, without copies (the
    /// receiver stores those under the hash it computes itself).
    pub fn to_photo(&self) -> Photo {
        Photo {
            hash: self.hash.clone(),
            file: self.file_name.clone(),
            format: self.format.clone(),
            camera_time: self.camera_time,
            make: self.make.clone(),
            model: self.model.clone(),
            width: self.width,
            height: self.height,
            orientation: 1,
            metadata_notes: vec!["imported from a submission bundle".to_string()],
            placement: PhotoPlacement {
                taken_at: self.taken_at,
                position: match (self.lon, self.lat) {
                    (Some(lon), Some(lat)) => LonLat::new(lon, lat).ok(),
                    _ => None,
                },
                elevation_m: self.elevation_m,
                accuracy_m: self.accuracy_m,
                position_source: self.position_source,
                position_note: self.position_note.clone(),
                depth_m: self.depth_m,
                underwater: self.underwater,
                component: self.component.clone(),
                component_distance_m: self.component_distance_m,
            },
            placed: true,
            ..Photo::default()
        }
    }
}

impl DiveEntry {
    pub fn to_dive(&self) -> Dive {
        Dive {
            number: self.number,
            start_ms: self.start_ms,
            samples: self
                .samples
                .iter()
                .map(|(time_ms, depth_m)| DepthSample {
                    time_ms: *time_ms,
                    depth_m: *depth_m,
                })
                .collect(),
            site: None,
        }
    }
}

/// Parses an extent code from a bundle.
pub fn parse_extent(text: Option<&str>) -> Option<Extent> {
    text.and_then(|text| text.parse().ok())
}

/// A defect of the bundle without its checks (ids are the target's).
pub fn defect_from_entry(entry: &DefectEntry) -> Defect {
    let input = entry.to_input();
    Defect {
        id: 0,
        component: input.component,
        type_code: input.type_code,
        severity: input.severity,
        extent: parse_extent(entry.extent.as_deref()),
        measurements: input.measurements,
        position: input.position,
        note: input.note,
        photos: input.photos,
    }
}
