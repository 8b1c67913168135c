//! The German RI-EBW-PRÜF assessment (DIN 1076): each damage rated for
//! stability (S), traffic safety (V) and durability (D) from 0 to 4, turned
//! into the Zustandsnote 1.0–4.0 of each component, component group
//! (Bauteilgruppe) and the structure, with the Substanzkennzahl beside it.
//!
//! Rules, from the project's grading reference:
//! - a damage's severity is written `S2 V0 D3`; its base number is the
//!   largest of the three criteria's in the table, corrected by its extent
//!   (small, medium, large from the recorded isolated, some, widespread);
//! - a component's note is its worst damage's, 1.0 with none;
//! - a group's note is its worst component's, plus a correction when it
//!   holds many damages; the structure's is its worst group's, plus a
//!   correction when many groups are damaged, at most 4.0;
//! - the Substanzkennzahl is the same without traffic safety;
//! - notes are rounded to one decimal and read against the confirmed
//!   ranges (1.0–1.4 very good ... 3.5–4.0 inadequate).
//!
//! The table and the corrections are unconfirmed: they live in
//! `table.toml`, not in this code, and every structure grade says so.
//! This module must not invent other numbers.

use super::reason::{codes, number, text, Arg, Reason};
use super::{
    defects_on, is_not_inspected, ComponentGrade, GradedDefect, Grading, GradingScheme, GroupGrade,
    SeverityError, SeverityInfo, SeverityStep, StructureGrade,
};
use crate::model::{ComponentKind, Structure};

mod rating;
pub use rating::Rating;
use rating::{extent_class, table};

/// The RI-EBW-PRÜF scheme.
#[derive(Debug, Clone, Copy, Default)]
pub struct RiEbwPruef;

const NOT_EVALUATED: &str = "NE";

/// A note rounded to one decimal, within 1.0–4.0.
fn note(value: f64) -> f64 {
    (value.clamp(1.0, 4.0) * 10.0).round() / 10.0
}

fn written(value: f64) -> String {
    format!("{value:.1}")
}

/// The range of a note: its place 1 (very good) to 6 (inadequate) and the
/// catalogue key of its meaning.
pub fn range(value: f64) -> (usize, &'static str) {
    let value = note(value);
    match value {
        v if v < 1.5 => (1, "rib.range.1"),
        v if v < 2.0 => (2, "rib.range.2"),
        v if v < 2.5 => (3, "rib.range.3"),
        v if v < 3.0 => (4, "rib.range.4"),
        v if v < 3.5 => (5, "rib.range.5"),
        _ => (6, "rib.range.6"),
    }
}

/// The component groups (Bauteilgruppen), by code, in report order.
const GROUPS: [&str; 10] = [
    "superstructure",
    "substructure",
    "foundation",
    "bearings",
    "joints",
    "waterproofing-drainage",
    "surfacing",
    "edge-beams",
    "restraint",
    "other",
];

/// The group of a kind of component. Voussoir's mapping of its kinds onto
/// the RI-EBW-PRÜF groups.
fn group_of(kind: ComponentKind) -> &'static str {
    use ComponentKind::*;
    match kind {
        Span | Deck | Arch | Spandrel | CulvertBarrel | Cable | Stay | Hanger | Pylon
        | TrussMember | TimberMember => "superstructure",
        Abutment | Pier | WingWall | Cutwater => "substructure",
        Foundation | ScourProtection => "foundation",
        Bearing => "bearings",
        Joint => "joints",
        Waterproofing | Drainage => "waterproofing-drainage",
        Surfacing => "surfacing",
        Cornice | Footway => "edge-beams",
        Parapet => "restraint",
        ApproachSlab | Other => "other",
    }
}

fn group_label(group: &str) -> &'static str {
    match group {
        "superstructure" => "Überbau",
        "substructure" => "Unterbau",
        "foundation" => "Gründung",
        "bearings" => "Lager",
        "joints" => "Fahrbahnübergänge",
        "waterproofing-drainage" => "Abdichtung, Entwässerung",
        "surfacing" => "Beläge",
        "edge-beams" => "Kappen",
        "restraint" => "Schutzeinrichtungen",
        _ => "Sonstiges",
    }
}

/// A component's note and substance number, with how many damages it has.
struct Scored {
    grade: ComponentGrade,
    group: &'static str,
    notes: Option<(f64, f64)>,
    damages: usize,
}

fn score_component(
    component: &crate::model::Component,
    defects: &[&GradedDefect<'_>],
    not_inspected: &[String],
) -> Scored {
    let group = group_of(component.kind);
    let mut grade = ComponentGrade {
        component: component.code.clone(),
        kind: component.kind,
        class: NOT_EVALUATED.to_string(),
        safety: false,
        driving_defects: Vec::new(),
        reasons: Vec::new(),
    };
    if is_not_inspected(&component.code, not_inspected) {
        grade.reasons.push(Reason::new("rib.not_inspected", vec![]));
        return Scored {
            grade,
            group,
            notes: None,
            damages: 0,
        };
    }
    let mut worst: Option<(f64, Reason)> = None;
    let mut substance: f64 = 1.0;
    let mut damages = 0;
    let mut ungraded = Vec::new();
    let mut carried = Vec::new();
    for graded in defects {
        let Some(rating) = graded.severity.as_deref().and_then(Rating::parse) else {
            ungraded.push(graded.defect);
            continue;
        };
        damages += 1;
        let (extent_key, correction) = extent_class(graded.defect.extent);
        let value = note(rating.base(true) + correction);
        substance = substance.max(note(rating.base(false) + correction));
        let key = if graded.defect.extent.is_none() {
            "rib.damage_extent_assumed"
        } else {
            "rib.damage"
        };
        let why = Reason::new(
            key,
            vec![
                ("defect", super::reason::defect(graded.defect)),
                ("rating", text(rating.code())),
                ("base", number(rating.base(true), 1)),
                ("extent", Arg::Key(extent_key)),
                ("note", number(value, 1)),
            ],
        );
        if worst.as_ref().is_none_or(|(current, _)| value > *current) {
            worst = Some((value, why));
            grade.driving_defects = vec![graded.defect.id];
        } else if worst.as_ref().is_some_and(|(current, _)| value == *current) {
            grade.driving_defects.push(graded.defect.id);
        }
        carried.extend(super::reason::crosswalk(graded));
    }
    let notes = match worst {
        Some((value, why)) => {
            grade.reasons.push(why);
            Some((value, substance))
        }
        None if ungraded.is_empty() => {
            grade.reasons.push(Reason::new("rib.no_damage", vec![]));
            Some((1.0, 1.0))
        }
        None => None,
    };
    if !ungraded.is_empty() {
        grade.reasons.push(Reason::new(
            "rib.unrated",
            vec![
                ("defects", super::reason::defect_list(&ungraded)),
                ("component", text(&component.code)),
            ],
        ));
    }
    grade.reasons.extend(carried);
    if let Some((value, _)) = notes {
        grade.class = written(value);
    }
    Scored {
        grade,
        group,
        notes,
        damages,
    }
}

/// A group's note from its components: the worst, plus the correction
/// for many damages.
struct GroupNote {
    code: &'static str,
    note: Option<(f64, f64)>,
    reasons: Vec<Reason>,
}

fn group_note(code: &'static str, members: &[&Scored]) -> GroupNote {
    let rated: Vec<&&Scored> = members.iter().filter(|m| m.notes.is_some()).collect();
    let mut reasons = Vec::new();
    let Some(worst) = rated
        .iter()
        .map(|m| m.notes.unwrap_or((1.0, 1.0)))
        .reduce(|a, b| (a.0.max(b.0), a.1.max(b.1)))
    else {
        reasons.push(Reason::new("rib.group_not_evaluated", vec![]));
        return GroupNote {
            code,
            note: None,
            reasons,
        };
    };
    let worst_components: Vec<&str> = rated
        .iter()
        .filter(|m| m.notes.is_some_and(|(value, _)| value == worst.0))
        .map(|m| m.grade.component.as_str())
        .collect();
    reasons.push(Reason::new(
        "rib.group_worst",
        vec![
            ("note", number(worst.0, 1)),
            ("components", codes(&worst_components)),
        ],
    ));
    let damages: usize = members.iter().map(|m| m.damages).sum();
    let count = &table().count;
    let add = if damages >= count.from && worst.0 > 1.0 {
        reasons.push(Reason::new(
            "rib.group_count",
            vec![("count", text(damages)), ("add", number(count.add, 1))],
        ));
        count.add
    } else {
        0.0
    };
    GroupNote {
        code,
        note: Some((note(worst.0 + add), note(worst.1 + add))),
        reasons,
    }
}

const SEVERITIES: [(&str, &str); 4] = [
    ("S0V0D0", "no effect on stability, traffic safety or durability"),
    ("S…V…D…", "each criterion 0 (no effect) to 4 (very severe): S stability, V traffic safety, D durability; S2 V0 D3 or 2/0/3"),
    ("S2V0D2", "component stability slightly impaired; spread of the damage possible in the long term"),
    ("S4V4D4", "stability and traffic safety no longer given, durability lost"),
];

impl GradingScheme for RiEbwPruef {
    fn code(&self) -> &'static str {
        "ri-ebw-pruef"
    }

    fn name(&self) -> &'static str {
        "RI-EBW-PRÜF Zustandsnote (Germany)"
    }

    fn severities(&self) -> Vec<SeverityInfo> {
        SEVERITIES
            .iter()
            .map(|(code, meaning)| SeverityInfo { code, meaning })
            .collect()
    }

    fn parse_severity(&self, text: &str) -> Result<String, SeverityError> {
        Rating::parse(text)
            .map(Rating::code)
            .ok_or_else(|| SeverityError {
                scheme: "RI-EBW-PRÜF",
                given: text.trim().to_string(),
                allowed: "S, V and D each 0 to 4, as S2 V0 D3 or 2/0/3",
            })
    }

    /// The worst criterion plus one; traffic safety at 2 or more is the S
    /// mention (a threat to users).
    fn to_step(&self, severity: &str) -> Option<SeverityStep> {
        let rating = Rating::parse(severity)?;
        Some(SeverityStep {
            step: rating.worst() + 1,
            safety: rating.traffic_safety >= 2,
        })
    }

    /// Stability and durability at the step minus one; traffic safety 2
    /// (or the step's level) only with an S mention. Voussoir's crosswalk.
    fn severity_at_step(&self, step: SeverityStep) -> String {
        let level = step.step.clamp(1, 5) - 1;
        Rating {
            stability: level,
            traffic_safety: if step.safety { level.max(2) } else { 0 },
            durability: level,
        }
        .code()
    }

    fn class_rank(&self, class: &str) -> Option<usize> {
        let value: f64 = class.trim().replace(',', ".").parse().ok()?;
        (1.0..=4.0).contains(&value).then(|| range(value).0)
    }

    fn class_scale(&self) -> usize {
        6
    }

    fn component_classes(&self) -> Vec<&'static str> {
        const NOTES: [&str; 31] = [
            "1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "2.0", "2.1",
            "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9", "3.0", "3.1", "3.2", "3.3",
            "3.4", "3.5", "3.6", "3.7", "3.8", "3.9", "4.0",
        ];
        NOTES.iter().copied().chain([NOT_EVALUATED]).collect()
    }

    fn group_codes(&self) -> Vec<&'static str> {
        GROUPS.to_vec()
    }

    fn parse_class(&self, text: &str) -> Option<String> {
        let text = text.trim().replace(',', ".");
        if text.eq_ignore_ascii_case(NOT_EVALUATED) {
            return Some(NOT_EVALUATED.to_string());
        }
        let value: f64 = text.parse().ok()?;
        (1.0..=4.0).contains(&value).then(|| written(note(value)))
    }

    fn classes_help(&self) -> &'static str {
        "a Zustandsnote from 1.0 to 4.0 (such as 2,4), or NE when not evaluated"
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
        let group_notes: Vec<GroupNote> = GROUPS
            .iter()
            .filter_map(|code| {
                let members: Vec<&Scored> = scored.iter().filter(|m| m.group == *code).collect();
                (!members.is_empty()).then(|| group_note(code, &members))
            })
            .collect();
        let groups: Vec<GroupGrade> = group_notes
            .iter()
            .map(|group| GroupGrade {
                group: group.code.to_string(),
                label: group_label(group.code).to_string(),
                class: group
                    .note
                    .map_or(NOT_EVALUATED.to_string(), |(value, _)| written(value)),
                reasons: group.reasons.clone(),
            })
            .collect();
        let components: Vec<ComponentGrade> = scored.into_iter().map(|m| m.grade).collect();
        Grading {
            scheme: "ri-ebw-pruef",
            components,
            groups,
            structure: structure_note(&group_notes),
        }
    }
}

fn structure_note(groups: &[GroupNote]) -> StructureGrade {
    let rated: Vec<(&str, (f64, f64))> = groups
        .iter()
        .filter_map(|group| group.note.map(|note| (group.code, note)))
        .collect();
    let Some(worst) = rated
        .iter()
        .map(|(_, note)| *note)
        .reduce(|a, b| (a.0.max(b.0), a.1.max(b.1)))
    else {
        return StructureGrade {
            class: NOT_EVALUATED.to_string(),
            label: NOT_EVALUATED.to_string(),
            safety: false,
            reasons: vec![Reason::new("rib.nothing_evaluated", vec![])],
            structurally_deficient: None,
        };
    };
    let worst_groups: Vec<&str> = rated
        .iter()
        .filter(|(_, note)| note.0 == worst.0)
        .map(|(code, _)| group_label(code))
        .collect();
    let mut reasons = vec![Reason::new(
        "rib.structure_worst",
        vec![
            ("note", number(worst.0, 1)),
            ("groups", codes(&worst_groups)),
        ],
    )];
    let damaged = rated.iter().filter(|(_, note)| note.0 > 1.0).count();
    let correction = &table().groups;
    let add = if damaged >= correction.from {
        reasons.push(Reason::new(
            "rib.structure_groups",
            vec![("count", text(damaged)), ("add", number(correction.add, 1))],
        ));
        correction.add
    } else {
        0.0
    };
    let (value, substance) = (note(worst.0 + add), note(worst.1 + add));
    let (_, meaning) = range(value);
    reasons.push(Reason::new(
        "rib.range",
        vec![("note", number(value, 1)), ("meaning", Arg::Key(meaning))],
    ));
    reasons.push(Reason::new(
        "rib.substance",
        vec![("substance", number(substance, 1))],
    ));
    let unevaluated: Vec<&str> = groups
        .iter()
        .filter(|group| group.note.is_none())
        .map(|group| group_label(group.code))
        .collect();
    if !unevaluated.is_empty() {
        reasons.push(Reason::new(
            "rib.groups_not_evaluated",
            vec![("groups", codes(&unevaluated))],
        ));
    }
    reasons.push(Reason::new("rib.unconfirmed", vec![]));
    StructureGrade {
        class: written(value),
        label: written(value),
        safety: false,
        reasons,
        structurally_deficient: None,
    }
}

#[cfg(test)]
mod tests;
