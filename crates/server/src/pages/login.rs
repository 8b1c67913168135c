//! Logging in and out: the login form with its token, the check of name
//! and password behind the login throttle, the session cookie, and the
//! home redirect.

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;
use std::net::SocketAddr;
use voussoir_core::words::errors::english as said;

use crate::auth::{self, Caller, MaybeCaller};
use crate::{AppError, AppState};
use voussoir_core::words::Words;

use super::*;

pub async fn home(MaybeCaller(caller): MaybeCaller) -> Redirect {
    if caller.is_some() {
        Redirect::to("/dashboard")
    } else {
        Redirect::to("/login")
    }
}

/// The cookie holding the login form's token (double submit: the form
/// carries the same value), so no other site can post a login.
const LOGIN_COOKIE: &str = "voussoir_login";

fn login_cookie(token: &str, secure: bool) -> String {
    format!(
        "{LOGIN_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The login form with a fresh token, its cookie set.
fn login_response(
    state: &AppState,
    status: StatusCode,
    error: Option<&str>,
) -> Result<Response, AppError> {
    let token = auth::random_token()?;
    Ok((
        status,
        [(
            header::SET_COOKIE,
            login_cookie(&token, state.config.secure_cookies),
        )],
        login_page(state.words(), error, &token),
    )
        .into_response())
}

fn login_page(w: &Words, error: Option<&str>, token: &str) -> Markup {
    page(
        w,
        w.log_in,
        None,
        html! {
            h1 { (w.log_in) }
            @if let Some(error) = error { p.error { (error) } }
            form.card method="post" action="/login" {
                input type="hidden" name="csrf" value=(token);
                label for="username" { (w.user_name) }
                input #username type="text" name="username" autocomplete="username" required;
                label for="password" { (w.password) }
                input #password type="password" name="password" autocomplete="current-password" required;
                button type="submit" { (w.log_in) }
            }
        },
    )
}

pub async fn login_form(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
) -> Response {
    if caller.is_some() {
        return Redirect::to("/dashboard").into_response();
    }
    login_response(&state, StatusCode::OK, None).unwrap_or_else(IntoResponse::into_response)
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    csrf: String,
}

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    auth::check_origin(&headers)?;
    let cookie = auth::cookie_value(&headers, LOGIN_COOKIE).unwrap_or_default();
    if form.csrf.is_empty() || !auth::same_secret(&cookie, &form.csrf) {
        return login_response(
            &state,
            StatusCode::FORBIDDEN,
            Some(state.words().login_form_expired),
        );
    }
    let client = auth::client_address(address.ip(), &headers, &state.config.trusted_proxies);
    let name = form.username.trim().to_string();
    if name.is_empty() || name.len() > crate::throttle::LONGEST_NAME {
        return login_response(
            &state,
            StatusCode::UNAUTHORIZED,
            Some(state.words().wrong_login),
        );
    }
    let attempt = state.throttle.begin(&name, client).map_err(|wait| {
        AppError::TooManyRequests(said(
            "server.login_flood",
            &[("seconds", wait.0.as_secs().max(1).to_string())],
        ))
    })?;
    let looked_up = name.clone();
    let user = state
        .books
        .run(move |book| Ok(book.user_by_name(&looked_up)?))
        .await?;
    // Verify even for unknown users so timing does not reveal names.
    let stored = user
        .as_ref()
        .map(|user| user.password_hash.clone())
        .unwrap_or_else(|| "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWE".to_string());
    let password = form.password.clone();
    let valid = tokio::task::spawn_blocking(move || auth::verify_password(&password, &stored))
        .await
        .unwrap_or(false);
    let Some(user) = user.filter(|_| valid) else {
        tracing::info!("failed login for {name:?} from {client}");
        return login_response(
            &state,
            StatusCode::UNAUTHORIZED,
            Some(state.words().wrong_login),
        );
    };
    state.throttle.succeeded(attempt);
    let token = auth::random_token()?;
    let csrf = auth::random_token()?;
    let hash = auth::token_hash(&token);
    let hours = state.config.session_hours;
    let expires = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(hours))
        .map_err(|error| AppError::Internal(error.to_string()))?
        .to_string();
    let user_id = user.id;
    state
        .books
        .run(move |book| Ok(book.create_session(user_id, &hash, &csrf, &expires)?))
        .await?;
    tracing::info!("{} logged in", user.name);
    Ok((
        [(
            header::SET_COOKIE,
            auth::session_cookie(&token, hours, state.config.secure_cookies),
        )],
        Redirect::to("/dashboard"),
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: Option<String>,
}

pub async fn logout(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    auth::check_csrf(&caller, &headers, form.csrf.as_deref())?;
    if let Some(token) = auth::cookie_value(&headers, auth::SESSION_COOKIE) {
        let hash = auth::token_hash(&token);
        state
            .books
            .run(move |book| Ok(book.delete_session(&hash)?))
            .await?;
    }
    Ok((
        [(
            header::SET_COOKIE,
            auth::expired_cookie(state.config.secure_cookies),
        )],
        Redirect::to("/login"),
    )
        .into_response())
}
