//! Reading a bundle with every check, before the caller writes anything:
//! format and version, entry names, sizes against the caps and the
//! compression ratio, every file's size and hash, nothing unlisted.

use std::collections::{BTreeMap, HashSet};
use std::io::{Read, Seek};

use voussoir_core::track::{Segment, Track};

use super::*;

/// Checks an entry name: relative, forward slashes, no `..`, no drive,
/// no control characters.
pub(crate) fn check_entry_name(name: &str) -> Result<(), BundleError> {
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
    super::limits::check_manifest(&manifest)
        .map_err(|reason| invalid(format!("manifest.json: {reason}")))?;

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
