//! What a bundle may hold, checked before anything of it is used: counts
//! (defects, photos, photos per defect, grades, tracks, dives, samples),
//! string lengths, and plausible values (positions in range and given as a
//! pair, photo times between 1990 and 2100). The limits are stated in
//! `docs/bundle.md`; a bundle past one is refused whole, naming the field.

use super::Manifest;

/// Defects in one bundle.
pub const MAX_DEFECTS: usize = 10_000;
/// Photos in one bundle.
pub const MAX_PHOTOS: usize = 10_000;
/// Photos one defect may cite.
pub const MAX_PHOTOS_PER_DEFECT: usize = 50;
/// Own grades in one bundle.
pub const MAX_GRADES: usize = 1_000;
/// Tracks, and dives, in one bundle.
pub const MAX_TRACKS: usize = 100;
/// Depth samples in one dive.
pub const MAX_SAMPLES_PER_DIVE: usize = 200_000;
/// Characters of a note or placement note.
pub const MAX_NOTE_CHARS: usize = 4_000;
/// Characters of a name, code or label.
pub const MAX_NAME_CHARS: usize = 256;

fn too_long(field: &str, text: &str, limit: usize) -> Result<(), String> {
    let length = text.chars().count();
    if length > limit {
        return Err(format!(
            "{field} is {length} characters long, more than the {limit} allowed"
        ));
    }
    Ok(())
}

fn count(field: &str, count: usize, limit: usize) -> Result<(), String> {
    if count > limit {
        return Err(format!(
            "{count} {field}, more than the {limit} a bundle may hold"
        ));
    }
    Ok(())
}

/// A position given as longitude and latitude: both or neither, in range.
fn position(field: &str, lon: Option<f64>, lat: Option<f64>) -> Result<(), String> {
    match (lon, lat) {
        (None, None) => Ok(()),
        (Some(lon), Some(lat)) => voussoir_core::LonLat::new(lon, lat)
            .map(|_| ())
            .map_err(|_| {
                format!("{field}: latitude {lat}, longitude {lon} is not a position on Earth")
            }),
        _ => Err(format!(
            "{field}: a latitude needs its longitude and the reverse"
        )),
    }
}

/// Checks every limit and value of a manifest.
pub fn check_manifest(manifest: &Manifest) -> Result<(), String> {
    count("defects", manifest.defects.len(), MAX_DEFECTS)?;
    count("photos", manifest.photos.len(), MAX_PHOTOS)?;
    count("own grades", manifest.own_grades.len(), MAX_GRADES)?;
    count("tracks", manifest.tracks.len(), MAX_TRACKS)?;
    count("dives", manifest.dives.len(), MAX_TRACKS)?;
    let inspection = &manifest.inspection;
    for (field, text) in [
        ("inspection.inspector", inspection.inspector.as_deref()),
        ("inspection.weather", inspection.weather.as_deref()),
    ] {
        too_long(field, text.unwrap_or(""), MAX_NAME_CHARS)?;
    }
    for (index, defect) in manifest.defects.iter().enumerate() {
        let place = format!("defect {}", index + 1);
        too_long(
            &format!("{place} component"),
            &defect.component,
            MAX_NAME_CHARS,
        )?;
        too_long(&format!("{place} type"), &defect.type_code, MAX_NAME_CHARS)?;
        too_long(
            &format!("{place} note"),
            defect.note.as_deref().unwrap_or(""),
            MAX_NOTE_CHARS,
        )?;
        count(
            &format!("photos cited by {place}"),
            defect.photos.len(),
            MAX_PHOTOS_PER_DEFECT,
        )?;
        for name in &defect.photos {
            too_long(&format!("{place} photo name"), name, MAX_NAME_CHARS)?;
        }
        position(&place, defect.lon, defect.lat)?;
    }
    for photo in &manifest.photos {
        let place = format!(
            "photo {}",
            photo.file_name.chars().take(64).collect::<String>()
        );
        too_long(
            &format!("{place} file name"),
            &photo.file_name,
            MAX_NAME_CHARS,
        )?;
        too_long(
            &format!("{place} placement note"),
            photo.position_note.as_deref().unwrap_or(""),
            MAX_NOTE_CHARS,
        )?;
        position(&place, photo.lon, photo.lat)?;
        if let Some(taken_at) = photo.taken_at {
            let year = jiff::tz::TimeZone::UTC.to_datetime(taken_at).year();
            if !(1990..=2100).contains(&year) {
                return Err(format!(
                    "{place}: taken_at {taken_at} is not a plausible photo time"
                ));
            }
        }
    }
    for grade in &manifest.own_grades {
        too_long("own grade target", &grade.target, MAX_NAME_CHARS)?;
        too_long("own grade", &grade.grade, MAX_NAME_CHARS)?;
    }
    for (index, dive) in manifest.dives.iter().enumerate() {
        count(
            &format!("depth samples in dive {}", index + 1),
            dive.samples.len(),
            MAX_SAMPLES_PER_DIVE,
        )?;
    }
    Ok(())
}
