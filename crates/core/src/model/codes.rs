//! The domain's stable codes: structure kinds, materials, component kinds
//! with their IQOA part and NBI item, inspection kinds, extents. Each
//! parses what users type (French and English, abbreviations) and has the
//! one code stored and exported.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a structure is, as training courses and inventories name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StructureKind {
    Beam,
    Slab,
    Arch,
    BoxGirder,
    Culvert,
    Footbridge,
    Truss,
    CableStayed,
    Suspension,
    Other,
}

impl StructureKind {
    pub const ALL: [StructureKind; 10] = [
        StructureKind::Beam,
        StructureKind::Slab,
        StructureKind::Arch,
        StructureKind::BoxGirder,
        StructureKind::Culvert,
        StructureKind::Footbridge,
        StructureKind::Truss,
        StructureKind::CableStayed,
        StructureKind::Suspension,
        StructureKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            StructureKind::Beam => "beam",
            StructureKind::Slab => "slab",
            StructureKind::Arch => "arch",
            StructureKind::BoxGirder => "box-girder",
            StructureKind::Culvert => "culvert",
            StructureKind::Footbridge => "footbridge",
            StructureKind::Truss => "truss",
            StructureKind::CableStayed => "cable-stayed",
            StructureKind::Suspension => "suspension",
            StructureKind::Other => "other",
        }
    }
}

/// The material a structure or component is mostly made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Material {
    /// Reinforced concrete.
    Concrete,
    /// Prestressed concrete.
    Prestressed,
    Steel,
    Masonry,
    Timber,
    Composite,
    /// Elastomer, as in most bearings and joint seals.
    Elastomer,
    Other,
}

impl Material {
    pub const ALL: [Material; 8] = [
        Material::Concrete,
        Material::Prestressed,
        Material::Steel,
        Material::Masonry,
        Material::Timber,
        Material::Composite,
        Material::Elastomer,
        Material::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Material::Concrete => "concrete",
            Material::Prestressed => "prestressed",
            Material::Steel => "steel",
            Material::Masonry => "masonry",
            Material::Timber => "timber",
            Material::Composite => "composite",
            Material::Elastomer => "elastomer",
            Material::Other => "other",
        }
    }
}

/// Which family of parts a component belongs to, as IQOA splits a bridge.
///
/// Equipment and protection defects can push a structure's IQOA class only
/// to 2 or 2E; structural defects can make it 3 or 3U.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IqoaPart {
    Structure,
    Equipment,
    Protection,
}

/// Which NBI / SNBI condition item a component's rating feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NbiItem {
    /// Item 58 (SNBI B.C.01).
    Deck,
    /// Item 59 (SNBI B.C.02).
    Superstructure,
    /// Item 60 (SNBI B.C.03).
    Substructure,
    /// Item 62 (SNBI B.C.04).
    Culvert,
    /// SNBI B.C.05, rated but outside the good/fair/poor rule.
    Railings,
    /// SNBI B.C.07, rated but outside the good/fair/poor rule.
    Bearings,
    /// SNBI B.C.08, rated but outside the good/fair/poor rule.
    Joints,
    /// SNBI B.C.10, rated but outside the good/fair/poor rule.
    ChannelProtection,
    /// Not rated by NBI (drainage, surfacing...).
    None,
}

impl NbiItem {
    pub fn code(self) -> &'static str {
        match self {
            NbiItem::Deck => "deck",
            NbiItem::Superstructure => "superstructure",
            NbiItem::Substructure => "substructure",
            NbiItem::Culvert => "culvert",
            NbiItem::Railings => "railings",
            NbiItem::Bearings => "bearings",
            NbiItem::Joints => "joints",
            NbiItem::ChannelProtection => "channel-protection",
            NbiItem::None => "none",
        }
    }

    /// The legacy NBI item number or SNBI item id, for printing.
    pub fn label(self) -> &'static str {
        match self {
            NbiItem::Deck => "item 58 / B.C.01 deck",
            NbiItem::Superstructure => "item 59 / B.C.02 superstructure",
            NbiItem::Substructure => "item 60 / B.C.03 substructure",
            NbiItem::Culvert => "item 62 / B.C.04 culvert",
            NbiItem::Railings => "B.C.05 bridge railings",
            NbiItem::Bearings => "B.C.07 bearings",
            NbiItem::Joints => "B.C.08 joints",
            NbiItem::ChannelProtection => "B.C.10 channel protection",
            NbiItem::None => "not an NBI item",
        }
    }
}

macro_rules! component_kinds {
    ($( $variant:ident => $code:literal, $en:literal, $fr:literal, $part:ident, $nbi:ident; )*) => {
        /// What a component of a structure is.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum ComponentKind { $( $variant, )* }

        impl ComponentKind {
            pub const ALL: &'static [ComponentKind] = &[ $( ComponentKind::$variant, )* ];

            /// Stable code used in course files, CSV and JSON.
            pub fn code(self) -> &'static str {
                match self { $( ComponentKind::$variant => $code, )* }
            }
            pub fn name_en(self) -> &'static str {
                match self { $( ComponentKind::$variant => $en, )* }
            }
            pub fn name_fr(self) -> &'static str {
                match self { $( ComponentKind::$variant => $fr, )* }
            }
            /// The IQOA part family this kind of component belongs to.
            pub fn iqoa_part(self) -> IqoaPart {
                match self { $( ComponentKind::$variant => IqoaPart::$part, )* }
            }
            /// The NBI item this kind of component is rated under.
            pub fn nbi_item(self) -> NbiItem {
                match self { $( ComponentKind::$variant => NbiItem::$nbi, )* }
            }
        }
    };
}

component_kinds! {
    Abutment => "abutment", "abutment", "culée", Structure, Substructure;
    Pier => "pier", "pier", "pile", Structure, Substructure;
    Foundation => "foundation", "foundation", "fondation", Structure, Substructure;
    WingWall => "wing-wall", "wing wall", "mur en retour", Structure, Substructure;
    Span => "span", "span (beams, girders)", "travée (poutres)", Structure, Superstructure;
    Deck => "deck", "deck slab", "tablier, hourdis", Structure, Deck;
    Arch => "arch", "arch barrel", "voûte", Structure, Superstructure;
    Spandrel => "spandrel", "spandrel wall", "tympan", Structure, Superstructure;
    CulvertBarrel => "culvert-barrel", "culvert barrel", "buse, dalot", Structure, Culvert;
    Bearing => "bearing", "bearings", "appareils d'appui", Structure, Bearings;
    Joint => "joint", "expansion joint", "joint de chaussée", Equipment, Joints;
    Parapet => "parapet", "parapet, railing", "garde-corps, dispositif de retenue", Equipment, Railings;
    Drainage => "drainage", "drainage", "évacuation des eaux", Equipment, None;
    Surfacing => "surfacing", "road surfacing", "chaussée, revêtement", Equipment, None;
    Footway => "footway", "footway, kerb", "trottoir, bordure", Equipment, None;
    Cornice => "cornice", "cornice", "corniche", Equipment, None;
    Waterproofing => "waterproofing", "waterproofing", "étanchéité", Protection, None;
    ScourProtection => "scour-protection", "scour protection, riprap", "protection en site aquatique, enrochements", Protection, ChannelProtection;
    Cutwater => "cutwater", "cutwater", "avant-bec", Structure, Substructure;
    ApproachSlab => "approach-slab", "approach slab", "dalle de transition", Equipment, None;
    Cable => "cable", "main cable", "câble porteur", Structure, Superstructure;
    Stay => "stay", "stay cable", "hauban", Structure, Superstructure;
    Hanger => "hanger", "hanger, suspender", "suspente", Structure, Superstructure;
    Pylon => "pylon", "pylon, tower", "pylône", Structure, Superstructure;
    TrussMember => "truss-member", "truss member", "barre de treillis", Structure, Superstructure;
    TimberMember => "timber-member", "timber member", "pièce de bois", Structure, Superstructure;
    Other => "other", "other", "autre", Structure, None;
}

impl FromStr for ComponentKind {
    type Err = UnknownCode;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = match normalise_code(text).as_str() {
            "arch-barrel" => "arch".to_string(),
            other => other.to_string(),
        };
        ComponentKind::ALL
            .iter()
            .copied()
            .find(|kind| kind.code() == wanted)
            .ok_or_else(|| UnknownCode {
                what: "component kind",
                given: text.to_string(),
                known: ComponentKind::ALL.iter().map(|kind| kind.code()).collect(),
            })
    }
}

impl FromStr for StructureKind {
    type Err = UnknownCode;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = normalise_code(text);
        StructureKind::ALL
            .iter()
            .copied()
            .find(|kind| kind.code() == wanted)
            .ok_or_else(|| UnknownCode {
                what: "structure kind",
                given: text.to_string(),
                known: StructureKind::ALL.iter().map(|kind| kind.code()).collect(),
            })
    }
}

impl FromStr for Material {
    type Err = UnknownCode;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = normalise_code(text);
        Material::ALL
            .iter()
            .copied()
            .find(|material| material.code() == wanted)
            .ok_or_else(|| UnknownCode {
                what: "material",
                given: text.to_string(),
                known: Material::ALL
                    .iter()
                    .map(|material| material.code())
                    .collect(),
            })
    }
}

/// Lower-cases a code and turns spaces and underscores into dashes, so that
/// `Box Girder`, `box_girder` and `box-girder` all name the same thing.
pub(crate) fn normalise_code(text: &str) -> String {
    text.trim().to_lowercase().replace([' ', '_'], "-")
}

/// A code that is not in a fixed list; the message lists what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{given}`; use one of: {}", known.join(", "))]
pub struct UnknownCode {
    pub what: &'static str,
    pub given: String,
    pub known: Vec<&'static str>,
}

/// The kinds of surveillance action defined by the French ITSEOA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InspectionKind {
    /// Contrôle annuel.
    AnnualCheck,
    /// Visite d'évaluation (IQOA visit).
    EvaluationVisit,
    /// Inspection détaillée initiale.
    InitialDetailed,
    /// Inspection détaillée périodique.
    DetailedPeriodic,
    /// Inspection détaillée exceptionnelle.
    ExceptionalDetailed,
    /// Inspection subaquatique.
    Underwater,
}

impl InspectionKind {
    pub const ALL: [InspectionKind; 6] = [
        InspectionKind::AnnualCheck,
        InspectionKind::EvaluationVisit,
        InspectionKind::InitialDetailed,
        InspectionKind::DetailedPeriodic,
        InspectionKind::ExceptionalDetailed,
        InspectionKind::Underwater,
    ];

    pub fn code(self) -> &'static str {
        match self {
            InspectionKind::AnnualCheck => "annual-check",
            InspectionKind::EvaluationVisit => "evaluation-visit",
            InspectionKind::InitialDetailed => "initial-detailed",
            InspectionKind::DetailedPeriodic => "detailed-periodic",
            InspectionKind::ExceptionalDetailed => "exceptional-detailed",
            InspectionKind::Underwater => "underwater",
        }
    }

    pub fn name_fr(self) -> &'static str {
        match self {
            InspectionKind::AnnualCheck => "contrôle annuel",
            InspectionKind::EvaluationVisit => "visite d'évaluation",
            InspectionKind::InitialDetailed => "inspection détaillée initiale",
            InspectionKind::DetailedPeriodic => "inspection détaillée périodique",
            InspectionKind::ExceptionalDetailed => "inspection détaillée exceptionnelle",
            InspectionKind::Underwater => "inspection subaquatique",
        }
    }

    /// Short French abbreviations are accepted too (IDP, IDI, VE, CA, ISA).
    fn abbreviation(self) -> &'static str {
        match self {
            InspectionKind::AnnualCheck => "ca",
            InspectionKind::EvaluationVisit => "ve",
            InspectionKind::InitialDetailed => "idi",
            InspectionKind::DetailedPeriodic => "idp",
            InspectionKind::ExceptionalDetailed => "ide",
            InspectionKind::Underwater => "isa",
        }
    }
}

impl FromStr for InspectionKind {
    type Err = UnknownCode;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = normalise_code(text);
        InspectionKind::ALL
            .iter()
            .copied()
            .find(|kind| kind.code() == wanted || kind.abbreviation() == wanted)
            .ok_or_else(|| UnknownCode {
                what: "inspection kind",
                given: text.to_string(),
                known: InspectionKind::ALL.iter().map(|kind| kind.code()).collect(),
            })
    }
}

impl fmt::Display for InspectionKind {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.code())
    }
}

/// How much of a component a defect covers (SNBI's extent words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Extent {
    Isolated,
    Some,
    Widespread,
}

impl Extent {
    pub const ALL: [Extent; 3] = [Extent::Isolated, Extent::Some, Extent::Widespread];

    pub fn code(self) -> &'static str {
        match self {
            Extent::Isolated => "isolated",
            Extent::Some => "some",
            Extent::Widespread => "widespread",
        }
    }

    /// The extent as a page in `language` (`fr`, `en`) writes it.
    pub fn name(self, language: &str) -> &'static str {
        if language != "fr" {
            return self.code();
        }
        match self {
            Extent::Isolated => "isolé",
            Extent::Some => "partiel",
            Extent::Widespread => "généralisé",
        }
    }
}

impl FromStr for Extent {
    type Err = UnknownCode;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match normalise_code(text).as_str() {
            "isolated" | "isolé" | "isole" | "localised" | "localized" | "local" => {
                Ok(Extent::Isolated)
            }
            "some" | "partiel" | "partial" => Ok(Extent::Some),
            "widespread" | "généralisé" | "generalise" | "extensive" => Ok(Extent::Widespread),
            _ => Err(UnknownCode {
                what: "extent",
                given: text.to_string(),
                known: Extent::ALL.iter().map(|extent| extent.code()).collect(),
            }),
        }
    }
}
