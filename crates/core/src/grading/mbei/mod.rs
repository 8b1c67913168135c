//! AASHTO element-level inspection (MBEI) and the Bridge Health Index:
//! each component an element with a total quantity split over condition
//! states CS1–CS4, each element's health index, and the bridge's.
//!
//! Rules, from the project's grading reference:
//! - a defect's condition state is measured where the reference's table
//!   gives a threshold and the defect carries the measure (crack width,
//!   spall depth or size, section loss, scour against the critical depth);
//!   otherwise it is the recorded state (`CS1`–`CS4`);
//! - a defect's quantity is its measured area, length or count in the
//!   element's unit, else a share of the element from its extent (isolated
//!   5 %, some 20 %, widespread 50 %; Voussoir's defaults); overlapping
//!   defects never count twice: the worst states are filled first and
//!   what is left of the element stays in CS1;
//! - EHI = Σ q_s · w_s / Q with the state weights (linear by default:
//!   1, ⅔, ⅓, 0), BHI = 100 · Σ CEV / Σ TEV with each element valued at its
//!   quantity times its failure cost.
//!
//! The thresholds marked unconfirmed in the reference, the extent shares
//! and the default failure costs are said to be so in docs/grading.md.

use super::reason::{codes, number, text, Arg, Reason};
use super::{
    defects_on, is_not_inspected, ComponentGrade, GradedDefect, Grading, GradingScheme, GroupGrade,
    SeverityError, SeverityInfo, SeverityStep, StructureGrade,
};
use crate::model::{Component, ElementUnit, Structure};

mod health;
mod thresholds;

pub use health::{bridge_health_index, linear_weights, ElementStates};
use thresholds::{
    default_value, extent_share, measured_quantity, measured_state, quantity_text, recorded_state,
};

/// The MBEI scheme with its condition-state weights, CS1 first.
#[derive(Debug, Clone, Copy)]
pub struct Mbei {
    pub weights: [f64; 4],
}

impl Mbei {
    /// Linear weights: CS1 1, CS2 ⅔, CS3 ⅓, CS4 0.
    pub const LINEAR: Mbei = Mbei {
        weights: [1.0, 2.0 / 3.0, 1.0 / 3.0, 0.0],
    };
}

const NOT_EVALUATED: &str = "NE";

struct Scored {
    grade: ComponentGrade,
    states: Option<ElementStates>,
}

impl Mbei {
    fn score_component(
        &self,
        component: &Component,
        defects: &[&GradedDefect<'_>],
        not_inspected: &[String],
    ) -> Scored {
        let mut grade = ComponentGrade {
            component: component.code.clone(),
            kind: component.kind,
            class: NOT_EVALUATED.to_string(),
            safety: false,
            driving_defects: Vec::new(),
            reasons: Vec::new(),
        };
        if is_not_inspected(&component.code, not_inspected) {
            grade
                .reasons
                .push(Reason::new("mbei.not_inspected", vec![]));
            return Scored {
                grade,
                states: None,
            };
        }
        let (total, unit, cost) = match component.quantity {
            Some(element) => (
                element.total,
                element.unit,
                element
                    .failure_cost
                    .unwrap_or(default_value(component.kind) / element.total),
            ),
            None => (
                100.0,
                ElementUnit::Each,
                default_value(component.kind) / 100.0,
            ),
        };
        let unit_text = if component.quantity.is_some() {
            unit.symbol()
        } else {
            "%"
        };
        let mut placed: Vec<(u8, f64, i64)> = Vec::new();
        let mut ungraded = Vec::new();
        for graded in defects {
            let recorded = recorded_state(graded.severity.as_deref());
            let measured = measured_state(graded, component);
            let state = match (measured, recorded) {
                (Some((state, rule, value)), recorded) => {
                    let mut args = vec![
                        ("defect", super::reason::defect(graded.defect)),
                        ("rule", Arg::Key(rule)),
                        ("value", number(value, 2)),
                        ("state", text(format!("CS{state}"))),
                    ];
                    let key = match recorded {
                        Some(recorded) if recorded != state => {
                            args.push(("recorded", text(format!("CS{recorded}"))));
                            "mbei.measured_over_recorded"
                        }
                        _ => "mbei.measured",
                    };
                    grade.reasons.push(Reason::new(key, args));
                    state
                }
                (None, Some(state)) => state,
                (None, None) => {
                    ungraded.push(graded.defect);
                    continue;
                }
            };
            grade.reasons.extend(super::reason::crosswalk(graded));
            let quantity =
                match measured_quantity(graded, unit).filter(|_| component.quantity.is_some()) {
                    Some(quantity) => quantity,
                    None => {
                        let share = extent_share(graded.defect.extent);
                        grade.reasons.push(Reason::new(
                            "mbei.share",
                            vec![
                                ("defect", super::reason::defect(graded.defect)),
                                (
                                    "extent",
                                    match graded.defect.extent {
                                        Some(extent) => Arg::Extent(extent),
                                        None => Arg::Key("mbei.no_extent"),
                                    },
                                ),
                                ("share", number(share * 100.0, 0)),
                            ],
                        ));
                        share * total
                    }
                };
            placed.push((state, quantity, graded.defect.id));
        }
        if placed.is_empty() && !ungraded.is_empty() {
            grade.reasons.push(Reason::new(
                "mbei.unrated",
                vec![
                    ("defects", super::reason::defect_list(&ungraded)),
                    ("component", text(&component.code)),
                ],
            ));
            return Scored {
                grade,
                states: None,
            };
        }
        // The worst states take their quantity first; overlaps never count
        // twice, and what no defect covers stays in CS1.
        placed.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)));
        let mut quantities = vec![0.0; 4];
        let mut left = total;
        for (state, quantity, _) in &placed {
            let taken = quantity.min(left).max(0.0);
            quantities[usize::from(*state) - 1] += taken;
            left -= taken;
        }
        quantities[0] += left;
        let worst = placed.first().map_or(1, |(state, _, _)| *state);
        grade.driving_defects = placed
            .iter()
            .filter(|(state, _, _)| *state == worst && worst > 1)
            .map(|(_, _, id)| *id)
            .collect();
        let states = ElementStates {
            quantities,
            failure_cost: cost,
        };
        let health = states.health(&self.weights).unwrap_or(1.0);
        let split: Vec<String> = states
            .quantities
            .iter()
            .enumerate()
            .map(|(index, quantity)| {
                format!("CS{} {}", index + 1, quantity_text(*quantity, unit_text))
            })
            .collect();
        grade.reasons.insert(
            0,
            Reason::new(
                if placed.is_empty() {
                    "mbei.no_defect"
                } else {
                    "mbei.states"
                },
                vec![
                    ("split", text(split.join(" · "))),
                    ("total", text(quantity_text(total, unit_text))),
                    ("health", number(health * 100.0, 1)),
                ],
            ),
        );
        if !ungraded.is_empty() {
            grade.reasons.push(Reason::new(
                "mbei.could_be_worse",
                vec![("defects", super::reason::defect_list(&ungraded))],
            ));
        }
        grade.class = format!("CS{worst}");
        Scored {
            grade,
            states: Some(states),
        }
    }
}

const SEVERITIES: [(&str, &str); 4] = [
    ("CS1", "good: no or insignificant defects"),
    (
        "CS2",
        "fair: minor to moderate defects, no structural concern",
    ),
    (
        "CS3",
        "poor: moderate to severe defects, not yet warranting a structural review",
    ),
    (
        "CS4",
        "severe: warrants a structural review, or strength or serviceability affected",
    ),
];

/// The BHI's place among four bands of ten points, for comparisons only.
fn health_band(value: f64) -> usize {
    match value {
        v if v >= 90.0 => 1,
        v if v >= 80.0 => 2,
        v if v >= 70.0 => 3,
        _ => 4,
    }
}

impl GradingScheme for Mbei {
    fn code(&self) -> &'static str {
        "mbei"
    }

    fn name(&self) -> &'static str {
        "AASHTO element-level inspection and Bridge Health Index (USA)"
    }

    fn severities(&self) -> Vec<SeverityInfo> {
        SEVERITIES
            .iter()
            .map(|(code, meaning)| SeverityInfo { code, meaning })
            .collect()
    }

    fn parse_severity(&self, text: &str) -> Result<String, SeverityError> {
        recorded_state(Some(text))
            .map(|state| format!("CS{state}"))
            .ok_or_else(|| SeverityError {
                scheme: "MBEI",
                given: text.trim().to_string(),
                allowed: "CS1, CS2, CS3 or CS4",
            })
    }

    /// CS1 step 1, CS2 step 2, CS3 step 4, CS4 step 5.
    fn to_step(&self, severity: &str) -> Option<SeverityStep> {
        let step = match recorded_state(Some(severity))? {
            1 => 1,
            2 => 2,
            3 => 4,
            _ => 5,
        };
        Some(SeverityStep {
            step,
            safety: false,
        })
    }

    fn severity_at_step(&self, step: SeverityStep) -> String {
        match step.step {
            0 | 1 => "CS1",
            2 => "CS2",
            3 | 4 => "CS3",
            _ => "CS4",
        }
        .to_string()
    }

    /// A state CS1–CS4 as 1–4; a health index by bands of ten points
    /// (90 and above 1, 80 2, 70 3, below 4).
    fn class_rank(&self, class: &str) -> Option<usize> {
        let class = class.trim();
        if let Some(state) = class.strip_prefix("CS") {
            return state
                .parse::<usize>()
                .ok()
                .filter(|state| (1..=4).contains(state));
        }
        let value: f64 = class.parse().ok()?;
        (0.0..=100.0).contains(&value).then(|| health_band(value))
    }

    fn class_scale(&self) -> usize {
        4
    }

    fn component_classes(&self) -> Vec<&'static str> {
        vec!["CS1", "CS2", "CS3", "CS4", NOT_EVALUATED]
    }

    fn group_codes(&self) -> Vec<&'static str> {
        vec!["bhi"]
    }

    /// A state (`CS3`, `cs3`), a health index 0–100 (`93,5`), or NE.
    fn parse_class(&self, text: &str) -> Option<String> {
        let text = text.trim().replace(',', ".");
        if text.eq_ignore_ascii_case(NOT_EVALUATED) {
            return Some(NOT_EVALUATED.to_string());
        }
        if text.to_uppercase().starts_with("CS") {
            return recorded_state(Some(&text)).map(|state| format!("CS{state}"));
        }
        let value: f64 = text.parse().ok()?;
        (0.0..=100.0)
            .contains(&value)
            .then(|| format!("{:.1}", (value * 10.0).round() / 10.0))
    }

    fn classes_help(&self) -> &'static str {
        "a condition state CS1 to CS4 for a component, a health index from 0 to 100 for group:bhi or the structure, or NE"
    }

    fn grade(
        &self,
        structure: &Structure,
        defects: &[GradedDefect<'_>],
        not_inspected: &[String],
    ) -> Grading {
        let scored: Vec<Scored> = structure
            .components
            .iter()
            .map(|component| {
                self.score_component(
                    component,
                    &defects_on(defects, &component.code),
                    not_inspected,
                )
            })
            .collect();
        let elements: Vec<ElementStates> = scored
            .iter()
            .filter_map(|entry| entry.states.clone())
            .collect();
        let unevaluated: Vec<&str> = scored
            .iter()
            .filter(|entry| entry.states.is_none())
            .map(|entry| entry.grade.component.as_str())
            .collect();
        let weights: Vec<String> = self
            .weights
            .iter()
            .enumerate()
            .map(|(index, weight)| format!("CS{} {:.2}", index + 1, weight))
            .collect();
        let structure_grade = match bridge_health_index(&elements, &self.weights) {
            Some(bhi) => {
                let mut reasons = vec![
                    Reason::new(
                        "mbei.bhi",
                        vec![("bhi", number(bhi, 1)), ("count", text(elements.len()))],
                    ),
                    Reason::new("mbei.weights", vec![("weights", text(weights.join(", ")))]),
                ];
                if !unevaluated.is_empty() {
                    reasons.push(Reason::new(
                        "mbei.not_evaluated",
                        vec![("components", codes(&unevaluated))],
                    ));
                }
                let class = format!("{bhi:.1}");
                StructureGrade {
                    label: format!("BHI {class}"),
                    class,
                    safety: false,
                    reasons,
                    structurally_deficient: None,
                }
            }
            None => StructureGrade {
                class: NOT_EVALUATED.to_string(),
                label: NOT_EVALUATED.to_string(),
                safety: false,
                reasons: vec![Reason::new("mbei.nothing_evaluated", vec![])],
                structurally_deficient: None,
            },
        };
        let groups = vec![GroupGrade {
            group: "bhi".to_string(),
            label: "Bridge Health Index".to_string(),
            class: structure_grade.class.clone(),
            reasons: structure_grade.reasons.clone(),
        }];
        Grading {
            scheme: "mbei",
            components: scored.into_iter().map(|entry| entry.grade).collect(),
            groups,
            structure: structure_grade,
        }
    }
}

#[cfg(test)]
mod tests;
