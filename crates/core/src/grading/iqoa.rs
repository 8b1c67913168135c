//! The French IQOA classes: 1, 2, 2E, 3, 3U, the S mention and NE.
//!
//! Rules, from the project's grading reference:
//! - a defect is graded with the class it implies for its part (1 to 3U),
//!   with `S` appended when it threatens user safety;
//! - a component takes the worst class of its defects; with no defect it is
//!   class 1; a component not inspected is NE (*non évalué*);
//! - equipment and protection defects (the catalogue's list: drainage,
//!   surfacing, waterproofing, coating, joints, parapets, cornices) imply
//!   at most 2E, whatever part they are seen on (the reference marks this
//!   rule as unconfirmed); a structural defect is graded as structural on
//!   any part, and the reason says when a class was capped;
//! - a component marked not inspected is NE; defects recorded on it do not
//!   set a class but are listed in a warning, and their S mention counts;
//! - the structure takes the worst class of its evaluated components; the S
//!   mention is carried when any defect has it; NE when nothing was evaluated.

use std::fmt;

use super::reason::{self, crosswalk, defect_list, graded_list, text, Arg, Reason};
use super::{
    critical_scour, defects_on, is_not_inspected, ComponentGrade, GradedDefect, Grading,
    GradingScheme, GroupGrade, SeverityError, SeverityInfo, SeverityStep, StructureGrade,
};

use crate::catalogue;
use crate::model::{IqoaPart, Structure};

/// The IQOA grading scheme.
#[derive(Debug, Clone, Copy, Default)]
pub struct Iqoa;

/// One IQOA class, ordered best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IqoaClass {
    One,
    Two,
    TwoE,
    Three,
    ThreeU,
}

impl IqoaClass {
    pub const ALL: [IqoaClass; 5] = [
        IqoaClass::One,
        IqoaClass::Two,
        IqoaClass::TwoE,
        IqoaClass::Three,
        IqoaClass::ThreeU,
    ];

    pub fn code(self) -> &'static str {
        match self {
            IqoaClass::One => "1",
            IqoaClass::Two => "2",
            IqoaClass::TwoE => "2E",
            IqoaClass::Three => "3",
            IqoaClass::ThreeU => "3U",
        }
    }

    /// Position on the 1..=5 ordinal scale used for agreement statistics.
    pub fn ordinal(self) -> u8 {
        self as u8 + 1
    }

    /// The key of this class's meaning in the reasons catalogue.
    fn meaning_key(self) -> &'static str {
        match self {
            IqoaClass::One => "iqoa.meaning.1",
            IqoaClass::Two => "iqoa.meaning.2",
            IqoaClass::TwoE => "iqoa.meaning.2E",
            IqoaClass::Three => "iqoa.meaning.3",
            IqoaClass::ThreeU => "iqoa.meaning.3U",
        }
    }

    fn meaning(self) -> &'static str {
        crate::words::reasons::template("en", self.meaning_key()).unwrap_or("")
    }

    /// Parses `2E`, `3u`, `2ES` into a class and the S mention.
    pub fn parse(text: &str) -> Option<(IqoaClass, bool)> {
        let upper = text.trim().to_uppercase();
        let (body, safety) = match upper.strip_suffix('S') {
            Some(body) if !body.is_empty() => (body.to_string(), true),
            _ => (upper, false),
        };
        let class = IqoaClass::ALL
            .iter()
            .copied()
            .find(|class| class.code() == body.trim())?;
        Some((class, safety))
    }
}

impl fmt::Display for IqoaClass {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.code())
    }
}

const ALLOWED: &str = "1, 2, 2E, 3 or 3U, with S appended for a user-safety defect (e.g. 2S)";
const NOT_EVALUATED: &str = "NE";
/// The worst class an equipment or protection part can reach.
const EQUIPMENT_CAP: IqoaClass = IqoaClass::TwoE;

fn label(class: IqoaClass, safety: bool) -> String {
    if safety {
        format!("{class}S")
    } else {
        class.to_string()
    }
}

fn part_name(part: IqoaPart) -> &'static str {
    match part {
        IqoaPart::Structure => "structure",
        IqoaPart::Equipment => "equipment",
        IqoaPart::Protection => "protection",
    }
}

/// A component's grade as a class (None when not evaluated).
struct Evaluated {
    grade: ComponentGrade,
    class: Option<IqoaClass>,
    part: IqoaPart,
}

impl Iqoa {
    fn grade_component(
        &self,
        component: &crate::model::Component,
        defects: &[&GradedDefect<'_>],
        not_inspected: &[String],
    ) -> Evaluated {
        let part = component.kind.iqoa_part();
        let mut reasons = Vec::new();
        let mut driving_defects = Vec::new();
        let mut safety = false;

        if is_not_inspected(&component.code, not_inspected) {
            reasons.push(Reason::new("iqoa.not_inspected", vec![]));
            if !defects.is_empty() {
                reasons.push(Reason::new(
                    "iqoa.defects_on_not_inspected",
                    vec![
                        ("count", text(defects.len())),
                        ("component", text(&component.code)),
                        ("defects", graded_list(defects)),
                    ],
                ));
                safety = defects.iter().any(|graded| {
                    graded
                        .severity
                        .as_deref()
                        .and_then(IqoaClass::parse)
                        .is_some_and(|(_, safety)| safety)
                });
            }
            return Evaluated {
                grade: ComponentGrade {
                    component: component.code.clone(),
                    kind: component.kind,
                    class: NOT_EVALUATED.to_string(),
                    safety,
                    driving_defects,
                    reasons,
                },
                class: None,
                part,
            };
        }

        let mut worst: Option<IqoaClass> = None;
        let mut ungraded = Vec::new();
        for graded in defects {
            let parsed = graded.severity.as_deref().and_then(IqoaClass::parse);
            match parsed {
                None => ungraded.push(graded.defect),
                Some((implied, defect_safety)) => {
                    let equipment = catalogue::find(&graded.defect.type_code)
                        .is_some_and(|entry| entry.is_equipment());
                    let class = if equipment && implied > EQUIPMENT_CAP {
                        reasons.push(Reason::new(
                            "iqoa.equipment_cap",
                            vec![
                                ("defect", reason::defect(graded.defect)),
                                ("cap", text(EQUIPMENT_CAP)),
                                ("implied", text(implied)),
                            ],
                        ));
                        EQUIPMENT_CAP
                    } else {
                        implied
                    };
                    if defect_safety {
                        safety = true;
                        reasons.push(Reason::new(
                            "iqoa.safety",
                            vec![("defect", reason::defect(graded.defect))],
                        ));
                    }
                    match worst {
                        Some(current) if current > class => {}
                        Some(current) if current == class => driving_defects.push(graded.defect.id),
                        _ => {
                            worst = Some(class);
                            driving_defects = vec![graded.defect.id];
                        }
                    }
                }
            }
        }

        reasons.extend(critical_scour(component, defects));
        let class = match worst {
            None if !ungraded.is_empty() => {
                reasons.push(Reason::new(
                    "iqoa.ungraded_only",
                    vec![
                        ("defects", defect_list(&ungraded)),
                        ("component", text(&component.code)),
                    ],
                ));
                None
            }
            None => {
                reasons.push(Reason::new("iqoa.no_defect", vec![]));
                Some(IqoaClass::One)
            }
            Some(found) => {
                let drivers: Vec<&GradedDefect<'_>> = defects
                    .iter()
                    .copied()
                    .filter(|graded| driving_defects.contains(&graded.defect.id))
                    .collect();
                reasons.insert(
                    0,
                    Reason::new(
                        "iqoa.worst_defect",
                        vec![("defects", graded_list(&drivers))],
                    ),
                );
                for graded in &drivers {
                    if let Some(origin) = crosswalk(graded) {
                        reasons.push(origin);
                    }
                }
                if !ungraded.is_empty() {
                    reasons.push(Reason::new(
                        "iqoa.could_be_worse",
                        vec![("defects", defect_list(&ungraded))],
                    ));
                }
                Some(found)
            }
        };

        Evaluated {
            grade: ComponentGrade {
                component: component.code.clone(),
                kind: component.kind,
                class: class.map_or(NOT_EVALUATED.to_string(), |class| label(class, false)),
                safety,
                driving_defects,
                reasons,
            },
            class,
            part,
        }
    }
}

impl GradingScheme for Iqoa {
    fn code(&self) -> &'static str {
        "iqoa"
    }

    fn class_rank(&self, class: &str) -> Option<usize> {
        IqoaClass::parse(class).map(|(class, _)| usize::from(class.ordinal()))
    }

    fn class_scale(&self) -> usize {
        IqoaClass::ALL.len()
    }

    fn component_classes(&self) -> Vec<&'static str> {
        vec!["1", "2", "2E", "3", "3U", "NE"]
    }

    fn group_codes(&self) -> Vec<&'static str> {
        vec!["structure", "equipment", "protection"]
    }

    fn parse_class(&self, text: &str) -> Option<String> {
        if text.trim().eq_ignore_ascii_case("NE") {
            return Some("NE".to_string());
        }
        IqoaClass::parse(text)
            .map(|(class, safety)| format!("{}{}", class.code(), if safety { "S" } else { "" }))
    }

    fn classes_help(&self) -> &'static str {
        "1, 2, 2E, 3 or 3U (with S for user safety), or NE when not evaluated"
    }

    fn name(&self) -> &'static str {
        "IQOA (France)"
    }

    fn severities(&self) -> Vec<SeverityInfo> {
        IqoaClass::ALL
            .iter()
            .map(|class| SeverityInfo {
                code: class.code(),
                meaning: class.meaning(),
            })
            .chain(std::iter::once(SeverityInfo {
                code: "…S",
                meaning: "append S when the defect threatens user safety (2S, 3US)",
            }))
            .collect()
    }

    fn parse_severity(&self, text: &str) -> Result<String, SeverityError> {
        IqoaClass::parse(text)
            .map(|(class, safety)| label(class, safety))
            .ok_or_else(|| SeverityError {
                scheme: "IQOA",
                given: text.trim().to_string(),
                allowed: ALLOWED,
            })
    }

    fn to_step(&self, severity: &str) -> Option<SeverityStep> {
        IqoaClass::parse(severity).map(|(class, safety)| SeverityStep {
            step: class.ordinal(),
            safety,
        })
    }

    fn severity_at_step(&self, step: SeverityStep) -> String {
        let index = usize::from(step.step.clamp(1, 5) - 1);
        label(IqoaClass::ALL[index], step.safety)
    }

    fn grade(
        &self,
        structure: &Structure,
        defects: &[GradedDefect<'_>],
        not_inspected: &[String],
    ) -> Grading {
        let evaluated: Vec<Evaluated> = structure
            .components
            .iter()
            .map(|component| {
                let on_component = defects_on(defects, &component.code);
                self.grade_component(component, &on_component, not_inspected)
            })
            .collect();

        let groups = [
            IqoaPart::Structure,
            IqoaPart::Equipment,
            IqoaPart::Protection,
        ]
        .into_iter()
        .map(|part| group_grade(part, &evaluated))
        .collect();

        let structure_grade = structure_grade(&evaluated);
        Grading {
            scheme: "iqoa",
            components: evaluated.into_iter().map(|entry| entry.grade).collect(),
            groups,
            structure: structure_grade,
        }
    }
}

fn group_grade(part: IqoaPart, evaluated: &[Evaluated]) -> GroupGrade {
    let members: Vec<&Evaluated> = evaluated
        .iter()
        .filter(|entry| entry.part == part)
        .collect();
    let (class, reasons) = if members.is_empty() {
        (
            "N".to_string(),
            vec![Reason::new(
                "iqoa.no_part",
                vec![("part", text(part_name(part)))],
            )],
        )
    } else {
        match worst_of(&members) {
            None => (
                NOT_EVALUATED.to_string(),
                vec![Reason::new("iqoa.part_not_evaluated", vec![])],
            ),
            Some((class, codes)) => (
                class.to_string(),
                vec![Reason::new(
                    "iqoa.worst_component",
                    vec![("components", text(codes.join(", ")))],
                )],
            ),
        }
    };
    GroupGrade {
        group: part_name(part).to_string(),
        label: format!("IQOA {}", part_name(part)),
        class,
        reasons,
    }
}

/// The worst class among evaluated components, with the codes holding it.
fn worst_of(members: &[&Evaluated]) -> Option<(IqoaClass, Vec<String>)> {
    let worst = members.iter().filter_map(|entry| entry.class).max()?;
    let codes = members
        .iter()
        .filter(|entry| entry.class == Some(worst))
        .map(|entry| entry.grade.component.clone())
        .collect();
    Some((worst, codes))
}

fn structure_grade(evaluated: &[Evaluated]) -> StructureGrade {
    let members: Vec<&Evaluated> = evaluated.iter().collect();
    let safety = evaluated.iter().any(|entry| entry.grade.safety);
    let not_evaluated: Vec<&str> = evaluated
        .iter()
        .filter(|entry| entry.class.is_none())
        .map(|entry| entry.grade.component.as_str())
        .collect();
    let mut reasons = Vec::new();
    let structural_seen = evaluated
        .iter()
        .any(|entry| entry.part == IqoaPart::Structure && entry.class.is_some());
    let class = match worst_of(&members) {
        None => {
            reasons.push(Reason::new("iqoa.nothing_evaluated", vec![]));
            None
        }
        // Equipment and protection alone cannot say how the structure
        // stands: the structure is not evaluated (partial), not 2E.
        Some((class, _)) if !structural_seen => {
            reasons.push(Reason::new("iqoa.partial", vec![("class", text(class))]));
            None
        }
        Some((class, codes)) => {
            let drivers: Vec<Reason> = evaluated
                .iter()
                .filter(|entry| codes.contains(&entry.grade.component))
                .map(|entry| {
                    let ids: Vec<String> = entry
                        .grade
                        .driving_defects
                        .iter()
                        .map(|id| format!("#{id}"))
                        .collect();
                    let component = ("component", text(&entry.grade.component));
                    if ids.is_empty() {
                        Reason::new("iqoa.component", vec![component])
                    } else {
                        Reason::new(
                            "iqoa.component_defects",
                            vec![component, ("ids", text(ids.join(", ")))],
                        )
                    }
                })
                .collect();
            reasons.push(Reason::new(
                "iqoa.structure_class",
                vec![("class", text(class)), ("components", Arg::Listed(drivers))],
            ));
            reasons.push(Reason::new(
                "iqoa.class_means",
                vec![
                    ("class", text(class)),
                    ("meaning", Arg::Key(class.meaning_key())),
                ],
            ));
            Some(class)
        }
    };
    if class.is_some() && !not_evaluated.is_empty() {
        reasons.push(Reason::new(
            "iqoa.not_evaluated",
            vec![("components", text(not_evaluated.join(", ")))],
        ));
    }
    if safety {
        let flagged: Vec<&str> = evaluated
            .iter()
            .filter(|entry| entry.grade.safety)
            .map(|entry| entry.grade.component.as_str())
            .collect();
        reasons.push(Reason::new(
            "iqoa.safety_on",
            vec![("components", text(flagged.join(", ")))],
        ));
    }
    StructureGrade {
        class: class.map_or(NOT_EVALUATED.to_string(), |class| class.to_string()),
        label: match class {
            Some(class) => label(class, safety),
            None => NOT_EVALUATED.to_string(),
        },
        safety,
        reasons,
        structurally_deficient: None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::super::{grade_inspection, GradingScheme};
    use super::*;
    use crate::model::{ComponentKind, Defect};

    fn grade(defects: &[Defect], not_inspected: &[&str]) -> Grading {
        grade_inspection(
            &Iqoa,
            &bridge(),
            &inspection("iqoa", not_inspected),
            defects,
        )
    }

    fn component_class(grading: &Grading, code: &str) -> String {
        grading
            .components
            .iter()
            .find(|grade| grade.component == code)
            .map(|grade| grade.class.clone())
            .expect("component graded")
    }

    fn check_severity(input: &str, expected: Option<&str>) {
        assert_eq!(
            Iqoa.parse_severity(input).ok().as_deref(),
            expected,
            "{input}"
        );
    }

    #[test]
    fn without_any_structural_component_evaluated_the_structure_is_not_evaluated() {
        let skipped = ["C0", "P1", "T1", "TAB", "AP1", "J1"];
        let grading = grade(&[defect(1, "GC", "EQP-PARAPET", Some("2E"))], &skipped);
        assert_eq!(
            grading.structure.class, "NE",
            "{:?}",
            grading.structure.reasons
        );
        assert!(
            grading.structure.reasons[0].contains("no structural component was evaluated"),
            "{:?}",
            grading.structure.reasons
        );
    }

    #[test]
    fn severities_parse_to_canonical_codes() {
        check_severity("1", Some("1"));
        check_severity("2", Some("2"));
        check_severity("2e", Some("2E"));
        check_severity(" 3U ", Some("3U"));
        check_severity("2S", Some("2S"));
        check_severity("2es", Some("2ES"));
        check_severity("3us", Some("3US"));
        check_severity("7", None);
        check_severity("S", None);
        check_severity("4", None);
        check_severity("", None);
    }

    #[test]
    fn an_unknown_severity_error_lists_the_classes() {
        let error = Iqoa.parse_severity("7").expect_err("refused");
        assert_eq!(
            error.to_string(),
            "severity `7` is outside IQOA; use 1, 2, 2E, 3 or 3U, with S appended for a user-safety defect (e.g. 2S)"
        );
    }

    #[test]
    fn classes_are_ordered_best_to_worst() {
        assert!(IqoaClass::One < IqoaClass::Two);
        assert!(IqoaClass::Two < IqoaClass::TwoE);
        assert!(IqoaClass::TwoE < IqoaClass::Three);
        assert!(IqoaClass::Three < IqoaClass::ThreeU);
    }

    #[test]
    fn a_structure_with_no_defects_is_class_1() {
        let grading = grade(&[], &[]);
        assert_eq!(grading.structure.class, "1");
        assert!(grading
            .components
            .iter()
            .all(|grade| grade.class == "1" && grade.reasons[0].contains("no defect")));
    }

    #[test]
    fn a_component_takes_the_worst_class_of_its_defects() {
        let defects = [
            defect(1, "P1", "CON-CRACK", Some("2")),
            defect(2, "P1", "CON-REBAR", Some("3")),
            defect(3, "P1", "CON-EFFLO", Some("2E")),
        ];
        let grading = grade(&defects, &[]);
        assert_eq!(component_class(&grading, "P1"), "3");
        let pier = &grading.components[1];
        assert_eq!(pier.driving_defects, vec![2]);
        assert!(pier.reasons[0].contains("#2 CON-REBAR"));
    }

    #[test]
    fn a_component_with_no_defects_is_class_1_beside_a_damaged_one() {
        let grading = grade(&[defect(1, "P1", "CON-SPALL", Some("2E"))], &[]);
        assert_eq!(component_class(&grading, "C0"), "1");
        assert_eq!(component_class(&grading, "P1"), "2E");
    }

    #[test]
    fn the_structure_takes_the_worst_component_class() {
        let defects = [
            defect(1, "C0", "CON-CRACK", Some("2")),
            defect(2, "T1", "CON-SPALL", Some("3U")),
            defect(3, "P1", "CON-REBAR", Some("3")),
        ];
        let grading = grade(&defects, &[]);
        assert_eq!(grading.structure.class, "3U");
        assert!(grading.structure.reasons[0].contains("T1 (defect #2)"));
    }

    #[test]
    fn equipment_defects_cannot_push_beyond_2e() {
        let grading = grade(&[defect(1, "J1", "JNT-LEAK", Some("3U"))], &[]);
        assert_eq!(component_class(&grading, "J1"), "2E");
        assert_eq!(grading.structure.class, "2E");
        let joint = grading
            .components
            .iter()
            .find(|grade| grade.component == "J1")
            .expect("graded");
        assert!(joint
            .reasons
            .iter()
            .any(|reason| reason.contains("at most 2E")));
    }

    #[test]
    fn only_structural_defects_give_class_3() {
        let defects = [
            defect(1, "GC", "EQP-PARAPET", Some("3")),
            defect(2, "C0", "CON-CRACK", Some("3")),
        ];
        let grading = grade(&defects, &[]);
        assert_eq!(grading.structure.class, "3");
        assert!(grading.structure.reasons[0].contains("C0"));
        assert!(!grading.structure.reasons[0].contains("GC"));
    }

    #[test]
    fn a_safety_defect_adds_the_s_mention_to_the_structure() {
        let defects = [
            defect(1, "GC", "EQP-PARAPET", Some("2S")),
            defect(2, "P1", "CON-CRACK", Some("2E")),
        ];
        let grading = grade(&defects, &[]);
        assert_eq!(grading.structure.class, "2E");
        assert!(grading.structure.safety);
        assert_eq!(grading.structure.label, "2ES");
        assert!(grading
            .structure
            .reasons
            .iter()
            .any(|reason| reason.contains("S mention") && reason.contains("GC")));
    }

    #[test]
    fn a_defect_with_unknown_severity_leaves_its_component_not_evaluated() {
        let grading = grade(&[defect(1, "P1", "CON-CRACK", None)], &[]);
        assert_eq!(component_class(&grading, "P1"), "NE");
        // The rest of the bridge is still graded, and the gap is said.
        assert_eq!(grading.structure.class, "1");
        assert!(grading
            .structure
            .reasons
            .iter()
            .any(|reason| reason.contains("not evaluated: P1")));
    }

    #[test]
    fn an_unknown_severity_beside_a_known_one_warns_the_class_could_be_worse() {
        let defects = [
            defect(1, "P1", "CON-CRACK", Some("2")),
            defect(2, "P1", "CON-SPALL", None),
        ];
        let grading = grade(&defects, &[]);
        assert_eq!(component_class(&grading, "P1"), "2");
        let pier = &grading.components[1];
        assert!(pier
            .reasons
            .iter()
            .any(|reason| reason.contains("could be worse")));
    }

    #[test]
    fn a_component_not_inspected_is_ne_and_ignored_by_the_structure() {
        let defects = [defect(1, "P1", "UW-SCOUR", Some("3U"))];
        let grading = grade(&defects, &["P1"]);
        assert_eq!(component_class(&grading, "P1"), "NE");
        assert_eq!(grading.structure.class, "1");
    }

    #[test]
    fn the_cap_follows_the_defect_type_not_the_part() {
        // Waterproofing failure on the deck: an equipment defect, capped.
        let grading = grade(&[defect(1, "TAB", "EQP-WATERPROOFING", Some("3"))], &[]);
        assert_eq!(component_class(&grading, "TAB"), "2E");
        // A structural crack on a cornice-like equipment part: not capped.
        let grading = grade(&[defect(2, "J1", "CON-CRACK", Some("3"))], &[]);
        assert_eq!(component_class(&grading, "J1"), "3");
        assert_eq!(grading.structure.class, "3");
    }

    #[test]
    fn a_component_of_kind_other_is_not_equipment() {
        assert_eq!(ComponentKind::Other.iqoa_part(), IqoaPart::Structure);
        for kind in [
            ComponentKind::Cable,
            ComponentKind::Stay,
            ComponentKind::Hanger,
            ComponentKind::Pylon,
            ComponentKind::TrussMember,
            ComponentKind::TimberMember,
        ] {
            assert_eq!(kind.iqoa_part(), IqoaPart::Structure, "{kind:?}");
            assert_eq!(kind.nbi_item(), crate::model::NbiItem::Superstructure);
        }
    }

    #[test]
    fn defects_on_a_component_not_inspected_are_reported_with_their_s() {
        let defects = [defect(5, "P1", "CON-CRACK", Some("3S"))];
        let grading = grade(&defects, &["P1"]);
        let pier = &grading.components[1];
        assert_eq!(pier.class, "NE");
        assert!(
            pier.reasons.iter().any(|reason| reason
                .contains("warning: 1 defect(s) recorded on P1")
                && reason.contains("#5 CON-CRACK")),
            "{:?}",
            pier.reasons
        );
        assert!(grading.structure.safety, "the S mention is kept");
        assert_eq!(grading.structure.label, "1S");
    }

    #[test]
    fn scour_beyond_the_critical_depth_is_said() {
        let mut structure = bridge();
        structure.components[1].critical_scour_depth_m = Some(1.5);
        let mut scour = defect(3, "P1", "UW-SCOUR", Some("3"));
        scour.measurements.scour_depth_m = Some(1.8);
        let grading = grade_inspection(&Iqoa, &structure, &inspection("iqoa", &[]), &[scour]);
        assert!(grading.components[1]
            .reasons
            .iter()
            .any(|reason| reason.contains("scour depth 1.8 m reaches the critical depth 1.5 m")));
    }

    #[test]
    fn reasons_are_worded_in_french_with_the_types_french_names() {
        let grading = grade(&[defect(2, "T1", "CON-CRACK", Some("3"))], &[]);
        let span = &grading.components[2];
        assert_eq!(
            span.reasons[0].to_string(),
            "worst defect: #2 CON-CRACK (crack) 3"
        );
        assert_eq!(
            span.reasons[0].in_language("fr"),
            "désordre le plus grave : #2 CON-CRACK (fissure) 3"
        );
        let meaning = grading
            .structure
            .reasons
            .iter()
            .find(|reason| reason.key() == "iqoa.class_means")
            .expect("the class's meaning");
        assert!(
            meaning.in_language("fr").contains("structure altérée"),
            "{meaning}"
        );
    }

    #[test]
    fn nothing_evaluated_makes_the_structure_ne() {
        let codes: Vec<String> = bridge().components.iter().map(|c| c.code.clone()).collect();
        let refs: Vec<&str> = codes.iter().map(String::as_str).collect();
        let grading = grade(&[], &refs);
        assert_eq!(
            grading.structure.class, "NE",
            "{:?}",
            grading.structure.reasons
        );
        assert_eq!(grading.structure.label, "NE");
    }

    #[test]
    fn groups_report_each_part_family() {
        let defects = [
            defect(1, "J1", "JNT-LEAK", Some("2")),
            defect(2, "T1", "CON-CRACK", Some("3")),
        ];
        let grading = grade(&defects, &[]);
        let group = |code: &str| {
            grading
                .groups
                .iter()
                .find(|group| group.group == code)
                .map(|group| group.class.clone())
                .expect("group")
        };
        assert_eq!(group("structure"), "3");
        assert_eq!(group("equipment"), "2");
        // The test bridge has no protection component.
        assert_eq!(group("protection"), "N");
    }
}
