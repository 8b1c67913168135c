//! The domain model: courses, structures, components, inspections and defects.
//!
//! These are plain values. They are built and validated here, stored by
//! `voussoir-store` and printed by the CLI; nothing in this module reads a
//! file, a database or the clock.

use serde::{Deserialize, Serialize};

use crate::geometry::LonLat;

mod codes;

pub use codes::*;

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

/// Measurements taken on a defect; every field is optional and in the unit
/// its name gives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Measurements {
    pub crack_width_mm: Option<f64>,
    pub length_m: Option<f64>,
    pub area_m2: Option<f64>,
    pub depth_mm: Option<f64>,
    pub section_loss_pct: Option<f64>,
}

/// Which measurement a defect type takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    CrackWidthMm,
    LengthM,
    AreaM2,
    DepthMm,
    SectionLossPct,
}

impl Measure {
    pub const ALL: [Measure; 5] = [
        Measure::CrackWidthMm,
        Measure::LengthM,
        Measure::AreaM2,
        Measure::DepthMm,
        Measure::SectionLossPct,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Measure::CrackWidthMm => "crack_width_mm",
            Measure::LengthM => "length_m",
            Measure::AreaM2 => "area_m2",
            Measure::DepthMm => "depth_mm",
            Measure::SectionLossPct => "section_loss_pct",
        }
    }

    /// Largest plausible value: anything above it is a typing mistake.
    pub fn upper_limit(self) -> f64 {
        match self {
            Measure::CrackWidthMm => 100.0,
            Measure::LengthM => 1_000.0,
            Measure::AreaM2 => 100_000.0,
            Measure::DepthMm => 20_000.0,
            Measure::SectionLossPct => 100.0,
        }
    }
}

impl Measurements {
    pub fn get(&self, measure: Measure) -> Option<f64> {
        match measure {
            Measure::CrackWidthMm => self.crack_width_mm,
            Measure::LengthM => self.length_m,
            Measure::AreaM2 => self.area_m2,
            Measure::DepthMm => self.depth_mm,
            Measure::SectionLossPct => self.section_loss_pct,
        }
    }

    pub fn set(&mut self, measure: Measure, value: Option<f64>) {
        let slot = match measure {
            Measure::CrackWidthMm => &mut self.crack_width_mm,
            Measure::LengthM => &mut self.length_m,
            Measure::AreaM2 => &mut self.area_m2,
            Measure::DepthMm => &mut self.depth_mm,
            Measure::SectionLossPct => &mut self.section_loss_pct,
        };
        *slot = value;
    }

    /// Checks each value is a finite, non-negative number below its limit.
    pub fn validate(&self) -> Result<(), InvalidMeasurement> {
        for measure in Measure::ALL {
            if let Some(value) = self.get(measure) {
                if !value.is_finite() || value < 0.0 || value > measure.upper_limit() {
                    return Err(InvalidMeasurement {
                        measure: measure.code(),
                        value,
                        limit: measure.upper_limit(),
                    });
                }
            }
        }
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        Measure::ALL
            .iter()
            .all(|measure| self.get(*measure).is_none())
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{measure} = {value} is not a plausible value; give a number between 0 and {limit}")]
pub struct InvalidMeasurement {
    pub measure: &'static str,
    pub value: f64,
    pub limit: f64,
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
