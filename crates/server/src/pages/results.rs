//! The course results for the instructor's spreadsheet, one row per
//! submission version with its figures and marks: CSV in the course
//! language's dialect (French Excel opens it as it is) and XLSX.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::auth::Caller;
use crate::{AppError, AppState};

async fn rows(
    state: &AppState,
    caller: &Caller,
) -> Result<Vec<voussoir_export::results::ResultRow>, AppError> {
    caller.require_instructor()?;
    Ok(course_rows(state).await?.as_ref().clone())
}

/// The course's result rows, kept until a change (computed at the
/// server's start, then once per change).
pub(crate) async fn course_rows(
    state: &AppState,
) -> Result<std::sync::Arc<Vec<voussoir_export::results::ResultRow>>, AppError> {
    let generation = state.dashboard.generation();
    let rows = state
        .dashboard
        .results
        .get_or_compute(generation, || {
            state
                .books
                .run(|book| Ok(voussoir_app::results::course_results(book)?))
        })
        .await?;
    Ok(rows)
}

pub async fn results_csv(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    let rows = rows(&state, &caller).await?;
    let bytes = voussoir_export::results::results_csv(&rows, state.words())
        .map_err(|error| AppError::Internal(error.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"course-results.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

pub async fn results_xlsx(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    let rows = rows(&state, &caller).await?;
    let bytes = voussoir_export::results::results_xlsx(&rows, state.words())
        .map_err(|error| AppError::Internal(error.to_string()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"course-results.xlsx\"",
            ),
        ],
        bytes,
    )
        .into_response())
}
