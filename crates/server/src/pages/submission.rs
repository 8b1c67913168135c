//! One submission's report: who, what and where at the top, then for an
//! instructor the comparison with the reference (pages/review.rs) and the
//! decision at the end; for a trainee her defects with the instructor's
//! comments, and after release her comparison. The map and the photos
//! close the page.

use axum::extract::{Path, Query, State};
use maud::{html, Markup, PreEscaped};
use std::collections::HashMap;

use voussoir_core::compare::Comparison;
use voussoir_export::InspectionData;

use crate::auth::Caller;
use crate::cache::Detail;
use crate::{AppError, AppState};
use voussoir_core::words::Words;

use super::review::{
    changes_section, comparison_table, decision_form, grades_table, thumbnails, type_label,
};
use super::*;

/// `?saved=1` after the decision was stored.
#[derive(serde::Deserialize)]
pub struct Shown {
    saved: Option<u8>,
}

pub async fn submission(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(shown): Query<Shown>,
) -> Result<Markup, AppError> {
    let detail = crate::cache::detail(&state, &caller, id).await?;
    let data = detail.data();
    let submission = &detail.submission;
    let comments: HashMap<i64, String> = submission.defect_comments.iter().cloned().collect();
    let w = state.words();
    let instructor = caller.is_instructor();
    let body = html! {
        @if shown.saved.is_some() { p.saved role="status" { (w.saved_notice) " " (status_cell(w, submission.status)) } }
        (summary(w, &detail))
        @if instructor { @if let Some((version, changes)) = &detail.changes { (changes_section(w, *version, changes)) } }
        @match detail.comparison() {
            Some(comparison) => {
                (comparison_table(w, comparison, data, &comments, instructor))
                (grades_table(w, comparison))
                h2 { (w.suggested_mark) (w.colon) (mark(w, Some(comparison.mark.suggested.value()))) }
                ul #mark-reasons { @for reason in comparison.mark.facts.reasons(w) { li { (reason) } } }
                (mark_detail(w, &comparison.mark.defects))
                @if !instructor { (defects_table(w, data, &comments)) }
            }
            None => { (defects_table(w, data, &comments)) }
        }
        (grading_section(w, data))
        h2 { (w.map) }
        div #live-map data-source=(format!("/submissions/{id}/map.json")) {}
        details.map { summary { (w.printable_plan) } (PreEscaped(detail.computed.map_svg.as_str())) }
        (gallery(w, data))
        @if instructor { (decision_form(w, &caller, submission)) }
    };
    Ok(page(
        w,
        &format!("{} #{id}", w.submission),
        Some(&caller),
        body,
    ))
}

/// `GET /submissions/{id}/report`: the marked report, ready to print (one
/// self-contained page set: the review, grades, defects with comments,
/// map, photos).
pub async fn printable(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    let detail = crate::cache::detail(&state, &caller, id).await?;
    let w = state.words();
    let media = voussoir_store::Media::new(state.config.data_dir.join(voussoir_store::MEDIA_DIR));
    let submission = &detail.submission;
    let status = status_word(w, submission.status);
    let review = voussoir_export::report::Review {
        trainee: &detail.trainee_name,
        version: submission.version,
        status,
        suggested_mark: submission.suggested_mark,
        final_mark: submission.final_mark,
        feedback: submission.feedback.as_deref(),
        comments: &submission.defect_comments,
    };
    let reader = |relative: &str| media.read(relative);
    let html = voussoir_export::report::render_marked_report(
        detail.data(),
        voussoir_export::report::Language::from_code(w.lang),
        &reader,
        Some(&review),
    );
    Ok((
        [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response())
}

/// The top of the report: the trainee, the structure, the inspection, the
/// version and its status, the marks.
fn summary(w: &Words, detail: &Detail) -> Markup {
    let data = detail.data();
    let submission = &detail.submission;
    let inspection = &data.inspection;
    html! {
        h1 { (detail.trainee_name) " — " (data.structure.name) }
        div.card.summary {
            dl {
                dt { (w.trainee) } dd { (detail.trainee_name) " (" (submission.trainee) ")" }
                dt { (w.structure) } dd { (data.structure.code) " — " (data.structure.name) }
                dt { (w.inspection_kind) } dd { (if w.lang == "fr" { inspection.kind.name_fr().to_string() } else { inspection.kind.to_string() }) }
                dt { (w.date) } dd { (inspection.date.map(|date| local_date(w, date)).unwrap_or_else(|| "—".to_string())) }
                dt { (w.inspector) } dd { (inspection.inspector.clone().unwrap_or_else(|| "—".to_string())) }
                dt { (w.weather) } dd { (inspection.weather.clone().unwrap_or_else(|| "—".to_string())) }
                @if !inspection.not_inspected.is_empty() { dt { (w.not_inspected) } dd { (inspection.not_inspected.join(", ")) } }
                dt { (w.version) } dd { "v" (submission.version) " · " (status_cell(w, submission.status)) " · " (w.submitted_on) " " (when(w, &submission.submitted_at)) }
                dt { (w.suggested_mark) } dd { (mark(w, submission.suggested_mark))
                    @if let Some(comparison) = detail.comparison() { " " small { (parts(w, comparison)) } } }
                dt { (w.final_mark) } dd { (mark(w, submission.final_mark)) }
            }
            p { a #printable href=(format!("/submissions/{}/report", submission.id)) { (w.printable_report) } }
            @if detail.versions.len() > 1 {
                p #versions { (w.versions) (w.colon)
                    @for version in &detail.versions {
                        @if version.id == submission.id { strong { "v" (version.version) } }
                        @else { a href=(format!("/submissions/{}", version.id)) { "v" (version.version) } }
                        " (" (status_cell(w, version.status)) ") "
                    }
                }
            }
            @if let Some(feedback) = &submission.feedback {
                div #feedback { strong { (w.feedback) } p { (feedback) }
                    @if let Some(reviewer) = &submission.reviewed_by { p { small { "— " (reviewer) ", " (when(w, &submission.reviewed_at.clone().unwrap_or_default())) } } } }
            }
        }
    }
}

/// The mark's parts: findings, severity, grades, each out of its weight.
fn parts(w: &Words, comparison: &Comparison) -> String {
    let mark = &comparison.mark;
    let number = |value: f64| decimal(w, &format!("{value:.1}"));
    format!(
        "({} {}/{}, {} {}/{}, {} {}/{})",
        w.findings_part,
        number(mark.findings),
        mark.rubric.findings,
        w.severity,
        number(mark.severity),
        mark.rubric.severity,
        w.grades,
        number(mark.grades),
        mark.rubric.grades
    )
}

/// The trainee's defects, with the instructor's comments.
fn defects_table(w: &Words, data: &InspectionData, comments: &HashMap<i64, String>) -> Markup {
    html! {
        h2 { (w.defects) }
        div.scroll { table {
            tr { th { "#" } th { (w.component) } th { (w.defect_type) } th { (w.severity) } th { (w.extent) } th { (w.measurements) } th { (w.note) } th { (w.photos) } th { (w.instructor_comment) } }
            @for defect in &data.defects {
                tr {
                    td { (defect.id) }
                    td { (defect.component) }
                    td { (type_label(w, &defect.type_code)) }
                    td { span.swatch style=(format!("background:{}", data.severity_colour(defect))) {} (defect.severity.clone().unwrap_or_else(|| "?".to_string())) }
                    td { (defect.extent.map(|extent| extent.name(w.lang)).unwrap_or("")) }
                    td { (measurements(defect, w)) }
                    td { (defect.note.clone().unwrap_or_default()) }
                    td { (thumbnails(data, defect, 3)) }
                    td { (comments.get(&defect.id).cloned().unwrap_or_default()) }
                }
            }
        } }
    }
}

/// Reasons in the page's language, joined.
fn in_language(reasons: &[voussoir_core::grading::reason::Reason], w: &Words) -> String {
    reasons
        .iter()
        .map(|reason| reason.in_language(w.lang))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The grades the trainee's defects imply, with their reasons.
fn grading_section(w: &Words, data: &InspectionData) -> Markup {
    html! {
        details #grading {
            summary { (w.grades) " (" (data.grading.scheme.to_uppercase()) ") : " strong { (data.grading.structure.label) } }
            ul { @for reason in &data.grading.structure.reasons { li { (reason.in_language(w.lang)) } } }
            div.scroll { table {
                tr { th { (w.component) } th { (w.grade) } th { (w.why) } }
                @for grade in &data.grading.components {
                    tr { td { (grade.component) } td { (grade.class) @if grade.safety { " S" } } td { (in_language(&grade.reasons, w)) } }
                }
            } }
        }
    }
}

/// The photos, grouped by component, with filters and a viewer
/// (assets/photo-viewer.js); without the script, each opens alone.
fn gallery(w: &Words, data: &InspectionData) -> Markup {
    let mut groups: Vec<(Option<String>, Vec<&voussoir_core::Photo>)> = Vec::new();
    for photo in &data.photos {
        let key = photo.placement.component.clone();
        match groups.iter_mut().find(|(known, _)| *known == key) {
            Some((_, photos)) => photos.push(photo),
            None => groups.push((key, vec![photo])),
        }
    }
    groups.sort_by(|a, b| a.0.is_none().cmp(&b.0.is_none()).then(a.0.cmp(&b.0)));
    let cited_by = |photo: &voussoir_core::Photo| -> Vec<String> {
        data.defects
            .iter()
            .filter(|defect| {
                data.photos_of_defect(defect)
                    .iter()
                    .any(|shown| shown.hash == photo.hash)
            })
            .map(|defect| format!("#{} {}", defect.id, defect.type_code))
            .collect()
    };
    let url = |photo: &voussoir_core::Photo, kind: &str| {
        format!("/media/{}/{kind}?i={}", photo.hash, data.inspection.id)
    };
    html! {
        h2 #photos { (w.photos) " (" (data.photos.len()) ")" }
        @if data.photos.is_empty() { p { (w.no_photo) } }
        @else {
            p.filters hidden {
                (w.show) (w.colon)
                button type="button" data-filter="all" { (w.all) }
                button type="button" data-filter="underwater" { (w.map_photo_underwater) }
                button type="button" data-filter="unplaced" { (w.unplaced) }
                button type="button" data-filter="uncited" { (w.cited_by_none) }
            }
        }
        @for (component, photos) in &groups {
            section.photo-group {
                h3 { @match component { Some(code) => { (code) }, None => { (w.unplaced) } } " (" (photos.len()) ")" }
                div.gallery {
                    @for photo in photos {
                        @let cited = cited_by(photo);
                        @let position = photo.placement.position.map(|point| format!("{:.6}, {:.6}", point.lat, point.lon));
                        figure data-underwater=(photo.placement.underwater) data-unplaced=(photo.placement.position.is_none())
                            data-uncited=(cited.is_empty())
                            data-review=(photo.review.as_ref().map(|_| url(photo, "review")).unwrap_or_default())
                            data-original=(photo.original.as_ref().map(|_| url(photo, "original")).unwrap_or_default()) {
                            @if photo.thumbnail.is_some() {
                                a href=(url(photo, "review")) { img src=(url(photo, "thumb")) alt=(photo.file) loading="lazy"; }
                            }
                            figcaption {
                                strong { (file_name(&photo.file)) }
                                br; small.when { (photo.placement.taken_at.map(|time| when(w, &time.to_string())).unwrap_or_default()) }
                                @if let Some(position) = &position { br; small.where { (decimal(w, position)) } }
                                @if let Some(depth) = photo.placement.depth_m { br; small { (decimal(w, &format!("{depth:.1}"))) " " (w.metres_deep) } }
                                @if !cited.is_empty() { br; small.cited { (w.defects) (w.colon) (cited.join(", ")) } }
                                @if let Some(note) = &photo.placement.position_note { br; small.placement { (voussoir_core::words::reasons::translate_note(note, w.lang)) } }
                                @if photo.original.is_some() { br; a.original href=(url(photo, "original")) { small { (w.original) } } }
                            }
                        }
                    }
                }
            }
        }
        dialog #viewer {
            div.viewer-bar {
                button type="button" data-go="-1" aria-label=(w.previous) { "‹" }
                span.viewer-count {}
                button type="button" data-go="1" aria-label=(w.next) { "›" }
                button type="button" data-zoom="1" { (w.zoom) }
                a.viewer-original hidden { (w.original) }
                button type="button" data-close="1" aria-label=(w.close) { "✕" }
            }
            div.viewer-frame { img alt=""; }
            div.viewer-caption {}
        }
    }
}

/// What each defect earned or cost in the mark.
fn mark_detail(w: &Words, defects: &[voussoir_core::compare::DefectCredit]) -> Markup {
    use voussoir_core::compare::Outcome;
    let number = |value: f64| decimal(w, &format!("{value:.2}"));
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
                        td { (line.component) } td { (type_label(w, &line.type_code)) }
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
