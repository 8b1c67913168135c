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
