//! Writing an inspection out: the bytes of its submission bundle, and the
//! reader the exporters use for media files.

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

/// The submission bundle of an inspection, in memory, with its manifest.
pub fn bundle_bytes(book: &FieldBook, inspection_id: i64) -> Result<(Vec<u8>, Manifest)> {
    let data = load_inspection(book, inspection_id)?;
    let mut bytes = std::io::Cursor::new(Vec::new());
    let manifest = write_bundle(&data, &media_reader(book), &mut bytes).map_err(|error| {
        Error::Invalid(format!(
            "cannot write the bundle of inspection #{inspection_id}: {error}"
        ))
    })?;
    Ok((bytes.into_inner(), manifest))
}
