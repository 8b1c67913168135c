//! Grading schemes: from an inspection's defects to component and structure
//! grades, each with the reasons that drove it.
//!
//! Every scheme implements [`GradingScheme`]; a course picks one by code
//! (`iqoa`, `nbi`). Severities are recorded in the inspection's own scheme;
//! grading in another scheme goes through a documented five-step crosswalk
//! ([`SeverityStep`]), and the reasons say so.

mod bci;
mod iqoa;
mod mbei;
mod nbi;
pub mod own;
pub mod reason;
mod ri_ebw_pruef;

pub use bci::Bci;
pub use iqoa::{Iqoa, IqoaClass};
pub use mbei::{bridge_health_index, linear_weights, ElementStates, Mbei};
pub use nbi::{Nbi, NbiSeverity};
pub use ri_ebw_pruef::{Rating as RiEbwRating, RiEbwPruef};

use serde::Serialize;

use crate::model::{ComponentKind, Defect, Inspection, Structure, UnknownCode};

/// A common five-step ladder used to carry a severity from one scheme to
/// another: 1 no significant defect, 2 minor, 3 needs urgent maintenance,
/// 4 structure altered, 5 seriously altered. This crosswalk is Voussoir's
/// own teaching aid, not an official correspondence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SeverityStep {
    pub step: u8,
    /// IQOA's "S" mention: a threat to user safety.
    pub safety: bool,
}

/// One accepted severity value with its meaning, for help texts.
#[derive(Debug, Clone, Serialize)]
pub struct SeverityInfo {
    pub code: &'static str,
    pub meaning: &'static str,
}

/// A severity that the scheme does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("severity `{given}` is outside {scheme}; use {allowed}")]
pub struct SeverityError {
    pub scheme: &'static str,
    pub given: String,
    pub allowed: &'static str,
}

/// The grade of one component.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentGrade {
    pub component: String,
    pub kind: ComponentKind,
    /// `1`, `2E`, `3U`... for IQOA, `0`–`9` for NBI; `NE` when not evaluated.
    pub class: String,
    /// IQOA's "S" mention on this component.
    pub safety: bool,
    /// Ids of the defects that set the class.
    pub driving_defects: Vec<i64>,
    pub reasons: Vec<reason::Reason>,
}

/// The grade of a group of components: an IQOA part family or an NBI item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupGrade {
    /// Stable code: `structure`, `equipment`, `protection`, `deck`...
    pub group: String,
    pub label: String,
    /// The group's class, `N` when it does not apply, `NE` when not evaluated.
    pub class: String,
    pub reasons: Vec<reason::Reason>,
}

/// The grade of the whole structure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StructureGrade {
    /// `2E`, `3U`... for IQOA; `good`, `fair`, `poor` for NBI; `NE` when
    /// nothing could be evaluated.
    pub class: String,
    /// The class as printed, with IQOA's S mention appended (`2ES`).
    pub label: String,
    pub safety: bool,
    pub reasons: Vec<reason::Reason>,
    /// NBI only: an item among 58, 59, 60, 62 rated 4 or less
    /// (23 CFR 490.411); `None` in schemes without the notion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structurally_deficient: Option<bool>,
}

/// A complete grading of one inspection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grading {
    pub scheme: &'static str,
    pub components: Vec<ComponentGrade>,
    pub groups: Vec<GroupGrade>,
    pub structure: StructureGrade,
}

/// A defect ready for grading: its severity already in the scheme's terms.
#[derive(Debug, Clone)]
pub struct GradedDefect<'a> {
    pub defect: &'a Defect,
    /// Canonical severity in the grading scheme, or `None` when unknown.
    pub severity: Option<String>,
    /// Set when the severity was carried over from another scheme.
    pub converted_from: Option<String>,
}

/// A way of grading a structure from its defects.
pub trait GradingScheme: Sync {
    /// Stable code used in course files and on the command line.
    fn code(&self) -> &'static str;
    /// Human name, such as "IQOA (France)".
    fn name(&self) -> &'static str;
    /// Accepted severities with their meaning.
    fn severities(&self) -> Vec<SeverityInfo>;
    /// Parses what a user typed into the canonical severity code.
    fn parse_severity(&self, text: &str) -> Result<String, SeverityError>;
    /// Places a canonical severity on the common ladder.
    fn to_step(&self, severity: &str) -> Option<SeverityStep>;
    /// Picks this scheme's severity for a step of the common ladder.
    fn severity_at_step(&self, step: SeverityStep) -> String;
    /// The place of a class this scheme gives (a component's, a group's
    /// or the structure's) on its ordinal scale, 1 for the best and larger
    /// for worse; `None` for "not evaluated" or "not applicable".
    fn class_rank(&self, class: &str) -> Option<usize>;
    /// The number of steps of the component scale ranked by `class_rank`.
    fn class_scale(&self) -> usize;
    /// The component classes offered in forms, best first, then the
    /// "not evaluated" or "not applicable" code.
    fn component_classes(&self) -> Vec<&'static str>;
    /// The group codes a trainee may grade (`group:CODE`).
    fn group_codes(&self) -> Vec<&'static str>;
    /// A class typed by a user, in canonical form, or `None`.
    fn parse_class(&self, text: &str) -> Option<String>;
    /// What `parse_class` accepts, for error messages.
    fn classes_help(&self) -> &'static str;
    /// Grades the structure from its defects.
    fn grade(
        &self,
        structure: &Structure,
        defects: &[GradedDefect<'_>],
        not_inspected: &[String],
    ) -> Grading;
}

/// The schemes Voussoir knows, by code.
pub const SCHEMES: &[&dyn GradingScheme] = &[&Iqoa, &Nbi, &Bci, &RiEbwPruef, &Mbei::LINEAR];

/// Finds a scheme by code (`iqoa`, `nbi`), ignoring case.
pub fn scheme(code: &str) -> Result<&'static dyn GradingScheme, UnknownCode> {
    let wanted = code.trim().to_lowercase();
    SCHEMES
        .iter()
        .copied()
        .find(|scheme| scheme.code() == wanted)
        .ok_or_else(|| UnknownCode {
            what: "grading scheme",
            given: code.to_string(),
            known: SCHEMES.iter().map(|scheme| scheme.code()).collect(),
        })
}

/// Grades an inspection in the given scheme, carrying severities over from
/// the scheme they were recorded in when the two differ.
pub fn grade_inspection(
    scheme: &dyn GradingScheme,
    structure: &Structure,
    inspection: &Inspection,
    defects: &[Defect],
) -> Grading {
    let recorded_in = self::scheme(&inspection.scheme).ok();
    let graded: Vec<GradedDefect<'_>> = defects
        .iter()
        .map(|defect| {
            let Some(severity) = defect.severity.as_deref() else {
                return GradedDefect {
                    defect,
                    severity: None,
                    converted_from: None,
                };
            };
            match recorded_in {
                Some(source) if source.code() != scheme.code() => {
                    let converted = convert_severity(source, scheme, severity);
                    let carried_safety = |text: Option<&str>, from: &dyn GradingScheme| {
                        text.and_then(|text| from.to_step(text))
                            .is_some_and(|step| step.safety)
                    };
                    let dropped = carried_safety(Some(severity), source)
                        && !carried_safety(converted.as_deref(), scheme);
                    let origin = if dropped {
                        format!(
                            "{} {severity}, its S mention dropped: {} has none",
                            source.code(),
                            scheme.code()
                        )
                    } else {
                        format!("{} {severity}", source.code())
                    };
                    GradedDefect {
                        defect,
                        severity: converted,
                        converted_from: Some(origin),
                    }
                }
                _ => GradedDefect {
                    defect,
                    severity: scheme.parse_severity(severity).ok(),
                    converted_from: None,
                },
            }
        })
        .collect();
    scheme.grade(structure, &graded, &inspection.not_inspected)
}

/// A severity recorded in one scheme, carried to another through the
/// common ladder (the crosswalk of docs/grading.md). The same scheme gives
/// the severity back in its canonical form.
pub fn convert_severity(
    from: &dyn GradingScheme,
    to: &dyn GradingScheme,
    severity: &str,
) -> Option<String> {
    if from.code() == to.code() {
        return to.parse_severity(severity).ok();
    }
    from.to_step(severity).map(|step| to.severity_at_step(step))
}

/// Defects with their severities carried into `scheme` from the scheme
/// they were recorded in (`recorded_in`, a code), so that two inspections
/// recorded in different schemes compare severity for severity. An unknown
/// recording scheme leaves the severities as they are.
pub fn defects_in_scheme(
    defects: &[Defect],
    recorded_in: &str,
    scheme: &dyn GradingScheme,
) -> Vec<Defect> {
    let source = self::scheme(recorded_in).ok();
    defects
        .iter()
        .map(|defect| {
            let mut defect = defect.clone();
            if let (Some(source), Some(severity)) = (source, defect.severity.as_deref()) {
                if source.code() != scheme.code() {
                    defect.severity = convert_severity(source, scheme, severity);
                }
            }
            defect
        })
        .collect()
}

/// The colour of an ungraded defect on maps and pages.
pub const UNGRADED_COLOUR: &str = "#8a8a8a";

/// Colours of the five steps of the common ladder, from "no significant
/// defect" (green) to "seriously altered" (dark red).
const STEP_COLOURS: [&str; 5] = ["#2e9d48", "#e0c21a", "#f08c1e", "#d62f2f", "#7a0d1e"];

/// The colour a severity is drawn in, by its step on the common ladder, so
/// that every scheme's severities share one palette. A severity the scheme
/// does not know is drawn as ungraded.
///
/// ```
/// use voussoir_core::grading::{severity_colour, Iqoa, Nbi, UNGRADED_COLOUR};
/// assert_eq!(severity_colour(&Iqoa, Some("3U")), severity_colour(&Nbi, Some("major")));
/// assert_eq!(severity_colour(&Iqoa, None), UNGRADED_COLOUR);
/// ```
pub fn severity_colour(scheme: &dyn GradingScheme, severity: Option<&str>) -> &'static str {
    severity
        .and_then(|severity| scheme.to_step(severity))
        .and_then(|step| STEP_COLOURS.get(usize::from(step.step.clamp(1, 5)) - 1))
        .copied()
        .unwrap_or(UNGRADED_COLOUR)
}

/// The legend of a scheme's severities: each code with its colour, mildest
/// first (help-only entries such as IQOA's "…S" are left out).
pub fn severity_legend(scheme: &dyn GradingScheme) -> Vec<(&'static str, &'static str)> {
    scheme
        .severities()
        .into_iter()
        .filter(|info| scheme.to_step(info.code).is_some())
        .map(|info| (info.code, severity_colour(scheme, Some(info.code))))
        .collect()
}

/// The defects recorded on one component.
pub(crate) fn defects_on<'list, 'defect>(
    defects: &'list [GradedDefect<'defect>],
    component: &str,
) -> Vec<&'list GradedDefect<'defect>> {
    defects
        .iter()
        .filter(|graded| graded.defect.component.eq_ignore_ascii_case(component))
        .collect()
}

/// A warning for each scour measured at or beyond the critical depth the
/// course gives for the component: the grade's reasons carry it, whatever
/// severity the inspector chose.
pub(crate) fn critical_scour(
    component: &crate::model::Component,
    defects: &[&GradedDefect<'_>],
) -> Vec<reason::Reason> {
    let Some(critical) = component.critical_scour_depth_m else {
        return Vec::new();
    };
    defects
        .iter()
        .filter_map(|graded| {
            let depth = graded.defect.measurements.scour_depth_m?;
            (depth >= critical).then(|| {
                reason::Reason::new(
                    "critical_scour",
                    vec![
                        ("defect", reason::defect(graded.defect)),
                        ("depth", reason::text(depth)),
                        ("critical", reason::text(critical)),
                        ("component", reason::text(&component.code)),
                    ],
                )
            })
        })
        .collect()
}

/// Whether a component is in the inspection's not-inspected list.
pub(crate) fn is_not_inspected(code: &str, not_inspected: &[String]) -> bool {
    not_inspected
        .iter()
        .any(|skipped| skipped.eq_ignore_ascii_case(code))
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Builders for grading tests: a small beam bridge and defects on it.
    use crate::model::*;

    pub fn component(code: &str, kind: ComponentKind) -> Component {
        Component {
            code: code.to_string(),
            kind,
            name: None,
            material: Some(Material::Concrete),
            position: None,
            underwater: false,
            critical_scour_depth_m: None,
            quantity: None,
        }
    }

    pub fn bridge() -> Structure {
        Structure {
            code: "PONT".to_string(),
            name: "Test bridge".to_string(),
            kind: StructureKind::Beam,
            material: Some(Material::Concrete),
            position: None,
            axis: Vec::new(),
            crossing: None,
            deadline: None,
            components: vec![
                component("C0", ComponentKind::Abutment),
                component("P1", ComponentKind::Pier),
                component("T1", ComponentKind::Span),
                component("TAB", ComponentKind::Deck),
                component("J1", ComponentKind::Joint),
                component("GC", ComponentKind::Parapet),
                component("AP1", ComponentKind::Bearing),
            ],
        }
    }

    pub fn defect(id: i64, component: &str, type_code: &str, severity: Option<&str>) -> Defect {
        Defect {
            id,
            component: component.to_string(),
            type_code: type_code.to_string(),
            severity: severity.map(str::to_string),
            extent: None,
            measurements: Measurements::default(),
            position: None,
            note: None,
            photos: Vec::new(),
        }
    }

    pub fn inspection(scheme: &str, not_inspected: &[&str]) -> Inspection {
        Inspection {
            id: 1,
            structure: "PONT".to_string(),
            kind: InspectionKind::EvaluationVisit,
            inspector: None,
            date: None,
            weather: None,
            is_reference: false,
            scheme: scheme.to_string(),
            not_inspected: not_inspected.iter().map(|code| code.to_string()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;

    #[test]
    fn schemes_are_found_by_code_ignoring_case() {
        assert_eq!(scheme("IQOA").expect("known").code(), "iqoa");
        assert_eq!(scheme("nbi").expect("known").code(), "nbi");
        assert_eq!(scheme("BCI").expect("known").code(), "bci");
        let Err(error) = scheme("ecs") else {
            panic!("ecs is not a scheme")
        };
        assert!(error
            .to_string()
            .contains("iqoa, nbi, bci, ri-ebw-pruef, mbei"));
    }

    #[test]
    fn every_class_a_form_offers_parses_to_itself_and_ranks_within_the_scale() {
        for scheme in SCHEMES {
            let classes = scheme.component_classes();
            let ranked: Vec<usize> = classes
                .iter()
                .filter_map(|class| scheme.class_rank(class))
                .collect();
            assert_eq!(ranked.len(), classes.len() - 1, "{}", scheme.code());
            assert!(
                ranked.windows(2).all(|pair| pair[0] <= pair[1]),
                "{}",
                scheme.code()
            );
            assert!(ranked
                .iter()
                .all(|rank| (1..=scheme.class_scale()).contains(rank)));
            for class in classes {
                assert_eq!(
                    scheme.parse_class(class).as_deref(),
                    Some(class),
                    "{}",
                    scheme.code()
                );
            }
            assert!(!scheme.group_codes().is_empty());
        }
    }

    #[test]
    fn every_severity_of_every_scheme_has_a_colour_of_its_step() {
        for scheme in SCHEMES {
            for (code, colour) in severity_legend(*scheme) {
                assert_ne!(colour, UNGRADED_COLOUR, "{} {code}", scheme.code());
            }
        }
        assert_eq!(severity_legend(&Iqoa).len(), 5);
        assert_eq!(severity_legend(&Nbi).len(), 4);
        assert_eq!(severity_colour(&Iqoa, Some("1")), STEP_COLOURS[0]);
        assert_eq!(severity_colour(&Iqoa, Some("2ES")), STEP_COLOURS[2]);
        assert_eq!(severity_colour(&Nbi, Some("minor")), STEP_COLOURS[1]);
        assert_eq!(severity_colour(&Nbi, Some("?")), UNGRADED_COLOUR);
    }

    #[test]
    fn defects_recorded_in_another_scheme_are_carried_into_the_course_scheme() {
        let defects = vec![
            defect(1, "P1", "CON-REBAR", Some("3U")),
            defect(2, "P1", "CON-CRACK", None),
        ];
        let converted = defects_in_scheme(&defects, "iqoa", &Nbi);
        assert_eq!(
            converted[0].severity.as_deref(),
            convert_severity(&Iqoa, &Nbi, "3U").as_deref()
        );
        assert!(converted[0].severity.as_deref() != Some("3U"));
        assert_eq!(converted[1].severity, None);
    }

    #[test]
    fn defects_in_the_course_scheme_or_an_unknown_one_keep_their_severity() {
        let defects = vec![defect(1, "P1", "CON-REBAR", Some("3U"))];
        assert_eq!(defects_in_scheme(&defects, "iqoa", &Iqoa), defects);
        assert_eq!(defects_in_scheme(&defects, "martian", &Nbi), defects);
    }

    #[test]
    fn iqoa_severities_are_carried_to_nbi_through_the_crosswalk() {
        let structure = bridge();
        let defects = vec![defect(1, "P1", "CON-REBAR", Some("3U"))];
        let grading = grade_inspection(&Nbi, &structure, &inspection("iqoa", &[]), &defects);
        let pier = grading
            .components
            .iter()
            .find(|grade| grade.component == "P1")
            .expect("graded");
        // 3U is step 5, NBI "major"; no extent recorded counts as "some": 3.
        assert_eq!(pier.class, "3");
        assert!(pier
            .reasons
            .iter()
            .any(|reason| reason.contains("from iqoa 3U")));
    }

    #[test]
    fn nbi_severities_are_carried_to_iqoa_through_the_crosswalk() {
        let structure = bridge();
        let defects = vec![defect(1, "T1", "CON-CRACK", Some("moderate"))];
        let grading = grade_inspection(&Iqoa, &structure, &inspection("nbi", &[]), &defects);
        assert_eq!(grading.structure.class, "2E");
    }

    #[test]
    fn a_dropped_s_mention_is_said_in_the_reason() {
        let defects = vec![defect(1, "P1", "CON-REBAR", Some("2ES"))];
        let grading = grade_inspection(&Nbi, &bridge(), &inspection("iqoa", &[]), &defects);
        let pier = &grading.components[1];
        assert!(
            pier.reasons
                .iter()
                .any(|reason| reason.contains("from iqoa 2ES, its S mention dropped: nbi has none")),
            "{:?}",
            pier.reasons
        );
    }
}
