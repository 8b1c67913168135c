//! The course results as CSV: one row per submission version, with its
//! marks, for the instructor's spreadsheet.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::auth::Caller;
use crate::{AppError, AppState};

pub async fn results_csv(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    caller.require_instructor()?;
    let submissions = state.books.run(|book| Ok(book.submissions(None)?)).await?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |error: csv::Error| AppError::Internal(error.to_string());
    writer
        .write_record(voussoir_export::csv_safe::safe_record([
            "trainee",
            "structure",
            "version",
            "status",
            "submitted_at",
            "suggested_mark",
            "final_mark",
            "feedback",
        ]))
        .map_err(failed)?;
    for submission in &submissions {
        writer
            .write_record(voussoir_export::csv_safe::safe_record([
                submission.trainee.clone(),
                submission.structure.clone(),
                submission.version.to_string(),
                submission.status.code().to_string(),
                submission.submitted_at.clone(),
                submission
                    .suggested_mark
                    .map(|mark| mark.to_string())
                    .unwrap_or_default(),
                submission
                    .final_mark
                    .map(|mark| mark.to_string())
                    .unwrap_or_default(),
                submission.feedback.clone().unwrap_or_default(),
            ]))
            .map_err(failed)?;
    }
    let bytes = writer
        .into_inner()
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
