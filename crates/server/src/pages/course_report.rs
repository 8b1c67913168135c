//! The course report page, for instructors: what the course teaches, in
//! plain sentences first, then the reference defects the class finds (the
//! least found first, with who found them), each component's grades as a
//! bar chart beside the reference, and each trainee's figures with their
//! place in the class; and its CSV export.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};

use voussoir_core::reliability::{GradeSpread, StructureReport};
use voussoir_core::words::{fill, Words};

use crate::auth::Caller;
use crate::{AppError, AppState};

use super::*;

/// The report, kept until a change (computed at the server's start).
pub(crate) async fn course_reports(
    state: &AppState,
) -> Result<std::sync::Arc<Vec<StructureReport>>, AppError> {
    let generation = state.dashboard.generation();
    state
        .dashboard
        .course_report
        .get_or_compute(generation, || {
            state.books.run(|book| {
                Ok(voussoir_app::course_report::course_report(
                    book,
                    None,
                    voussoir_app::course_report::DEFAULT_THRESHOLD,
                )?)
            })
        })
        .await
}

fn percent(w: &Words, share: Option<f64>) -> String {
    w.percent(share)
}

fn signed(w: &Words, value: Option<f64>) -> String {
    value.map_or_else(
        || "—".to_string(),
        |value| w.decimal(&format!("{value:+.2}")),
    )
}

fn coefficient(w: &Words, value: Option<f64>) -> String {
    value.map_or_else(
        || "—".to_string(),
        |value| w.decimal(&format!("{value:.2}")),
    )
}

/// A small bar chart of how many trainees gave each class, the
/// reference's class drawn dark.
fn bars(spread: &GradeSpread) -> Markup {
    let most = spread
        .distribution
        .iter()
        .map(|(_, count)| *count)
        .max()
        .unwrap_or(1)
        .max(1);
    let width = 34 * spread.distribution.len().max(1);
    html! {
        svg.bars width=(width) height="70" viewBox=(format!("0 0 {width} 70")) role="img"
            aria-label=(spread.distribution.iter().map(|(class, count)| format!("{class}: {count}")).collect::<Vec<_>>().join(", ")) {
            @for (index, (class, count)) in spread.distribution.iter().enumerate() {
                @let height = 36 * count / most;
                @let x = 34 * index + 4;
                rect x=(x) y=(52 - height) width="26" height=(height)
                    class=(if *class == spread.reference { "bar reference" } else { "bar" }) {}
                text x=(x + 13) y="66" text-anchor="middle" { (class) }
                text x=(x + 13) y=(49 - height) text-anchor="middle" class="count" { (count) }
            }
        }
    }
}

fn structure_section(w: &Words, report: &StructureReport) -> Markup {
    let threshold = percent(w, Some(report.threshold));
    let low: Vec<_> = report
        .defects
        .iter()
        .filter(|defect| defect.share.is_some_and(|share| share < report.threshold))
        .collect();
    let graded: usize = report.components.iter().map(|spread| spread.graded).sum();
    let weighted = |pick: fn(&GradeSpread) -> Option<f64>| {
        (graded > 0).then(|| {
            report
                .components
                .iter()
                .map(|spread| pick(spread).unwrap_or(0.0) * spread.graded as f64)
                .sum::<f64>()
                / graded as f64
        })
    };
    let paradox = report.people.iter().any(|figures| figures.kappa_paradox);
    let mut people: Vec<_> = report.people.iter().collect();
    people.sort_by_key(|figures| figures.rank);
    html! {
        section.card id=(format!("report-{}", report.structure)) {
            h2 style="margin-top:0" { (report.structure) }
            p { (fill(w.report_counted, &[("trainees", report.trainees.to_string())])) }
            p.plain { strong {
                @match low.first() {
                    Some(least) => { (fill(w.report_least_found, &[
                        ("defect", format!("#{} {}", least.id, least.type_code)),
                        ("component", least.component.clone()),
                        ("found", least.found_by.len().to_string()),
                        ("trainees", report.trainees.to_string()),
                    ])) }
                    None => { (fill(w.report_all_found, &[("threshold", threshold.clone())])) }
                }
            } }
            p.plain { (fill(w.report_grades_sentence, &[
                ("exact", percent(w, weighted(|s| s.exact))),
                ("one", percent(w, weighted(|s| s.within_one))),
                ("two", percent(w, weighted(|s| s.within_two))),
            ])) }
            h3 { (w.report_detection_heading) }
            @if !low.is_empty() {
                p { (fill(w.report_teach_better, &[("threshold", threshold)])) (w.colon.trim_end()) }
            }
            div.scroll { table.detection.cards {
                tr.head { th { "#" } th { (w.component) } th { (w.defect_type) } th { (w.report_share) } th { (w.report_found_by) } }
                @for defect in &report.defects {
                    tr class=(if defect.share.is_some_and(|share| share < report.threshold) { "low" } else { "" }) {
                        td data-label="#" { (defect.id) } td data-label=(w.component) { (defect.component) @if defect.underwater { " " small { "(" (w.report_under_water) ")" } } }
                        td data-label=(w.defect_type) { (super::review::type_label(w, &defect.type_code)) }
                        td data-label=(w.report_share) { (percent(w, defect.share)) " (" (defect.found_by.len()) "/" (report.trainees) ")" }
                        td data-label=(w.report_found_by) { small { (defect.found_by.join(", ")) } }
                    }
                }
            } }
            p { small {
                @for group in report.groups.iter().filter(|group| group.by == "water") {
                    @let key = if group.key == "underwater" { w.report_under_water } else { w.report_above_water };
                    (key) " " (percent(w, group.share)) " · "
                }
            } }
            h3 { (w.report_grades_heading) }
            div.scroll { table.spreads {
                tr { th { (w.component) } th { (w.reference) } th { (w.trainees) } th { (w.exact) } th { "±1" } th { "±2" } th { (w.report_mean_signed) } th { (w.report_mean_absolute) } }
                @for spread in report.components.iter().chain(std::iter::once(&report.structure_grade)) {
                    tr {
                        td { @if spread.component == "structure" { strong { (w.structure) } } @else { (spread.component) } }
                        td { (spread.reference) }
                        td { (bars(spread)) }
                        td { (percent(w, spread.exact)) } td { (percent(w, spread.within_one)) } td { (percent(w, spread.within_two)) }
                        td { (signed(w, spread.mean_signed)) }
                        td { (spread.mean_absolute.map_or_else(|| "—".to_string(), |value| w.decimal(&format!("{value:.2}")))) }
                    }
                }
            } }
            h3 { (w.report_people_heading) }
            div.scroll { table.people {
                tr { th { (w.report_rank) } th { (w.trainee) } th { (w.report_detection) } th { (w.report_precision) } th { (w.report_bias) } th { (w.report_kappa) } th { (w.report_ac2) } }
                @for figures in people {
                    tr {
                        td { (figures.rank) } td { (figures.trainee) }
                        td { (percent(w, Some(figures.detection))) } td { (percent(w, Some(figures.precision))) }
                        td { @match (figures.bias, figures.bias_interval) {
                            (Some(bias), Some((low, high))) => {
                                (w.decimal(&format!("{bias:+.2}"))) " [" (w.decimal(&format!("{low:+.2}"))) " ; " (w.decimal(&format!("{high:+.2}"))) "] "
                                (match figures.leaning { Some("harsh") => w.report_harsh, Some("lenient") => w.report_lenient, _ => w.report_even })
                            }
                            _ => { (w.report_undefined) }
                        } }
                        td { (coefficient(w, figures.kappa_linear)) " / " (coefficient(w, figures.kappa_quadratic)) @if figures.kappa_paradox { " *" } }
                        td { (coefficient(w, figures.ac2_linear)) }
                    }
                }
            } }
            @if paradox { p { small { "* " (w.report_paradox) } } }
            p { (w.report_alpha) (w.colon) (coefficient(w, report.class_alpha)) }
        }
    }
}

/// `GET /course-report`.
pub async fn course_report(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    caller.require_instructor()?;
    let w = state.words();
    if !state.dashboard.course_report_body.has_any() {
        // The server has just started and is still comparing every
        // submission: say so at once rather than hold the page.
        use std::sync::atomic::Ordering;
        let idle = state
            .dashboard
            .course_report_warming
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .is_ok();
        if idle {
            let warming = state.clone();
            tokio::spawn(async move {
                if let Err(error) = course_report_body(&warming).await {
                    // Logged; the next reload tries again.
                    tracing::error!("the course report could not be computed: {error}");
                }
                warming
                    .dashboard
                    .course_report_warming
                    .store(false, Ordering::Release);
            });
        }
        let body = html! {
            h1 #course-report { (w.course_report_title) }
            p #course-report-preparing { (w.course_report_preparing) }
        };
        return Ok((
            [(header::REFRESH, "2")],
            page(w, w.course_report_title, Some(&caller), body),
        )
            .into_response());
    }
    let body = course_report_body(&state).await?;
    Ok(page(
        w,
        w.course_report_title,
        Some(&caller),
        maud::PreEscaped(body.as_str().to_owned()),
    )
    .into_response())
}

/// The report page's body, drawn once per kept report: drawing every
/// trainee's figures costs more than sending them.
pub(crate) async fn course_report_body(
    state: &AppState,
) -> Result<std::sync::Arc<String>, AppError> {
    let generation = state.dashboard.generation();
    state
        .dashboard
        .course_report_body
        .get_or_compute(generation, || async {
            let reports = course_reports(state).await?;
            let w = state.words();
            let body = html! {
                h1 #course-report { (w.course_report_title) }
                p { a href="/course-report.csv" { "CSV" } " · " a href="/course-report.xlsx" { "XLSX" } }
                @if reports.is_empty() { p { (w.report_none) } }
                @for report in reports.iter() { (structure_section(w, report)) }
            };
            Ok(body.into_string())
        })
        .await
}

/// The workbook, written once per kept report.
pub(crate) async fn course_report_workbook(
    state: &AppState,
) -> Result<std::sync::Arc<axum::body::Bytes>, AppError> {
    let generation = state.dashboard.generation();
    state
        .dashboard
        .course_report_xlsx
        .get_or_compute(generation, || async {
            let reports = course_reports(state).await?;
            let words = state.words();
            tokio::task::spawn_blocking(move || {
                voussoir_export::course_report::course_report_xlsx(&reports, words)
            })
            .await
            .map_err(|error| AppError::Internal(error.to_string()))?
            .map(axum::body::Bytes::from)
            .map_err(|error| AppError::Internal(error.to_string()))
        })
        .await
}

/// `GET /course-report.xlsx`.
pub async fn course_report_xlsx(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    caller.require_instructor()?;
    let bytes = course_report_workbook(&state).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"course-report.xlsx\"",
            ),
        ],
        bytes.as_ref().clone(),
    )
        .into_response())
}

/// `GET /course-report.csv`.
pub async fn course_report_csv(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    caller.require_instructor()?;
    let reports = course_reports(&state).await?;
    let bytes = voussoir_export::course_report::course_report_csv(&reports, state.words())
        .map_err(|error| AppError::Internal(error.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"course-report.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}
