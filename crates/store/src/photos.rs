//! Storing and reading photos: one row per photo with what its file said
//! and where it was placed. Rows are converted to and from the one
//! [`Photo`] type here, at the edge of the database; nothing else sees the
//! text the times and sources are stored as.

use rusqlite::{params, Connection, OptionalExtension, Row};

use voussoir_core::photo::{parse_utc_offset, Photo, PhotoPlacement, PositionSource};
use voussoir_core::LonLat;

use crate::{now_utc, FieldBook, Media, Result, StoreError};

const PHOTO_COLUMNS: &str = "hash, inspection_id, file, format, bytes, width, height, make, model,
    orientation, camera_time, camera_offset, exif_lon, exif_lat, exif_altitude_m, exif_accuracy_m,
    metadata_notes, taken_at, lon, lat, elevation_m, accuracy_m, position_source, position_note,
    depth_m, underwater, component, component_distance_m, thumbnail, review, original, placed,
    capture_id";

fn position(lon: Option<f64>, lat: Option<f64>) -> Option<LonLat> {
    match (lon, lat) {
        (Some(lon), Some(lat)) => Some(LonLat { lon, lat }),
        _ => None,
    }
}

/// Reads a text column written by this module back into its type.
fn parsed<T: std::str::FromStr>(text: Option<String>) -> Option<T> {
    text.and_then(|text| text.parse().ok())
}

fn photo_from_row(row: &Row<'_>) -> rusqlite::Result<Photo> {
    let notes: String = row.get(16)?;
    let source: String = row.get(22)?;
    Ok(Photo {
        hash: row.get(0)?,
        inspection_id: row.get(1)?,
        file: row.get(2)?,
        format: row.get(3)?,
        bytes: u64::try_from(row.get::<_, i64>(4)?).unwrap_or(0),
        width: row
            .get::<_, Option<i64>>(5)?
            .and_then(|value| u32::try_from(value).ok()),
        height: row
            .get::<_, Option<i64>>(6)?
            .and_then(|value| u32::try_from(value).ok()),
        make: row.get(7)?,
        model: row.get(8)?,
        orientation: u16::try_from(row.get::<_, i64>(9)?).unwrap_or(1),
        camera_time: parsed(row.get(10)?),
        camera_offset: row
            .get::<_, Option<String>>(11)?
            .as_deref()
            .and_then(parse_utc_offset),
        exif_position: position(row.get(12)?, row.get(13)?),
        exif_altitude_m: row.get(14)?,
        exif_accuracy_m: row.get(15)?,
        metadata_notes: serde_json::from_str(&notes).unwrap_or_default(),
        placement: PhotoPlacement {
            taken_at: parsed(row.get(17)?),
            position: position(row.get(18)?, row.get(19)?),
            elevation_m: row.get(20)?,
            accuracy_m: row.get(21)?,
            position_source: source.parse().unwrap_or(PositionSource::None),
            position_note: row.get(23)?,
            depth_m: row.get(24)?,
            underwater: row.get(25)?,
            component: row.get(26)?,
            component_distance_m: row.get(27)?,
        },
        thumbnail: row.get(28)?,
        review: row.get(29)?,
        original: row.get(30)?,
        placed: row.get(31)?,
        capture_id: row.get(32)?,
    })
}

impl FieldBook {
    /// The media folder's handle.
    pub fn media(&self) -> Media {
        Media::new(self.media_dir())
    }

    /// The file a photo with these bytes was first imported from, if any.
    pub fn photo_file(&self, hash: &str) -> Result<Option<String>> {
        Ok(self
            .connection
            .query_row("SELECT file FROM photo WHERE hash = ?1", [hash], |row| {
                row.get(0)
            })
            .optional()?)
    }

    /// Stores a photo; a photo with the same hash is left as it is.
    /// Returns whether it was new.
    pub fn insert_photo(&mut self, photo: &Photo) -> Result<bool> {
        write_photo(&self.connection, photo)
    }

    /// Stores a photo read from a file, with the file's absolute path (its
    /// review copy is made from there later), in one transaction.
    pub fn insert_photo_from(&mut self, photo: &Photo, source: &str) -> Result<bool> {
        let transaction = self.connection.transaction()?;
        let inserted = write_photo(&transaction, photo)?;
        if inserted {
            transaction.execute(
                "UPDATE photo SET source_path = ?3 WHERE hash = ?1 AND inspection_id IS ?2",
                params![photo.hash, photo.inspection_id, source],
            )?;
        }
        transaction.commit()?;
        Ok(inserted)
    }

    /// Where a photo was read from, when the import recorded it.
    pub fn photo_source(&self, hash: &str, inspection_id: Option<i64>) -> Result<Option<String>> {
        Ok(self
            .connection
            .query_row(
                "SELECT source_path FROM photo WHERE hash = ?1 AND inspection_id IS ?2",
                params![hash, inspection_id],
                |row| row.get(0),
            )
            .optional()?
            .flatten())
    }

    /// Records a photo's review copy, made after its import.
    pub fn set_review_copy(
        &mut self,
        hash: &str,
        inspection_id: Option<i64>,
        review: &str,
    ) -> Result<()> {
        self.connection.execute(
            "UPDATE photo SET review = ?3 WHERE hash = ?1 AND inspection_id IS ?2",
            params![hash, inspection_id, review],
        )?;
        Ok(())
    }

    /// The photos of an inspection (all photos when `None`), oldest first.
    pub fn photos(&self, inspection_id: Option<i64>) -> Result<Vec<Photo>> {
        let mut statement = self.connection.prepare(&format!(
            "SELECT {PHOTO_COLUMNS} FROM photo
             WHERE ?1 IS NULL OR inspection_id = ?1
             ORDER BY taken_at IS NULL, taken_at, file"
        ))?;
        let photos = statement
            .query_map([inspection_id], photo_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(photos)
    }

    /// Saves new placements for many photos of an inspection in one
    /// transaction; each photo then counts as placed.
    pub fn update_placements(
        &mut self,
        inspection_id: i64,
        placements: &[(String, PhotoPlacement)],
    ) -> Result<()> {
        let transaction = self.connection.transaction()?;
        for (hash, placement) in placements {
            write_placement(&transaction, Some(inspection_id), hash, placement)?;
        }
        transaction.commit()?;
        Ok(())
    }
}

/// Inserts a photo row unless its hash is already stored, then its
/// placement as given (a photo not yet placed stays so).
pub(crate) fn write_photo(connection: &Connection, photo: &Photo) -> Result<bool> {
    let notes = serde_json::to_string(&photo.metadata_notes)
        .map_err(|error| StoreError::Corrupt(error.to_string()))?;
    let changed = connection.execute(
        "INSERT OR IGNORE INTO photo (hash, inspection_id, file, format, bytes, width, height,
            make, model, orientation, camera_time, camera_offset, exif_lon, exif_lat,
            exif_altitude_m, exif_accuracy_m, metadata_notes, thumbnail, review, original,
            imported_at, capture_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
            ?18, ?19, ?20, ?21, ?22)",
        params![
            photo.hash,
            photo.inspection_id,
            photo.file,
            photo.format,
            i64::try_from(photo.bytes).unwrap_or(i64::MAX),
            photo.width,
            photo.height,
            photo.make,
            photo.model,
            photo.orientation,
            photo.camera_time.map(|time| time.to_string()),
            photo.camera_offset.map(|offset| offset.to_string()),
            photo.exif_position.map(|point| point.lon),
            photo.exif_position.map(|point| point.lat),
            photo.exif_altitude_m,
            photo.exif_accuracy_m,
            notes,
            photo.thumbnail,
            photo.review,
            photo.original,
            now_utc(),
            photo.capture_id
        ],
    )?;
    if changed == 1 {
        write_placement(
            connection,
            photo.inspection_id,
            &photo.hash,
            &photo.placement,
        )?;
        connection.execute(
            "UPDATE photo SET placed = ?3 WHERE hash = ?1 AND inspection_id IS ?2",
            params![photo.hash, photo.inspection_id, photo.placed],
        )?;
    }
    Ok(changed == 1)
}

/// Sets where and when a stored photo of an inspection was taken, and
/// marks it placed.
fn write_placement(
    connection: &Connection,
    inspection_id: Option<i64>,
    hash: &str,
    placement: &PhotoPlacement,
) -> Result<()> {
    let mut update = connection.prepare_cached(
        "UPDATE photo SET taken_at = ?2, lon = ?3, lat = ?4, elevation_m = ?5, accuracy_m = ?6,
            position_source = ?7, position_note = ?8, depth_m = ?9, underwater = ?10,
            component = ?11, component_distance_m = ?12, placed = 1
         WHERE hash = ?1 AND inspection_id IS ?13",
    )?;
    update.execute(params![
        hash,
        placement.taken_at.map(|time| time.to_string()),
        placement.position.map(|point| point.lon),
        placement.position.map(|point| point.lat),
        placement.elevation_m,
        placement.accuracy_m,
        placement.position_source.code(),
        placement.position_note,
        placement.depth_m,
        placement.underwater,
        placement.component,
        placement.component_distance_m,
        inspection_id
    ])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_photo_is_stored_once_by_hash() {
        let dir = tempfile::tempdir().expect("temp");
        let mut book = FieldBook::init(dir.path()).expect("init");
        let photo = Photo {
            hash: "ff00".to_string(),
            file: "a.jpg".to_string(),
            format: "JPEG".to_string(),
            metadata_notes: vec!["note".to_string()],
            camera_time: "2026-03-12T10:41:07.25".parse().ok(),
            camera_offset: parse_utc_offset("+01:00"),
            placement: PhotoPlacement {
                taken_at: "2026-03-12T09:41:07.25Z".parse().ok(),
                position_source: PositionSource::Track,
                ..PhotoPlacement::default()
            },
            placed: true,
            ..Photo::default()
        };
        assert!(book.insert_photo(&photo).expect("insert"));
        assert!(!book.insert_photo(&photo).expect("insert"));
        let stored = book.photos(None).expect("photos");
        assert_eq!(stored, vec![photo]);
    }

    #[test]
    fn a_photo_stored_before_placement_is_unplaced_until_placed() {
        let dir = tempfile::tempdir().expect("temp");
        let mut book = FieldBook::init(dir.path()).expect("init");
        let course = voussoir_core::Course::from_toml(
            "[course]\ncode = \"OA\"\nname = \"C\"\n[[structures]]\ncode = \"PONT\"\nname = \"P\"\nkind = \"beam\"\n",
        )
        .expect("course");
        book.load_course(&course).expect("load");
        let inspection = book
            .new_inspection(&crate::NewInspection {
                structure: "PONT".to_string(),
                kind: voussoir_core::model::InspectionKind::DetailedPeriodic,
                inspector: None,
                date: None,
                weather: None,
                is_reference: false,
                not_inspected: Vec::new(),
            })
            .expect("inspection");
        let photo = Photo {
            hash: "ee00".to_string(),
            inspection_id: Some(inspection.id),
            file: "b.jpg".to_string(),
            ..Photo::default()
        };
        book.insert_photo(&photo).expect("insert");
        assert!(!book.photos(None).expect("photos")[0].placed);
        book.update_placements(
            inspection.id,
            &[("ee00".to_string(), PhotoPlacement::default())],
        )
        .expect("place");
        assert!(book.photos(None).expect("photos")[0].placed);
    }
}
