//! From a defect to a condition state and a quantity of its element: the
//! reference's measured thresholds (crack width, spall, section loss,
//! scour), the recorded state, the extent shares and default element
//! values Voussoir uses when nothing is measured. It must not sum or
//! weigh states: `health` does.

use super::super::GradedDefect;
use crate::model::{Component, ComponentKind, ElementUnit, Extent, IqoaPart};

/// A condition state read from a measurement against the reference's
/// thresholds: the state, the catalogue key of the rule, and the value.
pub(super) fn measured_state(
    graded: &GradedDefect<'_>,
    component: &Component,
) -> Option<(u8, &'static str, f64)> {
    let defect = graded.defect;
    let measures = &defect.measurements;
    match defect.type_code.as_str() {
        "CON-CRACK" => measures.crack_width_mm.map(|width| {
            let state = if width < 0.30 {
                1
            } else if width <= 1.27 {
                2
            } else {
                3
            };
            (state, "mbei.rule.crack", width)
        }),
        "PSC-TENDON-CRACK" => measures.crack_width_mm.map(|width| {
            let state = if width < 0.1 {
                1
            } else if width <= 0.23 {
                2
            } else {
                3
            };
            (state, "mbei.rule.psc_crack", width)
        }),
        "CON-SPALL" => {
            let depth = measures.depth_mm;
            let size = measures.length_m.map(|metres| metres * 1000.0);
            match (depth, size) {
                (None, None) => None,
                _ => {
                    let large = depth.is_some_and(|d| d > 25.0) || size.is_some_and(|s| s > 150.0);
                    let shown = depth.or(size).unwrap_or_default();
                    Some((if large { 3 } else { 2 }, "mbei.rule.spall", shown))
                }
            }
        }
        "CON-REBAR" | "STL-CORR" | "STL-LOSS" | "UW-SECTION-LOSS" => {
            measures.section_loss_pct.map(|loss| {
                (
                    if loss > 0.0 { 3 } else { 2 },
                    "mbei.rule.section_loss",
                    loss,
                )
            })
        }
        "UW-SCOUR" => {
            let depth = measures.scour_depth_m?;
            let critical = component.critical_scour_depth_m?;
            (depth >= critical).then_some((4, "mbei.rule.scour", depth))
        }
        _ => None,
    }
}

pub(super) fn recorded_state(severity: Option<&str>) -> Option<u8> {
    let text = severity?.trim().to_uppercase();
    let digit = text.strip_prefix("CS").unwrap_or(&text);
    digit
        .parse::<u8>()
        .ok()
        .filter(|state| (1..=4).contains(state))
}

/// The share of an element an extent stands for, when no quantity was
/// measured (Voussoir's defaults).
pub(super) fn extent_share(extent: Option<Extent>) -> f64 {
    match extent {
        Some(Extent::Isolated) => 0.05,
        Some(Extent::Widespread) => 0.5,
        Some(Extent::Some) | None => 0.2,
    }
}

/// The default value of an element, spread over its quantity when the
/// course gives no failure cost: primary structure 10, other structure 5,
/// equipment 2, protection 1 (Voussoir's defaults).
pub(super) fn default_value(kind: ComponentKind) -> f64 {
    use ComponentKind::*;
    match kind {
        Abutment | Pier | Foundation | Span | Deck | Arch | CulvertBarrel | Cable | Pylon => 10.0,
        _ => match kind.iqoa_part() {
            IqoaPart::Structure => 5.0,
            IqoaPart::Equipment => 2.0,
            IqoaPart::Protection => 1.0,
        },
    }
}

/// A defect's measured quantity in the element's unit.
pub(super) fn measured_quantity(graded: &GradedDefect<'_>, unit: ElementUnit) -> Option<f64> {
    let measures = &graded.defect.measurements;
    match unit {
        ElementUnit::M2 => measures.area_m2,
        ElementUnit::M => measures.length_m,
        ElementUnit::Each => measures.count,
    }
}

pub(super) fn quantity_text(value: f64, unit: &str) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let written = if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded}")
    };
    if unit.is_empty() {
        written
    } else {
        format!("{written} {unit}")
    }
}
