//! The HTML pages, one module per screen: login, dashboards, a
//! submission's report with the comparison and the feedback form, uploads,
//! course results and class agreement, and media by hash. Rendered with
//! maud, which escapes every value by construction; the only raw HTML
//! inserted is the SVG map from the export crate, whose text is escaped
//! there. Pages work without JavaScript and fit a phone.
//!
//! This module holds the layout every page shares and the small
//! formatting helpers; no page's logic lives here.

mod agreement;
mod course_report;
mod dashboard;
mod errors;
mod live_map;
mod login;
mod media;
mod results;
mod review;
mod submission;
mod upload;

use maud::{html, Markup, PreEscaped, DOCTYPE};

use voussoir_store::SubmissionStatus;

use crate::auth::Caller;
use voussoir_core::words::Words;

pub use agreement::agreement;
pub(crate) use agreement::class_results;
pub use course_report::{course_report, course_report_csv, course_report_xlsx};
pub(crate) use course_report::{course_report_body, course_report_workbook};
pub use dashboard::{dashboard, release, unlock, Overview};
pub use errors::as_pages;
pub use live_map::{asset, asset_image, map_data};
pub use login::{home, login, login_form, logout};
pub use media::media;
pub(crate) use results::course_rows;
pub use results::{results_csv, results_xlsx};
pub use review::feedback;
pub use submission::{printable, submission};
pub use upload::{submit_form, upload};

/// The pages' style sheet, embedded.
const STYLE: &str = include_str!("style.css");

pub(crate) fn page(w: &Words, title: &str, caller: Option<&Caller>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(w.lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — Voussoir" }
                style { (PreEscaped(STYLE)) }
                link rel="stylesheet" href="/assets/leaflet.css";
                script defer src="/assets/leaflet.js" {}
                script defer src="/assets/review-map.js" {}
                script defer src="/assets/photo-viewer.js" {}
            }
            body {
                header {
                    a href="/dashboard" { strong { "Voussoir" } }
                    @if let Some(caller) = caller {
                        span {
                            (caller.user.name) " (" (if caller.is_instructor() { w.instructor } else { w.trainee_role }) ") "
                            form method="post" action="/logout" {
                                input type="hidden" name="csrf" value=(caller.csrf.clone().unwrap_or_default());
                                button type="submit" style="margin:0;padding:0.2em 0.8em" { (w.log_out) }
                            }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// A submission's status in the page's language.
pub(crate) fn status_word(w: &Words, status: SubmissionStatus) -> &'static str {
    match status {
        SubmissionStatus::Submitted => w.submitted,
        SubmissionStatus::Returned => w.returned,
        SubmissionStatus::Accepted => w.accepted,
    }
}

pub(crate) fn status_cell(w: &Words, status: SubmissionStatus) -> Markup {
    html! { span class=(format!("status-{}", status.code())) { (status_word(w, status)) } }
}

/// The course's time zone, set once when the server opens its data: the
/// pages show times there, with the offset.
static COURSE_ZONE: std::sync::OnceLock<jiff::tz::TimeZone> = std::sync::OnceLock::new();

/// Sets the zone the pages show times in (the first call wins: one server
/// serves one course).
pub fn set_course_zone(name: &str) {
    if let Ok(zone) = jiff::tz::TimeZone::get(name) {
        let _ = COURSE_ZONE.set(zone);
    }
}

/// A moment in the course's time zone, as the page's language writes it:
/// `12/03/2026 10:32 (+01:00)` in French, `2026-03-12 10:32 (+01:00)` in
/// English.
pub(crate) fn when(w: &Words, text: &str) -> String {
    let zone = COURSE_ZONE
        .get()
        .cloned()
        .unwrap_or(jiff::tz::TimeZone::UTC);
    let format = if w.lang == "fr" {
        "%d/%m/%Y %H:%M (%:z)"
    } else {
        "%Y-%m-%d %H:%M (%:z)"
    };
    text.parse::<jiff::Timestamp>()
        .map(|timestamp| {
            timestamp
                .to_zoned_datetime(zone)
                .strftime(format)
                .to_string()
        })
        .unwrap_or_else(|_| text.to_string())
}

/// A date as the page's language writes it: 12/03/2026 in French.
pub(crate) fn local_date(w: &Words, date: jiff::civil::Date) -> String {
    w.format_date(date)
}

/// A number as the page's language writes it: 0,5 in French.
pub(crate) fn decimal(w: &Words, text: &str) -> String {
    w.decimal(text)
}

/// A mark out of 20 as the page's language writes it (14,5/20 in French).
pub(crate) fn mark(w: &Words, value: Option<f64>) -> String {
    value
        .map(|mark| {
            let mark = voussoir_core::mark::Mark::from_points(mark).to_string();
            format!("{}/20", decimal(w, &mark))
        })
        .unwrap_or_else(|| "—".to_string())
}

pub(crate) fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}

/// A defect's measurements with their names and units, in the page's
/// language.
pub(crate) fn measurements(defect: &voussoir_core::Defect, words: &Words) -> String {
    defect.measurements.describe(words.lang == "fr").join(", ")
}

pub(crate) fn share_text(value: Option<f64>) -> String {
    value
        .map(|value| format!("{:.0} %", value * 100.0))
        .unwrap_or_else(|| "—".to_string())
}
