//! Logging in and out: the login form, the check of name and password
//! with its rate limit, the session cookie, and the home redirect.

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;
use std::net::SocketAddr;

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

fn login_page(w: &Words, error: Option<&str>) -> Markup {
    page(
        w,
        w.log_in,
        None,
        html! {
            h1 { (w.log_in) }
            @if let Some(error) = error { p.error { (error) } }
            form.card method="post" action="/login" {
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
    login_page(state.words(), None).into_response()
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
}

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    auth::check_origin(&headers)?;
    let keys = vec![
        format!("user:{}", form.username.trim().to_lowercase()),
        format!("address:{}", address.ip()),
    ];
    state.limiter.check(&keys)?;
    let name = form.username.trim().to_string();
    let user = state
        .books
        .run(move |book| Ok(book.user_by_name(&name)?))
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
        state.limiter.record_failure(&keys);
        tracing::info!("failed login for {:?} from {}", form.username, address.ip());
        return Ok((
            StatusCode::UNAUTHORIZED,
            login_page(state.words(), Some(state.words().wrong_login)),
        )
            .into_response());
    };
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
    if let Some(token) = auth::cookie(&headers, auth::SESSION_COOKIE) {
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
