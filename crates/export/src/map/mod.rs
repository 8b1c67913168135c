//! The map picture: a self-contained SVG drawn by Voussoir itself (no
//! tiles, no network) with the structure's axis, the tracks, the photo
//! positions, the defects coloured by severity, the components labelled
//! with their codes, a scale bar in metres, a north arrow, a legend in the
//! course's language, and the structure's name and inspection date.
//!
//! `render_map` draws in named layers, bottom to top; `projection` turns
//! positions into pixels; `labels` places the component codes so that a
//! dozen components a few metres apart stay readable. The same function
//! draws the map of the web pages.

mod labels;
mod projection;

use std::fmt::Write as _;

use voussoir_core::words::{for_language, Words};
use voussoir_core::{grading, LonLat};

use crate::text::escape;
use crate::InspectionData;
use projection::{scale_length, Box2, Projection};

/// Size of the drawing in pixels.
#[derive(Debug, Clone, Copy)]
pub struct MapOptions {
    pub width: f64,
    pub height: f64,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            width: 1000.0,
            height: 700.0,
        }
    }
}

const MARGIN: f64 = 40.0;
const HEADER: f64 = 56.0;
const LEGEND_WIDTH: f64 = 190.0;
const TRACK_COLOUR: &str = "#3b6fb6";
const UNDERWATER_COLOUR: &str = "#1b9aaa";

/// The map frame inside the drawing, in pixels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
}

impl Frame {
    fn of(options: MapOptions) -> Frame {
        let top = HEADER + 10.0;
        Frame {
            left: MARGIN,
            top,
            width: options.width - 2.0 * MARGIN - LEGEND_WIDTH,
            height: options.height - top - MARGIN - 30.0,
        }
    }

    fn contains(&self, area: &Box2) -> bool {
        area.left > self.left
            && area.right < self.left + self.width
            && area.top > self.top
            && area.bottom < self.top + self.height
    }
}

/// Every position the map must show, tracks sampled.
fn extent(data: &InspectionData) -> Vec<LonLat> {
    let mut extent: Vec<LonLat> = Vec::new();
    let structure = &data.structure;
    extent.extend(structure.axis.iter().copied());
    extent.extend(structure.position);
    extent.extend(structure.components.iter().filter_map(|c| c.position));
    extent.extend(data.photos.iter().filter_map(|p| p.placement.position));
    extent.extend(
        data.defects
            .iter()
            .filter_map(|defect| data.defect_position(defect).map(|(position, _)| position)),
    );
    for track in &data.tracks {
        for segment in &track.track.segments {
            // A long track widens the map; sampling it is enough for bounds.
            let step = (segment.points.len() / 2000).max(1);
            extent.extend(segment.points.iter().step_by(step).map(|p| p.position()));
            extent.extend(segment.points.last().map(|point| point.position()));
        }
    }
    extent
}

/// The document, its background, the frame and the title lines.
fn draw_header(
    svg: &mut String,
    data: &InspectionData,
    words: &Words,
    options: MapOptions,
    frame: Frame,
) {
    let (width, height) = (options.width, options.height);
    let Frame {
        left,
        top,
        width: frame_width,
        height: frame_height,
    } = frame;
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, sans-serif" role="img" aria-label="{} — {}">
<rect width="100%" height="100%" fill="#fbfaf7"/>
<rect x="{left}" y="{top}" width="{frame_width}" height="{frame_height}" fill="#eef3f6" stroke="#b9c4cc"/>
"##,
        escape(words.map),
        escape(&data.structure.name)
    );
    let inspection = &data.inspection;
    let date = inspection
        .date
        .map(|date| date.to_string())
        .unwrap_or_else(|| words.map_undated.to_string());
    let who = inspection
        .inspector
        .as_deref()
        .map(|name| format!(" · {name}"))
        .unwrap_or_default();
    let _ = write!(
        svg,
        r##"<text x="{MARGIN}" y="30" font-size="20" font-weight="bold" fill="#1d2a33" class="title">{}</text>
<text x="{MARGIN}" y="50" font-size="13" fill="#44525c">{} · {} #{} · {}{} · {} {}</text>
"##,
        escape(&data.structure.name),
        escape(&data.structure.code),
        escape(words.inspection),
        inspection.id,
        escape(&date),
        escape(&who),
        escape(&data.grading.scheme.to_uppercase()),
        escape(&data.grading.structure.label)
    );
}

/// The tracks, thinned to one point per half pixel.
fn draw_tracks(svg: &mut String, data: &InspectionData, projection: &Projection) {
    for track in &data.tracks {
        for segment in &track.track.segments {
            let mut path = String::new();
            let mut last: Option<(f64, f64)> = None;
            for point in &segment.points {
                let (x, y) = projection.project(point.position());
                if let Some((last_x, last_y)) = last {
                    if (x - last_x).abs() < 0.5 && (y - last_y).abs() < 0.5 {
                        continue;
                    }
                }
                let command = if last.is_none() { "M" } else { " L" };
                let _ = write!(path, "{command}{x:.1},{y:.1}");
                last = Some((x, y));
            }
            if !path.is_empty() {
                let _ = writeln!(
                    svg,
                    r##"<path class="track" d="{path}" fill="none" stroke="{TRACK_COLOUR}" stroke-width="2" stroke-opacity="0.7" stroke-linejoin="round"/>"##
                );
            }
        }
    }
}

/// The structure's axis, as a wide grey band.
fn draw_axis(svg: &mut String, data: &InspectionData, projection: &Projection) {
    if data.structure.axis.len() < 2 {
        return;
    }
    let points: Vec<String> = data
        .structure
        .axis
        .iter()
        .map(|point| {
            let (x, y) = projection.project(*point);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    let _ = writeln!(
        svg,
        r##"<polyline class="axis" points="{}" fill="none" stroke="#6b6b6b" stroke-width="10" stroke-opacity="0.35" stroke-linecap="round"/>"##,
        points.join(" ")
    );
}

/// Photo and defect markers; returns the boxes the defects take, which
/// labels must avoid.
fn draw_markers(svg: &mut String, data: &InspectionData, projection: &Projection) -> Vec<Box2> {
    let mut occupied = Vec::new();
    for photo in &data.photos {
        if let Some(position) = photo.placement.position {
            let (x, y) = projection.project(position);
            let fill = if photo.placement.underwater {
                UNDERWATER_COLOUR
            } else {
                TRACK_COLOUR
            };
            let _ = writeln!(
                svg,
                r##"<circle class="photo" cx="{x:.1}" cy="{y:.1}" r="4" fill="{fill}" stroke="#ffffff" stroke-width="1"><title>{}</title></circle>"##,
                escape(&photo.file)
            );
        }
    }
    for defect in &data.defects {
        if let Some((position, _)) = data.defect_position(defect) {
            let (x, y) = projection.project(position);
            let _ = writeln!(
                svg,
                r##"<circle class="defect" cx="{x:.1}" cy="{y:.1}" r="6" fill="{}" stroke="#1d2a33" stroke-width="1"><title>{} {} — {}</title></circle>"##,
                data.severity_colour(defect),
                escape(&defect.type_code),
                escape(defect.severity.as_deref().unwrap_or("?")),
                escape(&defect.component)
            );
            occupied.push(Box2 {
                left: x - 6.0,
                top: y - 6.0,
                right: x + 6.0,
                bottom: y + 6.0,
            });
        }
    }
    occupied
}

/// A scale bar of a round length, below the frame on the left.
fn draw_scale_bar(svg: &mut String, projection: &Projection, frame: Frame) {
    let metres = scale_length(projection.pixels_per_metre, frame.width);
    let bar = metres * projection.pixels_per_metre;
    let bar_y = frame.top + frame.height + 20.0;
    let _ = writeln!(
        svg,
        r##"<g class="scale-bar"><rect x="{MARGIN}" y="{bar_y}" width="{bar:.1}" height="6" fill="#1d2a33"/><rect x="{MARGIN}" y="{bar_y}" width="{:.1}" height="6" fill="#ffffff" stroke="#1d2a33"/><text x="{MARGIN}" y="{:.1}" font-size="12" fill="#1d2a33">0</text><text x="{:.1}" y="{:.1}" font-size="12" text-anchor="end" fill="#1d2a33">{metres} m</text></g>"##,
        bar / 2.0,
        bar_y - 4.0,
        MARGIN + bar,
        bar_y - 4.0,
    );
}

/// A north arrow in the frame's top right corner.
fn draw_north_arrow(svg: &mut String, frame: Frame) {
    let x = frame.left + frame.width - 24.0;
    let y = frame.top + 16.0;
    let _ = writeln!(
        svg,
        r##"<g class="north-arrow"><polygon points="{x},{y} {:.1},{:.1} {x},{:.1} {:.1},{:.1}" fill="#1d2a33"/><text x="{x}" y="{:.1}" font-size="13" font-weight="bold" text-anchor="middle" fill="#1d2a33">N</text></g>"##,
        x - 8.0,
        y + 26.0,
        y + 20.0,
        x + 8.0,
        y + 26.0,
        y + 42.0
    );
}

/// The legend, right of the frame: symbols, then the course scheme's
/// severities with their colours.
fn draw_legend(
    svg: &mut String,
    data: &InspectionData,
    words: &Words,
    options: MapOptions,
    frame: Frame,
) {
    let x = options.width - MARGIN - LEGEND_WIDTH + 16.0;
    let mut y = frame.top + 10.0;
    let _ = writeln!(
        svg,
        r##"<g class="legend"><text x="{x}" y="{y}" font-size="14" font-weight="bold" fill="#1d2a33">{}</text>"##,
        escape(words.map_legend)
    );
    y += 22.0;
    let entry = |svg: &mut String, symbol: String, label: &str, y: &mut f64| {
        let _ = writeln!(
            svg,
            r##"{symbol}<text x="{:.1}" y="{:.1}" font-size="12" fill="#1d2a33">{}</text>"##,
            x + 20.0,
            *y + 4.0,
            escape(label)
        );
        *y += 20.0;
    };
    let square = format!(
        r##"<rect x="{:.1}" y="{:.1}" width="8" height="8" fill="#1d2a33"/>"##,
        x + 2.0,
        y - 4.0
    );
    entry(svg, square, words.map_component, &mut y);
    let line = format!(
        r##"<line x1="{x}" y1="{y}" x2="{:.1}" y2="{y}" stroke="{TRACK_COLOUR}" stroke-width="2"/>"##,
        x + 12.0
    );
    entry(svg, line, words.map_track, &mut y);
    for (fill, label) in [
        (TRACK_COLOUR, words.map_photo),
        (UNDERWATER_COLOUR, words.map_photo_underwater),
    ] {
        let dot = format!(
            r##"<circle cx="{:.1}" cy="{y}" r="4" fill="{fill}"/>"##,
            x + 6.0
        );
        entry(svg, dot, label, &mut y);
    }
    y += 6.0;
    let _ = writeln!(
        svg,
        r##"<text x="{x}" y="{y}" font-size="12" font-weight="bold" fill="#1d2a33">{}</text>"##,
        escape(words.map_defects_by_severity)
    );
    y += 20.0;
    let severities = grading::scheme(&data.scheme)
        .map(grading::severity_legend)
        .unwrap_or_default();
    let ungraded = (words.map_not_graded, grading::UNGRADED_COLOUR);
    for (label, colour) in severities.into_iter().chain([ungraded]) {
        let dot = format!(
            r##"<circle cx="{:.1}" cy="{y}" r="6" fill="{colour}" stroke="#1d2a33"/>"##,
            x + 6.0
        );
        entry(svg, dot, label, &mut y);
    }
    svg.push_str("</g>\n");
}

/// Draws the inspection's map as a standalone SVG document, in the
/// course's language.
pub fn render_map(data: &InspectionData, options: MapOptions) -> String {
    let words = for_language(&data.language);
    let frame = Frame::of(options);
    let projection = Projection::fit(
        &extent(data),
        frame.left,
        frame.top,
        frame.width,
        frame.height,
    );
    let mut svg = String::with_capacity(64 * 1024);
    draw_header(&mut svg, data, words, options, frame);
    // Everything inside the frame is clipped to it.
    let _ = write!(
        svg,
        r##"<clipPath id="frame"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath>
<g clip-path="url(#frame)">
"##,
        frame.left, frame.top, frame.width, frame.height
    );
    draw_tracks(&mut svg, data, &projection);
    draw_axis(&mut svg, data, &projection);
    let occupied = draw_markers(&mut svg, data, &projection);
    labels::draw_components(&mut svg, data, &projection, frame, occupied);
    svg.push_str("</g>\n");
    draw_scale_bar(&mut svg, &projection, frame);
    draw_north_arrow(&mut svg, frame);
    draw_legend(&mut svg, data, words, options, frame);
    svg.push_str("</svg>\n");
    svg
}
