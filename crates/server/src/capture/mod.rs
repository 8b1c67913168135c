//! The phone capture app: its files (embedded in the binary, see
//! `assets`) and the sync API it talks to under `/api/capture/`. Each
//! handler extracts the request, checks that the caller is a trainee (and,
//! for a browser session, the CSRF token), and calls the app crate's
//! `capture` units of work, which check every record as the command line
//! does. Records are addressed by the device's ids, so a resend is
//! harmless.

use voussoir_core::words::errors::english as said;
mod assets;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use voussoir_app::capture::{
    self, CaptureLimits, DefectRecord, GradesRecord, InspectionRecord, PhotoRecord,
};
use voussoir_store::Role;

use crate::auth::{self, Caller};
use crate::{AppError, AppState};

pub use assets::{app_file, app_index, app_redirect};

/// Largest JSON record accepted, bytes.
pub const MAX_RECORD_BYTES: usize = 256 * 1024;

fn trainee_only(caller: &Caller) -> Result<(), AppError> {
    if caller.user.role == Role::Trainee {
        Ok(())
    } else {
        Err(AppError::Forbidden(said("capture.trainees_only", &[])))
    }
}

/// A state-changing call: a trainee, and for a session the CSRF token.
fn check_write(caller: &Caller, headers: &HeaderMap) -> Result<(), AppError> {
    trainee_only(caller)?;
    auth::check_csrf(caller, headers, None)
}

fn limits(state: &AppState) -> CaptureLimits {
    CaptureLimits {
        max_photo_bytes: state.config.max_photo_bytes,
        ..CaptureLimits::default()
    }
}

/// Who is logged in, with the token the app sends back on every write.
#[derive(Serialize)]
pub struct SessionView {
    user: String,
    full_name: Option<String>,
    role: Role,
    csrf: Option<String>,
}

/// `GET /api/capture/session`.
pub async fn session(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<SessionView>, AppError> {
    let name = caller.user.name.clone();
    let full_name = state
        .books
        .run(move |book| Ok(book.trainee_full_name(&name).ok().flatten()))
        .await?;
    Ok(Json(SessionView {
        user: caller.user.name.clone(),
        full_name,
        role: caller.user.role,
        csrf: caller.csrf.clone(),
    }))
}

/// `GET /api/capture/setup`: what the app keeps to work offline.
pub async fn setup(State(state): State<AppState>, caller: Caller) -> Result<Response, AppError> {
    trainee_only(&caller)?;
    let limits = limits(&state);
    let setup = state
        .books
        .run(move |book| Ok(capture::setup(book, limits)?))
        .await?;
    Ok(Json(setup).into_response())
}

/// `PUT /api/capture/inspections/{id}`.
pub async fn put_inspection(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(record): Json<InspectionRecord>,
) -> Result<Response, AppError> {
    check_write(&caller, &headers)?;
    let today = jiff::ZonedDateTime::now().date();
    let answer = state
        .books
        .run(move |book| {
            Ok(capture::save_inspection(
                book,
                &caller.user,
                &id,
                &record,
                today,
            )?)
        })
        .await?;
    Ok(Json(answer).into_response())
}

/// `GET /api/capture/inspections/{id}`: what the server holds of it.
pub async fn get_inspection(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    trainee_only(&caller)?;
    let answer = state
        .books
        .run(move |book| Ok(capture::state(book, &caller.user, &id)?))
        .await?;
    Ok(Json(answer).into_response())
}

/// `PUT /api/capture/inspections/{id}/defects/{defect}`.
pub async fn put_defect(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path((id, defect)): Path<(String, String)>,
    Json(record): Json<DefectRecord>,
) -> Result<Response, AppError> {
    check_write(&caller, &headers)?;
    let answer = state
        .books
        .run(move |book| {
            Ok(capture::save_defect(
                book,
                &caller.user,
                &id,
                &defect,
                &record,
            )?)
        })
        .await?;
    Ok(Json(answer).into_response())
}

#[derive(Deserialize)]
pub struct EditTime {
    edited_ms: i64,
}

/// `DELETE /api/capture/inspections/{id}/defects/{defect}?edited_ms=`.
pub async fn delete_defect(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path((id, defect)): Path<(String, String)>,
    Query(edit): Query<EditTime>,
) -> Result<Response, AppError> {
    check_write(&caller, &headers)?;
    let answer = state
        .books
        .run(move |book| {
            Ok(capture::delete_defect(
                book,
                &caller.user,
                &id,
                &defect,
                edit.edited_ms,
            )?)
        })
        .await?;
    Ok(Json(answer).into_response())
}

/// `PUT /api/capture/inspections/{id}/photos/{photo}`: the photo's bytes
/// as the body, what the app knows of it in the `X-Photo` header (JSON).
pub async fn put_photo(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path((id, photo)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, AppError> {
    check_write(&caller, &headers)?;
    let record: PhotoRecord = match headers.get("x-photo") {
        Some(value) => {
            let text = value
                .to_str()
                .map_err(|_| AppError::BadRequest("X-Photo is not text".to_string()))?;
            serde_json::from_str(text)
                .map_err(|error| AppError::BadRequest(format!("X-Photo: {error}")))?
        }
        None => PhotoRecord::default(),
    };
    let limits = limits(&state);
    // Checks first (a connection, no pixels); then the decoding on a
    // blocking thread holding no connection, one photo at a time so that
    // twenty phones syncing leave a core to the pages; then the store.
    let (user, inspection, photo_id, checked_record) = (
        caller.user.clone(),
        id.clone(),
        photo.clone(),
        record.clone(),
    );
    let size = body.len();
    let checked = state
        .books
        .run(move |book| {
            Ok(capture::check_photo(
                book,
                &user,
                &inspection,
                &photo_id,
                size,
                &checked_record,
                limits,
            )?)
        })
        .await?;
    if let capture::Checked::Stored(ack) = checked {
        return Ok(Json(ack).into_response());
    }
    let permit = DECODING
        .acquire()
        .await
        .map_err(|_| AppError::Internal("the photo queue is closed".to_string()))?;
    let decoding_id = photo.clone();
    let prepared =
        tokio::task::spawn_blocking(move || capture::prepare_photo(&decoding_id, body.to_vec()))
            .await
            .map_err(|error| AppError::Internal(format!("a photo task failed: {error}")))??;
    drop(permit);
    let answer = state
        .books
        .run(move |book| {
            Ok(capture::store_photo(
                book,
                &caller.user,
                &id,
                &photo,
                prepared,
                &record,
            )?)
        })
        .await?;
    Ok(Json(answer).into_response())
}

/// Photos being decoded at once: one, so that phones syncing never take
/// both cores from the pages.
static DECODING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// `PUT /api/capture/inspections/{id}/grades`.
pub async fn put_grades(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(record): Json<GradesRecord>,
) -> Result<Response, AppError> {
    check_write(&caller, &headers)?;
    let answer = state
        .books
        .run(move |book| Ok(capture::save_grades(book, &caller.user, &id, &record)?))
        .await?;
    Ok(Json(answer).into_response())
}

/// `POST /api/capture/inspections/{id}/submit`: hands the inspection in.
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    check_write(&caller, &headers)?;
    let dashboard = state.dashboard.clone();
    let submission = state
        .books
        .run(move |book| {
            let submission = capture::submit(book, &caller.user, &id)?;
            crate::access::as_seen_by(book, &caller, submission)
        })
        .await?;
    dashboard.clear();
    // The same work handed in again was not stored twice: 200, not 201.
    let status = if submission.unchanged {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(submission)).into_response())
}
