//! The defect catalogue: every defect type a trainee can record, as data.
//!
//! Each type has a stable code (never renamed once shipped: CSV files and
//! bundles refer to it), French and English names, the family it belongs to
//! (used to match a trainee's defect with the reference's), the materials
//! and component kinds it applies to, and the measurements it takes. The
//! entries follow the defect lists of the ITSEOA/IQOA vocabulary and the
//! AASHTO MBEI defects gathered in the project's grading reference.

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
    /// Whether this type can be recorded on a component of this kind.
    pub fn applies_to(&self, kind: ComponentKind) -> bool {
        self.components.is_empty() || self.components.contains(&kind)
    }
}

use ComponentKind as K;
use Material as M;
use Measure::*;

const CONCRETE: &[Material] = &[M::Concrete, M::Prestressed];
const STRUCTURAL_CONCRETE_PARTS: &[ComponentKind] = &[];
const UNDERWATER_PARTS: &[ComponentKind] = &[
    K::Pier,
    K::Foundation,
    K::Abutment,
    K::Cutwater,
    K::ScourProtection,
    K::WingWall,
];

/// The whole catalogue, in the order `voussoir catalogue` prints it.
pub const CATALOGUE: &[DefectType] = &[
    // Reinforced and prestressed concrete.
    DefectType {
        code: "CON-CRACK",
        name_en: "crack",
        name_fr: "fissure",
        family: Family::Cracking,
        materials: CONCRETE,
        components: STRUCTURAL_CONCRETE_PARTS,
        measures: &[CrackWidthMm, LengthM],
        underwater: false,
    },
    DefectType {
        code: "CON-MAPCRACK",
        name_en: "map cracking",
        name_fr: "faïençage",
        family: Family::Cracking,
        materials: CONCRETE,
        components: &[],
        measures: &[CrackWidthMm, AreaM2],
        underwater: false,
    },
    DefectType {
        code: "CON-SPALL",
        name_en: "spall",
        name_fr: "épaufrure, éclatement",
        family: Family::Spalling,
        materials: CONCRETE,
        components: &[],
        measures: &[AreaM2, DepthMm],
        underwater: false,
    },
    DefectType {
        code: "CON-DELAM",
        name_en: "delamination",
        name_fr: "décollement",
        family: Family::Spalling,
        materials: CONCRETE,
        components: &[],
        measures: &[AreaM2],
        underwater: false,
    },
    DefectType {
        code: "CON-REBAR",
        name_en: "exposed rebar",
        name_fr: "armatures apparentes",
        family: Family::Reinforcement,
        materials: CONCRETE,
        components: &[],
        measures: &[LengthM, SectionLossPct],
        underwater: false,
    },
    DefectType {
        code: "CON-EFFLO",
        name_en: "efflorescence, leaching",
        name_fr: "efflorescences, lixiviation",
        family: Family::Staining,
        materials: CONCRETE,
        components: &[],
        measures: &[AreaM2],
        underwater: false,
    },
    DefectType {
        code: "CON-RUST",
        name_en: "rust staining",
        name_fr: "coulures de rouille",
        family: Family::Staining,
        materials: CONCRETE,
        components: &[],
        measures: &[AreaM2],
        underwater: false,
    },
    DefectType {
        code: "CON-HONEY",
        name_en: "honeycombing",
        name_fr: "nid de cailloux",
        family: Family::ConcreteSurface,
        materials: CONCRETE,
        components: &[],
        measures: &[AreaM2, DepthMm],
        underwater: false,
    },
    DefectType {
        code: "CON-SCALING",
        name_en: "scaling, abrasion",
        name_fr: "écaillage, abrasion",
        family: Family::ConcreteSurface,
        materials: CONCRETE,
        components: &[],
        measures: &[AreaM2, DepthMm],
        underwater: false,
    },
    DefectType {
        code: "CON-ASR",
        name_en: "alkali-silica reaction",
        name_fr: "alcali-réaction",
        family: Family::Cracking,
        materials: CONCRETE,
        components: &[],
        measures: &[CrackWidthMm, AreaM2],
        underwater: false,
    },
    DefectType {
        code: "PSC-STRAND",
        name_en: "exposed or broken strands",
        name_fr: "câbles ou fils apparents ou rompus",
        family: Family::Prestress,
        materials: &[M::Prestressed],
        components: &[K::Span, K::Deck],
        measures: &[LengthM, SectionLossPct],
        underwater: false,
    },
    DefectType {
        code: "PSC-TENDON-CRACK",
        name_en: "crack along a tendon",
        name_fr: "fissure le long d'un câble",
        family: Family::Prestress,
        materials: &[M::Prestressed],
        components: &[K::Span, K::Deck],
        measures: &[CrackWidthMm, LengthM],
        underwater: false,
    },
    DefectType {
        code: "PSC-DUCT",
        name_en: "damaged duct or anchorage",
        name_fr: "gaine ou ancrage endommagé",
        family: Family::Prestress,
        materials: &[M::Prestressed],
        components: &[K::Span, K::Deck],
        measures: &[LengthM],
        underwater: false,
    },
    // Steel.
    DefectType {
        code: "STL-CORR",
        name_en: "corrosion",
        name_fr: "corrosion",
        family: Family::Corrosion,
        materials: &[M::Steel, M::Composite],
        components: &[],
        measures: &[AreaM2, SectionLossPct],
        underwater: false,
    },
    DefectType {
        code: "STL-LOSS",
        name_en: "section loss",
        name_fr: "perte de section",
        family: Family::Corrosion,
        materials: &[M::Steel, M::Composite],
        components: &[],
        measures: &[SectionLossPct, AreaM2, DepthMm],
        underwater: false,
    },
    DefectType {
        code: "STL-FATIGUE",
        name_en: "fatigue crack",
        name_fr: "fissure de fatigue",
        family: Family::SteelCracking,
        materials: &[M::Steel, M::Composite],
        components: &[],
        measures: &[LengthM],
        underwater: false,
    },
    DefectType {
        code: "STL-CONNECTION",
        name_en: "loose or missing bolts or rivets, broken weld",
        name_fr: "boulons ou rivets desserrés ou manquants, soudure rompue",
        family: Family::Connection,
        materials: &[M::Steel, M::Composite],
        components: &[],
        measures: &[],
        underwater: false,
    },
    DefectType {
        code: "STL-DISTORTION",
        name_en: "distortion, buckling",
        name_fr: "déformation, voilement",
        family: Family::Movement,
        materials: &[M::Steel, M::Composite],
        components: &[],
        measures: &[DepthMm, LengthM],
        underwater: false,
    },
    DefectType {
        code: "STL-COATING",
        name_en: "failed paint or coating",
        name_fr: "défaut de la protection anticorrosion",
        family: Family::Corrosion,
        materials: &[M::Steel, M::Composite],
        components: &[],
        measures: &[AreaM2],
        underwater: false,
    },
    // Masonry.
    DefectType {
        code: "MAS-MORTAR",
        name_en: "mortar loss in joints",
        name_fr: "dégarnissage des joints",
        family: Family::Masonry,
        materials: &[M::Masonry],
        components: &[],
        measures: &[AreaM2, DepthMm],
        underwater: false,
    },
    DefectType {
        code: "MAS-SPLIT",
        name_en: "split, spalled or missing stones",
        name_fr: "pierres fendues, éclatées ou manquantes",
        family: Family::Masonry,
        materials: &[M::Masonry],
        components: &[],
        measures: &[AreaM2],
        underwater: false,
    },
    DefectType {
        code: "MAS-BULGE",
        name_en: "bulging",
        name_fr: "ventre, bombement",
        family: Family::Movement,
        materials: &[M::Masonry],
        components: &[],
        measures: &[DepthMm, AreaM2],
        underwater: false,
    },
    DefectType {
        code: "MAS-CRACK",
        name_en: "large crack through masonry",
        name_fr: "lézarde",
        family: Family::Cracking,
        materials: &[M::Masonry],
        components: &[],
        measures: &[CrackWidthMm, LengthM],
        underwater: false,
    },
    DefectType {
        code: "MAS-DISPLACEMENT",
        name_en: "displaced stones",
        name_fr: "déplacement de moellons",
        family: Family::Movement,
        materials: &[M::Masonry],
        components: &[],
        measures: &[DepthMm],
        underwater: false,
    },
    // Bearings and joints.
    DefectType {
        code: "BRG-DISPLACEMENT",
        name_en: "bearing displacement or rotation",
        name_fr: "déplacement ou rotation de l'appareil d'appui",
        family: Family::Bearing,
        materials: &[],
        components: &[K::Bearing],
        measures: &[DepthMm],
        underwater: false,
    },
    DefectType {
        code: "BRG-BULGE",
        name_en: "bearing bulging or splitting",
        name_fr: "fluage ou déchirure de l'élastomère",
        family: Family::Bearing,
        materials: &[],
        components: &[K::Bearing],
        measures: &[SectionLossPct],
        underwater: false,
    },
    DefectType {
        code: "BRG-SEATING",
        name_en: "loss of bearing area",
        name_fr: "perte de surface d'appui",
        family: Family::Bearing,
        materials: &[],
        components: &[K::Bearing],
        measures: &[SectionLossPct],
        underwater: false,
    },
    DefectType {
        code: "JNT-LEAK",
        name_en: "joint leakage",
        name_fr: "fuite au joint",
        family: Family::Joint,
        materials: &[],
        components: &[K::Joint],
        measures: &[LengthM],
        underwater: false,
    },
    DefectType {
        code: "JNT-SEAL",
        name_en: "damaged joint seal",
        name_fr: "profilé d'étanchéité endommagé",
        family: Family::Joint,
        materials: &[],
        components: &[K::Joint],
        measures: &[LengthM],
        underwater: false,
    },
    DefectType {
        code: "JNT-DEBRIS",
        name_en: "debris in joint",
        name_fr: "joint encombré",
        family: Family::Joint,
        materials: &[],
        components: &[K::Joint],
        measures: &[LengthM],
        underwater: false,
    },
    DefectType {
        code: "JNT-GAP",
        name_en: "abnormal joint gap",
        name_fr: "ouverture anormale du joint",
        family: Family::Joint,
        materials: &[],
        components: &[K::Joint],
        measures: &[DepthMm],
        underwater: false,
    },
    // Any material.
    DefectType {
        code: "GEN-SETTLEMENT",
        name_en: "settlement or tilt",
        name_fr: "tassement, basculement",
        family: Family::Movement,
        materials: &[],
        components: &[],
        measures: &[DepthMm],
        underwater: false,
    },
    DefectType {
        code: "GEN-WATER",
        name_en: "water seepage, damp",
        name_fr: "venue d'eau, humidité",
        family: Family::Water,
        materials: &[],
        components: &[],
        measures: &[AreaM2],
        underwater: false,
    },
    DefectType {
        code: "GEN-VEGETATION",
        name_en: "vegetation",
        name_fr: "végétation",
        family: Family::Water,
        materials: &[],
        components: &[],
        measures: &[AreaM2],
        underwater: false,
    },
    DefectType {
        code: "GEN-IMPACT",
        name_en: "impact damage",
        name_fr: "choc de véhicule ou d'embâcle",
        family: Family::Spalling,
        materials: &[],
        components: &[],
        measures: &[AreaM2, DepthMm],
        underwater: false,
    },
    // Equipment.
    DefectType {
        code: "EQP-PARAPET",
        name_en: "damaged or loose parapet",
        name_fr: "garde-corps endommagé ou descellé",
        family: Family::Equipment,
        materials: &[],
        components: &[K::Parapet],
        measures: &[LengthM],
        underwater: false,
    },
    DefectType {
        code: "EQP-DRAIN",
        name_en: "blocked or broken drainage",
        name_fr: "évacuation des eaux obstruée ou cassée",
        family: Family::Equipment,
        materials: &[],
        components: &[K::Drainage, K::Deck, K::Footway],
        measures: &[],
        underwater: false,
    },
    DefectType {
        code: "EQP-SURFACING",
        name_en: "cracked or rutted surfacing",
        name_fr: "chaussée fissurée ou orniérée",
        family: Family::Equipment,
        materials: &[],
        components: &[K::Surfacing, K::Deck, K::ApproachSlab],
        measures: &[AreaM2, CrackWidthMm],
        underwater: false,
    },
    DefectType {
        code: "EQP-WATERPROOFING",
        name_en: "failed waterproofing",
        name_fr: "défaut d'étanchéité",
        family: Family::Water,
        materials: &[],
        components: &[K::Waterproofing, K::Deck],
        measures: &[AreaM2],
        underwater: false,
    },
    DefectType {
        code: "EQP-CORNICE",
        name_en: "damaged cornice or kerb",
        name_fr: "corniche ou bordure endommagée",
        family: Family::Equipment,
        materials: &[],
        components: &[K::Cornice, K::Footway],
        measures: &[LengthM],
        underwater: false,
    },
    // Underwater.
    DefectType {
        code: "UW-SCOUR",
        name_en: "scour",
        name_fr: "affouillement",
        family: Family::Scour,
        materials: &[],
        components: UNDERWATER_PARTS,
        measures: &[DepthMm, LengthM],
        underwater: true,
    },
    DefectType {
        code: "UW-UNDERMINING",
        name_en: "undermining",
        name_fr: "déchaussement, sous-cavage",
        family: Family::Scour,
        materials: &[],
        components: UNDERWATER_PARTS,
        measures: &[LengthM, DepthMm],
        underwater: true,
    },
    DefectType {
        code: "UW-MARINE-GROWTH",
        name_en: "marine growth",
        name_fr: "salissures marines, concrétions",
        family: Family::MarineGrowth,
        materials: &[],
        components: UNDERWATER_PARTS,
        measures: &[DepthMm, AreaM2],
        underwater: true,
    },
    DefectType {
        code: "UW-SECTION-LOSS",
        name_en: "loss of section below water",
        name_fr: "perte de section sous l'eau",
        family: Family::Corrosion,
        materials: &[],
        components: UNDERWATER_PARTS,
        measures: &[SectionLossPct, DepthMm],
        underwater: true,
    },
    DefectType {
        code: "UW-RIPRAP",
        name_en: "damaged riprap or protection",
        name_fr: "enrochements ou protections endommagés",
        family: Family::Scour,
        materials: &[],
        components: &[K::ScourProtection, K::Foundation, K::Pier],
        measures: &[AreaM2],
        underwater: true,
    },
];

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
}
