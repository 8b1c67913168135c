//! Photo copies by hash, served to whoever may see the photo's
//! inspection; the path is built from the checked hash only.

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
) -> Result<Response, AppError> {
    // One canonical form of a hash, checked once: lower-case hex.
    if !voussoir_store::is_canonical_hash(&hash) {
        return Err(AppError::NotFound);
    }
    let kind = match kind.as_str() {
        "thumb" => voussoir_store::MediaKind::Thumbnail,
        "review" => voussoir_store::MediaKind::Review,
        _ => return Err(AppError::NotFound),
    };
    let caller_for_check = caller.clone();
    let lookup = hash.clone();
    state
        .books
        .run(move |book| {
            // Visible when any inspection holding the photo is.
            let visible = book
                .photo_inspections(&lookup)?
                .into_iter()
                .any(|inspection| {
                    crate::access::check_inspection_access(book, &caller_for_check, inspection)
                        .is_ok()
                });
            if visible {
                Ok(())
            } else {
                Err(AppError::NotFound)
            }
        })
        .await?;
    // The path is built from the validated hash only, never from the request.
    let path = state
        .config
        .data_dir
        .join(voussoir_store::MEDIA_DIR)
        .join(voussoir_store::Media::relative_path(&hash, kind));
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|_| AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, "private, max-age=86400"),
        ],
        bytes,
    )
        .into_response())
}
