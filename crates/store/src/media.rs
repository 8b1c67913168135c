//! The `media/` folder: photo copies stored by content hash. A file is
//! written atomically (temporary file, flushed, renamed) and never
//! overwritten: the same hash means the same bytes.
//!
//! [`Media`] is a plain handle (a folder path), cheap to clone and safe to
//! share between the import workers, the bundle import and the server's
//! media route. It never touches the database.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{Result, StoreError};

/// Which copy of a photo a media file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    /// The original file, kept on request, with its format's extension.
    Original { extension: &'static str },
    /// A review-size JPEG (about 1600 px).
    Review,
    /// A 256 px JPEG for lists and maps.
    Thumbnail,
}

impl MediaKind {
    fn suffix(self) -> String {
        match self {
            MediaKind::Original { extension } => format!(".{extension}"),
            MediaKind::Review => "-review.jpg".to_string(),
            MediaKind::Thumbnail => "-thumb.jpg".to_string(),
        }
    }
}

/// Whether a text is a photo hash in its one canonical form: 64 lower-case
/// hexadecimal digits (BLAKE3).
pub fn is_canonical_hash(hash: &str) -> bool {
    hash.len() == 64
        && hash
            .bytes()
            .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
}

/// The media folder of a field book.
#[derive(Debug, Clone)]
pub struct Media {
    dir: PathBuf,
}

impl Media {
    pub fn new(dir: PathBuf) -> Media {
        Media { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The path of a copy relative to `media/`: `ab/abcdef…-thumb.jpg`.
    pub fn relative_path(hash: &str, kind: MediaKind) -> String {
        let prefix = hash.get(..2).unwrap_or("00");
        format!("{prefix}/{hash}{}", kind.suffix())
    }

    /// Writes a copy unless it is already there, and returns its relative
    /// path.
    pub fn write(&self, hash: &str, kind: MediaKind, bytes: &[u8]) -> Result<String> {
        let relative = Self::relative_path(hash, kind);
        let path = self.dir.join(&relative);
        if !path.is_file() {
            write_atomically(&path, bytes)?;
        }
        Ok(relative)
    }

    /// The bytes of a media file by its relative path; `None` for a path
    /// that leaves the folder or a file that is not there.
    pub fn read(&self, relative: &str) -> Option<Vec<u8>> {
        if relative.contains("..") || relative.starts_with('/') || relative.contains('\\') {
            return None;
        }
        std::fs::read(self.dir.join(relative)).ok()
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same
/// folder, flushed to disk, then renamed. A crash leaves either the old
/// file, the new one, or a stray temporary, never a half-written file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let io_error = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let folder = path.parent().ok_or_else(|| {
        io_error(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "no parent folder",
        ))
    })?;
    std::fs::create_dir_all(folder).map_err(io_error)?;
    let file_name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = folder.join(format!(
        ".{file_name}.{}.{:?}.tmp",
        std::process::id(),
        std::thread::current().id()
    ));
    let written = std::fs::File::create(&temporary).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temporary, path)
    });
    if written.is_err() {
        // A full disk must not leave an empty temporary behind.
        let _ = std::fs::remove_file(&temporary);
    }
    written.map_err(io_error)
}

/// What [`FieldBook::clean_leftovers`] removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Cleaned {
    /// Unfinished uploads (`uploads/*.part`).
    pub uploads: usize,
    /// Temporaries of interrupted media writes (`media/**/.*.tmp`).
    pub temporaries: usize,
    /// Media files no photo row names (left by an import killed between
    /// its media and its rows).
    pub orphans: usize,
}

impl crate::FieldBook {
    /// Removes what interrupted work left behind: unfinished uploads older
    /// than `uploads_age` (0 when the server starts: it alone writes them),
    /// and media temporaries and media files no photo names older than
    /// `media_age` (an import running now writes its media before its rows).
    pub fn clean_leftovers(
        &self,
        uploads_age: std::time::Duration,
        media_age: std::time::Duration,
    ) -> Result<Cleaned> {
        let older_than = |path: &Path, age: std::time::Duration| {
            age.is_zero()
                || std::fs::metadata(path)
                    .and_then(|metadata| metadata.modified())
                    .ok()
                    .and_then(|modified| modified.elapsed().ok())
                    .is_some_and(|elapsed| elapsed >= age)
        };
        let mut cleaned = Cleaned::default();
        if let Ok(entries) = std::fs::read_dir(self.root().join("uploads")) {
            for entry in entries.flatten() {
                let path = entry.path();
                if path
                    .extension()
                    .is_some_and(|extension| extension == "part")
                    && older_than(&path, uploads_age)
                    && std::fs::remove_file(&path).is_ok()
                {
                    cleaned.uploads += 1;
                }
            }
        }
        let named: std::collections::HashSet<String> = {
            let mut statement = self.connection.prepare(
                "SELECT thumbnail FROM photo UNION SELECT review FROM photo
                 UNION SELECT original FROM photo",
            )?;
            let rows = statement
                .query_map([], |row| row.get::<_, Option<String>>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows.into_iter().flatten().collect()
        };
        let media = self.media_dir();
        let Ok(prefixes) = std::fs::read_dir(&media) else {
            return Ok(cleaned);
        };
        for prefix in prefixes.flatten().filter(|entry| entry.path().is_dir()) {
            let Ok(files) = std::fs::read_dir(prefix.path()) else {
                continue;
            };
            for file in files.flatten() {
                let path = file.path();
                let name = file.file_name().to_string_lossy().into_owned();
                let relative = format!("{}/{name}", prefix.file_name().to_string_lossy());
                let temporary = name.starts_with('.') && name.ends_with(".tmp");
                let orphan = !temporary && !named.contains(&relative);
                if (temporary || orphan)
                    && older_than(&path, media_age)
                    && std::fs::remove_file(&path).is_ok()
                {
                    if temporary {
                        cleaned.temporaries += 1;
                    } else {
                        cleaned.orphans += 1;
                    }
                }
            }
        }
        Ok(cleaned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_is_written_atomically_under_a_hash_prefix() {
        let dir = tempfile::tempdir().expect("temp");
        let media = Media::new(dir.path().join("media"));
        let relative = media
            .write("abcdef", MediaKind::Thumbnail, b"jpeg")
            .expect("write");
        assert_eq!(relative, "ab/abcdef-thumb.jpg");
        assert_eq!(media.read(&relative).as_deref(), Some(&b"jpeg"[..]));
        let leftovers = std::fs::read_dir(media.dir().join("ab"))
            .expect("dir")
            .count();
        assert_eq!(leftovers, 1);
    }

    #[test]
    fn an_existing_copy_is_never_overwritten() {
        let dir = tempfile::tempdir().expect("temp");
        let media = Media::new(dir.path().to_path_buf());
        let first = media
            .write("abcdef", MediaKind::Review, b"first")
            .expect("write");
        media
            .write("abcdef", MediaKind::Review, b"second")
            .expect("write");
        assert_eq!(media.read(&first).as_deref(), Some(&b"first"[..]));
    }

    #[test]
    fn paths_that_leave_the_folder_are_not_read() {
        let dir = tempfile::tempdir().expect("temp");
        let media = Media::new(dir.path().join("media"));
        assert_eq!(media.read("../voussoir.db"), None);
        assert_eq!(media.read("/etc/passwd"), None);
    }

    #[test]
    fn only_lower_case_64_digit_hex_is_a_canonical_hash() {
        let hash = "a".repeat(64);
        assert!(is_canonical_hash(&hash));
        assert!(!is_canonical_hash(&"A".repeat(64)));
        assert!(!is_canonical_hash(&"a".repeat(63)));
        assert!(!is_canonical_hash(&"g".repeat(64)));
    }

    #[test]
    fn leftovers_of_interrupted_work_are_cleaned_and_named_media_kept() {
        let dir = tempfile::tempdir().expect("temp");
        let book = crate::FieldBook::init(dir.path()).expect("init");
        let media = book.media();
        let kept = media
            .write(&"a".repeat(64), MediaKind::Thumbnail, b"jpeg")
            .expect("write");
        book.connection
            .execute(
                "INSERT INTO photo (hash, file, format, bytes, thumbnail, imported_at)
                 VALUES (?1, 'a.jpg', 'JPEG', 4, ?2, 'now')",
                rusqlite::params!["a".repeat(64), kept],
            )
            .expect("row");
        media
            .write(&"b".repeat(64), MediaKind::Thumbnail, b"orphan")
            .expect("write");
        std::fs::write(dir.path().join("media/aa/.x.jpg.1.tmp"), b"").expect("tmp");
        std::fs::create_dir_all(dir.path().join("uploads")).expect("mkdir");
        std::fs::write(dir.path().join("uploads/x.zip.part"), b"half").expect("part");
        let zero = std::time::Duration::ZERO;
        let cleaned = book.clean_leftovers(zero, zero).expect("clean");
        assert_eq!(
            cleaned,
            Cleaned {
                uploads: 1,
                temporaries: 1,
                orphans: 1
            }
        );
        assert!(
            dir.path().join("media").join(&kept).is_file(),
            "named media stay"
        );
        // Young leftovers of work still running are left alone.
        media
            .write(&"c".repeat(64), MediaKind::Thumbnail, b"young")
            .expect("write");
        let hour = std::time::Duration::from_secs(3600);
        assert_eq!(book.clean_leftovers(hour, hour).expect("clean").orphans, 0);
    }
}
