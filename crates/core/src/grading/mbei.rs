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
use crate::model::{Component, ComponentKind, ElementUnit, Extent, IqoaPart, Structure};

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

/// Linear condition-state weights for `states` states: (n − s) / (n − 1).
///
/// ```
/// use voussoir_core::grading::linear_weights;
/// assert_eq!(linear_weights(5), vec![1.0, 0.75, 0.5, 0.25, 0.0]);
/// ```
pub fn linear_weights(states: usize) -> Vec<f64> {
    if states < 2 {
        return vec![1.0; states];
    }
    (1..=states)
        .map(|state| (states - state) as f64 / (states - 1) as f64)
        .collect()
}

/// One element's quantities per condition state (CS1 first) and its cost
/// per unit.
#[derive(Debug, Clone, PartialEq)]
pub struct ElementStates {
    pub quantities: Vec<f64>,
    pub failure_cost: f64,
}

impl ElementStates {
    fn total_value(&self) -> f64 {
        self.quantities.iter().sum::<f64>() * self.failure_cost
    }

    fn current_value(&self, weights: &[f64]) -> f64 {
        self.quantities
            .iter()
            .zip(weights)
            .map(|(quantity, weight)| quantity * weight)
            .sum::<f64>()
            * self.failure_cost
    }

    /// The element health index, 0 to 1; `None` for an empty element.
    pub fn health(&self, weights: &[f64]) -> Option<f64> {
        let total = self.total_value();
        (total > 0.0).then(|| self.current_value(weights) / total)
    }
}

/// The Bridge Health Index, 0 to 100, of elements; `None` when they hold
/// no value.
///
/// ```
/// use voussoir_core::grading::{bridge_health_index, linear_weights, ElementStates};
/// let deck = ElementStates { quantities: vec![700.0, 200.0, 80.0, 20.0], failure_cost: 1.0 };
/// let girders = ElementStates { quantities: vec![100.0, 0.0, 0.0, 0.0], failure_cost: 10.0 };
/// let bhi = bridge_health_index(&[deck, girders], &linear_weights(4)).unwrap();
/// assert!((bhi - 93.0).abs() < 1e-9);
/// ```
pub fn bridge_health_index(elements: &[ElementStates], weights: &[f64]) -> Option<f64> {
    let total: f64 = elements.iter().map(ElementStates::total_value).sum();
    let current: f64 = elements
        .iter()
        .map(|element| element.current_value(weights))
        .sum();
    (total > 0.0).then(|| 100.0 * current / total)
}

/// A condition state read from a measurement against the reference's
/// thresholds: the state, the catalogue key of the rule, and the value.
fn measured_state(
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

fn recorded_state(severity: Option<&str>) -> Option<u8> {
    let text = severity?.trim().to_uppercase();
    let digit = text.strip_prefix("CS").unwrap_or(&text);
    digit
        .parse::<u8>()
        .ok()
        .filter(|state| (1..=4).contains(state))
}

/// The share of an element an extent stands for, when no quantity was
/// measured (Voussoir's defaults).
fn extent_share(extent: Option<Extent>) -> f64 {
    match extent {
        Some(Extent::Isolated) => 0.05,
        Some(Extent::Widespread) => 0.5,
        Some(Extent::Some) | None => 0.2,
    }
}

/// The default value of an element, spread over its quantity when the
/// course gives no failure cost: primary structure 10, other structure 5,
/// equipment 2, protection 1 (Voussoir's defaults).
fn default_value(kind: ComponentKind) -> f64 {
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
fn measured_quantity(graded: &GradedDefect<'_>, unit: ElementUnit) -> Option<f64> {
    let measures = &graded.defect.measurements;
    match unit {
        ElementUnit::M2 => measures.area_m2,
        ElementUnit::M => measures.length_m,
        ElementUnit::Each => measures.count,
    }
}

fn quantity_text(value: f64, unit: &str) -> String {
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
mod tests {
    use super::super::test_support::*;
    use super::super::{grade_inspection, GradingScheme};
    use super::*;
    use crate::model::ElementQuantity;

    #[test]
    fn the_reference_worked_example_gives_93() {
        let deck = ElementStates {
            quantities: vec![700.0, 200.0, 80.0, 20.0],
            failure_cost: 1.0,
        };
        let girders = ElementStates {
            quantities: vec![100.0, 0.0, 0.0, 0.0],
            failure_cost: 10.0,
        };
        let bhi =
            bridge_health_index(&[deck.clone(), girders], &Mbei::LINEAR.weights).expect("valued");
        assert!((bhi - 93.0).abs() < 1e-9, "{bhi}");
        let deck_health = deck.health(&linear_weights(4)).expect("valued");
        assert!((deck_health - 0.86).abs() < 1e-9, "{deck_health}");
        assert_eq!(linear_weights(3), vec![1.0, 0.5, 0.0]);
    }

    #[test]
    fn the_worked_example_through_the_grading_of_defects() {
        let mut structure = bridge();
        structure.components = vec![
            component("TAB", ComponentKind::Deck),
            component("T1", ComponentKind::Span),
        ];
        structure.components[0].quantity = Some(ElementQuantity {
            total: 1000.0,
            unit: ElementUnit::M2,
            failure_cost: Some(1.0),
        });
        structure.components[1].quantity = Some(ElementQuantity {
            total: 100.0,
            unit: ElementUnit::M,
            failure_cost: Some(10.0),
        });
        let area = |id, severity, m2| {
            let mut defect = defect(id, "TAB", "CON-DELAM", Some(severity));
            defect.measurements.area_m2 = Some(m2);
            defect
        };
        let defects = [
            area(1, "CS2", 200.0),
            area(2, "CS3", 80.0),
            area(3, "CS4", 20.0),
        ];
        let grading = grade_inspection(
            &Mbei::LINEAR,
            &structure,
            &inspection("mbei", &[]),
            &defects,
        );
        assert_eq!(grading.structure.class, "93.0");
        assert_eq!(grading.components[0].class, "CS4");
        assert_eq!(grading.components[0].driving_defects, vec![3]);
        assert!(
            grading.components[0].reasons[0]
                .contains("CS1 700 m² · CS2 200 m² · CS3 80 m² · CS4 20 m²"),
            "{:?}",
            grading.components[0].reasons
        );
        assert_eq!(grading.components[1].class, "CS1");
    }

    #[test]
    fn a_measured_crack_width_sets_the_state_over_the_recorded_one() {
        let mut crack = defect(1, "T1", "CON-CRACK", Some("CS1"));
        crack.measurements.crack_width_mm = Some(2.0);
        let grading =
            grade_inspection(&Mbei::LINEAR, &bridge(), &inspection("mbei", &[]), &[crack]);
        let span = grading
            .components
            .iter()
            .find(|g| g.component == "T1")
            .expect("T1");
        assert_eq!(span.class, "CS3");
        assert!(span
            .reasons
            .iter()
            .any(|r| r.key() == "mbei.measured_over_recorded"));
    }

    #[test]
    fn overlapping_defects_never_count_twice() {
        let mut first = defect(1, "P1", "CON-EFFLO", Some("CS2"));
        first.extent = Some(Extent::Widespread);
        let mut second = defect(2, "P1", "CON-SPALL", Some("CS3"));
        second.extent = Some(Extent::Widespread);
        let mut third = defect(3, "P1", "CON-DELAM", Some("CS4"));
        third.extent = Some(Extent::Widespread);
        let grading = grade_inspection(
            &Mbei::LINEAR,
            &bridge(),
            &inspection("mbei", &[]),
            &[first, second, third],
        );
        let pier = &grading.components[1];
        // CS4 50 %, CS3 the other 50 %, nothing left for CS2 or CS1.
        assert!(
            pier.reasons[0].contains("CS1 0 % · CS2 0 % · CS3 50 % · CS4 50 %"),
            "{:?}",
            pier.reasons
        );
    }

    #[test]
    fn scour_at_the_critical_depth_is_severe() {
        let mut structure = bridge();
        structure.components[1].critical_scour_depth_m = Some(1.5);
        let mut scour = defect(1, "P1", "UW-SCOUR", Some("CS2"));
        scour.measurements.scour_depth_m = Some(1.6);
        let grading = grade_inspection(
            &Mbei::LINEAR,
            &structure,
            &inspection("mbei", &[]),
            &[scour],
        );
        assert_eq!(grading.components[1].class, "CS4");
    }

    #[test]
    fn iqoa_severities_are_carried_over_and_classes_parse() {
        let grading = grade_inspection(
            &Mbei::LINEAR,
            &bridge(),
            &inspection("iqoa", &[]),
            &[defect(1, "P1", "CON-REBAR", Some("3"))],
        );
        assert_eq!(grading.components[1].class, "CS3");
        assert_eq!(Mbei::LINEAR.parse_class("cs2").as_deref(), Some("CS2"));
        assert_eq!(Mbei::LINEAR.parse_class("93,04").as_deref(), Some("93.0"));
        assert_eq!(Mbei::LINEAR.class_rank("85.0"), Some(2));
        assert!(Mbei::LINEAR.parse_severity("CS5").is_err());
    }
}
