//! The map picture: a self-contained SVG drawn by Voussoir itself (no
//! tiles, no network) with the structure's axis, the tracks, the photo
//! positions, the defects coloured by severity, the components labelled
//! with their codes, a scale bar in metres, a north arrow, a legend, and
//! the structure's name and inspection date.
//!
//! The projection is a local equirectangular one around the centre of the
//! drawn features: exact enough over a bridge and its banks. Labels are
//! placed greedily around their marker, trying eight positions at two
//! distances before settling for a leader line, so that a dozen components
//! a few metres apart stay readable. The same function draws the map of the
//! web pages.

use std::fmt::Write as _;

use voussoir_core::grading;
use voussoir_core::LonLat;

use crate::text::escape;
use crate::InspectionData;

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

/// Maps longitude/latitude to pixels.
struct Projection {
    centre: LonLat,
    metres_per_degree_lon: f64,
    metres_per_degree_lat: f64,
    pixels_per_metre: f64,
    origin_x: f64,
    origin_y: f64,
}

impl Projection {
    fn fit(points: &[LonLat], left: f64, top: f64, width: f64, height: f64) -> Projection {
        let (mut min_lon, mut max_lon, mut min_lat, mut max_lat) =
            (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for point in points {
            min_lon = min_lon.min(point.lon);
            max_lon = max_lon.max(point.lon);
            min_lat = min_lat.min(point.lat);
            max_lat = max_lat.max(point.lat);
        }
        if points.is_empty() {
            (min_lon, max_lon, min_lat, max_lat) = (0.0, 0.0, 0.0, 0.0);
        }
        let centre = LonLat {
            lon: (min_lon + max_lon) / 2.0,
            lat: (min_lat + max_lat) / 2.0,
        };
        let metres_per_degree_lat = 111_320.0;
        let metres_per_degree_lon = metres_per_degree_lat * centre.lat.to_radians().cos();
        // At least 40 m across, so that a single point still gets a scale.
        let span_x = ((max_lon - min_lon) * metres_per_degree_lon).max(40.0);
        let span_y = ((max_lat - min_lat) * metres_per_degree_lat).max(40.0);
        let pixels_per_metre = (width / span_x).min(height / span_y) * 0.9;
        Projection {
            centre,
            metres_per_degree_lon,
            metres_per_degree_lat,
            pixels_per_metre,
            origin_x: left + width / 2.0,
            origin_y: top + height / 2.0,
        }
    }

    fn project(&self, point: LonLat) -> (f64, f64) {
        let x = (point.lon - self.centre.lon) * self.metres_per_degree_lon * self.pixels_per_metre;
        let y = (point.lat - self.centre.lat) * self.metres_per_degree_lat * self.pixels_per_metre;
        (self.origin_x + x, self.origin_y - y)
    }
}

#[derive(Clone, Copy)]
struct Box2 {
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

impl Box2 {
    fn overlaps(&self, other: &Box2) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }
}

/// A round number of metres for the scale bar, about a fifth of the width.
fn scale_length(pixels_per_metre: f64, width: f64) -> f64 {
    let wanted = width / 5.0 / pixels_per_metre;
    let magnitude = 10f64.powf(wanted.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|step| step * magnitude)
        .rfind(|length| *length <= wanted)
        .unwrap_or(magnitude)
}

/// Draws the inspection's map as a standalone SVG document.
pub fn render_map(data: &InspectionData, options: MapOptions) -> String {
    let map_left = MARGIN;
    let map_top = HEADER + 10.0;
    let map_width = options.width - 2.0 * MARGIN - LEGEND_WIDTH;
    let map_height = options.height - map_top - MARGIN - 30.0;

    let mut extent: Vec<LonLat> = Vec::new();
    extent.extend(data.structure.axis.iter().copied());
    extent.extend(data.structure.position);
    extent.extend(
        data.structure
            .components
            .iter()
            .filter_map(|component| component.position),
    );
    extent.extend(
        data.photos
            .iter()
            .filter_map(|photo| photo.placement.position),
    );
    extent.extend(
        data.defects
            .iter()
            .filter_map(|defect| data.defect_position(defect).map(|(position, _)| position)),
    );
    for track in &data.tracks {
        for segment in &track.track.segments {
            // A long track widens the map; sampling it is enough for bounds.
            let step = (segment.points.len() / 2000).max(1);
            extent.extend(
                segment
                    .points
                    .iter()
                    .step_by(step)
                    .map(|point| point.position()),
            );
            extent.extend(segment.points.last().map(|point| point.position()));
        }
    }
    let projection = Projection::fit(&extent, map_left, map_top, map_width, map_height);

    let mut svg = String::with_capacity(64 * 1024);
    let (width, height) = (options.width, options.height);
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, sans-serif" role="img" aria-label="Map of {name}">
<rect width="100%" height="100%" fill="#fbfaf7"/>
<rect x="{map_left}" y="{map_top}" width="{map_width}" height="{map_height}" fill="#eef3f6" stroke="#b9c4cc"/>
"##,
        name = escape(&data.structure.name)
    );
    let date = data
        .inspection
        .date
        .map(|date| date.to_string())
        .unwrap_or_else(|| "undated".to_string());
    let who = data
        .inspection
        .inspector
        .as_deref()
        .map(|name| format!(" · {name}"))
        .unwrap_or_default();
    let _ = write!(
        svg,
        r##"<text x="{MARGIN}" y="30" font-size="20" font-weight="bold" fill="#1d2a33" class="title">{}</text>
<text x="{MARGIN}" y="50" font-size="13" fill="#44525c">{} · inspection #{} · {}{} · {} {}</text>
"##,
        escape(&data.structure.name),
        escape(&data.structure.code),
        data.inspection.id,
        escape(&date),
        escape(&who),
        escape(&data.grading.scheme.to_uppercase()),
        escape(&data.grading.structure.label)
    );

    // Clip the drawing to the map frame.
    let _ = write!(
        svg,
        r##"<clipPath id="frame"><rect x="{map_left}" y="{map_top}" width="{map_width}" height="{map_height}"/></clipPath>
<g clip-path="url(#frame)">
"##
    );
    // Tracks, thinned to one point per half pixel.
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
                let _ = write!(
                    path,
                    "{}{x:.1},{y:.1}",
                    if last.is_none() { "M" } else { " L" }
                );
                last = Some((x, y));
            }
            if !path.is_empty() {
                let _ = writeln!(
                    svg,
                    r##"<path class="track" d="{path}" fill="none" stroke="#3b6fb6" stroke-width="2" stroke-opacity="0.7" stroke-linejoin="round"/>"##
                );
            }
        }
    }
    // The structure's axis.
    if data.structure.axis.len() >= 2 {
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
    // Occupied boxes, for label placement: markers first.
    let mut occupied: Vec<Box2> = Vec::new();
    for photo in &data.photos {
        if let Some(position) = photo.placement.position {
            let (x, y) = projection.project(position);
            let fill = if photo.placement.underwater {
                "#1b9aaa"
            } else {
                "#3b6fb6"
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
                r##"<circle class="defect" cx="{x:.1}" cy="{y:.1}" r="6" fill="{}" stroke="#1d2a33" stroke-width="1"><title>{} {} on {}</title></circle>"##,
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
    let mut anchors = Vec::new();
    for component in &data.structure.components {
        if let Some(position) = component.position {
            let (x, y) = projection.project(position);
            let _ = writeln!(
                svg,
                r##"<rect class="component" x="{:.1}" y="{:.1}" width="8" height="8" fill="#1d2a33"/>"##,
                x - 4.0,
                y - 4.0
            );
            occupied.push(Box2 {
                left: x - 4.0,
                top: y - 4.0,
                right: x + 4.0,
                bottom: y + 4.0,
            });
            anchors.push((component, x, y));
        }
    }
    // Labels: try eight directions at two distances; else stack below.
    let directions: [(f64, f64); 8] = [
        (1.0, -1.0),
        (1.0, 1.0),
        (-1.0, -1.0),
        (-1.0, 1.0),
        (0.0, -1.0),
        (0.0, 1.0),
        (1.0, 0.0),
        (-1.0, 0.0),
    ];
    for (component, x, y) in anchors {
        let label = &component.code;
        let text_width = 7.5 * label.chars().count() as f64 + 6.0;
        let text_height = 16.0;
        let mut chosen = None;
        'search: for distance in [10.0, 24.0, 40.0, 60.0] {
            for (dx, dy) in directions {
                let centre_x = x + dx * (distance + text_width / 2.0 * dx.abs());
                let centre_y = y + dy * (distance + text_height / 2.0 * dy.abs());
                let candidate = Box2 {
                    left: centre_x - text_width / 2.0,
                    top: centre_y - text_height / 2.0,
                    right: centre_x + text_width / 2.0,
                    bottom: centre_y + text_height / 2.0,
                };
                let inside = candidate.left > map_left
                    && candidate.right < map_left + map_width
                    && candidate.top > map_top
                    && candidate.bottom < map_top + map_height;
                if inside && !occupied.iter().any(|other| other.overlaps(&candidate)) {
                    chosen = Some((candidate, distance));
                    break 'search;
                }
            }
        }
        let (candidate, distance) = chosen.unwrap_or_else(|| {
            // Nowhere free: stack at the bottom of the frame.
            let stacked = occupied.len() as f64 * 2.0 % (map_width - text_width);
            (
                Box2 {
                    left: map_left + 4.0 + stacked,
                    top: map_top + map_height - text_height - 4.0,
                    right: map_left + 4.0 + stacked + text_width,
                    bottom: map_top + map_height - 4.0,
                },
                100.0,
            )
        });
        occupied.push(candidate);
        let centre_x = (candidate.left + candidate.right) / 2.0;
        let centre_y = (candidate.top + candidate.bottom) / 2.0;
        if distance > 10.0 {
            let _ = writeln!(
                svg,
                r##"<line class="leader" x1="{x:.1}" y1="{y:.1}" x2="{centre_x:.1}" y2="{centre_y:.1}" stroke="#5a6870" stroke-width="0.8"/>"##
            );
        }
        let _ = writeln!(
            svg,
            r##"<rect x="{:.1}" y="{:.1}" width="{text_width:.1}" height="{text_height}" rx="3" fill="#ffffff" fill-opacity="0.85" stroke="#5a6870" stroke-width="0.6"/><text class="label" x="{centre_x:.1}" y="{:.1}" font-size="12" text-anchor="middle" fill="#1d2a33">{}</text>"##,
            candidate.left,
            candidate.top,
            centre_y + 4.0,
            escape(label)
        );
    }
    svg.push_str("</g>\n");

    // Scale bar, bottom left.
    let metres = scale_length(projection.pixels_per_metre, map_width);
    let bar = metres * projection.pixels_per_metre;
    let bar_y = map_top + map_height + 20.0;
    let _ = writeln!(
        svg,
        r##"<g class="scale-bar"><rect x="{MARGIN}" y="{bar_y}" width="{:.1}" height="6" fill="#1d2a33"/><rect x="{MARGIN}" y="{bar_y}" width="{:.1}" height="6" fill="#ffffff" stroke="#1d2a33"/><text x="{MARGIN}" y="{:.1}" font-size="12" fill="#1d2a33">0</text><text x="{:.1}" y="{:.1}" font-size="12" text-anchor="end" fill="#1d2a33">{} m</text></g>"##,
        bar,
        bar / 2.0,
        bar_y - 4.0,
        MARGIN + bar,
        bar_y - 4.0,
        metres
    );
    // North arrow, top right of the frame.
    let north_x = map_left + map_width - 24.0;
    let north_y = map_top + 16.0;
    let _ = writeln!(
        svg,
        r##"<g class="north-arrow"><polygon points="{north_x},{north_y} {:.1},{:.1} {north_x},{:.1} {:.1},{:.1}" fill="#1d2a33"/><text x="{north_x}" y="{:.1}" font-size="13" font-weight="bold" text-anchor="middle" fill="#1d2a33">N</text></g>"##,
        north_x - 8.0,
        north_y + 26.0,
        north_y + 20.0,
        north_x + 8.0,
        north_y + 26.0,
        north_y + 42.0
    );
    // Legend.
    let legend_x = options.width - MARGIN - LEGEND_WIDTH + 16.0;
    let mut legend_y = map_top + 10.0;
    let _ = writeln!(
        svg,
        r##"<g class="legend"><text x="{legend_x}" y="{legend_y}" font-size="14" font-weight="bold" fill="#1d2a33">Legend</text>"##
    );
    legend_y += 22.0;
    let entry = |svg: &mut String, symbol: String, label: &str, y: &mut f64| {
        let _ = writeln!(
            svg,
            r##"{symbol}<text x="{:.1}" y="{:.1}" font-size="12" fill="#1d2a33">{}</text>"##,
            legend_x + 20.0,
            *y + 4.0,
            escape(label)
        );
        *y += 20.0;
    };
    entry(
        &mut svg,
        format!(
            r##"<rect x="{:.1}" y="{:.1}" width="8" height="8" fill="#1d2a33"/>"##,
            legend_x + 2.0,
            legend_y - 4.0
        ),
        "component",
        &mut legend_y,
    );
    entry(
        &mut svg,
        format!(
            r##"<line x1="{legend_x}" y1="{legend_y}" x2="{:.1}" y2="{legend_y}" stroke="#3b6fb6" stroke-width="2"/>"##,
            legend_x + 12.0
        ),
        "GPS track",
        &mut legend_y,
    );
    entry(
        &mut svg,
        format!(
            r##"<circle cx="{:.1}" cy="{legend_y}" r="4" fill="#3b6fb6"/>"##,
            legend_x + 6.0
        ),
        "photo",
        &mut legend_y,
    );
    entry(
        &mut svg,
        format!(
            r##"<circle cx="{:.1}" cy="{legend_y}" r="4" fill="#1b9aaa"/>"##,
            legend_x + 6.0
        ),
        "photo under water",
        &mut legend_y,
    );
    legend_y += 6.0;
    let _ = writeln!(
        svg,
        r##"<text x="{legend_x}" y="{legend_y}" font-size="12" font-weight="bold" fill="#1d2a33">Defects by severity</text>"##
    );
    legend_y += 20.0;
    let legend = grading::scheme(&data.scheme)
        .map(grading::severity_legend)
        .unwrap_or_default();
    for (code, colour) in legend {
        entry(
            &mut svg,
            format!(
                r##"<circle cx="{:.1}" cy="{legend_y}" r="6" fill="{colour}" stroke="#1d2a33"/>"##,
                legend_x + 6.0,
            ),
            code,
            &mut legend_y,
        );
    }
    entry(
        &mut svg,
        format!(
            r##"<circle cx="{:.1}" cy="{legend_y}" r="6" fill="#8a8a8a" stroke="#1d2a33"/>"##,
            legend_x + 6.0
        ),
        "not graded",
        &mut legend_y,
    );
    svg.push_str("</g>\n</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_bar_takes_a_round_length() {
        assert_eq!(scale_length(10.0, 770.0), 10.0);
        assert_eq!(scale_length(1.0, 770.0), 100.0);
        assert_eq!(scale_length(0.1, 770.0), 1000.0);
    }

    #[test]
    fn severities_have_distinct_colours_and_s_keeps_the_class_colour() {
        let colour = |severity| grading::severity_colour(&grading::Iqoa, severity);
        assert_eq!(colour(Some("2ES")), colour(Some("2E")));
        assert_ne!(colour(Some("3")), colour(Some("3U")));
        assert_eq!(colour(None), grading::UNGRADED_COLOUR);
    }
}
