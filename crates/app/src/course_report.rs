//! The course report: for each structure with a reference, every
//! trainee's latest work compared with it and gathered by
//! `core::reliability`. Each trainee is counted once — their latest
//! accepted submission, else their latest submission; in a field book
//! without submissions, the latest inspection of each inspector.

use voussoir_core::compare::{CompareOptions, Comparison};
use voussoir_core::reliability::{structure_report, StructureReport, TraineeComparison};
use voussoir_store::{FieldBook, SubmissionStatus};

use crate::review::{comparison, reference_of};
use crate::Result;

/// Share of trainees under which a reference defect is listed as one to
/// teach better, unless the instructor says otherwise.
pub const DEFAULT_THRESHOLD: f64 = 0.5;

/// The inspections that speak for each trainee on a structure: (inspection,
/// trainee's name as shown), one per trainee.
pub fn one_per_trainee(book: &FieldBook, structure: &str) -> Result<Vec<(i64, String)>> {
    let course = book.course()?;
    let submissions: Vec<_> = book
        .submissions(None)?
        .into_iter()
        .filter(|submission| submission.structure.eq_ignore_ascii_case(structure))
        .collect();
    let mut chosen: Vec<(i64, String)> = Vec::new();
    if !submissions.is_empty() {
        let mut trainees: Vec<i64> = submissions.iter().map(|s| s.trainee_id).collect();
        trainees.sort_unstable();
        trainees.dedup();
        for trainee in trainees {
            let theirs: Vec<_> = submissions
                .iter()
                .filter(|s| s.trainee_id == trainee)
                .collect();
            let latest_accepted = theirs
                .iter()
                .filter(|s| s.status == SubmissionStatus::Accepted)
                .max_by_key(|s| s.version);
            let latest = theirs.iter().max_by_key(|s| s.version);
            if let Some(submission) = latest_accepted.or(latest) {
                chosen.push((
                    submission.inspection,
                    course.trainee_name(&submission.trainee),
                ));
            }
        }
    } else {
        let mut inspections: Vec<_> = book
            .inspections()?
            .into_iter()
            .filter(|inspection| {
                !inspection.is_reference && inspection.structure.eq_ignore_ascii_case(structure)
            })
            .collect();
        inspections.sort_by_key(|inspection| std::cmp::Reverse(inspection.id));
        for inspection in inspections {
            let who = inspection
                .inspector
                .clone()
                .unwrap_or_else(|| format!("#{}", inspection.id));
            let name = course.trainee_name(&who);
            if !chosen.iter().any(|(_, known)| *known == name) {
                chosen.push((inspection.id, name));
            }
        }
    }
    chosen.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(chosen)
}

/// The report of every structure that has a reference and at least one
/// trainee (or of the one named).
pub fn course_report(
    book: &FieldBook,
    structure: Option<&str>,
    threshold: f64,
) -> Result<Vec<StructureReport>> {
    let course = book.course()?;
    let mut reports = Vec::new();
    for candidate in &course.structures {
        if structure.is_some_and(|wanted| !wanted.eq_ignore_ascii_case(&candidate.code)) {
            continue;
        }
        let Some(reference) = reference_of(book, &candidate.code)? else {
            continue;
        };
        let trainees = one_per_trainee(book, &candidate.code)?;
        if trainees.is_empty() {
            continue;
        }
        let comparisons: Vec<(String, Comparison)> = trainees
            .into_iter()
            .map(|(inspection, name)| {
                Ok((
                    name,
                    comparison(book, reference, inspection, CompareOptions::default())?,
                ))
            })
            .collect::<Result<_>>()?;
        let gathered: Vec<TraineeComparison<'_>> = comparisons
            .iter()
            .map(|(name, comparison)| TraineeComparison {
                trainee: name.clone(),
                comparison,
            })
            .collect();
        reports.push(structure_report(
            candidate,
            &course.scheme,
            &gathered,
            threshold,
        ));
    }
    Ok(reports)
}
