//! The domain model: courses, structures, components, inspections and defects.
//!
//! These are plain values. They are built and validated here, stored by
//! `voussoir-store` and printed by the CLI; nothing in this module reads a
//! file, a database or the clock.

use serde::{Deserialize, Serialize};

use crate::geometry::LonLat;

mod codes;
mod measure;

pub use codes::*;
pub use measure::*;

/// A component of a structure: an abutment, a pier, a span, a bearing...
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Component {
    /// Short code unique within the structure, such as `C0`, `P1`, `FND-P1`.
    pub code: String,
    pub kind: ComponentKind,
    pub name: Option<String>,
    pub material: Option<Material>,
    pub position: Option<LonLat>,
    /// True for parts below the water line (foundations in a river).
    pub underwater: bool,
    /// The scour depth, in metres, at which this part's foundation is in
    /// danger, when the course gives it.
    #[serde(default)]
    pub critical_scour_depth_m: Option<f64>,
    /// The element's total quantity for element-level inspection (MBEI),
    /// when the course gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<ElementQuantity>,
}

/// A component's total quantity in its unit, and the cost of replacing one
/// unit (the failure cost of the Bridge Health Index) when known.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ElementQuantity {
    pub total: f64,
    pub unit: ElementUnit,
    pub failure_cost: Option<f64>,
}

/// The unit an element is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ElementUnit {
    /// Square metres: decks, slabs, walls.
    M2,
    /// Metres: girders, joints, railings.
    M,
    /// A count: columns, piles, bearings.
    Each,
}

impl ElementUnit {
    pub const ALL: [ElementUnit; 3] = [ElementUnit::M2, ElementUnit::M, ElementUnit::Each];

    /// The code used in course files and the database.
    pub fn code(self) -> &'static str {
        match self {
            ElementUnit::M2 => "m2",
            ElementUnit::M => "m",
            ElementUnit::Each => "each",
        }
    }

    /// The unit as printed: m², m, or nothing for a count.
    pub fn symbol(self) -> &'static str {
        match self {
            ElementUnit::M2 => "m²",
            ElementUnit::M => "m",
            ElementUnit::Each => "",
        }
    }

    /// Reads a unit code.
    pub fn parse(code: &str) -> Option<ElementUnit> {
        ElementUnit::ALL
            .into_iter()
            .find(|unit| unit.code() == code.trim().to_lowercase())
    }
}

/// A bridge, culvert or footbridge used for training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Structure {
    pub code: String,
    pub name: String,
    pub kind: StructureKind,
    pub material: Option<Material>,
    pub position: Option<LonLat>,
    /// The structure's axis, from one end to the other.
    pub axis: Vec<LonLat>,
    /// What the structure crosses (a river, a road...).
    pub crossing: Option<String>,
    pub components: Vec<Component>,
    /// When hand-ins close, in the course's time zone; none means open
    /// until the instructor accepts.
    #[serde(default)]
    pub deadline: Option<jiff::civil::DateTime>,
}

impl Structure {
    /// Finds a component by code, ignoring case.
    pub fn component(&self, code: &str) -> Option<&Component> {
        self.components
            .iter()
            .find(|component| component.code.eq_ignore_ascii_case(code.trim()))
    }

    /// The component codes, for error messages such as "this structure has
    /// C0, P1, P2".
    pub fn component_codes(&self) -> Vec<&str> {
        self.components
            .iter()
            .map(|component| component.code.as_str())
            .collect()
    }
}

/// A defect seen on one component during one inspection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Defect {
    /// Database id; 0 for a defect not stored yet.
    pub id: i64,
    /// Code of the component it was seen on.
    pub component: String,
    /// Catalogue code of the defect type, such as `CON-CRACK`.
    pub type_code: String,
    /// Severity in the inspection's grading scheme (`2E`, `moderate`...),
    /// or `None` when the inspector did not grade it.
    pub severity: Option<String>,
    pub extent: Option<Extent>,
    pub measurements: Measurements,
    pub position: Option<LonLat>,
    pub note: Option<String>,
    /// File names of the photos that show it (as imported, without folder).
    #[serde(default)]
    pub photos: Vec<String>,
}

/// One inspection of one structure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inspection {
    pub id: i64,
    pub structure: String,
    pub kind: InspectionKind,
    pub inspector: Option<String>,
    pub date: Option<jiff::civil::Date>,
    pub weather: Option<String>,
    /// True for the instructor's reference inspection (the answer key).
    pub is_reference: bool,
    /// The grading scheme severities were recorded in.
    pub scheme: String,
    /// Components that could not be inspected (no access, no diver...).
    pub not_inspected: Vec<String>,
}
