//! The UK Bridge Condition Indicator (CSS / ADEPT, now carried by DMRB CS
//! 450), as the project's grading reference transcribes it. The frame is
//! confirmed; the numbers (the ECS table, the consequence and importance
//! factors, the BCI formula, the bands) are marked unconfirmed there and
//! in docs/grading.md.
//!
//! Rules:
//! - each defect has a severity 1–5; its extent A–E comes from the
//!   recorded extent (isolated → B, some → C, widespread → D; none
//!   recorded → B, said in the reason), Voussoir's crosswalk;
//! - an element's condition score (ECS) is the worst of its defects' from
//!   the severity × extent table, 1.0 with no defect;
//! - ECI = ECS − (ECS − 1) · ECF, the consequence factor from the element's
//!   importance (critical elements 0; bearings and structure parts high;
//!   equipment medium; protection low — Voussoir's mapping);
//! - BCS_av = Σ ECI · EIF / Σ EIF, BCS_crit the worst ECI of the critical
//!   elements; BCI = 100 − 2 (BCS² + 6.5 BCS − 7.5);
//! - the structure's class is the band of BCI_av, with BCI_crit beside it.

use super::reason::{number, text, Arg, Reason};
use super::{
    defects_on, is_not_inspected, ComponentGrade, GradedDefect, Grading, GradingScheme, GroupGrade,
    SeverityError, SeverityInfo, SeverityStep, StructureGrade,
};
use crate::model::{Component, ComponentKind, Extent, IqoaPart, Structure};

/// The UK BCI scheme.
#[derive(Debug, Clone, Copy, Default)]
pub struct Bci;

const NOT_EVALUATED: &str = "NE";

/// Importance classes of elements.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Importance {
    /// Critical elements: primary deck and beams, foundations, piers,
    /// abutments.
    VeryHigh,
    High,
    Medium,
    Low,
}

impl Importance {
    fn of(component: &Component) -> Importance {
        use ComponentKind::*;
        match component.kind {
            Abutment | Pier | Foundation | Span | Deck | Arch | CulvertBarrel | Cable | Pylon => {
                Importance::VeryHigh
            }
            _ => match component.kind.iqoa_part() {
                IqoaPart::Structure => Importance::High,
                IqoaPart::Equipment => Importance::Medium,
                IqoaPart::Protection => Importance::Low,
            },
        }
    }

    /// The catalogue key of the importance's name.
    fn key(self) -> &'static str {
        match self {
            Importance::VeryHigh => "bci.importance.very_high",
            Importance::High => "bci.importance.high",
            Importance::Medium => "bci.importance.medium",
            Importance::Low => "bci.importance.low",
        }
    }

    /// Element consequence factor for a condition score.
    fn consequence(self, ecs: f64) -> f64 {
        match self {
            Importance::VeryHigh => 0.0,
            Importance::High => 0.3 - (ecs - 1.0) / 20.0,
            Importance::Medium => 0.6 - (ecs - 1.0) / 10.0,
            Importance::Low => 1.2 - (ecs - 1.0) / 5.0,
        }
    }

    /// Element importance factor.
    fn weight(self) -> f64 {
        match self {
            Importance::VeryHigh => 2.0,
            Importance::High => 1.5,
            Importance::Medium => 1.2,
            Importance::Low => 1.0,
        }
    }
}

/// The extent letter a recorded extent stands for.
fn extent_letter(extent: Option<Extent>) -> char {
    match extent {
        Some(Extent::Some) => 'C',
        Some(Extent::Widespread) => 'D',
        Some(Extent::Isolated) | None => 'B',
    }
}

/// The element condition score of a severity (1–5) and an extent (A–E).
pub fn condition_score(severity: u8, extent: char) -> f64 {
    let column = match extent {
        'A' => 0,
        'B' => 1,
        'C' => 2,
        'D' => 3,
        _ => 4,
    };
    match severity {
        0 | 1 => 1.0,
        5 => 5.0,
        level => {
            let base = f64::from(level);
            base + [0.0, 0.0, 0.1, 0.3, 0.7][column]
        }
    }
}

/// The bridge condition indicator of a condition score, 100 (best) to 0.
pub fn indicator(score: f64) -> f64 {
    100.0 - 2.0 * (score * score + 6.5 * score - 7.5)
}

/// The band of an indicator (bands marked unconfirmed in the reference).
pub fn band(indicator: f64) -> &'static str {
    match indicator {
        value if value >= 90.0 => "very good",
        value if value >= 80.0 => "good",
        value if value >= 65.0 => "fair",
        value if value >= 40.0 => "poor",
        _ => "very poor",
    }
}

/// The catalogue key of a band's name.
fn band_key(band: &str) -> &'static str {
    match band {
        "very good" => "bci.band.very_good",
        "good" => "bci.band.good",
        "fair" => "bci.band.fair",
        "poor" => "bci.band.poor",
        _ => "bci.band.very_poor",
    }
}

fn one_decimal(value: f64) -> String {
    format!("{:.1}", (value * 10.0).round() / 10.0)
}

struct Scored {
    grade: ComponentGrade,
    eci: Option<f64>,
    importance: Importance,
}

fn score_component(
    component: &Component,
    defects: &[&GradedDefect<'_>],
    not_inspected: &[String],
) -> Scored {
    let importance = Importance::of(component);
    let mut reasons = Vec::new();
    let mut driving = Vec::new();
    if is_not_inspected(&component.code, not_inspected) {
        reasons.push(Reason::new("bci.not_inspected", vec![]));
        return Scored {
            grade: ComponentGrade {
                component: component.code.clone(),
                kind: component.kind,
                class: NOT_EVALUATED.to_string(),
                safety: false,
                driving_defects: driving,
                reasons,
            },
            eci: None,
            importance,
        };
    }
    let mut worst: Option<(f64, Reason)> = None;
    for graded in defects {
        let Some(severity) = graded
            .severity
            .as_deref()
            .and_then(|s| s.parse::<u8>().ok())
        else {
            continue;
        };
        let extent = extent_letter(graded.defect.extent);
        let ecs = condition_score(severity, extent);
        let key = if graded.defect.extent.is_none() {
            "bci.defect_extent_assumed"
        } else {
            "bci.defect"
        };
        let why = Reason::new(
            key,
            vec![
                ("defect", super::reason::defect(graded.defect)),
                ("severity", text(severity)),
                ("extent", text(extent)),
                ("ecs", number(ecs, 1)),
            ],
        );
        if worst.as_ref().is_none_or(|(score, _)| ecs > *score) {
            worst = Some((ecs, why));
            driving = vec![graded.defect.id];
        } else if worst.as_ref().is_some_and(|(score, _)| ecs == *score) {
            driving.push(graded.defect.id);
        }
        if let Some(crosswalk) = super::reason::crosswalk(graded) {
            reasons.push(crosswalk);
        }
    }
    let ecs = match worst {
        Some((ecs, why)) => {
            reasons.insert(0, why);
            ecs
        }
        None => {
            reasons.insert(0, Reason::new("bci.no_defect", vec![]));
            1.0
        }
    };
    let eci = ecs - (ecs - 1.0) * importance.consequence(ecs);
    reasons.push(Reason::new(
        "bci.eci",
        vec![
            ("ecs", number(ecs, 1)),
            ("eci", number(eci, 2)),
            ("importance", Arg::Key(importance.key())),
        ],
    ));
    Scored {
        grade: ComponentGrade {
            component: component.code.clone(),
            kind: component.kind,
            class: one_decimal(ecs),
            safety: false,
            driving_defects: driving,
            reasons,
        },
        eci: Some(eci),
        importance,
    }
}

const SEVERITIES: [(&str, &str); 5] = [
    ("1", "as new, no significant defect"),
    (
        "2",
        "early deterioration, minor defect, no loss of function",
    ),
    ("3", "moderate defect, some loss of function possible"),
    (
        "4",
        "severe defect, significant loss of function and/or close to failure",
    ),
    ("5", "non-functional or failed"),
];

/// Element condition scores offered in forms: the cells of the table.
const CONDITION_SCORES: [&str; 14] = [
    "1.0", "2.0", "2.1", "2.3", "2.7", "3.0", "3.1", "3.3", "3.7", "4.0", "4.1", "4.3", "4.7",
    "5.0",
];

const BANDS: [&str; 5] = ["very good", "good", "fair", "poor", "very poor"];

impl GradingScheme for Bci {
    fn code(&self) -> &'static str {
        "bci"
    }

    /// A condition score (`2.3`) by its severity, 1 to 5; an indicator
    /// (`87`) or a band (`good`) by its band, 1 (very good) to 5.
    fn class_rank(&self, class: &str) -> Option<usize> {
        let class = class.trim();
        if let Some(place) = BANDS.iter().position(|name| *name == class) {
            return Some(place + 1);
        }
        if class.contains('.') {
            let score: f64 = class.parse().ok()?;
            return (1.0..=5.0).contains(&score).then(|| score.floor() as usize);
        }
        let indicator: f64 = class.parse().ok()?;
        (0.0..=100.0).contains(&indicator).then(|| {
            BANDS
                .iter()
                .position(|name| *name == band(indicator))
                .map_or(5, |place| place + 1)
        })
    }

    fn class_scale(&self) -> usize {
        5
    }

    fn component_classes(&self) -> Vec<&'static str> {
        CONDITION_SCORES
            .iter()
            .copied()
            .chain([NOT_EVALUATED])
            .collect()
    }

    fn group_codes(&self) -> Vec<&'static str> {
        vec!["average", "critical"]
    }

    /// A condition score 1.0–5.0 (comma or point), an indicator 0–100,
    /// a band, or NE.
    fn parse_class(&self, text: &str) -> Option<String> {
        let text = text.trim().replace(',', ".");
        if text.eq_ignore_ascii_case(NOT_EVALUATED) {
            return Some(NOT_EVALUATED.to_string());
        }
        let lower = text.to_lowercase();
        if let Some(name) = BANDS.iter().find(|name| **name == lower) {
            return Some((*name).to_string());
        }
        let value: f64 = text.parse().ok()?;
        if text.contains('.') {
            (1.0..=5.0).contains(&value).then(|| one_decimal(value))
        } else {
            (0.0..=100.0)
                .contains(&value)
                .then(|| format!("{value:.0}"))
        }
    }

    fn classes_help(&self) -> &'static str {
        "a condition score from 1.0 to 5.0 (such as 2.3), an indicator from 0 to 100, a band (very good, good, fair, poor, very poor), or NE"
    }

    fn name(&self) -> &'static str {
        "Bridge Condition Indicator (UK)"
    }

    fn severities(&self) -> Vec<SeverityInfo> {
        SEVERITIES
            .iter()
            .map(|(code, meaning)| SeverityInfo { code, meaning })
            .collect()
    }

    fn parse_severity(&self, text: &str) -> Result<String, SeverityError> {
        let wanted = text.trim();
        SEVERITIES
            .iter()
            .find(|(code, _)| *code == wanted)
            .map(|(code, _)| code.to_string())
            .ok_or_else(|| SeverityError {
                scheme: "BCI",
                given: wanted.to_string(),
                allowed: "1, 2, 3, 4 or 5",
            })
    }

    fn to_step(&self, severity: &str) -> Option<SeverityStep> {
        let step: u8 = severity.trim().parse().ok()?;
        (1..=5).contains(&step).then_some(SeverityStep {
            step,
            safety: false,
        })
    }

    fn severity_at_step(&self, step: SeverityStep) -> String {
        step.step.clamp(1, 5).to_string()
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
                score_component(
                    component,
                    &defects_on(defects, &component.code),
                    not_inspected,
                )
            })
            .collect();
        let rated: Vec<&Scored> = scored.iter().filter(|entry| entry.eci.is_some()).collect();
        let weights: f64 = rated.iter().map(|entry| entry.importance.weight()).sum();
        let average = (weights > 0.0).then(|| {
            rated
                .iter()
                .map(|entry| entry.eci.unwrap_or(1.0) * entry.importance.weight())
                .sum::<f64>()
                / weights
        });
        let critical = rated
            .iter()
            .filter(|entry| entry.importance == Importance::VeryHigh)
            .max_by(|a, b| {
                a.eci
                    .partial_cmp(&b.eci)
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        let mut groups = Vec::new();
        let mut reasons = Vec::new();
        if let Some(bcs) = average {
            let bci = indicator(bcs);
            let why = Reason::new(
                "bci.average",
                vec![
                    ("bci", text(format!("{bci:.0}"))),
                    ("bcs", number(bcs, 2)),
                    ("count", text(rated.len())),
                ],
            );
            groups.push(GroupGrade {
                group: "average".to_string(),
                label: "BCI average".to_string(),
                class: format!("{bci:.0}"),
                reasons: vec![why.clone()],
            });
            reasons.push(why);
        }
        if let Some(entry) = critical {
            let bcs = entry.eci.unwrap_or(1.0);
            let bci = indicator(bcs);
            let why = Reason::new(
                "bci.critical",
                vec![
                    ("bci", text(format!("{bci:.0}"))),
                    ("component", text(&entry.grade.component)),
                    ("eci", number(bcs, 2)),
                ],
            );
            groups.push(GroupGrade {
                group: "critical".to_string(),
                label: "BCI critical".to_string(),
                class: format!("{bci:.0}"),
                reasons: vec![why.clone()],
            });
            reasons.push(why);
        }
        let structure_grade = match average {
            Some(bcs) => {
                // The band of the indicator as printed, so that 89.96
                // printed "90" reads "very good".
                let bci = indicator(bcs).round();
                let class = band(bci);
                reasons.push(Reason::new(
                    "bci.band",
                    vec![("band", Arg::Key(band_key(class)))],
                ));
                StructureGrade {
                    class: class.to_string(),
                    label: format!("{class} ({bci:.0})"),
                    safety: false,
                    reasons,
                    structurally_deficient: None,
                }
            }
            None => StructureGrade {
                class: NOT_EVALUATED.to_string(),
                label: NOT_EVALUATED.to_string(),
                safety: false,
                reasons: vec![Reason::new("bci.nothing_evaluated", vec![])],
                structurally_deficient: None,
            },
        };
        Grading {
            scheme: "bci",
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

    #[test]
    fn the_indicator_runs_from_100_to_0_over_the_scores() {
        assert!((indicator(1.0) - 100.0).abs() < 1e-12);
        assert!((indicator(5.0) - 0.0).abs() < 1e-12);
        assert_eq!(band(indicator(1.2)), "very good");
    }

    #[test]
    fn the_condition_score_table() {
        assert_eq!(condition_score(1, 'A'), 1.0);
        assert_eq!(condition_score(2, 'B'), 2.0);
        assert!((condition_score(3, 'D') - 3.3).abs() < 1e-12);
        assert!((condition_score(4, 'E') - 4.7).abs() < 1e-12);
        assert_eq!(condition_score(5, 'C'), 5.0);
    }

    #[test]
    fn a_critical_element_keeps_its_score_and_drives_the_critical_indicator() {
        let mut spall = defect(1, "P1", "CON-SPALL", Some("4"));
        spall.extent = Some(Extent::Widespread);
        let grading = grade_inspection(&Bci, &bridge(), &inspection("bci", &[]), &[spall]);
        let pier = grading
            .components
            .iter()
            .find(|grade| grade.component == "P1")
            .expect("pier");
        assert_eq!(pier.class, "4.3");
        let critical = grading
            .groups
            .iter()
            .find(|group| group.group == "critical")
            .expect("critical");
        assert_eq!(critical.class, format!("{:.0}", indicator(4.3)));
        assert!(Bci.parse_severity("6").is_err());
    }

    #[test]
    fn the_average_weighs_each_element_by_its_importance() {
        let mut spall = defect(1, "P1", "CON-SPALL", Some("4"));
        spall.extent = Some(Extent::Widespread);
        let grading = grade_inspection(&Bci, &bridge(), &inspection("bci", &[]), &[spall]);
        // C0, P1, T1, TAB critical (2.0), J1 and GC equipment (1.2), AP1
        // bearings (1.5); only P1 is damaged, ECS 4.3 kept as its ECI.
        let bcs: f64 = (4.3 * 2.0 + 3.0 * 2.0 + 2.0 * 1.2 + 1.5) / (4.0 * 2.0 + 2.0 * 1.2 + 1.5);
        let expected = 100.0 - 2.0 * (bcs * bcs + 6.5 * bcs - 7.5);
        let average = grading
            .groups
            .iter()
            .find(|group| group.group == "average")
            .expect("average");
        assert_eq!(average.class, format!("{expected:.0}"));
        assert_eq!(grading.structure.class, band(expected.round()));
        assert_eq!(grading.structure.class, "very good");
    }

    #[test]
    fn a_lesser_element_counts_less_the_worse_it_is() {
        // ECI = ECS - (ECS - 1) * ECF: a low-importance element at ECS 3.0
        // has ECF 1.2 - 2/5 = 0.8, so ECI 3.0 - 2 * 0.8 = 1.4.
        let mut ladder = bridge();
        ladder.components = vec![component("W", ComponentKind::Waterproofing)];
        let mut defect = defect(1, "W", "EQP-WATERPROOFING", Some("3"));
        defect.extent = Some(Extent::Isolated);
        let grading = grade_inspection(&Bci, &ladder, &inspection("bci", &[]), &[defect]);
        assert_eq!(grading.components[0].class, "3.0");
        let average = &grading.groups[0];
        assert_eq!(average.class, format!("{:.0}", indicator(1.4)));
        assert!(grading.groups.iter().all(|group| group.group != "critical"));
    }

    #[test]
    fn classes_parse_and_rank_on_one_scale() {
        assert_eq!(Bci.parse_class("2,3").as_deref(), Some("2.3"));
        assert_eq!(Bci.parse_class(" Good ").as_deref(), Some("good"));
        assert_eq!(Bci.parse_class("87").as_deref(), Some("87"));
        assert_eq!(Bci.parse_class("6.0"), None);
        assert_eq!(Bci.class_rank("2.7"), Some(2));
        assert_eq!(Bci.class_rank("5.0"), Some(5));
        assert_eq!(Bci.class_rank("87"), Some(2));
        assert_eq!(Bci.class_rank("very poor"), Some(5));
        assert_eq!(Bci.class_rank("NE"), None);
    }

    #[test]
    fn iqoa_severities_are_carried_over_and_said() {
        let grading = grade_inspection(
            &Bci,
            &bridge(),
            &inspection("iqoa", &[]),
            &[defect(1, "P1", "CON-REBAR", Some("3U"))],
        );
        let pier = grading
            .components
            .iter()
            .find(|grade| grade.component == "P1")
            .expect("pier");
        assert_eq!(pier.class, "5.0");
        assert!(pier
            .reasons
            .iter()
            .any(|reason| reason.contains("crosswalk")));
    }
}
