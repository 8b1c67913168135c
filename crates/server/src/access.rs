//! The access policy: who may see what. Every route that shows or
//! changes a submission or an inspection asks here, and only here.
//! Instructors see everything; a trainee only their own submissions. What
//! a caller may not see is "not found", so that nobody learns what exists.

use voussoir_store::{FieldBook, Submission};

use crate::auth::Caller;
use crate::AppError;

/// May the caller see this inspection? Instructors see everything; a
/// trainee only the inspections of their own submissions.
pub fn check_inspection_access(
    book: &FieldBook,
    caller: &Caller,
    inspection: i64,
) -> Result<(), AppError> {
    if caller.is_instructor() {
        return Ok(());
    }
    if book.capture_owner(inspection)? == Some(caller.user.id) {
        return Ok(());
    }
    match book.submission_of_inspection(inspection)? {
        Some(submission) if submission.trainee_id == caller.user.id => Ok(()),
        _ => Err(AppError::NotFound),
    }
}

/// A submission the caller may see, or "not found".
pub fn visible_submission(
    book: &FieldBook,
    caller: &Caller,
    id: i64,
) -> Result<Submission, AppError> {
    let submission = book.submission(id)?.ok_or(AppError::NotFound)?;
    if caller.is_instructor() || submission.trainee_id == caller.user.id {
        Ok(submission)
    } else {
        Err(AppError::NotFound)
    }
}

/// A submission as the caller may see it: a trainee sees no suggested mark
/// until the instructor has released the structure's results (it would
/// reveal the answer key one guess at a time).
pub fn as_seen_by(
    book: &FieldBook,
    caller: &Caller,
    mut submission: Submission,
) -> Result<Submission, AppError> {
    if !caller.is_instructor() && book.results_released(&submission.structure)?.is_none() {
        submission.suggested_mark = None;
    }
    Ok(submission)
}

/// Whether the caller may see the comparison with the reference.
pub fn sees_comparison(
    book: &FieldBook,
    caller: &Caller,
    structure: &str,
) -> Result<bool, AppError> {
    Ok(caller.is_instructor() || book.results_released(structure)?.is_some())
}
