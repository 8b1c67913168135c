//! The instructor's review of one submission: the comparison as one table
//! (each reference defect beside the trainee's, missed ones, then her
//! extras; differences highlighted; a comment box on every row), her own
//! grades against the reference's, what changed since the last version,
//! and the decision at the end (final mark, overall comment, Accept or
//! Return as two buttons, nothing pre-selected), with its handler.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use std::collections::HashMap;

use voussoir_core::compare::changes::Changes;
use voussoir_core::compare::Comparison;
use voussoir_core::words::Words;
use voussoir_core::Defect;
use voussoir_export::InspectionData;
use voussoir_store::{Submission, SubmissionStatus};

use crate::auth::{self, Caller};
use crate::{AppError, AppState};

/// The form every comment box and the decision belong to.
const FORM_ID: &str = "review";

/// A defect type as people read it: its name in the page's language, the
/// code small beside it.
pub(crate) fn type_label(w: &Words, code: &str) -> Markup {
    let name = voussoir_core::catalogue::find(code).map(|entry| {
        if w.lang == "fr" {
            entry.name_fr
        } else {
            entry.name_en
        }
    });
    html! {
        @if let Some(name) = name { (name) " " small.code { (code) } } @else { (code) }
    }
}

fn severity(value: Option<&str>) -> &str {
    value.unwrap_or("?")
}

/// The thumbnails of a defect's photos, linked to their review copy.
pub(crate) fn thumbnails(data: &InspectionData, defect: &Defect, most: usize) -> Markup {
    html! {
        @for photo in data.photos_of_defect(defect).into_iter().take(most) {
            @if photo.thumbnail.is_some() {
                a.thumb href=(format!("/media/{}/review?i={}", photo.hash, data.inspection.id)) {
                    img src=(format!("/media/{}/thumb?i={}", photo.hash, data.inspection.id)) alt=(photo.file) loading="lazy";
                }
            }
        }
    }
}

/// The trainee's measurements and note under a defect, in small.
fn trainee_note(w: &Words, defect: &Defect) -> Markup {
    let measured = super::measurements(defect, w);
    html! {
        @if !measured.is_empty() { br; small.measured { (measured) } }
        @if let Some(note) = &defect.note { br; small.note { (w.open_quote) (note) (w.close_quote) } }
    }
}

fn comment_box(w: &Words, comments: &HashMap<i64, String>, id: i64) -> Markup {
    html! {
        textarea.comment form=(FORM_ID) name=(format!("defect_{id}")) aria-label=(w.instructor_comment) rows="2" {
            (comments.get(&id).cloned().unwrap_or_default())
        }
    }
}

/// The comparison as one table, with a comment box on every row.
pub(crate) fn comparison_table(
    w: &Words,
    comparison: &Comparison,
    data: &InspectionData,
    comments: &HashMap<i64, String>,
    editable: bool,
) -> Markup {
    let trainee_defect = |id: i64| data.defects.iter().find(|defect| defect.id == id);
    let comment = |id: i64| -> Markup {
        if editable {
            comment_box(w, comments, id)
        } else {
            html! { (comments.get(&id).cloned().unwrap_or_default()) }
        }
    };
    html! {
        h2 #comparison { (w.comparison) }
        div.scroll { table.comparison {
            tr.head { th { (w.reference) } th { (w.trainee) } th { (w.component) } th { (w.defect_type) }
                 th { (w.severity) br; small { (w.reference_to_trainee) } } th { (w.position_error) }
                 th { (w.photos) } th { (w.instructor_comment) } }
            @for pair in &comparison.matched {
                @let differs = pair.severity_difference != Some(0) || pair.safety_differs;
                tr.matched {
                    td data-label=(w.reference) { "#" (pair.reference_id) } td data-label=(w.trainee) { "#" (pair.trainee_id) } td data-label=(w.component) { (pair.component) }
                    td data-label=(w.defect_type) { (type_label(w, &pair.reference_type))
                         @if pair.trainee_type != pair.reference_type { br; small.related { (w.outcome_related) (w.colon) (type_label(w, &pair.trainee_type)) } }
                         @if let Some(defect) = trainee_defect(pair.trainee_id) { (trainee_note(w, defect)) } }
                    td data-label=(w.severity) class=(if differs { "diff" } else { "" }) {
                        (severity(pair.reference_severity.as_deref())) " → " (severity(pair.trainee_severity.as_deref()))
                        @if let Some(difference) = pair.severity_difference { @if difference != 0 { " (" (format!("{difference:+}")) ")" } } }
                    td data-label=(w.position_error) class=(if pair.position_error_m.is_none() { "diff" } else { "" }) {
                        @match pair.position_error_m { Some(error) => { (super::decimal(w, &format!("{error:.1}"))) " m" }, None => { (w.outcome_unpositioned) } } }
                    td data-label=(w.photos) { @if let Some(defect) = trainee_defect(pair.trainee_id) { (thumbnails(data, defect, 3)) } }
                    td data-label=(w.instructor_comment) { (comment(pair.trainee_id)) }
                }
            }
            @for missed in &comparison.missed {
                tr.missed {
                    td data-label=(w.reference) { "#" (missed.id) } td data-label=(w.trainee) { strong { (w.outcome_missed) } } td data-label=(w.component) { (missed.component) }
                    td data-label=(w.defect_type) { (type_label(w, &missed.type_code)) }
                    td data-label=(w.severity) { (severity(missed.severity.as_deref())) } td {} td {}
                    td data-label=(w.instructor_comment) { (comment(missed.id)) }
                }
            }
            @for extra in &comparison.extra {
                tr.extra {
                    td data-label=(w.reference) { strong { (w.outcome_extra) } } td data-label=(w.trainee) { "#" (extra.id) } td data-label=(w.component) { (extra.component) }
                    td data-label=(w.defect_type) { (type_label(w, &extra.type_code))
                         @if let Some(defect) = trainee_defect(extra.id) { (trainee_note(w, defect)) } }
                    td data-label=(w.severity) { (severity(extra.severity.as_deref())) } td {}
                    td data-label=(w.photos) { @if let Some(defect) = trainee_defect(extra.id) { (thumbnails(data, defect, 3)) } }
                    td data-label=(w.instructor_comment) { (comment(extra.id)) }
                }
            }
        } }
    }
}

/// The trainee's grades (her own where given) against the reference's.
pub(crate) fn grades_table(w: &Words, comparison: &Comparison) -> Markup {
    html! {
        h2 { (w.component_grades) }
        div.scroll { table {
            tr { th { (w.component) } th { (w.reference) } th { (w.trainee) } th { (w.difference) } }
            @for grade in std::iter::once(&comparison.structure_grade).chain(&comparison.component_grades) {
                tr {
                    td { @if grade.code == "structure" { strong { (w.structure) } } @else { (grade.code) } }
                    td { (grade.reference)
                        @if let Some(reason) = &grade.reference_reason {
                            br; small.override { "(" (w.set_by_instructor) " " (grade.reference_computed) (w.colon) (reason) ")" }
                        } }
                    td { (grade.trainee)
                        @if grade.trainee_source == "own" && grade.trainee_computed != grade.trainee {
                            br; small { "(" (w.defects_imply) " " (grade.trainee_computed) ")" }
                        } }
                    td class=(if grade.difference.is_some_and(|difference| difference != 0) { "diff" } else { "" }) {
                        (grade.difference.map(|difference| format!("{difference:+}")).unwrap_or_default()) }
                }
            }
        } }
    }
}

/// What changed since the version before.
pub(crate) fn changes_section(w: &Words, version: i64, changes: &Changes) -> Markup {
    let line = |defect: &Defect| {
        html! { (defect.component) " · " (type_label(w, &defect.type_code)) " · " (severity(defect.severity.as_deref())) }
    };
    html! {
        section #changes.card {
            h2 style="margin-top:0" { (w.changes_since) " v" (version) }
            @if changes.is_empty() { p { (w.no_change) } }
            ul {
                @for defect in &changes.added { li.added { strong { (w.added) } (w.colon) (line(defect)) } }
                @for defect in &changes.removed { li.removed { strong { (w.removed) } (w.colon) (line(defect)) } }
                @for changed in &changes.changed {
                    li { strong { (w.changed) } (w.colon) (line(&changed.after))
                        " (" (severity(changed.before.severity.as_deref())) " → " (severity(changed.after.severity.as_deref())) ")" }
                }
            }
        }
    }
}

/// The decision, at the end: final mark, overall comment, two buttons.
pub(crate) fn decision_form(w: &Words, caller: &Caller, submission: &Submission) -> Markup {
    let suggested = submission.final_mark.or(submission.suggested_mark);
    html! {
        h2 #decision { (w.feedback_and_mark) }
        form.card id=(FORM_ID) method="post" action=(format!("/submissions/{}/feedback", submission.id)) {
            input type="hidden" name="csrf" value=(caller.csrf.clone().unwrap_or_default());
            label for="final_mark" { (w.final_mark_label) }
            input #final_mark type="text" inputmode="decimal" name="final_mark" placeholder="14,5"
                value=(suggested.map(|value| super::decimal(w, &voussoir_core::mark::Mark::from_points(value).to_string())).unwrap_or_default());
            label for="comment" { (w.overall_comment) }
            textarea #comment name="comment" { (submission.feedback.clone().unwrap_or_default()) }
            p { small { (w.decision_hint) } }
            div.decision {
                button.return type="submit" name="decision" value="return" { (w.return_label) }
                button.accept type="submit" name="decision" value="accept" { (w.accept_label) }
            }
        }
    }
}

pub async fn feedback(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    auth::check_csrf(&caller, &headers, form.get("csrf").map(String::as_str))?;
    caller.require_instructor()?;
    let w = state.words();
    let comment = form.get("comment").cloned().unwrap_or_default();
    let status = match form.get("decision").map(String::as_str) {
        Some("accept") => SubmissionStatus::Accepted,
        Some("return") if comment.trim().is_empty() => {
            return Err(AppError::BadRequest(w.return_needs_comment.to_string()))
        }
        Some("return") => SubmissionStatus::Returned,
        _ => return Err(AppError::BadRequest(w.choose_decision.to_string())),
    };
    let final_mark = match form
        .get("final_mark")
        .map(|text| text.trim())
        .filter(|text| !text.is_empty())
    {
        None => None,
        Some(text) => Some(
            voussoir_core::mark::Mark::parse(text)
                .map_err(|error| {
                    AppError::BadRequest(format!(
                        "{} : {}",
                        w.final_mark_label,
                        voussoir_core::words::errors::translate(&error.to_string(), w.lang)
                    ))
                })?
                .value(),
        ),
    };
    let defect_comments: Vec<(i64, String)> = form
        .iter()
        .filter_map(|(key, value)| {
            Some((
                key.strip_prefix("defect_")?.parse::<i64>().ok()?,
                value.clone(),
            ))
        })
        .filter(|(_, value)| !value.trim().is_empty())
        .collect();
    let reviewer = caller.user.id;
    state
        .books
        .run(move |book| {
            book.submission(id)?.ok_or(AppError::NotFound)?;
            book.review_submission(id, reviewer, status, final_mark, &comment, &defect_comments)?;
            Ok(())
        })
        .await?;
    state.dashboard.clear();
    tracing::info!(
        "{} reviewed submission #{id}: {}",
        caller.user.name,
        status.code()
    );
    Ok(Redirect::to(&format!("/submissions/{id}?saved=1")).into_response())
}
