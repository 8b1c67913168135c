//! Writing an inspection out: the bytes of its submission bundle, and the
//! reader the exporters use for media files.

use voussoir_core::words::errors::english as said;
use voussoir_export::bundle::{write_bundle, Manifest};
use voussoir_store::FieldBook;

use crate::review::load_inspection;
use crate::{Error, Result};

/// A reader of the field book's media files by relative path, for the
/// exporters (which never open files themselves).
pub fn media_reader(book: &FieldBook) -> impl Fn(&str) -> Option<Vec<u8>> {
    let media = book.media();
    move |relative: &str| media.read(relative)
}

/// The submission bundle of an inspection, in memory, with its manifest
/// and the warnings of its photos' review copies (made now where the
/// import left them for later).
pub fn bundle_bytes(
    book: &mut FieldBook,
    inspection_id: i64,
) -> Result<(Vec<u8>, Manifest, Vec<String>)> {
    let copies = crate::review_copies::ensure_review_copies(book, inspection_id)?;
    let data = load_inspection(book, inspection_id)?;
    let mut bytes = std::io::Cursor::new(Vec::new());
    let manifest = write_bundle(&data, &media_reader(book), &mut bytes).map_err(|error| {
        Error::Invalid(said(
            "export.bundle",
            &[
                ("id", inspection_id.to_string()),
                ("error", error.to_string()),
            ],
        ))
    })?;
    Ok((bytes.into_inner(), manifest, copies.warnings))
}
