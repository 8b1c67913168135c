//! Catalogue entries: timber members and cables, hangers and stays. Data
//! only.

use super::*;

pub(super) const TYPES: &[DefectType] = &[
    // Timber.
    DefectType {
        code: "TMB-DECAY",
        name_en: "decay, rot",
        name_fr: "pourriture",
        family: Family::Timber,
        materials: &[M::Timber],
        components: &[],
        measures: &[AreaM2, DepthMm, ResidualThicknessMm],
        underwater: false,
    },
    DefectType {
        code: "TMB-SPLIT",
        name_en: "split, check or shake",
        name_fr: "fente, gerce",
        family: Family::Timber,
        materials: &[M::Timber],
        components: &[],
        measures: &[CrackWidthMm, LengthM, DepthMm],
        underwater: false,
    },
    DefectType {
        code: "TMB-INSECT",
        name_en: "insect damage",
        name_fr: "attaque d'insectes xylophages",
        family: Family::Timber,
        materials: &[M::Timber],
        components: &[],
        measures: &[AreaM2, DepthMm, ResidualThicknessMm],
        underwater: false,
    },
    // Cables, stays and hangers.
    DefectType {
        code: "CBL-WIRES",
        name_en: "broken wires",
        name_fr: "fils rompus",
        family: Family::Cable,
        materials: &[],
        components: CABLES,
        measures: &[Count, LengthM],
        underwater: false,
    },
    DefectType {
        code: "CBL-CORR",
        name_en: "cable corrosion",
        name_fr: "corrosion du câble",
        family: Family::Cable,
        materials: &[],
        components: CABLES,
        measures: &[SectionLossPct, LengthM],
        underwater: false,
    },
    DefectType {
        code: "CBL-SHEATH",
        name_en: "sheath or wrapping damage",
        name_fr: "gaine ou protection du câble endommagée",
        family: Family::Cable,
        materials: &[],
        components: CABLES,
        measures: &[LengthM, Count],
        underwater: false,
    },
];
