//! Handing in a bundle from the browser: the upload form and the
//! multipart upload, streamed to a temporary file and then received by
//! the app crate.

use axum::extract::{Multipart, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use voussoir_core::words::errors::english as said;

use voussoir_store::Role;

use crate::auth::{self, Caller};
use crate::{AppError, AppState};

use super::*;

pub async fn submit_form(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Markup, AppError> {
    let w = state.words();
    if caller.user.role != Role::Trainee {
        return Err(AppError::Forbidden(said("server.only_trainees", &[])));
    }
    let body = html! {
        h1 { (w.submit_title) }
        p { (w.submit_intro) " " code { "voussoir export bundle" } " " (w.submit_or_run) " "
            code { "voussoir submit --server URL --token TOKEN" } "." }
        form.card method="post" action="/submissions" enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(caller.csrf.clone().unwrap_or_default());
            label for="bundle" { (w.bundle_label) }
            input #bundle type="file" name="bundle" accept=".zip,application/zip" required;
            button type="submit" { (w.submit_button) }
        }
    };
    Ok(page(w, w.submit_title, Some(&caller), body))
}

/// Receives a bundle from the upload form.
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    auth::check_origin(&headers)?;
    let mut csrf: Option<String> = None;
    let mut stored: Option<crate::upload::Upload> = None;
    while let Some(mut field) = multipart.next_field().await.map_err(|error| {
        AppError::BadRequest(said(
            "server.malformed_upload",
            &[("error", error.to_string())],
        ))
    })? {
        match field.name() {
            Some("csrf") => {
                csrf = Some(
                    field
                        .text()
                        .await
                        .map_err(|error| AppError::BadRequest(error.to_string()))?,
                )
            }
            Some("bundle") => {
                // The token comes first in the form: check it before
                // storing a single byte.
                auth::check_csrf(&caller, &headers, csrf.as_deref())?;
                let mut upload = crate::upload::Upload::create(&state).await?;
                while let Some(chunk) =
                    crate::upload::next_in_time(field.chunk())
                        .await?
                        .map_err(|error| {
                            AppError::BadRequest(said(
                                "server.upload_interrupted",
                                &[("error", error.to_string())],
                            ))
                        })?
                {
                    upload.write(&chunk, state.config.max_upload_bytes).await?;
                }
                stored = Some(upload);
            }
            _ => {}
        }
    }
    auth::check_csrf(&caller, &headers, csrf.as_deref())?;
    let upload = stored.ok_or_else(|| AppError::BadRequest(said("server.no_bundle", &[])))?;
    let submission = crate::upload::receive(&state, &caller, upload).await?;
    Ok(Redirect::to(&format!("/submissions/{}", submission.id)).into_response())
}
