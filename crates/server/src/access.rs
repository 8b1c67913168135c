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
