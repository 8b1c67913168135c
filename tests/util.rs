//! Helpers for end-to-end tests: a temporary field book and the real
//! `voussoir` binary run with `VOUSSOIR_*` cleared.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary folder holding a field book.
pub struct Book {
    pub dir: tempfile::TempDir,
}

impl Book {
    /// An empty temporary folder (no field book yet).
    pub fn empty() -> Book {
        Book {
            dir: tempfile::tempdir().expect("create a temp dir"),
        }
    }

    /// A field book with the sample course loaded.
    pub fn with_course() -> Book {
        let book = Book::empty();
        book.ok(&["init", book.path_str()]);
        book.ok(&[
            "course",
            "load",
            fixture("course.toml").to_str().expect("utf-8"),
        ]);
        book
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn path_str(&self) -> &str {
        self.dir.path().to_str().expect("utf-8 temp path")
    }

    /// Runs `voussoir --book DIR ARGS...`.
    pub fn run(&self, args: &[&str]) -> Output {
        let mut command = voussoir();
        command.arg("--book").arg(self.path()).args(args);
        command.output().expect("run voussoir")
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "voussoir {args:?} failed\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("utf-8 output")
    }

    /// Runs with `--json` and parses stdout.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut with_json = vec!["--json"];
        with_json.extend_from_slice(args);
        let text = self.ok(&with_json);
        serde_json::from_str(&text).unwrap_or_else(|error| panic!("{error}: {text}"))
    }

    /// Runs and expects failure; returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            !output.status.success(),
            "voussoir {args:?} should have failed\nstdout: {}",
            String::from_utf8_lossy(&output.stdout)
        );
        String::from_utf8(output.stderr).expect("utf-8 errors")
    }

    /// Opens the field book's SQLite file directly.
    pub fn database(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.path().join("voussoir.db")).expect("open voussoir.db")
    }

    pub fn count(&self, table: &str) -> i64 {
        self.database()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                row.get(0)
            })
            .expect("count")
    }
}

/// The real binary with the environment cleared of `VOUSSOIR_*`.
pub fn voussoir() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_voussoir"));
    for (key, _) in std::env::vars() {
        if key.starts_with("VOUSSOIR_") {
            command.env_remove(key);
        }
    }
    command
}

/// A file of the repository's `fixtures/` folder.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// The shared corpus of real files, when present beside the project.
/// Tests that need it print that they were skipped when it is absent; CI
/// checks that it is present, so there they always run.
#[allow(dead_code)]
pub fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: ../shared/corpus is not present; corpus tests did not run");
        None
    }
}
