//! Photo copies by hash, served to whoever may see the photo's
//! inspection; the file is the one the inspection's row names, never a
//! path from the request.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::auth::Caller;
use crate::{AppError, AppState};

/// A photo copy by hash, to whoever may see the photo's inspection.
pub async fn media(
    State(state): State<AppState>,
    caller: Caller,
    Path((hash, kind)): Path<(String, String)>,
    axum::extract::Query(query): axum::extract::Query<MediaQuery>,
) -> Result<Response, AppError> {
    // One canonical form of a hash, checked once: lower-case hex.
    if !voussoir_store::is_canonical_hash(&hash) {
        return Err(AppError::NotFound);
    }
    /// Which copy: the thumbnail, the review copy, or the original.
    #[derive(Clone, Copy)]
    enum Copy {
        Thumbnail,
        Review,
        Original,
    }
    let kind = match kind.as_str() {
        "thumb" => Copy::Thumbnail,
        "review" => Copy::Review,
        "original" => Copy::Original,
        _ => return Err(AppError::NotFound),
    };
    let lookup = hash.clone();
    let relative = state
        .books
        .run(move |book| {
            // The copies of the inspection asked for (`?i=`), else of the
            // oldest inspection holding the photo that the caller may see.
            let visible: Vec<voussoir_store::PhotoCopies> = book
                .photo_copies(&lookup)?
                .into_iter()
                .filter(|copies| {
                    crate::access::check_inspection_access(book, &caller, copies.inspection).is_ok()
                })
                .collect();
            let chosen = query
                .i
                .and_then(|wanted| visible.iter().find(|copies| copies.inspection == wanted))
                .or(visible.first())
                .ok_or(AppError::NotFound)?;
            let path = match kind {
                Copy::Thumbnail => chosen.thumbnail.clone(),
                // A photo whose review copy is still to be made (imported
                // here, not yet exported) shows its thumbnail.
                Copy::Review => chosen.review.clone().or_else(|| chosen.thumbnail.clone()),
                Copy::Original => chosen.original.clone(),
            };
            path.ok_or(AppError::NotFound)
        })
        .await?;
    // The path comes from the database row, never from the request.
    if relative.contains("..") || relative.starts_with('/') {
        return Err(AppError::NotFound);
    }
    let path = state
        .config
        .data_dir
        .join(voussoir_store::MEDIA_DIR)
        .join(&relative);
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|_| AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type(&relative)),
            (header::CACHE_CONTROL, "private, max-age=86400"),
        ],
        bytes,
    )
        .into_response())
}

/// `?i=INSPECTION`: whose copies of the photo to show.
#[derive(serde::Deserialize)]
pub struct MediaQuery {
    i: Option<i64>,
}

/// The type of a copy by its extension (originals keep their format's).
fn content_type(relative: &str) -> &'static str {
    let extension = relative
        .rsplit('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match extension.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "tif" | "tiff" => "image/tiff",
        "heic" | "heif" => "image/heic",
        "webp" => "image/webp",
        _ => "application/octet-stream",
    }
}
