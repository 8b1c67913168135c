//! The printable inspection report: one self-contained HTML file (images
//! embedded as `data:` URIs, no external request, print stylesheet for A4)
//! with the structure and inspection, the grades with their reasons, the
//! defect table with measurements and thumbnails, the map and the photo
//! gallery, in French or English. Written with maud, as the review pages
//! are, so every text from users is escaped by construction; the words
//! come from the one table of `voussoir_core::words`.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use voussoir_core::words::{Words, ENGLISH, FRENCH};
use voussoir_core::{Defect, Photo};

use crate::map::{render_map, MapOptions};
use crate::text::base64;
use crate::InspectionData;

/// Report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    French,
    English,
}

impl Language {
    /// `fr` or `en`; anything else is English.
    pub fn from_code(code: &str) -> Language {
        if code.eq_ignore_ascii_case("fr") {
            Language::French
        } else {
            Language::English
        }
    }

    fn words(self) -> &'static Words {
        match self {
            Language::French => &FRENCH,
            Language::English => &ENGLISH,
        }
    }
}

/// The report's style sheet, embedded.
const STYLE: &str = include_str!("report.css");

/// Reads a media file, for embedding.
type MediaReader<'a> = &'a dyn Fn(&str) -> Option<Vec<u8>>;

/// A thumbnail as a `data:` image, or nothing when its file is missing.
fn thumbnail(media: MediaReader<'_>, path: Option<&str>, alt: &str) -> Markup {
    match path.and_then(media) {
        Some(bytes) => html! {
            img src=(format!("data:image/jpeg;base64,{}", base64(&bytes))) alt=(alt);
        },
        None => html! {},
    }
}

/// The facts of the inspection as a definition list.
fn facts(data: &InspectionData, words: &Words) -> Markup {
    let inspection = &data.inspection;
    let structure = &data.structure;
    html! {
        dl {
            dt { (words.course) } dd { (data.course_name) " (" (data.course_code) ")" }
            dt { (words.structure) } dd { (structure.code) " — " (structure.name) }
            dt { (words.inspection) }
            dd {
                "#" (inspection.id)
                @if inspection.is_reference { " — " (words.reference_inspection) }
            }
            dt { (words.inspection_kind) } dd {
                @if words.lang == "fr" { (inspection.kind.name_fr()) " (" (inspection.kind.code()) ")" }
                @else { (inspection.kind.code()) } }
            @if let Some(date) = inspection.date { dt { (words.date) } dd { (words.format_date(date)) } }
            @if let Some(inspector) = &inspection.inspector { dt { (words.inspector) } dd { (inspector) } }
            @if let Some(weather) = &inspection.weather { dt { (words.weather) } dd { (weather) } }
            @if !inspection.not_inspected.is_empty() {
                dt { (words.not_inspected) } dd { (inspection.not_inspected.join(", ")) }
            }
        }
    }
}

/// The structure's grade with its reasons, and every component's.
fn grades(data: &InspectionData, words: &Words) -> Markup {
    let grading = &data.grading;
    html! {
        h2 { (words.grades) }
        p { (words.structure_grade) " (" (grading.scheme.to_uppercase()) ") : "
            span.grade { (grading.structure.label) } }
        ul { @for reason in &grading.structure.reasons { li { (reason.in_language(words.lang)) } } }
        table {
            tr { th { (words.component) } th { (words.grade) } th { (words.why) } }
            @for component in &grading.components {
                tr {
                    td { (component.component) }
                    td { (component.class) @if component.safety { "S" } }
                    td { (component.reasons.iter().map(|reason| reason.in_language(words.lang)).collect::<Vec<_>>().join(" · ")) }
                }
            }
        }
    }
}

/// The defect table, each row with its photos' thumbnails.
fn defects(
    data: &InspectionData,
    words: &Words,
    language: Language,
    media: MediaReader<'_>,
    review: Option<&Review<'_>>,
) -> Markup {
    let comment = |id: i64| -> &str {
        review
            .and_then(|review| review.comments.iter().find(|(defect, _)| *defect == id))
            .map_or("", |(_, comment)| comment.as_str())
    };
    let type_name = |defect: &Defect| {
        voussoir_core::catalogue::find(&defect.type_code)
            .map(|entry| match language {
                Language::French => entry.name_fr,
                Language::English => entry.name_en,
            })
            .unwrap_or("")
    };
    html! {
        h2 { (words.defects) }
        @if data.defects.is_empty() {
            p { (words.no_defect) }
        } @else {
            table {
                thead { tr { th { "#" } th { (words.component) } th { (words.defect_type) } th { (words.severity) }
                     th { (words.extent) } th { (words.measurements) } th { (words.note) } th { (words.photos) }
                     @if review.is_some() { th { (words.instructor_comment) } } } }
                tbody {
                @for defect in &data.defects {
                    tr {
                        td { (defect.id) }
                        td { (defect.component) }
                        td { (defect.type_code) " — " (type_name(defect)) }
                        td { span.swatch style=(format!("background:{}", data.severity_colour(defect))) {}
                             (defect.severity.as_deref().unwrap_or("?")) }
                        td { (defect.extent.map(|extent| extent.name(words.lang)).unwrap_or("")) }
                        td { (defect.measurements.describe(language == Language::French).join(", ")) }
                        td { (defect.note.as_deref().unwrap_or("")) }
                        td.thumbs {
                            @for photo in data.photos_of_defect(defect).into_iter().take(4) {
                                (thumbnail(media, photo.thumbnail.as_deref(), &photo.file))
                            }
                        }
                        @if review.is_some() { td { (comment(defect.id)) } }
                    }
                }
                }
            }
        }
    }
}

/// A photo's caption: file, time, component, depth.
fn caption(photo: &Photo, words: &Words) -> String {
    let placement = &photo.placement;
    let mut parts = vec![photo.file_name().to_string()];
    if let Some(taken) = placement.taken_at {
        parts.push(format!("{} {taken}", words.taken_on));
    }
    if let Some(component) = &placement.component {
        parts.push(component.clone());
    }
    if let Some(depth) = placement.depth_m {
        parts.push(format!("{} {depth} m", words.depth));
    }
    parts.join(" · ")
}

/// Every photo with its caption.
fn gallery(data: &InspectionData, words: &Words, media: MediaReader<'_>) -> Markup {
    html! {
        h2 { (words.gallery) }
        @if data.photos.is_empty() {
            p { (words.no_photo) }
        } @else {
            div.gallery {
                @for photo in &data.photos {
                    figure {
                        (thumbnail(media, photo.thumbnail.as_deref(), photo.file_name()))
                        figcaption { (caption(photo, words)) }
                    }
                }
            }
        }
    }
}

/// The instructor's review printed with the report: the trainee's marked
/// report.
pub struct Review<'a> {
    pub trainee: &'a str,
    pub version: i64,
    /// The status, in the report's language.
    pub status: &'a str,
    pub suggested_mark: Option<f64>,
    pub final_mark: Option<f64>,
    pub feedback: Option<&'a str>,
    /// Comments on single defects: (defect id, comment).
    pub comments: &'a [(i64, String)],
}

/// The marks and the instructor's feedback.
fn review_section(review: &Review<'_>, words: &Words) -> Markup {
    let mark = |value: Option<f64>| {
        value.map_or("—".to_string(), |value| {
            let text = format!("{}/20", voussoir_core::mark::Mark::from_points(value));
            if words.lang == "fr" {
                text.replace('.', ",")
            } else {
                text
            }
        })
    };
    html! {
        section.review {
            h2 { (words.feedback_and_mark) }
            dl {
                dt { (words.trainee) } dd { (review.trainee) }
                dt { (words.version) } dd { "v" (review.version) " · " (review.status) }
                dt { (words.suggested_mark) } dd { (mark(review.suggested_mark)) }
                dt { (words.final_mark) } dd.grade { (mark(review.final_mark)) }
            }
            @if let Some(feedback) = review.feedback { p.feedback { (feedback) } }
        }
    }
}

/// Renders the report. `media` returns the bytes of a file of `media/` by
/// its relative path (thumbnails), or `None` when it is missing.
pub fn render_report(data: &InspectionData, language: Language, media: MediaReader<'_>) -> String {
    render_marked_report(data, language, media, None)
}

/// Renders the report with the instructor's review (marks, feedback, the
/// comments beside the defects): the trainee's marked report.
pub fn render_marked_report(
    data: &InspectionData,
    language: Language,
    media: MediaReader<'_>,
    review: Option<&Review<'_>>,
) -> String {
    let words = language.words();
    let structure = &data.structure;
    // The map's SVG escapes its own text (crate::text::escape).
    let map = render_map(data, MapOptions::default());
    html! {
        (DOCTYPE)
        html lang=(words.lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (words.report_title) " — " (structure.name) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                h1 { (words.report_title) }
                p { (structure.name) " (" (structure.code) ")" }
                (facts(data, words))
                @if let Some(review) = review { (review_section(review, words)) }
                (grades(data, words))
                (defects(data, words, language, media, review))
                h2 { (words.map) }
                div.map { (PreEscaped(map)) }
                (gallery(data, words, media))
            }
        }
    }
    .into_string()
}
