//! Error pages are pages: a browser asking for a page and getting an error
//! sees the site's layout, a sentence in the course's language, the
//! details the server gave, and a way back. The JSON API and other clients
//! keep the plain-text answer.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use maud::html;

use crate::AppState;
use voussoir_core::words::{errors, Words};

use super::page;

/// The sentence for a status, in the page's language.
fn sentence(w: &Words, status: StatusCode) -> &'static str {
    match status {
        StatusCode::UNAUTHORIZED => w.error_unauthorized,
        StatusCode::FORBIDDEN => w.error_forbidden,
        StatusCode::NOT_FOUND => w.error_not_found,
        StatusCode::PAYLOAD_TOO_LARGE => w.error_too_large,
        StatusCode::TOO_MANY_REQUESTS => w.error_too_many,
        StatusCode::CONFLICT => w.error_conflict,
        status if status.is_server_error() => w.error_internal,
        _ => w.error_bad_request,
    }
}

/// Wraps a plain-text error answer to a browser's page request in a page.
/// Any other plain-text error outside the JSON API (the phone app's) is
/// kept plain, its message written in the course's language.
pub async fn as_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    // The phone app's sync (`/api/capture/`) shows its refusals to people.
    let path = request.uri().path();
    let api = path.starts_with("/api/") && !path.starts_with("/api/capture/");
    let wants_page = !api
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"));
    let response = next.run(request).await;
    let status = response.status();
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|kind| kind.starts_with("text/plain"));
    if api || !plain || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = match body.collect().await {
        Ok(collected) => String::from_utf8_lossy(&collected.to_bytes()).into_owned(),
        Err(_) => String::new(),
    };
    let w = state.words();
    // "400 Bad Request: the reason" from this server's errors, or the
    // bare reason of the framework's own refusals (a body too large, JSON
    // of the wrong shape).
    let (head, reason) = match text.trim_end().split_once(": ") {
        Some((head, reason)) if head.starts_with(|c: char| c.is_ascii_digit()) => {
            (Some(head), reason)
        }
        _ => (None, text.trim_end()),
    };
    let reason = errors::translate(reason, w.lang);
    if !wants_page {
        let translated = match head {
            Some(head) => format!("{head}: {reason}\n"),
            None => reason,
        };
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, axum::body::Body::from(translated));
    }
    // The reason, kept only where it says more than the page's sentence
    // (a refused request); "not found" or "forbidden" would only repeat it.
    let details = if matches!(
        status,
        StatusCode::BAD_REQUEST | StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
    ) {
        reason
    } else {
        String::new()
    };
    let body = html! {
        h1 { (sentence(w, status)) }
        @if !details.is_empty() { p.error { (details) } }
        p { @if status == StatusCode::UNAUTHORIZED { a href="/login" { (w.log_in) } }
            @else { a href="/dashboard" { (w.go_back) } } }
        p { small { (status.as_u16()) } }
    };
    let mut page = page(w, sentence(w, status), None, body).into_response();
    *page.status_mut() = status;
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            page.headers_mut().insert(name.clone(), value.clone());
        }
    }
    page.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    page
}
