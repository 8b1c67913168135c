//! The submission bundle: one zip file carrying one inspection, so it can
//! travel by upload or USB key. `manifest.json` (versioned) describes the
//! inspection, its defects, photos, tracks and dive profiles, and lists
//! every other file with its size and BLAKE3 hash; `media/` holds the
//! thumbnails and review-size copies (not the originals); `tracks/` one
//! JSON file per track. The format is documented in `docs/bundle.md`.
//!
//! Reading checks everything before the caller writes anything: the
//! format and version, entry names (no absolute path, no `..`, no
//! duplicates), declared sizes against a total cap and against their
//! compressed sizes (zip bombs), the actual size and hash of every listed
//! file, and that nothing unlisted rides along.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::io::{Read, Seek, Write};

use voussoir_core::model::{Defect, Extent, Measurements};
use voussoir_core::photo::{Photo, PhotoPlacement, PositionSource};
use voussoir_core::track::{DepthSample, Dive, Segment, Track, TrackPoint};
use voussoir_core::LonLat;

use crate::InspectionData;

/// The format name written in every manifest.
pub const FORMAT: &str = "voussoir-bundle";
/// The manifest version this build writes and reads.
pub const VERSION: u32 = 1;
/// Default cap on the total uncompressed size of a bundle: 2 GiB.
pub const DEFAULT_MAX_TOTAL_BYTES: u64 = 2 * 1024 * 1024 * 1024;
const MAX_MANIFEST_BYTES: u64 = 64 * 1024 * 1024;
const MAX_ENTRIES: usize = 100_000;
/// Deflate reaches about 1000:1 on pathological data; real photos and JSON
/// stay far below. Above this ratio an entry is treated as a zip bomb.
const MAX_RATIO: u64 = 200;

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
    pub files: Vec<FileEntry>,
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
    pub crack_width_mm: Option<f64>,
    pub length_m: Option<f64>,
    pub area_m2: Option<f64>,
    pub depth_mm: Option<f64>,
    pub section_loss_pct: Option<f64>,
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

fn invalid(message: impl Into<String>) -> BundleError {
    BundleError::Invalid(message.into())
}

fn point_row(point: &TrackPoint) -> [Option<f64>; 4] {
    [
        Some(point.lon),
        Some(point.lat),
        point.elevation_m,
        point.time_ms.map(|time| time as f64),
    ]
}

fn row_point(row: &[Option<f64>; 4]) -> Option<TrackPoint> {
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

fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}

/// Writes the bundle of an inspection. `media` gives the bytes of a file
/// of the field book's `media/` by relative path.
pub fn write_bundle<W: Write + Seek>(
    data: &InspectionData,
    media: &dyn Fn(&str) -> Option<Vec<u8>>,
    out: W,
) -> Result<Manifest, BundleError> {
    let mut zip = zip::ZipWriter::new(out);
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut files = Vec::new();
    let mut add = |zip: &mut zip::ZipWriter<W>,
                   path: &str,
                   bytes: &[u8],
                   compress: bool|
     -> Result<(), BundleError> {
        zip.start_file(path, if compress { deflated } else { stored })
            .map_err(|error| BundleError::Zip(error.to_string()))?;
        zip.write_all(bytes)?;
        files.push(FileEntry {
            path: path.to_string(),
            size: bytes.len() as u64,
            blake3: blake3::hash(bytes).to_hex().to_string(),
        });
        Ok(())
    };

    let mut photos: Vec<&Photo> = data.photos.iter().collect();
    photos.sort_by(|a, b| {
        (a.placement.taken_at)
            .cmp(&b.placement.taken_at)
            .then(a.hash.cmp(&b.hash))
    });
    let mut photo_entries = Vec::new();
    for photo in photos {
        let mut copy =
            |relative: Option<&str>, suffix: &str| -> Result<Option<String>, BundleError> {
                let Some(relative) = relative else {
                    return Ok(None);
                };
                let bytes = media(relative).ok_or_else(|| {
                    invalid(format!(
                        "the copy {relative} of {} is missing from media/; import the photo again",
                        photo.file
                    ))
                })?;
                let path = format!("media/{}{suffix}", photo.hash);
                add(&mut zip, &path, &bytes, false)?;
                Ok(Some(path))
            };
        let thumbnail = copy(photo.thumbnail.as_deref(), "-thumb.jpg")?;
        let review = copy(photo.review.as_deref(), "-review.jpg")?;
        photo_entries.push(PhotoEntry {
            hash: photo.hash.clone(),
            file_name: file_name(&photo.file),
            format: photo.format.clone(),
            taken_at: photo.placement.taken_at,
            camera_time: photo.camera_time,
            make: photo.make.clone(),
            model: photo.model.clone(),
            width: photo.width,
            height: photo.height,
            lon: photo.placement.position.map(|point| point.lon),
            lat: photo.placement.position.map(|point| point.lat),
            elevation_m: photo.placement.elevation_m,
            accuracy_m: photo.placement.accuracy_m,
            position_source: photo.placement.position_source,
            position_note: photo.placement.position_note.clone(),
            depth_m: photo.placement.depth_m,
            underwater: photo.placement.underwater,
            component: photo.placement.component.clone(),
            component_distance_m: photo.placement.component_distance_m,
            thumbnail,
            review,
        });
    }

    let mut track_entries = Vec::new();
    for (index, track) in data.tracks.iter().enumerate() {
        let points = TrackPoints {
            segments: track
                .track
                .segments
                .iter()
                .map(|segment| segment.points.iter().map(point_row).collect())
                .collect(),
            routes: track
                .track
                .routes
                .iter()
                .map(|segment| segment.points.iter().map(point_row).collect())
                .collect(),
            waypoints: track.track.waypoints.iter().map(point_row).collect(),
        };
        let path = format!("tracks/{}.json", index + 1);
        let bytes = serde_json::to_vec(&points).map_err(|error| invalid(error.to_string()))?;
        add(&mut zip, &path, &bytes, true)?;
        track_entries.push(TrackEntry {
            file_name: file_name(&track.file),
            format: track.format.clone(),
            name: track.track.name.clone(),
            points: path,
        });
    }

    let inspection = &data.inspection;
    let manifest = Manifest {
        format: FORMAT.to_string(),
        version: VERSION,
        course: CourseInfo {
            code: data.course_code.clone(),
            name: data.course_name.clone(),
            scheme: data.scheme.clone(),
        },
        structure: StructureInfo {
            code: data.structure.code.clone(),
            name: data.structure.name.clone(),
        },
        inspection: InspectionInfo {
            kind: inspection.kind.code().to_string(),
            inspector: inspection.inspector.clone(),
            date: inspection.date.map(|date| date.to_string()),
            weather: inspection.weather.clone(),
            is_reference: inspection.is_reference,
            scheme: inspection.scheme.clone(),
            not_inspected: inspection.not_inspected.clone(),
        },
        defects: data
            .defects
            .iter()
            .map(|defect| DefectEntry {
                component: defect.component.clone(),
                type_code: defect.type_code.clone(),
                severity: defect.severity.clone(),
                extent: defect.extent.map(|extent| extent.code().to_string()),
                crack_width_mm: defect.measurements.crack_width_mm,
                length_m: defect.measurements.length_m,
                area_m2: defect.measurements.area_m2,
                depth_mm: defect.measurements.depth_mm,
                section_loss_pct: defect.measurements.section_loss_pct,
                lon: defect.position.map(|point| point.lon),
                lat: defect.position.map(|point| point.lat),
                note: defect.note.clone(),
                photos: defect.photos.clone(),
            })
            .collect(),
        photos: photo_entries,
        tracks: track_entries,
        dives: data
            .dives
            .iter()
            .map(|dive| DiveEntry {
                number: dive.number,
                start_ms: dive.start_ms,
                samples: dive
                    .samples
                    .iter()
                    .map(|sample| (sample.time_ms, sample.depth_m))
                    .collect(),
            })
            .collect(),
        files,
    };
    let bytes = serde_json::to_vec_pretty(&manifest).map_err(|error| invalid(error.to_string()))?;
    zip.start_file("manifest.json", deflated)
        .map_err(|error| BundleError::Zip(error.to_string()))?;
    zip.write_all(&bytes)?;
    zip.finish()
        .map_err(|error| BundleError::Zip(error.to_string()))?;
    Ok(manifest)
}

/// Checks an entry name: relative, forward slashes, no `..`, no drive,
/// no control characters.
fn check_entry_name(name: &str) -> Result<(), BundleError> {
    let bad = name.is_empty()
        || name.starts_with('/')
        || name.contains('\\')
        || name.contains(':')
        || name.chars().any(char::is_control)
        || name.split('/').any(|part| part == ".." || part == ".");
    if bad {
        return Err(invalid(format!(
            "entry `{}` has an unsafe name (absolute, `..`, backslash or drive): refused",
            name.escape_debug()
        )));
    }
    Ok(())
}

/// A bundle whose every byte was checked.
pub struct CheckedBundle<R: Read + Seek> {
    pub manifest: Manifest,
    archive: zip::ZipArchive<R>,
    sizes: BTreeMap<String, u64>,
}

impl<R: Read + Seek> CheckedBundle<R> {
    /// The bytes of a listed file (already checked by [`read_bundle`]).
    pub fn file(&mut self, path: &str) -> Result<Vec<u8>, BundleError> {
        let size = *self
            .sizes
            .get(path)
            .ok_or_else(|| invalid(format!("`{path}` is not listed in the manifest")))?;
        read_entry(&mut self.archive, path, size)
    }

    /// The inspection's tracks, read from their entries.
    pub fn tracks(&mut self) -> Result<Vec<(TrackEntry, Track)>, BundleError> {
        let entries = self.manifest.tracks.clone();
        let mut tracks = Vec::new();
        for entry in entries {
            let bytes = self.file(&entry.points)?;
            let points: TrackPoints = serde_json::from_slice(&bytes)
                .map_err(|error| invalid(format!("{}: {error}", entry.points)))?;
            let segment = |rows: &[[Option<f64>; 4]]| -> Result<Segment, BundleError> {
                let points = rows
                    .iter()
                    .map(|row| {
                        row_point(row).ok_or_else(|| {
                            invalid(format!(
                                "{}: a point is not [lon, lat, ele, time]",
                                entry.points
                            ))
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Segment { points })
            };
            let track = Track {
                name: entry.name.clone(),
                segments: points
                    .segments
                    .iter()
                    .map(|rows| segment(rows))
                    .collect::<Result<_, _>>()?,
                routes: points
                    .routes
                    .iter()
                    .map(|rows| segment(rows))
                    .collect::<Result<_, _>>()?,
                waypoints: segment(&points.waypoints)?.points,
            };
            tracks.push((entry, track));
        }
        Ok(tracks)
    }
}

fn read_entry<R: Read + Seek>(
    archive: &mut zip::ZipArchive<R>,
    path: &str,
    size: u64,
) -> Result<Vec<u8>, BundleError> {
    let entry = archive.by_name(path).map_err(|_| {
        invalid(format!(
            "the manifest lists `{path}` but the bundle has no such entry"
        ))
    })?;
    let mut bytes = Vec::new();
    // Read one byte more than declared: a lying header cannot inflate us.
    entry.take(size + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 != size {
        return Err(invalid(format!(
            "`{path}` holds {} bytes but is declared as {size}",
            bytes.len()
        )));
    }
    Ok(bytes)
}

/// Opens and checks a bundle completely; nothing is written anywhere.
pub fn read_bundle<R: Read + Seek>(
    reader: R,
    max_total_bytes: u64,
) -> Result<CheckedBundle<R>, BundleError> {
    let mut archive =
        zip::ZipArchive::new(reader).map_err(|error| BundleError::Zip(error.to_string()))?;
    if archive.len() > MAX_ENTRIES {
        return Err(invalid(format!(
            "{} entries: too many for a bundle",
            archive.len()
        )));
    }
    let mut names = HashSet::new();
    let mut declared: BTreeMap<String, u64> = BTreeMap::new();
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|error| BundleError::Zip(error.to_string()))?;
        let name = entry.name().to_string();
        check_entry_name(&name)?;
        if entry.is_dir() {
            continue;
        }
        if !names.insert(name.to_lowercase()) {
            return Err(invalid(format!("entry `{name}` appears twice: refused")));
        }
        let size = entry.size();
        let compressed = entry.compressed_size().max(1);
        if size > 1024 * 1024 && size / compressed > MAX_RATIO {
            return Err(invalid(format!(
                "entry `{name}` expands {}x ({size} bytes from {compressed}): a zip bomb, refused",
                size / compressed
            )));
        }
        total = total.saturating_add(size);
        if total > max_total_bytes {
            return Err(invalid(format!(
                "the bundle expands to more than {} MB, the limit: refused",
                max_total_bytes / 1_000_000
            )));
        }
        declared.insert(name, size);
    }
    let manifest_size = *declared
        .get("manifest.json")
        .ok_or_else(|| invalid("no manifest.json: not a Voussoir bundle"))?;
    if manifest_size > MAX_MANIFEST_BYTES {
        return Err(invalid("manifest.json is larger than 64 MB: refused"));
    }
    let manifest_bytes = read_entry(&mut archive, "manifest.json", manifest_size)?;
    let header: serde_json::Value = serde_json::from_slice(&manifest_bytes)
        .map_err(|error| invalid(format!("manifest.json is not JSON: {error}")))?;
    if header.get("format").and_then(|value| value.as_str()) != Some(FORMAT) {
        return Err(invalid(format!(
            "manifest.json does not say format \"{FORMAT}\": not a Voussoir bundle"
        )));
    }
    match header.get("version").and_then(|value| value.as_u64()) {
        Some(version) if version == u64::from(VERSION) => {}
        Some(version) => {
            return Err(invalid(format!(
                "bundle format version {version} is unknown; this Voussoir reads version {VERSION}: upgrade Voussoir"
            )))
        }
        None => return Err(invalid("manifest.json has no version")),
    }
    let manifest: Manifest = serde_json::from_value(header)
        .map_err(|error| invalid(format!("manifest.json: {error}")))?;

    let mut listed = HashSet::new();
    let mut sizes = BTreeMap::new();
    for file in &manifest.files {
        check_entry_name(&file.path)?;
        if !listed.insert(file.path.clone()) {
            return Err(invalid(format!(
                "`{}` is listed twice in the manifest",
                file.path
            )));
        }
        let Some(entry_size) = declared.get(&file.path) else {
            return Err(invalid(format!(
                "the manifest lists `{}` but the bundle has no such entry",
                file.path
            )));
        };
        if *entry_size != file.size {
            return Err(invalid(format!(
                "`{}` is {entry_size} bytes in the zip but {} in the manifest",
                file.path, file.size
            )));
        }
        let bytes = read_entry(&mut archive, &file.path, file.size)?;
        let hash = blake3::hash(&bytes).to_hex().to_string();
        if hash != file.blake3 {
            return Err(invalid(format!(
                "`{}` does not match its hash in the manifest: the bundle is damaged or altered",
                file.path
            )));
        }
        sizes.insert(file.path.clone(), file.size);
    }
    for name in declared.keys() {
        if name != "manifest.json" && !listed.contains(name) {
            return Err(invalid(format!(
                "entry `{name}` is not listed in the manifest: refused"
            )));
        }
    }
    for photo in &manifest.photos {
        for path in [&photo.thumbnail, &photo.review].into_iter().flatten() {
            if !listed.contains(path) {
                return Err(invalid(format!(
                    "photo {} refers to `{path}`, which the manifest does not list",
                    photo.file_name
                )));
            }
        }
        if photo.hash.len() != 64 || !photo.hash.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(invalid(format!(
                "photo {} has no valid hash",
                photo.file_name
            )));
        }
    }
    for track in &manifest.tracks {
        if !listed.contains(&track.points) {
            return Err(invalid(format!(
                "track {} refers to an unlisted file",
                track.file_name
            )));
        }
    }
    Ok(CheckedBundle {
        manifest,
        archive,
        sizes,
    })
}

impl DefectEntry {
    /// The defect as typed, for checking against the target structure.
    pub fn to_input(&self) -> voussoir_core::recording::DefectInput {
        voussoir_core::recording::DefectInput {
            component: self.component.clone(),
            type_code: self.type_code.clone(),
            severity: self.severity.clone(),
            extent: self.extent.clone(),
            measurements: Measurements {
                crack_width_mm: self.crack_width_mm,
                length_m: self.length_m,
                area_m2: self.area_m2,
                depth_mm: self.depth_mm,
                section_loss_pct: self.section_loss_pct,
            },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_entry_names_are_refused() {
        for name in [
            "../evil",
            "/etc/passwd",
            "a/../../b",
            "c:\\x",
            "media\\x.jpg",
            "a/./b",
            "",
        ] {
            assert!(check_entry_name(name).is_err(), "{name}");
        }
        assert!(check_entry_name("media/ab-thumb.jpg").is_ok());
    }
}
