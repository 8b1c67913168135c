//! The US NBI 0–9 condition ratings with SNBI's severity × extent wording,
//! and the good / fair / poor rule of 23 CFR 490.409.
//!
//! Rules, from the project's grading reference:
//! - a defect is graded inherent, minor, moderate or major, with an extent
//!   (isolated, some, widespread); the SNBI ladder turns that into a code:
//!   9 isolated inherent, 8 some inherent, 7 some minor, 6 widespread minor
//!   or isolated moderate, 5 some moderate, 4 widespread moderate or isolated
//!   major, 3 major (some or widespread);
//! - codes 2, 1 and 0 mean the bridge must be watched closely or closed:
//!   that is an engineering decision, never made by Voussoir, so 3 is the
//!   lowest code computed;
//! - a defect's extent is judged over its component: with 2 to 4 defects of
//!   its type there the extent is at least some, with 5 or more widespread
//!   ([`combined_extent`]);
//! - a component takes the lowest code of its defects, 9 with none;
//! - an item (deck 58, superstructure 59, substructure 60, culvert 62) takes
//!   the lowest code of its components, and is N when the structure has no
//!   such component; on a culvert, 58–60 are N and 62 rates the whole;
//! - the structure is good (7–9), fair (5–6) or poor (0–4) from the lowest of
//!   58, 59, 60 on a bridge, or 62 on a culvert; structurally deficient when
//!   any of them is 4 or less.

use super::reason::{self, text, Arg, Reason};
use super::{
    defects_on, is_not_inspected, ComponentGrade, GradedDefect, Grading, GradingScheme, GroupGrade,
    SeverityError, SeverityInfo, SeverityStep, StructureGrade,
};
use crate::model::{Component, Extent, NbiItem, Structure, StructureKind};

mod items;
mod structure;

use items::{item_rating, ItemRating, ItemValue};
use structure::structure_grade;

/// The NBI grading scheme.
#[derive(Debug, Clone, Copy, Default)]
pub struct Nbi;

/// SNBI's defect severities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NbiSeverity {
    Inherent,
    Minor,
    Moderate,
    Major,
}

impl NbiSeverity {
    pub const ALL: [NbiSeverity; 4] = [
        NbiSeverity::Inherent,
        NbiSeverity::Minor,
        NbiSeverity::Moderate,
        NbiSeverity::Major,
    ];

    pub fn code(self) -> &'static str {
        match self {
            NbiSeverity::Inherent => "inherent",
            NbiSeverity::Minor => "minor",
            NbiSeverity::Moderate => "moderate",
            NbiSeverity::Major => "major",
        }
    }

    pub fn parse(text: &str) -> Option<NbiSeverity> {
        let wanted = text.trim().to_lowercase();
        NbiSeverity::ALL
            .iter()
            .copied()
            .find(|severity| severity.code() == wanted)
    }

    /// The SNBI code a defect of this severity and extent allows.
    pub fn rating(self, extent: Extent) -> u8 {
        use Extent::*;
        use NbiSeverity::*;
        match (self, extent) {
            (Inherent, Isolated) => 9,
            (Inherent, Some | Widespread) => 8,
            (Minor, Isolated | Some) => 7,
            (Minor, Widespread) => 6,
            (Moderate, Isolated) => 6,
            (Moderate, Some) => 5,
            (Moderate, Widespread) => 4,
            (Major, Isolated) => 4,
            (Major, Some | Widespread) => 3,
        }
    }
}

const ALLOWED: &str = "inherent, minor, moderate or major";
/// Extent assumed when the inspector did not record one.
const DEFAULT_EXTENT: Extent = Extent::Some;
const NOT_EVALUATED: &str = "NE";

/// The catalogue key of a rating's word (9 excellent ... 0 failed).
fn label_key(rating: u8) -> &'static str {
    match rating {
        9 => "nbi.label.9",
        8 => "nbi.label.8",
        7 => "nbi.label.7",
        6 => "nbi.label.6",
        5 => "nbi.label.5",
        4 => "nbi.label.4",
        3 => "nbi.label.3",
        2 => "nbi.label.2",
        1 => "nbi.label.1",
        _ => "nbi.label.0",
    }
}

/// The good / fair / poor class of a lowest rating (23 CFR 490.409(b)).
pub fn condition_class(lowest: u8) -> &'static str {
    match lowest {
        7..=9 => "good",
        5 | 6 => "fair",
        _ => "poor",
    }
}

/// The extent a defect counts with on its component: SNBI judges extent
/// over the whole component, so several defects of one type are not
/// "isolated". With 2 to 4 defects of the type on the component the extent
/// is at least `some`, with 5 or more `widespread`. Voussoir's own rule
/// (docs/grading.md): SNBI speaks of the share of the component affected,
/// which a count only approximates.
pub fn combined_extent(recorded: Extent, of_its_type: usize) -> Extent {
    let by_count = match of_its_type {
        0 | 1 => Extent::Isolated,
        2..=4 => Extent::Some,
        _ => Extent::Widespread,
    };
    recorded.max(by_count)
}

struct Rated {
    grade: ComponentGrade,
    rating: Option<u8>,
    item: NbiItem,
}

fn item_for(structure: &Structure, component: &Component) -> NbiItem {
    let item = component.kind.nbi_item();
    if structure.kind == StructureKind::Culvert
        && matches!(
            item,
            NbiItem::Deck | NbiItem::Superstructure | NbiItem::Substructure
        )
    {
        NbiItem::Culvert
    } else {
        item
    }
}

impl Nbi {
    fn rate_component(
        &self,
        structure: &Structure,
        component: &Component,
        defects: &[&GradedDefect<'_>],
        not_inspected: &[String],
    ) -> Rated {
        let item = item_for(structure, component);
        let mut reasons = Vec::new();
        let mut driving_defects = Vec::new();
        if is_not_inspected(&component.code, not_inspected) {
            reasons.push(Reason::new("nbi.not_inspected", vec![]));
            return Rated {
                grade: ComponentGrade {
                    component: component.code.clone(),
                    kind: component.kind,
                    class: NOT_EVALUATED.to_string(),
                    safety: false,
                    driving_defects,
                    reasons,
                },
                rating: None,
                item,
            };
        }

        let mut lowest: Option<u8> = None;
        let mut ungraded = Vec::new();
        let mut driver_texts: Vec<Reason> = Vec::new();
        for graded in defects {
            let Some(severity) = graded.severity.as_deref().and_then(NbiSeverity::parse) else {
                ungraded.push(graded.defect);
                continue;
            };
            let recorded = graded.defect.extent.unwrap_or(DEFAULT_EXTENT);
            let of_its_type = defects
                .iter()
                .filter(|other| {
                    other
                        .defect
                        .type_code
                        .eq_ignore_ascii_case(&graded.defect.type_code)
                })
                .count();
            let extent = combined_extent(recorded, of_its_type);
            let rating = severity.rating(extent);
            let mut extent_note = if graded.defect.extent.is_none() {
                Arg::Parts(vec![Reason::new(
                    "nbi.extent_assumed",
                    vec![("extent", Arg::Extent(recorded))],
                )])
            } else {
                Arg::Extent(recorded)
            };
            if extent != recorded {
                extent_note = Arg::Parts(vec![Reason::new(
                    "nbi.extent_combined",
                    vec![
                        ("recorded", extent_note),
                        ("extent", Arg::Extent(extent)),
                        ("count", text(of_its_type)),
                        ("component", text(&component.code)),
                    ],
                )]);
            }
            let mut args = vec![
                ("defect", reason::defect(graded.defect)),
                ("severity", text(severity.code())),
                ("extent", extent_note),
                ("rating", text(rating)),
            ];
            let key = match &graded.converted_from {
                Some(origin) => {
                    args.push(("origin", text(origin)));
                    "nbi.defect_allows_converted"
                }
                None => "nbi.defect_allows",
            };
            let text = Reason::new(key, args);
            match lowest {
                Some(current) if current < rating => {}
                Some(current) if current == rating => {
                    driving_defects.push(graded.defect.id);
                    driver_texts.push(text);
                }
                _ => {
                    lowest = Some(rating);
                    driving_defects = vec![graded.defect.id];
                    driver_texts = vec![text];
                }
            }
        }

        reasons.extend(super::critical_scour(component, defects));
        let rating = match lowest {
            None if !ungraded.is_empty() => {
                reasons.push(Reason::new(
                    "nbi.ungraded_only",
                    vec![
                        ("defects", reason::defect_list(&ungraded)),
                        ("component", text(&component.code)),
                    ],
                ));
                None
            }
            None => {
                reasons.push(Reason::new("nbi.no_defect", vec![]));
                Some(9)
            }
            Some(found) => {
                reasons.push(Reason::new(
                    "nbi.lowest_defect",
                    vec![("parts", Arg::Parts(driver_texts))],
                ));
                if found == 3 {
                    reasons.push(Reason::new("nbi.stops_at_3", vec![]));
                }
                if !ungraded.is_empty() {
                    reasons.push(Reason::new(
                        "nbi.could_be_lower",
                        vec![("defects", reason::defect_list(&ungraded))],
                    ));
                }
                Some(found)
            }
        };
        if defects.iter().any(|graded| {
            graded
                .severity
                .as_deref()
                .is_some_and(|severity| severity.ends_with('S'))
        }) {
            reasons.push(Reason::new("nbi.safety_dropped", vec![]));
        }

        Rated {
            grade: ComponentGrade {
                component: component.code.clone(),
                kind: component.kind,
                class: rating.map_or(NOT_EVALUATED.to_string(), |rating| rating.to_string()),
                safety: false,
                driving_defects,
                reasons,
            },
            rating,
            item,
        }
    }
}

impl GradingScheme for Nbi {
    fn code(&self) -> &'static str {
        "nbi"
    }

    /// Ratings 9 to 0 as 1 to 10 (larger is worse); the structure's good,
    /// fair and poor as 1 to 3.
    fn class_rank(&self, class: &str) -> Option<usize> {
        match class {
            "good" => Some(1),
            "fair" => Some(2),
            "poor" => Some(3),
            _ => {
                let code: usize = class.trim().parse().ok()?;
                (code <= 9).then(|| 10 - code)
            }
        }
    }

    fn class_scale(&self) -> usize {
        10
    }

    fn component_classes(&self) -> Vec<&'static str> {
        vec!["9", "8", "7", "6", "5", "4", "3", "2", "1", "0", "N"]
    }

    fn group_codes(&self) -> Vec<&'static str> {
        [
            NbiItem::Deck,
            NbiItem::Superstructure,
            NbiItem::Substructure,
            NbiItem::Culvert,
            NbiItem::Railings,
            NbiItem::Bearings,
            NbiItem::Joints,
            NbiItem::ChannelProtection,
        ]
        .iter()
        .map(|item| item.code())
        .collect()
    }

    fn parse_class(&self, text: &str) -> Option<String> {
        match text.trim() {
            "N" | "n" => Some("N".to_string()),
            digit if digit.len() == 1 && digit.chars().all(|c| c.is_ascii_digit()) => {
                Some(digit.to_string())
            }
            _ => None,
        }
    }

    fn classes_help(&self) -> &'static str {
        "a rating from 0 to 9, or N when it does not apply"
    }

    fn name(&self) -> &'static str {
        "NBI condition ratings (USA)"
    }

    fn severities(&self) -> Vec<SeverityInfo> {
        vec![
            SeverityInfo {
                code: "inherent",
                meaning: "inherent defect, as built; no deterioration",
            },
            SeverityInfo {
                code: "minor",
                meaning: "minor deterioration; no effect on strength",
            },
            SeverityInfo {
                code: "moderate",
                meaning: "moderate deterioration; strength not yet affected",
            },
            SeverityInfo {
                code: "major",
                meaning: "major deterioration; strength or performance affected",
            },
        ]
    }

    fn parse_severity(&self, text: &str) -> Result<String, SeverityError> {
        NbiSeverity::parse(text)
            .map(|severity| severity.code().to_string())
            .ok_or_else(|| SeverityError {
                scheme: "NBI",
                given: text.trim().to_string(),
                allowed: ALLOWED,
            })
    }

    fn to_step(&self, severity: &str) -> Option<SeverityStep> {
        let step = match NbiSeverity::parse(severity)? {
            NbiSeverity::Inherent => 1,
            NbiSeverity::Minor => 2,
            NbiSeverity::Moderate => 3,
            NbiSeverity::Major => 5,
        };
        Some(SeverityStep {
            step,
            safety: false,
        })
    }

    fn severity_at_step(&self, step: SeverityStep) -> String {
        let severity = match step.step {
            0 | 1 => NbiSeverity::Inherent,
            2 => NbiSeverity::Minor,
            3 | 4 => NbiSeverity::Moderate,
            _ => NbiSeverity::Major,
        };
        severity.code().to_string()
    }

    fn grade(
        &self,
        structure: &Structure,
        defects: &[GradedDefect<'_>],
        not_inspected: &[String],
    ) -> Grading {
        let rated: Vec<Rated> = structure
            .components
            .iter()
            .map(|component| {
                let on_component = defects_on(defects, &component.code);
                self.rate_component(structure, component, &on_component, not_inspected)
            })
            .collect();

        let items = [
            NbiItem::Deck,
            NbiItem::Superstructure,
            NbiItem::Substructure,
            NbiItem::Culvert,
            NbiItem::Railings,
            NbiItem::Bearings,
            NbiItem::Joints,
            NbiItem::ChannelProtection,
        ];
        let item_ratings: Vec<(NbiItem, ItemRating)> = items
            .iter()
            .map(|item| (*item, item_rating(structure, *item, &rated)))
            .collect();
        let groups = item_ratings
            .iter()
            .map(|(item, rating)| GroupGrade {
                group: item.code().to_string(),
                label: item.label().to_string(),
                class: rating.class(),
                reasons: rating.reasons.clone(),
            })
            .collect();
        let structure_grade = structure_grade(structure, &item_ratings);

        Grading {
            scheme: "nbi",
            components: rated.into_iter().map(|entry| entry.grade).collect(),
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
    use crate::model::{ComponentKind, Defect};

    fn with_extent(mut defect: Defect, extent: Extent) -> Defect {
        defect.extent = Some(extent);
        defect
    }

    fn grade_on(structure: &Structure, defects: &[Defect], not_inspected: &[&str]) -> Grading {
        grade_inspection(&Nbi, structure, &inspection("nbi", not_inspected), defects)
    }

    fn group<'a>(grading: &'a Grading, code: &str) -> &'a GroupGrade {
        grading
            .groups
            .iter()
            .find(|group| group.group == code)
            .expect("group present")
    }

    fn check_rating(severity: NbiSeverity, extent: Extent, expected: u8) {
        assert_eq!(severity.rating(extent), expected, "{severity:?} {extent:?}");
    }

    #[test]
    fn the_snbi_ladder_turns_severity_and_extent_into_a_code() {
        use Extent::*;
        use NbiSeverity::*;
        check_rating(Inherent, Isolated, 9);
        check_rating(Inherent, Some, 8);
        check_rating(Inherent, Widespread, 8);
        check_rating(Minor, Isolated, 7);
        check_rating(Minor, Some, 7);
        check_rating(Minor, Widespread, 6);
        check_rating(Moderate, Isolated, 6);
        check_rating(Moderate, Some, 5);
        check_rating(Moderate, Widespread, 4);
        check_rating(Major, Isolated, 4);
        check_rating(Major, Some, 3);
        check_rating(Major, Widespread, 3);
    }

    fn check_class(lowest: u8, expected: &str) {
        assert_eq!(condition_class(lowest), expected, "{lowest}");
    }

    #[test]
    fn good_fair_poor_follows_23_cfr_490_409() {
        for rating in [7, 8, 9] {
            check_class(rating, "good");
        }
        for rating in [5, 6] {
            check_class(rating, "fair");
        }
        for rating in 0..=4 {
            check_class(rating, "poor");
        }
    }

    #[test]
    fn severities_are_the_four_snbi_words() {
        assert_eq!(
            Nbi.parse_severity("Moderate").ok().as_deref(),
            Some("moderate")
        );
        assert!(Nbi.parse_severity("2E").is_err());
        assert!(Nbi.parse_severity("severe").is_err());
    }

    #[test]
    fn a_bridge_with_no_defects_is_good_at_9() {
        let grading = grade_on(&bridge(), &[], &[]);
        assert_eq!(grading.structure.class, "good");
        assert_eq!(grading.structure.label, "good (9)");
        assert_eq!(group(&grading, "deck").class, "9");
    }

    #[test]
    fn the_lowest_of_deck_superstructure_and_substructure_decides() {
        let defects = [
            with_extent(defect(1, "TAB", "CON-CRACK", Some("minor")), Extent::Some),
            with_extent(defect(2, "P1", "CON-SPALL", Some("moderate")), Extent::Some),
        ];
        let grading = grade_on(&bridge(), &defects, &[]);
        assert_eq!(group(&grading, "deck").class, "7");
        assert_eq!(group(&grading, "superstructure").class, "9");
        assert_eq!(group(&grading, "substructure").class, "5");
        assert_eq!(grading.structure.class, "fair");
        assert!(grading.structure.reasons[0].contains("substructure"));
    }

    #[test]
    fn a_rating_of_4_or_less_is_poor_and_structurally_deficient() {
        let defects = [with_extent(
            defect(1, "T1", "CON-REBAR", Some("major")),
            Extent::Isolated,
        )];
        let grading = grade_on(&bridge(), &defects, &[]);
        assert_eq!(grading.structure.class, "poor");
        assert!(grading
            .structure
            .reasons
            .iter()
            .any(|reason| reason.contains("structurally deficient")));
        assert_eq!(grading.structure.structurally_deficient, Some(true));
    }

    #[test]
    fn a_governing_item_not_rated_leaves_good_fair_poor_unknown() {
        // The substructure (abutment and pier) not inspected: item 60 is
        // not rated, so the lowest of 58, 59, 60 is unknown.
        let grading = grade_on(&bridge(), &[], &["C0", "P1"]);
        assert_eq!(
            grading.structure.class, "NE",
            "{:?}",
            grading.structure.reasons
        );
        assert!(grading.structure.reasons[0].contains("not rated"));
        assert_eq!(grading.structure.structurally_deficient, Some(false));
    }

    #[test]
    fn bearings_joints_and_railings_are_rated_but_do_not_decide() {
        let defects = [with_extent(
            defect(1, "J1", "JNT-LEAK", Some("major")),
            Extent::Widespread,
        )];
        let grading = grade_on(&bridge(), &defects, &[]);
        assert_eq!(group(&grading, "joints").class, "3");
        assert_eq!(grading.structure.class, "good");
    }

    #[test]
    fn the_culvert_item_is_n_on_a_bridge() {
        let grading = grade_on(&bridge(), &[], &[]);
        let culvert = group(&grading, "culvert");
        assert_eq!(culvert.class, "N");
        assert!(culvert.reasons[0].contains("not a culvert"));
        assert_eq!(group(&grading, "channel-protection").class, "N");
    }

    #[test]
    fn on_a_culvert_items_58_to_60_are_n_and_62_decides() {
        let mut culvert = bridge();
        culvert.kind = StructureKind::Culvert;
        culvert.components = vec![
            component("B1", ComponentKind::CulvertBarrel),
            component("MR1", ComponentKind::WingWall),
        ];
        let defects = [with_extent(
            defect(1, "MR1", "CON-CRACK", Some("moderate")),
            Extent::Widespread,
        )];
        let grading = grade_on(&culvert, &defects, &[]);
        assert_eq!(group(&grading, "deck").class, "N");
        assert_eq!(group(&grading, "substructure").class, "N");
        assert_eq!(group(&grading, "culvert").class, "4");
        assert_eq!(grading.structure.class, "poor");
        assert!(grading.structure.reasons[0].contains("item 62"));
    }

    #[test]
    fn a_missing_extent_is_taken_as_some_and_said() {
        let grading = grade_on(
            &bridge(),
            &[defect(1, "P1", "CON-SPALL", Some("moderate"))],
            &[],
        );
        assert_eq!(group(&grading, "substructure").class, "5");
        let pier = grading
            .components
            .iter()
            .find(|grade| grade.component == "P1")
            .expect("graded");
        assert!(pier.reasons[0].contains("no extent recorded"));
    }

    #[test]
    fn nbi_reasons_read_in_french_for_a_french_course() {
        let eight: Vec<Defect> = (1..=3)
            .map(|id| {
                with_extent(
                    defect(id, "P1", "CON-SPALL", Some("major")),
                    Extent::Isolated,
                )
            })
            .collect();
        let grading = grade_on(&bridge(), &eight, &[]);
        let pier = &grading.components[1];
        let french: Vec<String> = pier
            .reasons
            .iter()
            .map(|reason| reason.in_language("fr"))
            .collect();
        assert!(
            french[0].starts_with("désordre le plus grave"),
            "{french:?}"
        );
        assert!(
            french[0].contains("éclatement") || french[0].contains("épaufrure"),
            "{french:?}"
        );
        assert!(french[0].contains("pris comme"), "{french:?}");
        assert!(
            french.iter().any(|text| text.contains("s'arrête à 3")),
            "{french:?}"
        );
        let structure: Vec<String> = grading
            .structure
            .reasons
            .iter()
            .map(|reason| reason.in_language("fr"))
            .collect();
        assert!(
            structure.iter().any(|text| text.contains("grave")),
            "{structure:?}"
        );
        assert!(structure
            .iter()
            .any(|text| text.contains("structurellement déficient")));
    }

    #[test]
    fn eight_isolated_spalls_are_not_isolated() {
        let one = [with_extent(
            defect(1, "P1", "CON-SPALL", Some("moderate")),
            Extent::Isolated,
        )];
        assert_eq!(
            group(&grade_on(&bridge(), &one, &[]), "substructure").class,
            "6"
        );
        let eight: Vec<Defect> = (1..=8)
            .map(|id| {
                with_extent(
                    defect(id, "P1", "CON-SPALL", Some("moderate")),
                    Extent::Isolated,
                )
            })
            .collect();
        let grading = grade_on(&bridge(), &eight, &[]);
        assert_eq!(group(&grading, "substructure").class, "4");
        let pier = &grading.components[1];
        assert!(
            pier.reasons[0].contains("taken as widespread for the component: 8 defects"),
            "{:?}",
            pier.reasons
        );
        assert_eq!(combined_extent(Extent::Isolated, 3), Extent::Some);
        assert_eq!(combined_extent(Extent::Widespread, 1), Extent::Widespread);
    }

    #[test]
    fn an_unknown_severity_leaves_the_component_unrated() {
        let grading = grade_on(&bridge(), &[defect(1, "P1", "CON-SPALL", None)], &[]);
        let pier = grading
            .components
            .iter()
            .find(|grade| grade.component == "P1")
            .expect("graded");
        assert_eq!(pier.class, "NE");
        // C0 is still rated, so the substructure keeps a rating.
        let substructure = group(&grading, "substructure");
        assert_eq!(substructure.class, "9");
        assert!(substructure
            .reasons
            .iter()
            .any(|reason| reason.contains("not rated: P1")));
    }

    #[test]
    fn nothing_rated_leaves_the_structure_not_evaluated() {
        let all: Vec<String> = bridge().components.iter().map(|c| c.code.clone()).collect();
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        let grading = grade_on(&bridge(), &[], &refs);
        assert_eq!(grading.structure.class, "NE");
        assert_eq!(group(&grading, "deck").class, "NE");
    }

    #[test]
    fn the_lowest_computed_code_is_3_and_the_reason_says_why() {
        let defects = [with_extent(
            defect(1, "P1", "UW-SCOUR", Some("major")),
            Extent::Widespread,
        )];
        let grading = grade_on(&bridge(), &defects, &[]);
        let pier = grading
            .components
            .iter()
            .find(|grade| grade.component == "P1")
            .expect("graded");
        assert_eq!(pier.class, "3");
        assert!(pier
            .reasons
            .iter()
            .any(|reason| reason.contains("stops at 3")));
    }
}
