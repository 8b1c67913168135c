//! One error type for every handler: user mistakes become a 4xx with a
//! message, internal failures a plain 500 whose details go to the log.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("log in first")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("{0}")]
    Internal(String),
}

impl From<voussoir_store::StoreError> for AppError {
    fn from(error: voussoir_store::StoreError) -> Self {
        match error {
            voussoir_store::StoreError::NotFound(_) => AppError::NotFound,
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<anyhow::Error> for AppError {
    fn from(error: anyhow::Error) -> Self {
        AppError::Internal(format!("{error:#}"))
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message a user may see.
    pub fn public_message(&self) -> String {
        match self {
            AppError::Internal(details) => {
                tracing::error!("internal error: {details}");
                "internal error; the details are in the server log".to_string()
            }
            other => other.to_string(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = self.public_message();
        if status == StatusCode::UNAUTHORIZED {
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
