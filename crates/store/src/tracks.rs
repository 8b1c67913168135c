//! Storing and reading GPS tracks and dive logs. A file's content is
//! stored once per inspection; every track or dive log commits whole.

use rusqlite::{params, Connection, OptionalExtension};
use voussoir_core::words::errors::english as said;

use voussoir_core::track::{DepthSample, Dive, Segment, Track, TrackPoint};

use crate::{now_utc, track_codec, FieldBook, Result, StoreError};

/// A stored track's summary.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackRecord {
    pub id: i64,
    pub inspection_id: Option<i64>,
    pub file: String,
    pub format: String,
    pub name: Option<String>,
    pub points: i64,
    pub timed_points: i64,
    pub segments: i64,
    pub first_time: Option<String>,
    pub last_time: Option<String>,
    pub length_m: f64,
}

/// A stored dive's summary.
#[derive(Debug, Clone, PartialEq)]
pub struct DiveRecord {
    pub id: i64,
    pub file: String,
    pub number: Option<i64>,
    pub start_ms: i64,
    pub end_ms: i64,
    pub max_depth_m: f64,
    pub samples: i64,
}

/// What happened to a file offered for import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inserted {
    New(i64),
    /// Already in the field book (same bytes), under this id.
    Duplicate(i64),
}

impl FieldBook {
    /// Stores a track and all its points in one transaction. The same file
    /// (same bytes) is stored once per inspection.
    pub fn insert_track(
        &mut self,
        inspection_id: Option<i64>,
        file: &str,
        hash: &str,
        format: &str,
        track: &Track,
    ) -> Result<Inserted> {
        self.insert_once(
            "SELECT id FROM track WHERE hash = ?1 AND ifnull(inspection_id, 0) = ifnull(?2, 0)",
            hash,
            inspection_id,
            |transaction| write_track(transaction, inspection_id, file, hash, format, track),
        )
    }

    /// Summaries of the tracks of an inspection (all when `None`).
    pub fn tracks(&self, inspection_id: Option<i64>) -> Result<Vec<TrackRecord>> {
        let mut statement = self.connection.prepare(
            "SELECT id, inspection_id, file, format, name, points, timed_points, segments,
                first_time, last_time, length_m
             FROM track WHERE ?1 IS NULL OR inspection_id = ?1 ORDER BY id",
        )?;
        let tracks = statement
            .query_map([inspection_id], |row| {
                Ok(TrackRecord {
                    id: row.get(0)?,
                    inspection_id: row.get(1)?,
                    file: row.get(2)?,
                    format: row.get(3)?,
                    name: row.get(4)?,
                    points: row.get(5)?,
                    timed_points: row.get(6)?,
                    segments: row.get(7)?,
                    first_time: row.get(8)?,
                    last_time: row.get(9)?,
                    length_m: row.get(10)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(tracks)
    }

    /// One track with all its points.
    pub fn load_track(&self, track_id: i64) -> Result<Track> {
        let (name, segments): (Option<String>, i64) = self
            .connection
            .query_row(
                "SELECT name, segments FROM track WHERE id = ?1",
                [track_id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| {
                StoreError::NotFound(said("book.no_track", &[("id", track_id.to_string())]))
            })?;
        // Empty segments have no point rows: keep their count all the same.
        let mut track = Track {
            name,
            segments: vec![Segment::default(); usize::try_from(segments).unwrap_or(0)],
            ..Track::default()
        };
        let mut statement = self.connection.prepare(
            "SELECT kind, segment, data FROM track_chunk
             WHERE track_id = ?1 ORDER BY kind, segment, chunk",
        )?;
        let mut rows = statement.query([track_id])?;
        while let Some(row) = rows.next()? {
            let kind: i64 = row.get(0)?;
            let segment = usize::try_from(row.get::<_, i64>(1)?).unwrap_or(0);
            let data = row
                .get_ref(2)?
                .as_blob()
                .map_err(|error| StoreError::Corrupt(format!("track #{track_id}: {error}")))?;
            let points = track_codec::decode(data)
                .map_err(|error| StoreError::Corrupt(format!("track #{track_id}: {error}")))?;
            let target = match kind {
                0 => &mut track.segments,
                1 => &mut track.routes,
                _ => {
                    track.waypoints.extend(points);
                    continue;
                }
            };
            while target.len() <= segment {
                target.push(Segment::default());
            }
            target[segment].points.extend(points);
        }
        Ok(track)
    }

    /// Stores a dive log's dives and samples in one transaction; the same
    /// file is stored once per inspection.
    pub fn insert_dive_log(
        &mut self,
        inspection_id: Option<i64>,
        file: &str,
        hash: &str,
        format: &str,
        dives: &[Dive],
    ) -> Result<Inserted> {
        self.insert_once(
            "SELECT id FROM dive_log WHERE hash = ?1 AND ifnull(inspection_id, 0) = ifnull(?2, 0)",
            hash,
            inspection_id,
            |transaction| write_dive_log(transaction, inspection_id, file, hash, format, dives),
        )
    }

    /// Stores a file's content once per inspection: when `existing` (a
    /// query by hash and inspection) finds it, nothing is written; else
    /// `write` runs in one transaction.
    fn insert_once(
        &mut self,
        existing: &str,
        hash: &str,
        inspection_id: Option<i64>,
        write: impl FnOnce(&Connection) -> Result<i64>,
    ) -> Result<Inserted> {
        if let Some(id) = self
            .connection
            .query_row(existing, rusqlite::params![hash, inspection_id], |row| {
                row.get(0)
            })
            .optional()?
        {
            return Ok(Inserted::Duplicate(id));
        }
        let transaction = self.connection.transaction()?;
        let id = write(&transaction)?;
        transaction.commit()?;
        Ok(Inserted::New(id))
    }

    /// Summaries of the dives of an inspection (all when `None`).
    pub fn dives(&self, inspection_id: Option<i64>) -> Result<Vec<DiveRecord>> {
        let mut statement = self.connection.prepare(
            "SELECT dive.id, dive_log.file, dive.number, dive.start_ms, dive.end_ms, dive.max_depth_m,
                (SELECT count(*) FROM dive_sample WHERE dive_sample.dive_id = dive.id)
             FROM dive JOIN dive_log ON dive_log.id = dive.dive_log_id
             WHERE ?1 IS NULL OR dive_log.inspection_id = ?1 ORDER BY dive.start_ms",
        )?;
        let dives = statement
            .query_map([inspection_id], |row| {
                Ok(DiveRecord {
                    id: row.get(0)?,
                    file: row.get(1)?,
                    number: row.get(2)?,
                    start_ms: row.get(3)?,
                    end_ms: row.get(4)?,
                    max_depth_m: row.get(5)?,
                    samples: row.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(dives)
    }

    /// The dives of an inspection with their profiles.
    pub fn load_dives(&self, inspection_id: Option<i64>) -> Result<Vec<Dive>> {
        let records = self.dives(inspection_id)?;
        let mut statement = self.connection.prepare(
            "SELECT time_ms, depth_m FROM dive_sample WHERE dive_id = ?1 ORDER BY time_ms",
        )?;
        let mut dives = Vec::new();
        for record in records {
            let samples = statement
                .query_map([record.id], |row| {
                    Ok(DepthSample {
                        time_ms: row.get(0)?,
                        depth_m: row.get(1)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            dives.push(Dive {
                number: record.number.and_then(|number| u32::try_from(number).ok()),
                start_ms: record.start_ms,
                samples,
                site: None,
            });
        }
        Ok(dives)
    }
}

pub(crate) fn track_exists(
    connection: &Connection,
    hash: &str,
    inspection_id: i64,
) -> Result<bool> {
    Ok(connection
        .query_row(
            "SELECT 1 FROM track WHERE hash = ?1 AND inspection_id = ?2",
            rusqlite::params![hash, inspection_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

pub(crate) fn dive_log_exists(
    connection: &Connection,
    hash: &str,
    inspection_id: i64,
) -> Result<bool> {
    Ok(connection
        .query_row(
            "SELECT 1 FROM dive_log WHERE hash = ?1 AND inspection_id = ?2",
            rusqlite::params![hash, inspection_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Inserts a track and its points (inside the caller's transaction).
pub(crate) fn write_track(
    connection: &Connection,
    inspection_id: Option<i64>,
    file: &str,
    hash: &str,
    format: &str,
    track: &Track,
) -> Result<i64> {
    let summary = track.summary();
    let time_text = |time: Option<i64>| {
        time.and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
            .map(|timestamp| timestamp.to_string())
    };
    connection.execute(
        "INSERT INTO track (inspection_id, file, hash, format, name, points, timed_points,
            segments, first_time, last_time, length_m, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            inspection_id,
            file,
            hash,
            format,
            track.name,
            summary.points as i64,
            summary.timed_points as i64,
            summary.segments as i64,
            time_text(summary.first_time_ms),
            time_text(summary.last_time_ms),
            summary.length_m,
            now_utc()
        ],
    )?;
    let id = connection.last_insert_rowid();
    let groups: [(i64, &[Segment]); 2] = [(0, &track.segments), (1, &track.routes)];
    for (kind, segments) in groups {
        for (index, segment) in segments.iter().enumerate() {
            write_chunks(connection, id, kind, index as i64, &segment.points)?;
        }
    }
    write_chunks(connection, id, 2, 0, &track.waypoints)?;
    Ok(id)
}

/// Points per stored chunk: large enough that a long track is a few rows,
/// small enough that one chunk is a few megabytes.
const CHUNK_POINTS: usize = 65_536;

/// Writes a run of points as encoded chunks (inside the caller's
/// transaction).
fn write_chunks(
    connection: &Connection,
    track_id: i64,
    kind: i64,
    segment: i64,
    points: &[TrackPoint],
) -> Result<()> {
    let mut insert = connection.prepare_cached(
        "INSERT INTO track_chunk (track_id, kind, segment, chunk, points, data)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (chunk, part) in points.chunks(CHUNK_POINTS).enumerate() {
        insert.execute(params![
            track_id,
            kind,
            segment,
            chunk as i64,
            part.len() as i64,
            track_codec::encode(part)
        ])?;
    }
    Ok(())
}

/// Migration 10: every track's rows of `track_point` become chunks, then
/// that table goes (inside the migration's transaction).
pub(crate) fn move_points_into_chunks(connection: &Connection) -> Result<()> {
    let mut select = connection.prepare(
        "SELECT track_id, kind, segment, time_ms, lon, lat, elevation_m, hdop, pdop, satellites
         FROM track_point ORDER BY track_id, kind, segment, seq",
    )?;
    let mut rows = select.query([])?;
    let mut current: Option<(i64, i64, i64)> = None;
    let mut points = Vec::new();
    while let Some(row) = rows.next()? {
        let key = (row.get(0)?, row.get(1)?, row.get(2)?);
        if current.is_some_and(|current| current != key) {
            let (track, kind, segment) = current.expect("a run");
            write_chunks(connection, track, kind, segment, &points)?;
            points.clear();
        }
        current = Some(key);
        points.push(TrackPoint {
            time_ms: row.get(3)?,
            lon: row.get(4)?,
            lat: row.get(5)?,
            elevation_m: row.get(6)?,
            hdop: row.get(7)?,
            pdop: row.get(8)?,
            satellites: row.get(9)?,
        });
    }
    if let Some((track, kind, segment)) = current {
        write_chunks(connection, track, kind, segment, &points)?;
    }
    drop(rows);
    drop(select);
    connection.execute_batch("DROP TABLE track_point;")?;
    Ok(())
}

/// Inserts a dive log with its dives and samples (inside the caller's
/// transaction).
pub(crate) fn write_dive_log(
    connection: &Connection,
    inspection_id: Option<i64>,
    file: &str,
    hash: &str,
    format: &str,
    dives: &[Dive],
) -> Result<i64> {
    connection.execute(
        "INSERT INTO dive_log (inspection_id, file, hash, format, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![inspection_id, file, hash, format, now_utc()],
    )?;
    let log_id = connection.last_insert_rowid();
    let mut insert_sample = connection
        .prepare("INSERT INTO dive_sample (dive_id, time_ms, depth_m) VALUES (?1, ?2, ?3)")?;
    for dive in dives {
        connection.execute(
            "INSERT INTO dive (dive_log_id, number, start_ms, end_ms, max_depth_m, site_lon, site_lat)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                log_id,
                dive.number,
                dive.start_ms,
                dive.end_ms(),
                dive.max_depth_m(),
                dive.site.map(|site| site.lon),
                dive.site.map(|site| site.lat)
            ],
        )?;
        let dive_id = connection.last_insert_rowid();
        for sample in &dive.samples {
            insert_sample.execute(params![dive_id, sample.time_ms, sample.depth_m])?;
        }
    }
    Ok(log_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(time_ms: Option<i64>) -> TrackPoint {
        TrackPoint {
            time_ms,
            lon: -3.46,
            lat: 48.73,
            elevation_m: Some(4.0),
            hdop: Some(0.9),
            pdop: None,
            satellites: Some(8),
        }
    }

    #[test]
    fn a_track_round_trips_and_is_stored_once() {
        let dir = tempfile::tempdir().expect("temp");
        let mut book = FieldBook::init(dir.path()).expect("init");
        let track = Track {
            name: Some("walk".to_string()),
            segments: vec![
                Segment {
                    points: vec![point(Some(0)), point(Some(1000))],
                },
                Segment::default(),
            ],
            routes: vec![Segment {
                points: vec![point(None)],
            }],
            waypoints: vec![point(None)],
        };
        let inserted = book
            .insert_track(None, "walk.gpx", "abc", "GPX", &track)
            .expect("insert");
        let Inserted::New(id) = inserted else {
            panic!("expected a new track")
        };
        assert_eq!(book.load_track(id).expect("load"), track);
        assert_eq!(
            book.insert_track(None, "copy.gpx", "abc", "GPX", &track)
                .expect("insert"),
            Inserted::Duplicate(id)
        );
        let records = book.tracks(None).expect("tracks");
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].points, 2);
        assert_eq!(
            records[0].first_time.as_deref(),
            Some("1970-01-01T00:00:00Z")
        );
    }
}
