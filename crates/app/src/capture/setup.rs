//! What the field app keeps on the device to work offline: the course,
//! its structures with the defect types valid for each component, the
//! catalogue, the scheme's severities and classes, and the limits.

use serde::Serialize;

use voussoir_core::catalogue::CATALOGUE;
use voussoir_core::field_position::{
    MAX_DISTANCE_FROM_STRUCTURE_M, REFUSE_ACCURACY_M, WARN_ACCURACY_M,
};
use voussoir_core::grading;
use voussoir_store::FieldBook;

use crate::Result;

/// Limits of what a device may send.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct CaptureLimits {
    /// Largest photo accepted, bytes.
    pub max_photo_bytes: u64,
    /// Most photos in one inspection.
    pub max_photos: usize,
    pub warn_accuracy_m: f64,
    pub refuse_accuracy_m: f64,
    pub max_distance_m: f64,
}

impl Default for CaptureLimits {
    fn default() -> Self {
        CaptureLimits {
            max_photo_bytes: 25 * 1024 * 1024,
            max_photos: 400,
            warn_accuracy_m: WARN_ACCURACY_M,
            refuse_accuracy_m: REFUSE_ACCURACY_M,
            max_distance_m: MAX_DISTANCE_FROM_STRUCTURE_M,
        }
    }
}

/// A defect type as the app lists it.
#[derive(Debug, Serialize)]
pub struct TypeEntry {
    pub code: &'static str,
    pub name_en: &'static str,
    pub name_fr: &'static str,
    pub family: String,
    pub measures: Vec<&'static str>,
    pub underwater: bool,
}

/// One severity of the scheme, with its colour.
#[derive(Debug, Serialize)]
pub struct SeverityEntry {
    pub code: &'static str,
    pub meaning: &'static str,
    pub colour: &'static str,
}

/// A component with the defect types valid for its kind and material.
#[derive(Debug, Serialize)]
pub struct ComponentEntry {
    #[serde(flatten)]
    pub component: voussoir_core::Component,
    pub types: Vec<&'static str>,
}

/// A structure as the app shows it.
#[derive(Debug, Serialize)]
pub struct StructureEntry {
    pub code: String,
    pub name: String,
    pub position: Option<voussoir_core::LonLat>,
    pub axis: Vec<voussoir_core::LonLat>,
    pub components: Vec<ComponentEntry>,
}

/// Everything the app keeps on the device to work offline.
#[derive(Debug, Serialize)]
pub struct CaptureSetup {
    pub course_code: String,
    pub course_name: String,
    pub language: String,
    pub scheme: String,
    pub scheme_name: &'static str,
    pub severities: Vec<SeverityEntry>,
    /// The classes a component or the structure may be given.
    pub grades: Vec<String>,
    /// Groups that take their own grade (`group:equipment`...).
    pub groups: Vec<String>,
    pub structures: Vec<StructureEntry>,
    pub catalogue: Vec<TypeEntry>,
    /// The largest plausible value of each measurement, by code.
    pub measure_limits: std::collections::BTreeMap<&'static str, f64>,
    pub limits: CaptureLimits,
}

fn valid_types(component: &voussoir_core::Component) -> Vec<&'static str> {
    CATALOGUE
        .iter()
        .filter(|entry| entry.applies_to(component.kind))
        .filter(|entry| {
            entry.materials.is_empty()
                || component
                    .material
                    .is_none_or(|material| entry.materials.contains(&material))
        })
        .map(|entry| entry.code)
        .collect()
}

/// What the app needs to work offline.
pub fn setup(book: &FieldBook, limits: CaptureLimits) -> Result<CaptureSetup> {
    let course = book.course()?;
    let scheme = grading::scheme(&course.scheme)?;
    let (grades, groups) = (scheme.component_classes(), scheme.group_codes());
    let structures = book
        .structures()?
        .into_iter()
        .map(|structure| StructureEntry {
            components: structure
                .components
                .iter()
                .map(|component| ComponentEntry {
                    types: valid_types(component),
                    component: component.clone(),
                })
                .collect(),
            code: structure.code,
            name: structure.name,
            position: structure.position,
            axis: structure.axis,
        })
        .collect();
    Ok(CaptureSetup {
        course_code: course.code,
        course_name: course.name,
        language: course.language,
        scheme: scheme.code().to_string(),
        scheme_name: scheme.name(),
        severities: scheme
            .severities()
            .into_iter()
            .filter(|info| scheme.to_step(info.code).is_some())
            .map(|info| SeverityEntry {
                code: info.code,
                meaning: info.meaning,
                colour: grading::severity_colour(scheme, Some(info.code)),
            })
            .collect(),
        grades: grades.into_iter().map(str::to_string).collect(),
        groups: groups
            .into_iter()
            .map(|group| format!("group:{group}"))
            .collect(),
        structures,
        catalogue: CATALOGUE
            .iter()
            .map(|entry| TypeEntry {
                code: entry.code,
                name_en: entry.name_en,
                name_fr: entry.name_fr,
                family: format!("{:?}", entry.family),
                measures: entry
                    .measures
                    .iter()
                    .map(|measure| measure.code())
                    .collect(),
                underwater: entry.underwater,
            })
            .collect(),
        measure_limits: voussoir_core::model::Measure::ALL
            .iter()
            .map(|measure| (measure.code(), measure.upper_limit()))
            .collect(),
        limits,
    })
}
