//! The field book: a folder holding `voussoir.db` (SQLite) and `media/`.
//!
//! This crate owns every SQL statement of Voussoir. The schema lives in
//! `migrations/NNNN_*.sql`, applied in order inside one transaction and
//! tracked by `PRAGMA user_version`, so an older field book is upgraded when
//! opened. The database runs in WAL mode with foreign keys on; every write
//! that belongs together is one transaction, so an interrupted command
//! leaves the book as it was before.

mod accounts;
mod capture;
mod course;
mod inspections;
mod media;
mod photos;
mod submissions;
mod track_codec;
mod tracks;

pub use accounts::{ApiToken, Role, User};
pub use capture::{CaptureDefect, CaptureInspection, CaptureWrite};
pub use course::LoadSummary;
pub use inspections::{ImportedInspection, NewInspection};
pub use media::{is_canonical_hash, write_atomically, Cleaned, Media, MediaKind};
pub use submissions::{PhotoCopies, Submission, SubmissionStatus};
pub use tracks::{DiveRecord, Inserted, TrackRecord};

use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// The database file's name inside a field book folder.
pub const DATABASE_FILE: &str = "voussoir.db";
/// The media folder's name inside a field book folder.
pub const MEDIA_DIR: &str = "media";

/// Schema migrations, in the order they are applied.
const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("../migrations/0001_init.sql")),
    (
        "0002_field_import",
        include_str!("../migrations/0002_field_import.sql"),
    ),
    (
        "0003_review_server",
        include_str!("../migrations/0003_review_server.sql"),
    ),
    (
        "0004_defect_photos",
        include_str!("../migrations/0004_defect_photos.sql"),
    ),
    (
        "0005_photo_placed",
        include_str!("../migrations/0005_photo_placed.sql"),
    ),
    (
        "0006_capture",
        include_str!("../migrations/0006_capture.sql"),
    ),
    (
        "0007_release",
        include_str!("../migrations/0007_release.sql"),
    ),
    (
        "0008_assessment",
        include_str!("../migrations/0008_assessment.sql"),
    ),
    (
        "0009_hardening",
        include_str!("../migrations/0009_hardening.sql"),
    ),
    (
        "0010_compact_import",
        include_str!("../migrations/0010_compact_import.sql"),
    ),
    (
        "0011_element_quantities",
        include_str!("../migrations/0011_element_quantities.sql"),
    ),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// What can go wrong with a field book.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} is not a field book (no {DATABASE_FILE}); create one with `voussoir init`")]
    NotAFieldBook(PathBuf),
    #[error("{0} already holds a field book")]
    AlreadyExists(PathBuf),
    #[error("{path} was written by a newer Voussoir (schema {found}, this one knows up to {SCHEMA_VERSION}); upgrade Voussoir")]
    TooNew { path: PathBuf, found: i64 },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error(
        "no course is loaded in this field book; load one with `voussoir course load FILE.toml`"
    )]
    NoCourse,
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("corrupt value in the database: {0}")]
    Corrupt(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open field book.
pub struct FieldBook {
    root: PathBuf,
    connection: Connection,
}

impl std::fmt::Debug for FieldBook {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("FieldBook")
            .field("root", &self.root)
            .finish()
    }
}

impl FieldBook {
    /// Creates a new field book in `dir` (created if missing).
    pub fn init(dir: &Path) -> Result<FieldBook> {
        let database = dir.join(DATABASE_FILE);
        if database.exists() {
            return Err(StoreError::AlreadyExists(dir.to_path_buf()));
        }
        Self::create_media_dir(dir)?;
        Self::open_database(dir)
    }

    /// Makes sure `media/` exists beside the database.
    fn create_media_dir(dir: &Path) -> Result<()> {
        let media = dir.join(MEDIA_DIR);
        std::fs::create_dir_all(&media).map_err(|source| StoreError::Io {
            path: media.clone(),
            source,
        })
    }

    /// Opens the field book in `dir`, upgrading its schema if it is older.
    pub fn open(dir: &Path) -> Result<FieldBook> {
        if !dir.join(DATABASE_FILE).is_file() {
            return Err(StoreError::NotAFieldBook(dir.to_path_buf()));
        }
        Self::create_media_dir(dir)?;
        Self::open_database(dir)
    }

    /// The language of the course loaded in the field book in `dir`, read
    /// without opening it for writing (no upgrade, no lock held): what a
    /// front end writes an error in. `None` when there is no readable one.
    pub fn course_language(dir: &Path) -> Option<String> {
        let connection = rusqlite::Connection::open_with_flags(
            dir.join(DATABASE_FILE),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .ok()?;
        connection
            .query_row("SELECT language FROM course LIMIT 1", [], |row| row.get(0))
            .ok()
    }

    /// Finds the nearest folder, from `start` upwards, holding a field book.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .find(|dir| dir.join(DATABASE_FILE).is_file())
            .map(Path::to_path_buf)
    }

    fn open_database(dir: &Path) -> Result<FieldBook> {
        let path = dir.join(DATABASE_FILE);
        let read_only = std::fs::metadata(&path)
            .map(|metadata| metadata.permissions().readonly())
            .unwrap_or(false);
        if read_only {
            return Self::open_read_only(dir, &path);
        }
        let mut connection = Connection::open(&path)?;
        connection.busy_timeout(std::time::Duration::from_secs(10))?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "foreign_keys", true)?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        // Every write transaction takes the write lock when it begins, so
        // two writers wait in turn (busy timeout) instead of one failing
        // with "database is locked" when it upgrades a read.
        connection.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        migrate(&mut connection, &path)?;
        Ok(FieldBook {
            root: dir.to_path_buf(),
            connection,
        })
    }

    /// Opens a field book whose database file is read-only (a copy handed
    /// out, an archive): everything can be read; a write fails with
    /// SQLite's "readonly database" error. It must be at this version's
    /// schema: upgrading writes.
    fn open_read_only(dir: &Path, path: &Path) -> Result<FieldBook> {
        let connection =
            Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        connection.busy_timeout(std::time::Duration::from_secs(10))?;
        let found: i64 = connection.pragma_query_value(None, "user_version", |row| row.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found,
            });
        }
        if found < SCHEMA_VERSION {
            return Err(StoreError::Conflict(format!(
                "{} is read-only and written by an older Voussoir (schema {found}); make it writable once so it can be upgraded",
                path.display()
            )));
        }
        Ok(FieldBook {
            root: dir.to_path_buf(),
            connection,
        })
    }

    /// The field book's folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder where photos and their copies are kept.
    pub fn media_dir(&self) -> PathBuf {
        self.root.join(MEDIA_DIR)
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .connection
            .pragma_query_value(None, "user_version", |row| row.get(0))?)
    }

    pub(crate) fn setting(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .connection
            .query_row("SELECT value FROM setting WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()?)
    }

    pub(crate) fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.connection.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }
}

/// Applies the migrations the database has not seen yet, all in one
/// transaction: a failure leaves the database at its old version.
fn migrate(connection: &mut Connection, path: &Path) -> Result<()> {
    let found: i64 = connection.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found,
        });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    let transaction = connection.transaction()?;
    for (index, (_name, sql)) in MIGRATIONS.iter().enumerate() {
        let version = index as i64 + 1;
        if version > found {
            transaction.execute_batch(sql)?;
            after_migration(&transaction, version)?;
            transaction.pragma_update(None, "user_version", version)?;
        }
    }
    transaction.commit()?;
    Ok(())
}

/// The steps of a migration SQL cannot take, run right after its SQL in
/// the same transaction.
fn after_migration(connection: &Connection, version: i64) -> Result<()> {
    if version == 10 {
        tracks::move_points_into_chunks(connection)?;
    }
    Ok(())
}

/// The current UTC time as RFC 3339 text, for `created_at` columns.
pub(crate) fn now_utc() -> String {
    jiff::Timestamp::now().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_creates_the_database_and_media_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let book = FieldBook::init(dir.path()).expect("init");
        assert!(dir.path().join(DATABASE_FILE).is_file());
        assert!(dir.path().join(MEDIA_DIR).is_dir());
        assert_eq!(book.schema_version().expect("version"), SCHEMA_VERSION);
        let mode: String = book
            .connection
            .pragma_query_value(None, "journal_mode", |row| row.get(0))
            .expect("mode");
        assert_eq!(mode, "wal");
        let foreign_keys: i64 = book
            .connection
            .pragma_query_value(None, "foreign_keys", |row| row.get(0))
            .expect("fk");
        assert_eq!(foreign_keys, 1);
    }

    #[test]
    fn init_refuses_an_existing_field_book() {
        let dir = tempfile::tempdir().expect("temp dir");
        FieldBook::init(dir.path()).expect("init");
        assert!(matches!(
            FieldBook::init(dir.path()),
            Err(StoreError::AlreadyExists(_))
        ));
    }

    #[test]
    fn open_refuses_a_folder_without_a_database() {
        let dir = tempfile::tempdir().expect("temp dir");
        let error = FieldBook::open(dir.path()).expect_err("refused");
        assert!(error.to_string().contains("voussoir init"));
    }

    #[test]
    fn an_empty_database_is_upgraded_to_the_current_schema() {
        let dir = tempfile::tempdir().expect("temp dir");
        Connection::open(dir.path().join(DATABASE_FILE)).expect("create");
        let book = FieldBook::open(dir.path()).expect("open");
        assert_eq!(book.schema_version().expect("version"), SCHEMA_VERSION);
        // Opening again applies nothing twice.
        drop(book);
        FieldBook::open(dir.path()).expect("reopen");
    }

    #[test]
    fn a_schema_1_field_book_is_upgraded_and_keeps_its_data() {
        let dir = tempfile::tempdir().expect("temp dir");
        let connection = Connection::open(dir.path().join(DATABASE_FILE)).expect("create");
        connection
            .execute_batch(include_str!("../migrations/0001_init.sql"))
            .expect("schema 1");
        connection
            .pragma_update(None, "user_version", 1)
            .expect("version");
        connection
            .execute(
                "INSERT INTO course (id, code, name, scheme, time_zone, language, loaded_at)
                 VALUES (1, 'OA', 'Course', 'iqoa', 'Europe/Paris', 'fr', '2026-01-01T00:00:00Z')",
                [],
            )
            .expect("course");
        drop(connection);
        let book = FieldBook::open(dir.path()).expect("open");
        assert_eq!(book.schema_version().expect("version"), SCHEMA_VERSION);
        assert_eq!(book.course().expect("course").code, "OA");
        assert!(book.photos(None).expect("photos table").is_empty());
    }

    #[test]
    fn a_schema_7_field_book_moves_overloaded_measurements_to_their_own() {
        let dir = tempfile::tempdir().expect("temp dir");
        let connection = Connection::open(dir.path().join(DATABASE_FILE)).expect("create");
        for (_, sql) in &MIGRATIONS[..7] {
            connection.execute_batch(sql).expect("older schema");
        }
        connection
            .pragma_update(None, "user_version", 7)
            .expect("version");
        connection
            .execute_batch(
                "INSERT INTO course (id, code, name, scheme, time_zone, language, loaded_at)
                   VALUES (1, 'OA', 'Course', 'iqoa', 'Europe/Paris', 'fr', '2026-01-01T00:00:00Z');
                 INSERT INTO structure (id, code, name, kind, list_order) VALUES (1, 'PONT', 'P', 'beam', 0);
                 INSERT INTO inspection (id, structure_id, kind, scheme, created_at)
                   VALUES (1, 1, 'evaluation-visit', 'iqoa', '2026-01-01T00:00:00Z');
                 INSERT INTO defect (inspection_id, component_code, type_code, depth_mm, section_loss_pct, length_m, note, created_at) VALUES
                   (1, 'J1', 'JNT-GAP', 40, NULL, NULL, NULL, 'x'),
                   (1, 'FND', 'UW-SCOUR', 1500, NULL, 2, NULL, 'x'),
                   (1, 'AP', 'BRG-BULGE', NULL, 15, NULL, 'creep', 'x'),
                   (1, 'T1', 'STL-FATIGUE', NULL, NULL, 0.012, NULL, 'x');",
            )
            .expect("legacy defects");
        drop(connection);
        let book = FieldBook::open(dir.path()).expect("open");
        let defects = book.defects(1).expect("defects");
        assert_eq!(defects[0].measurements.joint_gap_mm, Some(40.0));
        assert_eq!(defects[0].measurements.depth_mm, None);
        assert_eq!(defects[1].measurements.scour_depth_m, Some(1.5));
        assert_eq!(defects[1].measurements.length_m, Some(2.0));
        assert_eq!(defects[2].measurements.section_loss_pct, None);
        assert_eq!(
            defects[2].note.as_deref(),
            Some("creep (section_loss_pct 15.0)")
        );
        assert_eq!(defects[3].measurements.crack_length_mm, Some(12.0));
    }

    #[test]
    fn a_database_from_a_newer_voussoir_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let connection = Connection::open(dir.path().join(DATABASE_FILE)).expect("create");
        connection
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .expect("set");
        drop(connection);
        let error = FieldBook::open(dir.path()).expect_err("refused");
        assert!(error.to_string().contains("newer Voussoir"));
    }

    #[test]
    fn discover_finds_the_nearest_parent_book() {
        let dir = tempfile::tempdir().expect("temp dir");
        FieldBook::init(dir.path()).expect("init");
        let nested = dir.path().join("photos").join("day1");
        std::fs::create_dir_all(&nested).expect("mkdir");
        assert_eq!(FieldBook::discover(&nested).as_deref(), Some(dir.path()));
    }
}
