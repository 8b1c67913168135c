//! One submission's report: the inspection, its grades, defects, map and
//! photos, the comparison with the reference for instructors, and the
//! instructor's feedback form and its handler.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup, PreEscaped};
use std::collections::HashMap;

use voussoir_core::compare::Comparison;
use voussoir_store::{Submission, SubmissionStatus};

use crate::auth::{self, Caller};
use crate::{AppError, AppState};
use voussoir_core::words::Words;

use super::*;

pub async fn submission(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Markup, AppError> {
    let detail = crate::cache::detail(&state, &caller, id).await?;
    let data = detail.data();
    let submission = &detail.submission;
    let map = &detail.computed.map_svg;
    let trainee_defects: HashMap<i64, String> =
        submission.defect_comments.iter().cloned().collect();
    let w = state.words();
    let body = html! {
        h1 { (data.structure.name) " — " (submission.trainee) ", version " (submission.version) }
        p {
            (w.submission) " #" (submission.id) " · " (status_cell(w, submission.status))
            " · " (when(&submission.submitted_at))
            " · " (w.suggested_mark) " " (mark(submission.suggested_mark))
            " · " (w.final_mark) " " (mark(submission.final_mark))
        }
        @if detail.versions.len() > 1 {
            p #versions { (w.versions) ": "
                @for version in &detail.versions {
                    @if version.id == submission.id { strong { "v" (version.version) } }
                    @else { a href=(format!("/submissions/{}", version.id)) { "v" (version.version) } }
                    " (" (status_cell(w, version.status)) ") "
                }
            }
        }
        @if let Some(feedback) = &submission.feedback {
            div.card #feedback { h2 style="margin-top:0" { (w.feedback) } p { (feedback) }
                @if let Some(reviewer) = &submission.reviewed_by { p { small { "— " (reviewer) ", " (when(&submission.reviewed_at.clone().unwrap_or_default())) } } } }
        }
        h2 { (w.grades) " (" (data.grading.scheme.to_uppercase()) ")" }
        p { (w.structure) " : " strong { (data.grading.structure.label) } }
        ul { @for reason in &data.grading.structure.reasons { li { (reason) } } }
        div.scroll { table {
            tr { th { (w.component) } th { (w.grade) } th { (w.why) } }
            @for grade in &data.grading.components {
                tr { td { (grade.component) } td { (grade.class) @if grade.safety { " S" } } td { (grade.reasons.join(" · ")) } }
            }
        } }
        h2 { (w.defects) }
        div.scroll { table {
            tr { th { "#" } th { (w.component) } th { (w.defect_type) } th { (w.severity) } th { (w.extent) } th { (w.measurements) } th { (w.note) } th { (w.photos) } th { (w.instructor_comment) } }
            @for defect in &data.defects {
                tr {
                    td { (defect.id) }
                    td { (defect.component) }
                    td { (defect.type_code) }
                    td { span.swatch style=(format!("background:{}", data.severity_colour(defect))) {} (defect.severity.clone().unwrap_or_else(|| "?".to_string())) }
                    td { (defect.extent.map(|extent| extent.code()).unwrap_or("")) }
                    td { (measurements(defect, w)) }
                    td { (defect.note.clone().unwrap_or_default()) }
                    td {
                        @for photo in data.photos_of_defect(defect).into_iter().take(3) {
                            @if photo.thumbnail.is_some() {
                                a href=(format!("/media/{}/review?i={}", photo.hash, data.inspection.id)) {
                                    img src=(format!("/media/{}/thumb?i={}", photo.hash, data.inspection.id)) alt=(photo.file) style="height:3em;margin:1px" loading="lazy";
                                }
                            }
                        }
                    }
                    td { (trainee_defects.get(&defect.id).cloned().unwrap_or_default()) }
                }
            }
        } }
        @if let Some(comparison) = detail.comparison() {
            (comparison_section(w, comparison, detail.reference.unwrap_or_default()))
        }
        h2 { (w.map) }
        div.map { (PreEscaped(map.as_str())) }
        h2 { (w.photos) }
        @if data.photos.is_empty() { p { (w.no_photo) } }
        div.gallery {
            @for photo in &data.photos {
                figure {
                    @if photo.thumbnail.is_some() {
                        a href=(format!("/media/{}/review?i={}", photo.hash, data.inspection.id)) {
                            img src=(format!("/media/{}/thumb?i={}", photo.hash, data.inspection.id)) alt=(photo.file) loading="lazy";
                        }
                    }
                    figcaption {
                        (file_name(&photo.file))
                        @if let Some(component) = &photo.placement.component { " · " (component) }
                        @if let Some(depth) = photo.placement.depth_m { " · " (depth) " " (w.metres_deep) }
                        br; small { (photo.placement.taken_at.map(|time| when(&time.to_string())).unwrap_or_default()) }
                    }
                }
            }
        }
        @if caller.is_instructor() {
            (feedback_form(w, &caller, submission, data))
        }
    };
    Ok(page(
        w,
        &format!("{} #{id}", w.submission),
        Some(&caller),
        body,
    ))
}

fn percent(value: f64) -> String {
    format!("{:.0} %", value * 100.0)
}

fn comparison_section(w: &Words, comparison: &Comparison, reference: i64) -> Markup {
    let metrics = &comparison.metrics;
    html! {
        h2 #comparison { (w.comparison) " (" (w.inspection) " #" (reference) ")" }
        div.metrics {
            div { (w.detection) strong { (percent(metrics.detection_rate)) } (metrics.matched) " " (w.of) " " (metrics.reference_defects) }
            div { (w.precision) strong { (percent(metrics.precision)) } (metrics.matched) " " (w.of) " " (metrics.trainee_defects) }
            div { (w.severity_exact) strong { (percent(metrics.severity_exact)) } (w.within_one) " : " (percent(metrics.severity_within_one)) }
            div { (w.position_error) strong { (metrics.mean_position_error_m.map(|error| format!("{error:.1} m")).unwrap_or_else(|| "—".to_string())) } (w.mean) }
            div { (w.structure) strong { (comparison.structure_grade.reference) " → " (comparison.structure_grade.trainee) } (w.reference_to_trainee) }
            div { (w.suggested_mark) strong { (comparison.mark.suggested) "/20" } }
        }
        ul #mark-reasons { @for reason in &comparison.mark.reasons { li { (reason) } } }
        (mark_detail(w, &comparison.mark.defects))
        h2 { (w.matched) }
        div.scroll { table {
            tr { th { (w.reference) } th { (w.trainee) } th { (w.component) } th { (w.defect_type) } th { (w.severity) " (" (w.reference_to_trainee) ")" } th { (w.position_error) } }
            @for pair in &comparison.matched {
                tr {
                    td { "#" (pair.reference_id) } td { "#" (pair.trainee_id) } td { (pair.component) }
                    td { (pair.reference_type) @if pair.trainee_type != pair.reference_type { " / " (pair.trainee_type) } }
                    td { (pair.reference_severity.clone().unwrap_or_else(|| "?".to_string())) " → " (pair.trainee_severity.clone().unwrap_or_else(|| "?".to_string()))
                        @if let Some(difference) = pair.severity_difference { @if difference != 0 { " (" (format!("{difference:+}")) ")" } } }
                    td { (pair.position_error_m.map(|error| format!("{error:.1} m")).unwrap_or_default()) }
                }
            }
        } }
        h2 { (w.missed) }
        @if comparison.missed.is_empty() { p { (w.none) } }
        ul { @for defect in &comparison.missed { li { "#" (defect.id) " " (defect.type_code) " " (w.on) " " (defect.component) " (" (defect.severity.clone().unwrap_or_else(|| "?".to_string())) ")" } } }
        h2 { (w.extra) }
        @if comparison.extra.is_empty() { p { (w.none) } }
        ul { @for defect in &comparison.extra { li { "#" (defect.id) " " (defect.type_code) " " (w.on) " " (defect.component) " (" (defect.severity.clone().unwrap_or_else(|| "?".to_string())) ")" } } }
        h2 { (w.component_grades) }
        div.scroll { table {
            tr { th { (w.component) } th { (w.reference) } th { (w.trainee) } th { (w.difference) } }
            @for grade in &comparison.component_grades {
                tr { td { (grade.code) } td { (grade.reference)
                        @if let Some(reason) = &grade.reference_reason {
                            br; small.override { "(" (w.set_by_instructor) " " (grade.reference_computed) " : " (reason) ")" }
                        } }
                     td { (grade.trainee) }
                    td { (grade.difference.map(|difference| format!("{difference:+}")).unwrap_or_default()) } }
            }
        } }
    }
}

/// What each defect earned or cost in the mark.
fn mark_detail(w: &Words, defects: &[voussoir_core::compare::DefectCredit]) -> Markup {
    use voussoir_core::compare::Outcome;
    let number = |value: f64| {
        let text = format!("{value:.2}");
        if w.lang == "fr" {
            text.replace('.', ",")
        } else {
            text
        }
    };
    let id = |value: Option<i64>| value.map(|id| format!("#{id}")).unwrap_or_default();
    html! {
        details #mark-detail {
            summary { (w.mark_detail) }
            div.scroll { table {
                tr { th { (w.reference) } th { (w.trainee) } th { (w.component) } th { (w.defect_type) }
                     th { "" } th { (w.finding_credit) } th { (w.severity_credit) } }
                @for line in defects {
                    tr {
                        td { (id(line.reference_id)) } td { (id(line.trainee_id)) }
                        td { (line.component) } td { (line.type_code) }
                        td { (match line.outcome {
                            Outcome::Found => w.outcome_found,
                            Outcome::RelatedType => w.outcome_related,
                            Outcome::Unpositioned => w.outcome_unpositioned,
                            Outcome::Missed => w.outcome_missed,
                            Outcome::Extra => w.outcome_extra,
                        }) }
                        td { (number(line.credit)) }
                        td { (line.severity_agreement.map(number).unwrap_or_default()) }
                    }
                }
            } }
        }
    }
}

fn feedback_form(
    w: &Words,
    caller: &Caller,
    submission: &Submission,
    data: &voussoir_export::InspectionData,
) -> Markup {
    let comments: HashMap<i64, String> = submission.defect_comments.iter().cloned().collect();
    html! {
        h2 { (w.feedback_and_mark) }
        form.card method="post" action=(format!("/submissions/{}/feedback", submission.id)) {
            input type="hidden" name="csrf" value=(caller.csrf.clone().unwrap_or_default());
            label for="comment" { (w.overall_comment) }
            textarea #comment name="comment" { (submission.feedback.clone().unwrap_or_default()) }
            @for defect in &data.defects {
                label for=(format!("defect_{}", defect.id)) { (w.defect) " #" (defect.id) " — " (defect.type_code) " " (w.on) " " (defect.component) }
                input type="text" id=(format!("defect_{}", defect.id)) name=(format!("defect_{}", defect.id)) value=(comments.get(&defect.id).cloned().unwrap_or_default());
            }
            label for="final_mark" { (w.final_mark_label) }
            input #final_mark type="number" name="final_mark" min="0" max="20" step="0.5"
                value=(submission.final_mark.or(submission.suggested_mark).map(|mark| mark.to_string()).unwrap_or_default());
            label { (w.decision) }
            label style="font-weight:normal" { input type="radio" name="decision" value="return" checked; " " (w.return_label) }
            label style="font-weight:normal" { input type="radio" name="decision" value="accept"; " " (w.accept_label) }
            button type="submit" { (w.save_feedback) }
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
    let status = match form.get("decision").map(String::as_str) {
        Some("accept") => SubmissionStatus::Accepted,
        Some("return") | None => SubmissionStatus::Returned,
        Some(other) => {
            return Err(AppError::BadRequest(format!(
                "unknown decision `{other}`; use return or accept"
            )))
        }
    };
    let final_mark = match form
        .get("final_mark")
        .map(|text| text.trim())
        .filter(|text| !text.is_empty())
    {
        None => None,
        Some(text) => Some(
            voussoir_core::mark::Mark::parse(text)
                .map_err(|error| AppError::BadRequest(format!("final mark: {error}")))?
                .value(),
        ),
    };
    let comment = form.get("comment").cloned().unwrap_or_default();
    let defect_comments: Vec<(i64, String)> = form
        .iter()
        .filter_map(|(key, value)| {
            Some((
                key.strip_prefix("defect_")?.parse::<i64>().ok()?,
                value.clone(),
            ))
        })
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
    tracing::info!(
        "{} reviewed submission #{id}: {}",
        caller.user.name,
        status.code()
    );
    Ok(Redirect::to(&format!("/submissions/{id}")).into_response())
}
