//! `voussoir catalogue`: the defect types, filterable.

use serde::Serialize;

use voussoir_core::catalogue::{DefectType, CATALOGUE};
use voussoir_core::model::ComponentKind;

use crate::outcome::{table, Outcome};

#[derive(Serialize)]
struct TypeView {
    code: &'static str,
    name_en: &'static str,
    name_fr: &'static str,
    family: voussoir_core::catalogue::Family,
    materials: Vec<&'static str>,
    components: Vec<&'static str>,
    measures: Vec<&'static str>,
    underwater: bool,
}

impl From<&DefectType> for TypeView {
    fn from(entry: &DefectType) -> Self {
        TypeView {
            code: entry.code,
            name_en: entry.name_en,
            name_fr: entry.name_fr,
            family: entry.family,
            materials: entry
                .materials
                .iter()
                .map(|material| material.code())
                .collect(),
            components: entry.components.iter().map(|kind| kind.code()).collect(),
            measures: entry
                .measures
                .iter()
                .map(|measure| measure.code())
                .collect(),
            underwater: entry.underwater,
        }
    }
}

pub fn run(component_kind: Option<&str>, search: Option<&str>) -> anyhow::Result<Outcome> {
    let kind: Option<ComponentKind> = component_kind.map(str::parse).transpose()?;
    let wanted = search.map(str::to_lowercase);
    let entries: Vec<&DefectType> = CATALOGUE
        .iter()
        .filter(|entry| kind.is_none_or(|kind| entry.applies_to(kind)))
        .filter(|entry| {
            wanted.as_deref().is_none_or(|text| {
                entry.code.to_lowercase().contains(text)
                    || entry.name_en.contains(text)
                    || entry.name_fr.to_lowercase().contains(text)
            })
        })
        .collect();
    let mut rows = vec![vec![
        "CODE".to_string(),
        "ENGLISH".to_string(),
        "FRANÇAIS".to_string(),
        "MEASURES".to_string(),
    ]];
    for entry in &entries {
        rows.push(vec![
            entry.code.to_string(),
            entry.name_en.to_string(),
            entry.name_fr.to_string(),
            entry
                .measures
                .iter()
                .map(|measure| measure.code())
                .collect::<Vec<_>>()
                .join(" "),
        ]);
    }
    let views: Vec<TypeView> = entries.iter().map(|entry| TypeView::from(*entry)).collect();
    Outcome::new(views, table(&rows))
}
