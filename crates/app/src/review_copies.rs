//! Review copies made on first need. An import makes each photo's
//! thumbnail and records where the photo was read from; its ~2000-pixel
//! review copy is made when something needs it — a bundle or report
//! export, the review server — from the original kept in `media/` or, else,
//! the file it was imported from, checked against the photo's hash. A photo
//! whose file has gone or changed keeps its thumbnail and is named in a
//! warning; nothing else is touched.

use rayon::prelude::*;
use std::path::Path;

use voussoir_core::photo::Photo;
use voussoir_ingest::photo::{make_review_copy, read_photo, read_photo_bytes};
use voussoir_store::{FieldBook, Media, MediaKind};

use crate::Result;

/// What making an inspection's missing review copies did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReviewCopies {
    pub made: usize,
    /// One sentence per photo left without a review copy.
    pub warnings: Vec<String>,
}

/// Makes the review copy of one photo from its original bytes: the copy's
/// path under `media/`, or why it could not be made.
fn make_one(media: &Media, photo: &Photo, source: Option<&str>) -> Result<String, String> {
    let read = match (&photo.original, source) {
        (Some(original), _) => {
            let bytes = media
                .read(original)
                .ok_or_else(|| "its kept original is missing from media/".to_string())?;
            read_photo_bytes(Path::new(&photo.file), bytes)
        }
        (None, Some(source)) => read_photo(Path::new(source)),
        (None, None) => return Err("the book does not know where it was read from".to_string()),
    }
    .map_err(|error| format!("its file cannot be read ({})", error.reason))?;
    if read.hash != photo.hash {
        return Err(format!(
            "{} has changed since the import",
            source.unwrap_or(&photo.file)
        ));
    }
    let jpeg = make_review_copy(&read)?
        .ok_or_else(|| format!("no copy can be made from a {} file", read.format.name()))?;
    media
        .write(&photo.hash, MediaKind::Review, &jpeg)
        .map_err(|error| format!("cannot write its review copy: {error}"))
}

/// Whether a photo still needs its review copy (a thumbnail says its
/// pixels can be decoded).
fn needs_review_copy(photo: &Photo) -> bool {
    photo.review.is_none() && photo.thumbnail.is_some()
}

/// Makes the missing review copies of an inspection's photos, on both
/// cores, each recorded as soon as it is written.
pub fn ensure_review_copies(book: &mut FieldBook, inspection_id: i64) -> Result<ReviewCopies> {
    let pending: Vec<(Photo, Option<String>)> = book
        .photos(Some(inspection_id))?
        .into_iter()
        .filter(needs_review_copy)
        .map(|photo| {
            let source = book.photo_source(&photo.hash, photo.inspection_id)?;
            Ok((photo, source))
        })
        .collect::<Result<_>>()?;
    let mut outcome = ReviewCopies::default();
    if pending.is_empty() {
        return Ok(outcome);
    }
    let media = book.media();
    let made: Vec<(&Photo, Result<String, String>)> = pending
        .par_iter()
        .map(|(photo, source)| (photo, make_one(&media, photo, source.as_deref())))
        .collect();
    for (photo, result) in made {
        match result {
            Ok(review) => {
                book.set_review_copy(&photo.hash, photo.inspection_id, &review)?;
                outcome.made += 1;
            }
            Err(reason) => outcome.warnings.push(format!(
                "{}: no review copy, {reason}; the thumbnail stands in",
                photo.file
            )),
        }
    }
    Ok(outcome)
}

/// The review copy of one photo, made now if it is missing and can be:
/// its path under `media/`, or `None` (the caller falls back to the
/// thumbnail).
pub fn review_copy(book: &mut FieldBook, photo: &Photo) -> Result<Option<String>> {
    if let Some(review) = &photo.review {
        return Ok(Some(review.clone()));
    }
    if !needs_review_copy(photo) {
        return Ok(None);
    }
    let source = book.photo_source(&photo.hash, photo.inspection_id)?;
    match make_one(&book.media(), photo, source.as_deref()) {
        Ok(review) => {
            book.set_review_copy(&photo.hash, photo.inspection_id, &review)?;
            Ok(Some(review))
        }
        Err(_) => Ok(None),
    }
}
