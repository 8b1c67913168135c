//! The JSON shapes of `--json` output: plain, stable field names, documented
//! in docs/json.md. Changing a name here is a breaking change.

use serde::Serialize;

use voussoir_core::model::{Component, Defect, Inspection, Measurements, Structure};

#[derive(Serialize)]
pub struct ComponentView<'a> {
    pub code: &'a str,
    pub kind: &'static str,
    pub name: Option<&'a str>,
    pub material: Option<&'static str>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub underwater: bool,
}

impl<'a> From<&'a Component> for ComponentView<'a> {
    fn from(component: &'a Component) -> Self {
        ComponentView {
            code: &component.code,
            kind: component.kind.code(),
            name: component.name.as_deref(),
            material: component.material.map(|material| material.code()),
            lon: component.position.map(|point| point.lon),
            lat: component.position.map(|point| point.lat),
            underwater: component.underwater,
        }
    }
}

#[derive(Serialize)]
pub struct StructureView<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub kind: &'static str,
    pub material: Option<&'static str>,
    pub crosses: Option<&'a str>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    /// `[[lon, lat], ...]`
    pub axis: Vec<[f64; 2]>,
    pub components: Vec<ComponentView<'a>>,
}

impl<'a> From<&'a Structure> for StructureView<'a> {
    fn from(structure: &'a Structure) -> Self {
        StructureView {
            code: &structure.code,
            name: &structure.name,
            kind: structure.kind.code(),
            material: structure.material.map(|material| material.code()),
            crosses: structure.crossing.as_deref(),
            lon: structure.position.map(|point| point.lon),
            lat: structure.position.map(|point| point.lat),
            axis: structure
                .axis
                .iter()
                .map(|point| [point.lon, point.lat])
                .collect(),
            components: structure
                .components
                .iter()
                .map(ComponentView::from)
                .collect(),
        }
    }
}

#[derive(Serialize)]
pub struct InspectionView<'a> {
    pub id: i64,
    pub structure: &'a str,
    pub kind: &'static str,
    pub inspector: Option<&'a str>,
    pub date: Option<String>,
    pub weather: Option<&'a str>,
    pub is_reference: bool,
    pub scheme: &'a str,
    pub not_inspected: &'a [String],
    pub defects: usize,
    pub current: bool,
}

impl<'a> InspectionView<'a> {
    pub fn new(inspection: &'a Inspection, defects: usize, current: bool) -> Self {
        InspectionView {
            id: inspection.id,
            structure: &inspection.structure,
            kind: inspection.kind.code(),
            inspector: inspection.inspector.as_deref(),
            date: inspection.date.map(|date| date.to_string()),
            weather: inspection.weather.as_deref(),
            is_reference: inspection.is_reference,
            scheme: &inspection.scheme,
            not_inspected: &inspection.not_inspected,
            defects,
            current,
        }
    }
}

#[derive(Serialize)]
pub struct DefectView<'a> {
    pub id: i64,
    pub inspection: i64,
    pub component: &'a str,
    #[serde(rename = "type")]
    pub type_code: &'a str,
    pub type_name: &'static str,
    pub severity: Option<&'a str>,
    pub extent: Option<&'static str>,
    /// One key per measurement given, by its code.
    #[serde(flatten)]
    pub measurements: Measurements,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub note: Option<&'a str>,
    pub photos: &'a [String],
}

impl<'a> DefectView<'a> {
    pub fn new(inspection: i64, defect: &'a Defect) -> Self {
        DefectView {
            id: defect.id,
            inspection,
            component: &defect.component,
            type_code: &defect.type_code,
            type_name: voussoir_core::catalogue::find(&defect.type_code)
                .map_or("", |entry| entry.name_en),
            severity: defect.severity.as_deref(),
            extent: defect.extent.map(|extent| extent.code()),
            measurements: defect.measurements,
            lon: defect.position.map(|point| point.lon),
            lat: defect.position.map(|point| point.lat),
            note: defect.note.as_deref(),
            photos: &defect.photos,
        }
    }
}
