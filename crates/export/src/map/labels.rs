//! Component markers and their labels, placed greedily around each marker:
//! eight directions at growing distances, the first free spot inside the
//! frame wins (with a leader line when far), else the label is stacked at
//! the bottom of the frame.

use std::fmt::Write as _;

use voussoir_core::Component;

use super::projection::{Box2, Projection};
use super::Frame;
use crate::text::escape;
use crate::InspectionData;

const DIRECTIONS: [(f64, f64); 8] = [
    (1.0, -1.0),
    (1.0, 1.0),
    (-1.0, -1.0),
    (-1.0, 1.0),
    (0.0, -1.0),
    (0.0, 1.0),
    (1.0, 0.0),
    (-1.0, 0.0),
];
const DISTANCES: [f64; 4] = [10.0, 24.0, 40.0, 60.0];
const TEXT_HEIGHT: f64 = 16.0;

/// Draws every positioned component's marker, then its label.
pub(super) fn draw_components(
    svg: &mut String,
    data: &InspectionData,
    projection: &Projection,
    frame: Frame,
    mut occupied: Vec<Box2>,
) {
    let mut anchors: Vec<(&Component, f64, f64)> = Vec::new();
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
    for (component, x, y) in anchors {
        draw_label(svg, &component.code, (x, y), frame, &mut occupied);
    }
}

/// The first free box for a label of `text_width` around (x, y), and how
/// far it is.
fn free_spot(
    anchor: (f64, f64),
    text_width: f64,
    frame: Frame,
    occupied: &[Box2],
) -> Option<(Box2, f64)> {
    let (x, y) = anchor;
    for distance in DISTANCES {
        for (dx, dy) in DIRECTIONS {
            let centre_x = x + dx * (distance + text_width / 2.0 * dx.abs());
            let centre_y = y + dy * (distance + TEXT_HEIGHT / 2.0 * dy.abs());
            let candidate = Box2 {
                left: centre_x - text_width / 2.0,
                top: centre_y - TEXT_HEIGHT / 2.0,
                right: centre_x + text_width / 2.0,
                bottom: centre_y + TEXT_HEIGHT / 2.0,
            };
            if frame.contains(&candidate)
                && !occupied.iter().any(|other| other.overlaps(&candidate))
            {
                return Some((candidate, distance));
            }
        }
    }
    None
}

fn draw_label(
    svg: &mut String,
    label: &str,
    anchor: (f64, f64),
    frame: Frame,
    occupied: &mut Vec<Box2>,
) {
    let (x, y) = anchor;
    let text_width = 7.5 * label.chars().count() as f64 + 6.0;
    let (spot, distance) = free_spot(anchor, text_width, frame, occupied).unwrap_or_else(|| {
        // Nowhere free: stack at the bottom of the frame.
        let stacked = occupied.len() as f64 * 2.0 % (frame.width - text_width);
        let left = frame.left + 4.0 + stacked;
        let bottom = frame.top + frame.height - 4.0;
        let stacked_box = Box2 {
            left,
            top: bottom - TEXT_HEIGHT,
            right: left + text_width,
            bottom,
        };
        (stacked_box, 100.0)
    });
    occupied.push(spot);
    let centre_x = (spot.left + spot.right) / 2.0;
    let centre_y = (spot.top + spot.bottom) / 2.0;
    if distance > DISTANCES[0] {
        let _ = writeln!(
            svg,
            r##"<line class="leader" x1="{x:.1}" y1="{y:.1}" x2="{centre_x:.1}" y2="{centre_y:.1}" stroke="#5a6870" stroke-width="0.8"/>"##
        );
    }
    let _ = writeln!(
        svg,
        r##"<rect x="{:.1}" y="{:.1}" width="{text_width:.1}" height="{TEXT_HEIGHT}" rx="3" fill="#ffffff" fill-opacity="0.85" stroke="#5a6870" stroke-width="0.6"/><text class="label" x="{centre_x:.1}" y="{:.1}" font-size="12" text-anchor="middle" fill="#1d2a33">{}</text>"##,
        spot.left,
        spot.top,
        centre_y + 4.0,
        escape(label)
    );
}
