//! One error type for every handler: user mistakes become a 4xx with a
//! message, internal failures a plain 500 whose details go to the log.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use voussoir_core::words::errors::english as said;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("log in first")]
    Unauthorized,
    /// A bearer token that matches no live token.
    #[error("the API token is not valid (mistyped, expired, revoked, or its user's password changed); ask for a new one (`voussoir token create USER`)")]
    InvalidToken,
    #[error("{0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    TooManyRequests(String),
    /// The request clashes with the state of things (a closed submission).
    #[error("{0}")]
    Conflict(String),
    /// The database failed: logged, shown as a plain 500.
    #[error(transparent)]
    Store(voussoir_store::StoreError),
    /// A file could not be read or written: logged, shown as a plain 500.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// Anything else the machine got wrong: logged, shown as a plain 500.
    #[error("{0}")]
    Internal(String),
}

impl From<voussoir_store::StoreError> for AppError {
    fn from(error: voussoir_store::StoreError) -> Self {
        match error {
            voussoir_store::StoreError::NotFound(_) => AppError::NotFound,
            voussoir_store::StoreError::Conflict(message) => AppError::Conflict(message),
            other => AppError::Store(other),
        }
    }
}

impl From<voussoir_app::Error> for AppError {
    fn from(error: voussoir_app::Error) -> Self {
        match error {
            voussoir_app::Error::Store(store) => store.into(),
            voussoir_app::Error::Io { path, source } => AppError::Io(std::io::Error::new(
                source.kind(),
                format!("{}: {source}", path.display()),
            )),
            voussoir_app::Error::Invalid(message) => AppError::BadRequest(message),
            // The file is the server's own upload copy: its path is not
            // the user's business.
            voussoir_app::Error::Refused { reason, .. } => {
                AppError::BadRequest(voussoir_core::words::errors::english(
                    "server.bundle_refused",
                    &[("reason", reason)],
                ))
            }
        }
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized | AppError::InvalidToken => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Store(_) | AppError::Io(_) | AppError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// The message a user may see.
    pub fn public_message(&self) -> String {
        match self {
            AppError::Store(_) | AppError::Io(_) | AppError::Internal(_) => {
                tracing::error!("internal error: {self}");
                said("server.internal", &[])
            }
            other => other.to_string(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = self.public_message();
        if matches!(self, AppError::Unauthorized) {
            return (
                status,
                [("content-type", "text/plain; charset=utf-8")],
                "401 Unauthorized: log in first (/login)\n".to_string(),
            )
                .into_response();
        }
        (
            status,
            [("content-type", "text/plain; charset=utf-8")],
            format!(
                "{} {}: {message}\n",
                status.as_u16(),
                status.canonical_reason().unwrap_or("")
            ),
        )
            .into_response()
    }
}
