//! The JSON API under `/api/` (docs/api.md): the caller's submissions, one
//! submission with its comparison, and handing in a bundle. Each handler
//! extracts its input, asks the access policy, calls the app crate through
//! the cache or the upload, and renders JSON.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http_body_util::BodyExt;
use serde::Serialize;
use voussoir_core::words::errors::english as said;

use voussoir_core::compare::Comparison;
use voussoir_store::{Role, Submission};

use crate::auth::{self, Caller};
use crate::cache::detail;
use crate::upload::{receive, Upload};
use crate::{AppError, AppState};

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<Submission>>, AppError> {
    let trainee = (!caller.is_instructor()).then_some(caller.user.id);
    let submissions = state
        .books
        .run(move |book| {
            book.submissions(trainee)?
                .into_iter()
                .map(|submission| crate::access::as_seen_by(book, &caller, submission))
                .collect::<Result<Vec<_>, AppError>>()
        })
        .await?;
    Ok(Json(submissions))
}

#[derive(Serialize)]
struct ShowView<'a> {
    submission: &'a Submission,
    structure: &'a str,
    inspection: &'a voussoir_core::Inspection,
    grading: &'a voussoir_core::grading::Grading,
    defects: &'a [voussoir_core::Defect],
    photos: &'a [voussoir_core::Photo],
    tracks: usize,
    dives: usize,
    reference: Option<i64>,
    comparison: Option<&'a Comparison>,
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let detail = detail(&state, &caller, id).await?;
    let data = detail.data();
    let view = ShowView {
        submission: &detail.submission,
        structure: &data.structure.code,
        inspection: &data.inspection,
        grading: &data.grading,
        defects: &data.defects,
        photos: &data.photos,
        tracks: data.tracks.len(),
        dives: data.dives.len(),
        reference: detail.reference,
        comparison: detail.comparison(),
    };
    Ok(
        Json(serde_json::to_value(view).map_err(|error| AppError::Internal(error.to_string()))?)
            .into_response(),
    )
}

/// `POST /api/submissions` with the zip as the body.
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    auth::check_csrf(&caller, &headers, None)?;
    if caller.user.role != Role::Trainee {
        return Err(AppError::Forbidden(said("server.only_trainees", &[])));
    }
    let declared = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > state.config.max_upload_bytes) {
        return Err(AppError::TooLarge(said(
            "server.bundle_too_big",
            &[(
                "most",
                (state.config.max_upload_bytes / 1_000_000).to_string(),
            )],
        )));
    }
    let mut upload = Upload::create(&state).await?;
    let mut body = body;
    while let Some(frame) = crate::upload::next_in_time(body.frame()).await? {
        let frame = frame.map_err(|error| {
            AppError::BadRequest(said(
                "server.upload_interrupted",
                &[("error", error.to_string())],
            ))
        })?;
        if let Ok(chunk) = frame.into_data() {
            upload.write(&chunk, state.config.max_upload_bytes).await?;
        }
    }
    let submission = receive(&state, &caller, upload).await?;
    // The same work handed in again was not stored twice: 200, not 201.
    let status = if submission.unchanged {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(submission)).into_response())
}
