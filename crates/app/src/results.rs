//! The course results: one row per submission version with the trainee's
//! name, the figures of her comparison with the reference (detection,
//! precision, grades agreement) and her marks, for the instructor's
//! spreadsheet. Computing only; the export crate writes CSV and XLSX.

use voussoir_core::compare::CompareOptions;
pub use voussoir_export::results::ResultRow;
use voussoir_store::FieldBook;

use crate::review::{comparison, reference_of};
use crate::Result;

/// Every submission version of the course, with its figures.
pub fn course_results(book: &FieldBook) -> Result<Vec<ResultRow>> {
    let course = book.course()?;
    let mut rows = Vec::new();
    for submission in book.submissions(None)? {
        let figures = match reference_of(book, &submission.structure)? {
            Some(reference) => {
                let compared = comparison(
                    book,
                    reference,
                    submission.inspection,
                    CompareOptions::default(),
                )?;
                let grades = &compared.component_grades;
                let exact = grades
                    .iter()
                    .filter(|grade| grade.difference == Some(0))
                    .count();
                Some((
                    compared.metrics.detection_rate,
                    compared.metrics.precision,
                    (!grades.is_empty()).then(|| exact as f64 / grades.len() as f64),
                ))
            }
            None => None,
        };
        let full_name = course.trainee_name(&submission.trainee);
        let submitted_at = submission
            .submitted_at
            .parse::<jiff::Timestamp>()
            .map(|at| at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_else(|_| submission.submitted_at.clone());
        rows.push(ResultRow {
            trainee: submission.trainee.clone(),
            full_name,
            structure: submission.structure.clone(),
            version: submission.version,
            status: submission.status.code().to_string(),
            submitted_at,
            detection: figures.map(|figures| figures.0),
            precision: figures.map(|figures| figures.1),
            grades_exact: figures.and_then(|figures| figures.2),
            suggested_mark: submission.suggested_mark,
            final_mark: submission.final_mark,
            feedback: submission.feedback.clone().unwrap_or_default(),
        });
    }
    Ok(rows)
}
