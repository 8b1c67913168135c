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
//!
//! `manifest` holds the format's types and their conversions to the
//! domain's, `write` makes a bundle, `read` checks one.

pub mod limits;
mod manifest;
mod read;
mod write;

pub use manifest::*;
pub use read::{read_bundle, CheckedBundle};
pub use write::write_bundle;

/// The format name written in every manifest.
pub const FORMAT: &str = "voussoir-bundle";
/// The manifest version this build writes and reads.
pub const VERSION: u32 = 1;
/// Default cap on the total uncompressed size of a bundle: 2 GiB.
pub const DEFAULT_MAX_TOTAL_BYTES: u64 = 2 * 1024 * 1024 * 1024;
pub(crate) const MAX_MANIFEST_BYTES: u64 = 64 * 1024 * 1024;
pub(crate) const MAX_ENTRIES: usize = 100_000;
/// Deflate reaches about 1000:1 on pathological data; real photos and JSON
/// stay far below. Above this ratio an entry is treated as a zip bomb.
pub(crate) const MAX_RATIO: u64 = 200;

#[cfg(test)]
mod tests {
    use super::read::check_entry_name;

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
