//! The defect catalogue: every defect type a trainee can record, as data.
//!
//! Each type has a stable code (never renamed once shipped: CSV files and
//! bundles refer to it), French and English names, the family it belongs to
//! (used to match a trainee's defect with the reference's), the materials
//! and component kinds it applies to, and the measurements it takes. The
//! entries follow the defect lists of the ITSEOA/IQOA vocabulary and the
//! AASHTO MBEI defects gathered in the project's grading reference.

mod entries;

pub use entries::CATALOGUE;

use serde::Serialize;

use crate::model::{normalise_code, ComponentKind, Material, Measure};

/// A family of defects that a comparison treats as compatible: a trainee
/// who calls a crack "map cracking" found the same thing as the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    Cracking,
    Spalling,
    Reinforcement,
    Staining,
    ConcreteSurface,
    Prestress,
    Corrosion,
    SteelCracking,
    Connection,
    Masonry,
    Bearing,
    Joint,
    Water,
    Movement,
    Scour,
    MarineGrowth,
    Equipment,
    Timber,
    Cable,
    Debris,
}

/// One defect type of the catalogue.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct DefectType {
    pub code: &'static str,
    pub name_en: &'static str,
    pub name_fr: &'static str,
    pub family: Family,
    /// Materials it applies to; empty means any material.
    pub materials: &'static [Material],
    /// Component kinds it applies to; empty means any component.
    pub components: &'static [ComponentKind],
    pub measures: &'static [Measure],
    /// True for defects only seen by a diver.
    pub underwater: bool,
}

impl DefectType {
    /// Whether this is an equipment or protection defect (see
    /// [`EQUIPMENT_DEFECTS`]) rather than a structural one.
    pub fn is_equipment(&self) -> bool {
        EQUIPMENT_DEFECTS.contains(&self.code)
    }

    /// Whether this type takes this measurement.
    pub fn takes(&self, measure: Measure) -> bool {
        self.measures.contains(&measure)
    }

    /// Whether this type can be recorded on a component of this kind.
    pub fn applies_to(&self, kind: ComponentKind) -> bool {
        self.components.is_empty() || self.components.contains(&kind)
    }
}

/// Pairs of types of different families that trainees confuse in good
/// faith: a match between them earns partial credit instead of a miss and
/// an invention.
pub const RELATED: &[(&str, &str)] = &[
    ("CON-CRACK", "PSC-TENDON-CRACK"),
    ("CON-SPALL", "CON-DELAM"),
    ("CON-REBAR", "CON-RUST"),
    ("CON-REBAR", "CON-SPALL"),
    ("MAS-CRACK", "MAS-SPLIT"),
    ("STL-CORR", "STL-LOSS"),
    ("UW-SCOUR", "UW-UNDERMINING"),
    ("CON-EFFLO", "GEN-WATER"),
    ("JNT-LEAK", "JNT-SEAL"),
    ("CBL-CORR", "STL-CORR"),
    ("MAS-EFFLO", "GEN-WATER"),
    ("TMB-DECAY", "TMB-INSECT"),
    ("HYD-DEBRIS", "GEN-VEGETATION"),
];

/// Equipment and protection defects: on IQOA, what they imply is capped
/// at 2E whatever part they are seen on, because they do not alter the
/// structure itself (blocked drainage, surfacing, waterproofing, coating,
/// joints, parapets, cornices).
const EQUIPMENT_DEFECTS: &[&str] = &[
    "EQP-PARAPET",
    "EQP-DRAIN",
    "EQP-SURFACING",
    "EQP-WATERPROOFING",
    "EQP-CORNICE",
    "STL-COATING",
    "JNT-LEAK",
    "JNT-SEAL",
    "JNT-DEBRIS",
    "JNT-GAP",
];

/// How close two defect types are, for matching a trainee's defect with
/// the reference's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kinship {
    Same,
    /// The same family, or a pair of [`RELATED`].
    Related,
    Unrelated,
}

/// The kinship of two defect types.
///
/// ```
/// use voussoir_core::catalogue::{kinship, Kinship};
/// assert_eq!(kinship("CON-CRACK", "con-crack"), Kinship::Same);
/// assert_eq!(kinship("CON-CRACK", "PSC-TENDON-CRACK"), Kinship::Related);
/// assert_eq!(kinship("CON-CRACK", "UW-SCOUR"), Kinship::Unrelated);
/// ```
pub fn kinship(a: &str, b: &str) -> Kinship {
    let (Some(first), Some(second)) = (find(a), find(b)) else {
        return Kinship::Unrelated;
    };
    if first.code == second.code {
        return Kinship::Same;
    }
    let listed = RELATED.iter().any(|(x, y)| {
        (*x == first.code && *y == second.code) || (*x == second.code && *y == first.code)
    });
    if listed || first.family == second.family {
        Kinship::Related
    } else {
        Kinship::Unrelated
    }
}

/// Looks a defect type up by code, ignoring case.
///
/// ```
/// let crack = voussoir_core::catalogue::find("con-crack").unwrap();
/// assert_eq!(crack.name_fr, "fissure");
/// ```
pub fn find(code: &str) -> Option<&'static DefectType> {
    let wanted = normalise_code(code).to_uppercase();
    CATALOGUE.iter().find(|entry| entry.code == wanted)
}

/// Types whose code or names contain the text, else whose code is within
/// a typo or two of it (`CON-CRAK` → `CON-CRACK`), for "did you mean"
/// hints.
pub fn suggest(text: &str) -> Vec<&'static str> {
    let wanted = text.trim().to_lowercase();
    if wanted.is_empty() {
        return Vec::new();
    }
    let containing: Vec<&'static str> = CATALOGUE
        .iter()
        .filter(|entry| {
            entry.code.to_lowercase().contains(&wanted)
                || entry.name_en.contains(&wanted)
                || entry.name_fr.contains(&wanted)
        })
        .map(|entry| entry.code)
        .collect();
    if !containing.is_empty() {
        return containing;
    }
    let typed = normalise_code(text).to_uppercase();
    let allowed = (typed.chars().count() / 4).clamp(1, 3);
    let mut near: Vec<(usize, &'static str)> = CATALOGUE
        .iter()
        .map(|entry| (edit_distance(&typed, entry.code), entry.code))
        .filter(|(distance, _)| *distance <= allowed)
        .collect();
    near.sort();
    near.into_iter().map(|(_, code)| code).collect()
}

/// Levenshtein distance between two texts, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, a_char) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, b_char) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(a_char != *b_char);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_code_with_a_typo_suggests_the_right_one() {
        assert_eq!(super::suggest("CON-CRAK").first(), Some(&"CON-CRACK"));
        assert_eq!(super::suggest("con-crakc").first(), Some(&"CON-CRACK"));
        assert!(super::suggest("XYZ-NOTHING-LIKE-IT").is_empty());
    }

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(super::edit_distance("", "abc"), 3);
        assert_eq!(super::edit_distance("kitten", "sitting"), 3);
        assert_eq!(super::edit_distance("same", "same"), 0);
    }

    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_code_is_unique() {
        let codes: HashSet<_> = CATALOGUE.iter().map(|entry| entry.code).collect();
        assert_eq!(codes.len(), CATALOGUE.len());
    }

    #[test]
    fn codes_are_upper_case_with_dashes() {
        for entry in CATALOGUE {
            assert!(
                entry
                    .code
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c == '-'),
                "{}",
                entry.code
            );
        }
    }

    #[test]
    fn the_catalogue_covers_each_material_family_and_underwater() {
        for prefix in ["CON-", "PSC-", "STL-", "MAS-", "UW-"] {
            assert!(CATALOGUE.iter().any(|entry| entry.code.starts_with(prefix)));
        }
        for code in [
            "UW-SCOUR",
            "UW-UNDERMINING",
            "UW-MARINE-GROWTH",
            "UW-SECTION-LOSS",
        ] {
            assert!(find(code).expect(code).underwater);
        }
    }

    #[test]
    fn lookup_ignores_case_and_suggests_by_name() {
        assert_eq!(find("uw-scour").map(|entry| entry.code), Some("UW-SCOUR"));
        assert!(find("CRACK").is_none());
        assert!(suggest("crack").contains(&"CON-CRACK"));
        assert!(suggest("affouillement").contains(&"UW-SCOUR"));
    }

    #[test]
    fn bearing_defects_apply_only_to_bearings() {
        let bulge = find("BRG-BULGE").expect("in catalogue");
        assert!(bulge.applies_to(ComponentKind::Bearing));
        assert!(!bulge.applies_to(ComponentKind::Pier));
        assert!(find("CON-CRACK")
            .expect("in catalogue")
            .applies_to(ComponentKind::Pier));
    }

    #[test]
    fn the_holes_found_on_a_real_training_bridge_are_filled() {
        let applies = |code: &str, kind: ComponentKind| find(code).expect(code).applies_to(kind);
        assert_eq!(
            find("MAS-EFFLO").expect("masonry leaching").name_fr,
            "lixiviation, efflorescences"
        );
        assert!(applies("UW-SCOUR", ComponentKind::CulvertBarrel));
        assert!(applies("UW-SCOUR", ComponentKind::Arch));
        for code in ["TMB-DECAY", "TMB-SPLIT", "TMB-INSECT"] {
            assert_eq!(find(code).expect(code).materials, &[Material::Timber]);
        }
        for code in ["CBL-WIRES", "CBL-CORR", "CBL-SHEATH"] {
            assert!(applies(code, ComponentKind::Hanger) && applies(code, ComponentKind::Stay));
            assert!(!applies(code, ComponentKind::Pier));
        }
        assert_eq!(find("HYD-DEBRIS").expect("embâcle").name_fr, "embâcle");
        assert!(applies("HYD-DEBRIS", ComponentKind::Pier));
        assert!(applies("BRG-PEDESTAL", ComponentKind::Bearing));
        assert!(find("CBL-WIRES").expect("wires").takes(Measure::Count));
        assert!(find("STL-FATIGUE")
            .expect("fatigue")
            .takes(Measure::CrackLengthMm));
        assert!(!find("MAS-SPLIT")
            .expect("split")
            .takes(Measure::CrackWidthMm));
    }

    #[test]
    fn every_listed_code_is_in_the_catalogue() {
        for code in EQUIPMENT_DEFECTS {
            assert!(find(code).is_some(), "{code}");
        }
        for (a, b) in RELATED {
            assert!(find(a).is_some() && find(b).is_some(), "{a} {b}");
        }
        assert!(find("EQP-DRAIN").expect("drain").is_equipment());
        assert!(!find("CON-CRACK").expect("crack").is_equipment());
    }
}
