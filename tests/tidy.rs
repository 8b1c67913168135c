//! Tidy checks over the workspace's own source, in the manner of
//! rust-analyzer's `tidy.rs`: the invariants of docs/architecture.md that a
//! compiler does not check. Each test names the invariant it keeps.

use std::path::{Path, PathBuf};

/// The workspace root (this package's folder).
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under a folder, recursively, sorted.
fn rust_files(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The code of a file without its `#[cfg(test)]` module, for rules that
/// concern what ships.
fn shipped_code(text: &str) -> &str {
    match text.find("#[cfg(test)]") {
        Some(index) => &text[..index],
        None => text,
    }
}

/// The Voussoir packages a crate's manifest depends on (normal
/// dependencies only: tests may use more).
fn voussoir_dependencies(manifest: &Path) -> Vec<String> {
    let text = read(manifest);
    let value: toml::Table = text
        .parse()
        .unwrap_or_else(|error| panic!("{}: {error}", manifest.display()));
    let Some(dependencies) = value.get("dependencies").and_then(|table| table.as_table()) else {
        return Vec::new();
    };
    let mut names: Vec<String> = dependencies
        .keys()
        .filter(|name| name.starts_with("voussoir-"))
        .cloned()
        .collect();
    names.sort();
    names
}

#[test]
fn crate_dependencies_point_down_the_graph() {
    // (crate folder, the Voussoir crates it may use). The root manifest is
    // the command line.
    let allowed: &[(&str, &[&str])] = &[
        ("crates/core", &[]),
        ("crates/store", &["voussoir-core"]),
        ("crates/ingest", &["voussoir-core"]),
        ("crates/export", &["voussoir-core"]),
        (
            "crates/app",
            &[
                "voussoir-core",
                "voussoir-export",
                "voussoir-ingest",
                "voussoir-store",
            ],
        ),
        (
            "crates/server",
            &[
                "voussoir-app",
                "voussoir-core",
                "voussoir-export",
                "voussoir-store",
            ],
        ),
        (
            ".",
            &[
                "voussoir-app",
                "voussoir-core",
                "voussoir-export",
                "voussoir-server",
                "voussoir-store",
            ],
        ),
    ];
    for (folder, may_use) in allowed {
        let manifest = root().join(folder).join("Cargo.toml");
        for dependency in voussoir_dependencies(&manifest) {
            assert!(
                may_use.contains(&dependency.as_str()),
                "{folder} depends on {dependency}, which its layer may not use (docs/architecture.md, \"Arrows point down\")"
            );
        }
    }
    let crates: Vec<String> = std::fs::read_dir(root().join("crates"))
        .expect("crates/")
        .flatten()
        .map(|entry| format!("crates/{}", entry.file_name().to_string_lossy()))
        .filter(|folder| folder != "crates/cli")
        .collect();
    for folder in crates {
        assert!(
            allowed.iter().any(|(known, _)| *known == folder),
            "{folder} is a new crate: give it its place in this test and in docs/architecture.md"
        );
    }
}

#[test]
fn sql_and_rusqlite_live_only_in_the_store() {
    let sql_words = [
        "SELECT ",
        "INSERT INTO",
        "DELETE FROM",
        "CREATE TABLE",
        "ALTER TABLE",
        "rusqlite",
    ];
    for folder in [
        "crates/core",
        "crates/ingest",
        "crates/export",
        "crates/app",
        "crates/server",
        "crates/cli",
    ] {
        for file in rust_files(&root().join(folder).join("src"))
            .into_iter()
            .chain(rust_files(&root().join(folder)).into_iter().filter(|path| {
                !path.starts_with(root().join(folder).join("src"))
                    && !path.starts_with(root().join(folder).join("tests"))
            }))
        {
            let text = read(&file);
            for word in sql_words {
                assert!(
                    !shipped_code(&text).contains(word),
                    "{} contains `{word}`: SQL and rusqlite belong in crates/store",
                    relative(&file)
                );
            }
        }
    }
}

#[test]
fn core_reads_no_file_environment_network_or_clock() {
    let forbidden = [
        "std::fs",
        "std::env",
        "std::net",
        "std::process",
        "SystemTime",
        "Instant::now",
        "Timestamp::now",
        "ZonedDateTime::now",
        "File::open",
    ];
    for file in rust_files(&root().join("crates/core/src")) {
        let text = read(&file);
        for word in forbidden {
            assert!(
                !shipped_code(&text).contains(word),
                "{} uses `{word}`: core is pure; pass values in from the app crate",
                relative(&file)
            );
        }
    }
}

#[test]
fn every_source_file_opens_with_a_doc_comment_saying_what_it_owns() {
    let mut files = rust_files(&root().join("crates"));
    files.extend(rust_files(&root().join("tests")));
    for file in files {
        let text = read(&file);
        assert!(
            text.trim_start().starts_with("//!"),
            "{} does not open with a `//!` comment saying what it owns and must not do",
            relative(&file)
        );
    }
}

#[test]
fn no_source_file_grows_past_five_hundred_lines_of_shipped_code() {
    // Tests beside the code do not count; past this, a file holds several
    // rooms and wants splitting by what it owns.
    const MOST: usize = 520;
    for file in rust_files(&root().join("crates")) {
        if !file.components().any(|part| part.as_os_str() == "src") {
            continue;
        }
        let text = read(&file);
        let lines = shipped_code(&text).lines().count();
        assert!(
            lines <= MOST,
            "{} has {lines} lines of shipped code; split it by what it owns (at most {MOST})",
            relative(&file)
        );
    }
}
