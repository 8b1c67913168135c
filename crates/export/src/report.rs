//! The printable inspection report: one self-contained HTML file (images
//! embedded as `data:` URIs, no external request, print stylesheet for A4)
//! with the structure and inspection, the grades with their reasons, the
//! defect table with measurements and thumbnails, the map and the photo
//! gallery, in French or English. Every text from users is escaped.

use std::fmt::Write as _;

use crate::map::{render_map, MapOptions};
use crate::text::{base64, escape};
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
}

struct Words {
    lang: &'static str,
    title: &'static str,
    structure: &'static str,
    inspection: &'static str,
    kind: &'static str,
    date: &'static str,
    inspector: &'static str,
    weather: &'static str,
    reference: &'static str,
    course: &'static str,
    grades: &'static str,
    structure_grade: &'static str,
    component: &'static str,
    grade: &'static str,
    reasons: &'static str,
    defects: &'static str,
    defect_type: &'static str,
    severity: &'static str,
    extent: &'static str,
    measurements: &'static str,
    note: &'static str,
    photos: &'static str,
    map: &'static str,
    gallery: &'static str,
    no_defect: &'static str,
    no_photo: &'static str,
    taken: &'static str,
    depth: &'static str,
    not_inspected: &'static str,
}

const FRENCH: Words = Words {
    lang: "fr",
    title: "Rapport d'inspection",
    structure: "Ouvrage",
    inspection: "Inspection",
    kind: "Type",
    date: "Date",
    inspector: "Inspecteur",
    weather: "Météo",
    reference: "Inspection de référence (corrigé)",
    course: "Formation",
    grades: "Cotation",
    structure_grade: "Classe de l'ouvrage",
    component: "Élément",
    grade: "Classe",
    reasons: "Justification",
    defects: "Désordres",
    defect_type: "Désordre",
    severity: "Gravité",
    extent: "Étendue",
    measurements: "Mesures",
    note: "Commentaire",
    photos: "Photos",
    map: "Plan",
    gallery: "Photothèque",
    no_defect: "Aucun désordre relevé.",
    no_photo: "Aucune photo.",
    taken: "prise le",
    depth: "profondeur",
    not_inspected: "Éléments non inspectés",
};

const ENGLISH: Words = Words {
    lang: "en",
    title: "Inspection report",
    structure: "Structure",
    inspection: "Inspection",
    kind: "Kind",
    date: "Date",
    inspector: "Inspector",
    weather: "Weather",
    reference: "Reference inspection (answer key)",
    course: "Course",
    grades: "Grades",
    structure_grade: "Structure grade",
    component: "Component",
    grade: "Grade",
    reasons: "Reasons",
    defects: "Defects",
    defect_type: "Defect",
    severity: "Severity",
    extent: "Extent",
    measurements: "Measurements",
    note: "Note",
    photos: "Photos",
    map: "Map",
    gallery: "Photo gallery",
    no_defect: "No defect recorded.",
    no_photo: "No photo.",
    taken: "taken",
    depth: "depth",
    not_inspected: "Components not inspected",
};

const STYLE: &str = r#"
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #1d2a33; margin: 2em auto; max-width: 60em; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; border-bottom: 2px solid #1d2a33; padding-bottom: 0.2em; margin-top: 1.6em; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border: 1px solid #b9c4cc; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #eef3f6; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1em; }
dt { font-weight: bold; }
.grade { font-weight: bold; font-size: 1.3em; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 50%; border: 1px solid #1d2a33; vertical-align: middle; margin-right: 0.3em; }
.thumbs img { height: 64px; margin: 2px; border: 1px solid #b9c4cc; }
.gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(12em, 1fr)); gap: 0.8em; }
.gallery figure { margin: 0; break-inside: avoid; }
.gallery img { width: 100%; border: 1px solid #b9c4cc; }
.gallery figcaption { font-size: 0.8em; }
.map svg { width: 100%; height: auto; }
@page { size: A4; margin: 15mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; }
  tr, figure, .map { break-inside: avoid; }
  .map { break-before: page; }
}
"#;

fn thumbnail_tag(media: &dyn Fn(&str) -> Option<Vec<u8>>, path: Option<&str>, alt: &str) -> String {
    match path.and_then(media) {
        Some(bytes) => format!(
            r#"<img src="data:image/jpeg;base64,{}" alt="{}">"#,
            base64(&bytes),
            escape(alt)
        ),
        None => String::new(),
    }
}

/// Renders the report. `media` returns the bytes of a file of `media/` by
/// its relative path (thumbnails), or `None` when it is missing.
pub fn render_report(
    data: &InspectionData,
    language: Language,
    media: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> String {
    let words = match language {
        Language::French => &FRENCH,
        Language::English => &ENGLISH,
    };
    let inspection = &data.inspection;
    let structure = &data.structure;
    let mut html = String::with_capacity(256 * 1024);
    let _ = write!(
        html,
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — {name}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>{title}</h1>
<p>{name} ({code})</p>
"#,
        lang = words.lang,
        title = words.title,
        name = escape(&structure.name),
        code = escape(&structure.code)
    );
    html.push_str("<dl>\n");
    let mut fact = |label: &str, value: &str| {
        let _ = writeln!(html, "<dt>{label}</dt><dd>{}</dd>", escape(value));
    };
    fact(
        words.course,
        &format!("{} ({})", data.course_name, data.course_code),
    );
    fact(
        words.structure,
        &format!("{} — {}", structure.code, structure.name),
    );
    fact(
        words.inspection,
        &format!(
            "#{}{}",
            inspection.id,
            if inspection.is_reference {
                format!(" — {}", words.reference)
            } else {
                String::new()
            }
        ),
    );
    fact(
        words.kind,
        &format!("{} ({})", inspection.kind.name_fr(), inspection.kind.code()),
    );
    if let Some(date) = inspection.date {
        fact(words.date, &date.to_string());
    }
    if let Some(inspector) = &inspection.inspector {
        fact(words.inspector, inspector);
    }
    if let Some(weather) = &inspection.weather {
        fact(words.weather, weather);
    }
    if !inspection.not_inspected.is_empty() {
        fact(words.not_inspected, &inspection.not_inspected.join(", "));
    }
    html.push_str("</dl>\n");

    // Grades.
    let grading = &data.grading;
    let _ = write!(
        html,
        r#"<h2>{}</h2>
<p>{} ({}) : <span class="grade">{}</span></p>
<ul>
"#,
        words.grades,
        words.structure_grade,
        escape(&grading.scheme.to_uppercase()),
        escape(&grading.structure.label)
    );
    for reason in &grading.structure.reasons {
        let _ = writeln!(html, "<li>{}</li>", escape(reason));
    }
    let _ = write!(
        html,
        "</ul>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th></tr>\n",
        words.component, words.grade, words.reasons
    );
    for component in &grading.components {
        let class = if component.safety {
            format!("{}S", component.class)
        } else {
            component.class.clone()
        };
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&component.component),
            escape(&class),
            escape(&component.reasons.join(" · "))
        );
    }
    html.push_str("</table>\n");

    // Defects.
    let _ = writeln!(html, "<h2>{}</h2>", words.defects);
    if data.defects.is_empty() {
        let _ = writeln!(html, "<p>{}</p>", words.no_defect);
    } else {
        let _ = writeln!(
            html,
            "<table>\n<tr><th>#</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            words.component,
            words.defect_type,
            words.severity,
            words.extent,
            words.measurements,
            words.note,
            words.photos
        );
        for defect in &data.defects {
            let entry = voussoir_core::catalogue::find(&defect.type_code);
            let name = entry
                .map(|entry| match language {
                    Language::French => entry.name_fr,
                    Language::English => entry.name_en,
                })
                .unwrap_or("");
            let measures = &defect.measurements;
            let mut parts = Vec::new();
            for (value, unit) in [
                (measures.crack_width_mm, "mm"),
                (measures.length_m, "m"),
                (measures.area_m2, "m²"),
                (measures.depth_mm, "mm (prof.)"),
                (measures.section_loss_pct, "%"),
            ] {
                if let Some(value) = value {
                    parts.push(format!("{value} {unit}"));
                }
            }
            let thumbs: String = data
                .photos_of_defect(defect)
                .into_iter()
                .take(4)
                .map(|photo| thumbnail_tag(media, photo.thumbnail.as_deref(), &photo.file))
                .collect();
            let _ = writeln!(
                html,
                r#"<tr><td>{}</td><td>{}</td><td>{} — {}</td><td><span class="swatch" style="background:{}"></span>{}</td><td>{}</td><td>{}</td><td>{}</td><td class="thumbs">{}</td></tr>"#,
                defect.id,
                escape(&defect.component),
                escape(&defect.type_code),
                escape(name),
                data.severity_colour(defect),
                escape(defect.severity.as_deref().unwrap_or("?")),
                escape(defect.extent.map(|extent| extent.code()).unwrap_or("")),
                escape(&parts.join(", ")),
                escape(defect.note.as_deref().unwrap_or("")),
                thumbs
            );
        }
        html.push_str("</table>\n");
    }

    // Map.
    let _ = writeln!(
        html,
        r#"<h2>{}</h2>
<div class="map">{}</div>"#,
        words.map,
        render_map(data, MapOptions::default())
    );

    // Gallery.
    let _ = writeln!(html, "<h2>{}</h2>", words.gallery);
    if data.photos.is_empty() {
        let _ = writeln!(html, "<p>{}</p>", words.no_photo);
    } else {
        html.push_str("<div class=\"gallery\">\n");
        for photo in &data.photos {
            let file_name = std::path::Path::new(&photo.file)
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_else(|| photo.file.clone());
            let mut caption = escape(&file_name);
            if let Some(taken) = &photo.placement.taken_at {
                let _ = write!(caption, " · {} {}", words.taken, escape(&taken.to_string()));
            }
            if let Some(component) = &photo.placement.component {
                let _ = write!(caption, " · {}", escape(component));
            }
            if let Some(depth) = photo.placement.depth_m {
                let _ = write!(caption, " · {} {depth} m", words.depth);
            }
            let _ = writeln!(
                html,
                "<figure>{}<figcaption>{caption}</figcaption></figure>",
                thumbnail_tag(media, photo.thumbnail.as_deref(), &file_name)
            );
        }
        html.push_str("</div>\n");
    }
    html.push_str("</body>\n</html>\n");
    html
}
