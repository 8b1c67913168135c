//! Who is calling, and may they: Argon2id password hashes, random session
//! and API tokens stored only as BLAKE3 hashes, the session cookie
//! (HttpOnly, SameSite=Lax, Secure behind TLS), CSRF checks on every
//! state-changing request, and the client's address behind a trusted proxy.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use voussoir_core::words::errors::english as said;

use voussoir_store::{Role, User};

use crate::{AppError, AppState};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "voussoir_session";

/// Why a secret could not be made.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("the system gives no randomness: {0}")]
    NoRandomness(getrandom::Error),
    #[error("cannot hash the password: {0}")]
    Hashing(String),
}

impl From<AuthError> for AppError {
    fn from(error: AuthError) -> Self {
        AppError::Internal(error.to_string())
    }
}

/// 32 random bytes as hex.
pub fn random_token() -> Result<String, AuthError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(AuthError::NoRandomness)?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// How a secret is stored: its BLAKE3 hash.
pub fn token_hash(token: &str) -> String {
    blake3::hash(token.as_bytes()).to_hex().to_string()
}

/// Hashes a password with Argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(AuthError::NoRandomness)?;
    let salt =
        SaltString::encode_b64(&salt).map_err(|error| AuthError::Hashing(error.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| AuthError::Hashing(error.to_string()))
}

/// Checks a password against its stored hash.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |difference, (x, y)| difference | (x ^ y))
            == 0
}

/// How the caller proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The session cookie: a browser, so CSRF checks apply.
    Session,
    /// `Authorization: Bearer TOKEN`: not sent by browsers on their own.
    Token,
}

/// The logged-in caller.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    /// The session's CSRF token (sessions only).
    pub csrf: Option<String>,
    pub via: Via,
}

impl Caller {
    pub fn is_instructor(&self) -> bool {
        self.user.role == Role::Instructor
    }

    /// Refuses anyone but an instructor.
    pub fn require_instructor(&self) -> Result<(), AppError> {
        if self.is_instructor() {
            Ok(())
        } else {
            Err(AppError::Forbidden(said("server.instructors_only", &[])))
        }
    }
}

/// The value of a cookie in the request.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(|token| token.trim().to_string())
}

/// Finds the caller from the request's token or session cookie. An API
/// token is scoped: it opens the JSON API only (never a page, which would
/// skip the CSRF check), and a write through it only for a trainee (her
/// own submissions and field records); an instructor's token reads.
pub async fn identify(state: &AppState, parts: &Parts) -> Result<Option<Caller>, AppError> {
    let headers = &parts.headers;
    if let Some(token) = bearer(headers) {
        if !parts.uri.path().starts_with("/api/") {
            return Err(AppError::Forbidden(said("server.token_pages", &[])));
        }
        let hash = token_hash(&token);
        let now = jiff::Timestamp::now().to_string();
        let user = state
            .books
            .run(move |book| Ok(book.user_by_api_token(&hash, &now)?))
            .await?;
        let Some(user) = user else {
            return Err(AppError::InvalidToken);
        };
        let reads = matches!(
            parts.method,
            axum::http::Method::GET | axum::http::Method::HEAD
        );
        if !reads && user.role != Role::Trainee {
            return Err(AppError::Forbidden(said("server.token_reads", &[])));
        }
        return Ok(Some(Caller {
            user,
            csrf: None,
            via: Via::Token,
        }));
    }
    let Some(session) = cookie_value(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let hash = token_hash(&session);
    let now = jiff::Timestamp::now().to_string();
    let found = state
        .books
        .run(move |book| Ok(book.session(&hash, &now)?))
        .await?;
    Ok(found.map(|(user, csrf)| Caller {
        user,
        csrf: Some(csrf),
        via: Via::Session,
    }))
}

/// A handler argument that requires a logged-in caller.
impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        identify(state, parts).await?.ok_or(AppError::Unauthorized)
    }
}

/// A handler argument for pages anyone may see.
pub struct MaybeCaller(pub Option<Caller>);

impl FromRequestParts<AppState> for MaybeCaller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(MaybeCaller(identify(state, parts).await.unwrap_or(None)))
    }
}

/// Refuses a request whose `Origin` is not this server. Requests without
/// the header (old browsers, command-line clients) pass on to the token
/// check.
pub fn check_origin(headers: &HeaderMap) -> Result<(), AppError> {
    let Some(origin) = headers.get(axum::http::header::ORIGIN) else {
        return Ok(());
    };
    let origin = origin.to_str().unwrap_or("");
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest.trim_end_matches('/'))
        .unwrap_or("");
    if !host.is_empty() && origin_host.eq_ignore_ascii_case(host) {
        Ok(())
    } else {
        Err(AppError::Forbidden(said(
            "server.cross_site",
            &[("origin", origin.to_string())],
        )))
    }
}

/// CSRF protection for a state-changing request: the session's token must
/// come back in the form (or the `X-CSRF-Token` header) and the origin must
/// be this server. Bearer-token calls are not exposed to CSRF.
pub fn check_csrf(
    caller: &Caller,
    headers: &HeaderMap,
    form_token: Option<&str>,
) -> Result<(), AppError> {
    if caller.via == Via::Token {
        return Ok(());
    }
    check_origin(headers)?;
    let header_token = headers
        .get("x-csrf-token")
        .and_then(|value| value.to_str().ok());
    let given = form_token.or(header_token).unwrap_or("");
    match &caller.csrf {
        Some(expected) if same_secret(expected, given) => Ok(()),
        _ => Err(AppError::Forbidden(said("server.csrf", &[]))),
    }
}

/// The `Set-Cookie` value opening a session.
pub fn session_cookie(token: &str, hours: i64, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        hours * 3600,
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value ending a session.
pub fn expired_cookie(secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The client's address: the peer's, or, when the peer is a configured
/// reverse proxy, the nearest address before it in `X-Forwarded-For`
/// (forwarded headers from anyone else are ignored: they are forgeable).
pub fn client_address(
    peer: std::net::IpAddr,
    headers: &HeaderMap,
    trusted_proxies: &[std::net::IpAddr],
) -> std::net::IpAddr {
    if !trusted_proxies.contains(&peer) {
        return peer;
    }
    let forwarded: Vec<std::net::IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|part| part.trim().parse().ok())
        .collect();
    forwarded
        .into_iter()
        .rev()
        .find(|address| !trusted_proxies.contains(address))
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_argon2id_hash_only() {
        let hash = hash_password("pont du Léguer").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("pont du Léguer", &hash));
        assert!(!verify_password("pont du leguer", &hash));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let a = random_token().expect("token");
        let b = random_token().expect("token");
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn a_foreign_origin_is_refused() {
        let mut headers = HeaderMap::new();
        headers.insert("host", "127.0.0.1:8080".parse().expect("header"));
        headers.insert("origin", "http://127.0.0.1:8080".parse().expect("header"));
        assert!(check_origin(&headers).is_ok());
        headers.insert("origin", "https://evil.example".parse().expect("header"));
        assert!(check_origin(&headers).is_err());
    }

    #[test]
    fn forwarded_addresses_count_only_from_a_trusted_proxy() {
        let proxy: std::net::IpAddr = "10.0.0.1".parse().expect("ip");
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "6.6.6.6, 192.0.2.7".parse().expect("header"),
        );
        let stranger: std::net::IpAddr = "198.51.100.2".parse().expect("ip");
        assert_eq!(client_address(stranger, &headers, &[proxy]), stranger);
        assert_eq!(
            client_address(proxy, &headers, &[proxy]),
            "192.0.2.7".parse::<std::net::IpAddr>().expect("ip")
        );
        assert_eq!(client_address(proxy, &HeaderMap::new(), &[proxy]), proxy);
    }
}
