//! A photo from the field app: checked and read on the server (format from
//! the content, EXIF, size), its copies stored by content hash, placed at
//! the phone's position when that is sane; the same photo id sent again is
//! recognised.

use serde::Deserialize;
use std::path::Path;
use voussoir_core::words::errors::english as said;
use voussoir_core::words::reasons::english;

use voussoir_core::field_position::check_field_position;
use voussoir_core::geotag::nearest_component;
use voussoir_core::photo::{Photo, PhotoPlacement, PositionSource};
use voussoir_core::Structure;
use voussoir_ingest::photo::{make_previews, read_photo_bytes};
use voussoir_store::{FieldBook, MediaKind, User};

use super::{check_id, owned, photo_file_name, Ack, CaptureLimits};
use crate::{Error, Result};

/// What the app tells of a photo besides its bytes.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PhotoRecord {
    /// When it was taken, UTC milliseconds (the phone's clock).
    pub taken_ms: Option<i64>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub accuracy_m: Option<f64>,
    /// The component it was taken for.
    pub component: Option<String>,
}

/// Stores a photo from the device: its content is checked and read here
/// (format, EXIF, size), never trusted from the claim; the same photo id
/// sent again is recognised and changes nothing. The three steps in one;
/// the server runs them apart so that decoding holds no connection.
pub fn save_photo(
    book: &mut FieldBook,
    trainee: &User,
    inspection_id: &str,
    photo_id: &str,
    bytes: Vec<u8>,
    record: &PhotoRecord,
    limits: CaptureLimits,
) -> Result<Ack> {
    match check_photo(
        book,
        trainee,
        inspection_id,
        photo_id,
        bytes.len(),
        record,
        limits,
    )? {
        Checked::Stored(ack) => Ok(ack),
        Checked::Welcome => {
            let prepared = prepare_photo(photo_id, bytes)?;
            store_photo(book, trainee, inspection_id, photo_id, prepared, record)
        }
    }
}

/// What the checks before decoding found.
pub enum Checked {
    /// This photo id is already stored: the answer to send.
    Stored(Ack),
    /// The photo may be decoded and stored.
    Welcome,
}

/// The checks that need the database and no pixels: the inspection is the
/// trainee's, the photo id is new, the size, time and count are within
/// bounds.
pub fn check_photo(
    book: &FieldBook,
    trainee: &User,
    inspection_id: &str,
    photo_id: &str,
    size: usize,
    record: &PhotoRecord,
    limits: CaptureLimits,
) -> Result<Checked> {
    let working = owned(book, trainee, inspection_id)?;
    check_id(photo_id)?;
    // The inspection's photos, read once: a resend, and the count.
    let stored = book.photos(Some(working.inspection_id))?;
    if let Some(found) = stored
        .iter()
        .find(|photo| photo.capture_id.as_deref() == Some(photo_id))
    {
        return Ok(Checked::Stored(Ack {
            id: photo_id.to_string(),
            status: "stored",
            hash: Some(found.hash.clone()),
        }));
    }
    if size as u64 > limits.max_photo_bytes {
        return Err(Error::Invalid(said(
            "capture.photo_too_big",
            &[
                ("size", format!("{:.1}", size as f64 / 1e6)),
                (
                    "most",
                    format!("{:.1}", limits.max_photo_bytes as f64 / 1e6),
                ),
            ],
        )));
    }
    if let Some(ms) = record.taken_ms {
        let plausible = jiff::Timestamp::from_millisecond(ms).is_ok_and(|at| {
            let year = jiff::tz::TimeZone::UTC.to_datetime(at).year();
            (1990..=2100).contains(&year)
        });
        if !plausible {
            return Err(Error::Invalid(said(
                "capture.photo_time",
                &[("photo", photo_id.to_string()), ("ms", ms.to_string())],
            )));
        }
    }
    if stored.len() >= limits.max_photos {
        return Err(Error::Invalid(said(
            "capture.too_many_photos",
            &[("count", limits.max_photos.to_string())],
        )));
    }
    Ok(Checked::Welcome)
}

/// A photo read and its copies made, before it is stored.
pub struct PreparedPhoto {
    read: voussoir_ingest::photo::PhotoRead,
    previews: voussoir_ingest::photo::Previews,
}

/// Reads a photo's content and makes its copies: the CPU work, which
/// needs no database.
pub fn prepare_photo(photo_id: &str, bytes: Vec<u8>) -> Result<PreparedPhoto> {
    let name = photo_file_name(photo_id);
    let read = read_photo_bytes(Path::new(&name), bytes).map_err(|error| {
        Error::Invalid(said(
            "capture.photo",
            &[
                ("photo", photo_id.to_string()),
                ("reason", error.reason.to_string()),
            ],
        ))
    })?;
    let previews = make_previews(&read)
        .map_err(|reason| {
            Error::Invalid(said(
                "capture.photo",
                &[
                    ("photo", photo_id.to_string()),
                    ("reason", reason.to_string()),
                ],
            ))
        })?
        .ok_or_else(|| {
            Error::Invalid(said(
                "capture.photo_format",
                &[
                    ("photo", photo_id.to_string()),
                    ("format", read.format.name().to_string()),
                ],
            ))
        })?;
    Ok(PreparedPhoto { read, previews })
}

/// Stores a prepared photo: its copies under `media/`, its row placed.
pub fn store_photo(
    book: &mut FieldBook,
    trainee: &User,
    inspection_id: &str,
    photo_id: &str,
    prepared: PreparedPhoto,
    record: &PhotoRecord,
) -> Result<Ack> {
    let working = owned(book, trainee, inspection_id)?;
    let PreparedPhoto { read, previews } = prepared;
    let name = photo_file_name(photo_id);
    let inspection = book.inspection(working.inspection_id)?;
    let structure = book.structure(&inspection.structure)?;
    let media = book.media();
    let thumbnail = media.write(&read.hash, MediaKind::Thumbnail, &previews.thumbnail_jpeg)?;
    let review = media.write(&read.hash, MediaKind::Review, &previews.review_jpeg)?;
    let placement = device_placement(&structure, &read.metadata, record);
    let metadata = read.metadata;
    let photo = Photo {
        hash: read.hash.clone(),
        inspection_id: Some(working.inspection_id),
        file: name,
        format: read.format.name().to_string(),
        bytes: read.bytes.len() as u64,
        width: Some(read.width),
        height: Some(read.height),
        make: metadata.make,
        model: metadata.model,
        orientation: metadata.orientation,
        camera_time: metadata.camera_time,
        camera_offset: metadata.offset,
        exif_position: metadata.gps,
        exif_altitude_m: metadata.altitude_m,
        exif_accuracy_m: metadata.gps_accuracy_m,
        metadata_notes: metadata.notes,
        placement,
        placed: true,
        capture_id: Some(photo_id.to_string()),
        thumbnail: Some(thumbnail),
        review: Some(review),
        original: None,
    };
    // Stored, or the same picture already there under another id (the
    // first one stands): either way the server holds these bytes.
    book.insert_photo(&photo)?;
    Ok(Ack {
        id: photo_id.to_string(),
        status: "stored",
        hash: Some(read.hash),
    })
}

/// Where a phone photo is: the phone's fix when it is sane, else the
/// photo's own GPS; the component it was taken for, else the nearest.
fn device_placement(
    structure: &Structure,
    metadata: &voussoir_ingest::photo::PhotoMetadata,
    record: &PhotoRecord,
) -> PhotoPlacement {
    let mut placement = PhotoPlacement {
        taken_at: record
            .taken_ms
            .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok()),
        ..PhotoPlacement::default()
    };
    let fix = match (record.lat, record.lon) {
        (Some(lat), Some(lon)) => {
            Some(check_field_position(structure, lat, lon, record.accuracy_m))
        }
        _ => None,
    };
    match (fix, metadata.gps) {
        (Some(Ok(position)), _) => {
            placement.position = Some(position);
            placement.accuracy_m = record.accuracy_m;
            placement.position_source = PositionSource::Device;
            placement.position_note = Some(english("place.phone", &[]));
        }
        (fix, Some(gps)) => {
            placement.position = Some(gps);
            placement.accuracy_m = metadata.gps_accuracy_m;
            placement.position_source = PositionSource::Exif;
            placement.position_note = Some(match fix {
                Some(Err(error)) => english(
                    "place.phone_refused_own_gps",
                    &[("error", error.to_string())],
                ),
                _ => english("place.own_gps", &[]),
            });
        }
        (Some(Err(error)), None) => {
            placement.position_note = Some(english(
                "place.phone_refused",
                &[("error", error.to_string())],
            ));
        }
        (None, None) => {
            placement.position_note = Some(english("place.phone_none", &[]));
        }
    }
    let chosen = record
        .component
        .as_deref()
        .and_then(|code| structure.component(code))
        .map(|component| component.code.clone());
    placement.component = chosen.or_else(|| {
        placement.position.and_then(|position| {
            nearest_component(structure, position, 50.0, false).map(|(code, _)| code)
        })
    });
    placement
}
