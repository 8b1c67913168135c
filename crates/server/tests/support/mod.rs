//! Helpers shared by the server's test files: what a browser reads off
//! the login form before posting it.

use axum::http::{header, HeaderMap};

/// The login form's cookie (`name=value`) and token, from the answer to
/// `GET /login`.
pub fn login_form(headers: &HeaderMap, body: &str) -> (String, String) {
    let cookie = headers[header::SET_COOKIE]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_string();
    let token = body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("login token")
        .to_string();
    (cookie, token)
}
