//! CSV export (RFC 4180, UTF-8, header row, one row per item): defects,
//! photos, grades. A UTF-8 byte-order mark leads the file so that Excel
//! reads accents right; LibreOffice and every CSV reader skip it.

use std::io::Write;

use crate::InspectionData;

/// What a CSV export lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvKind {
    Defects,
    Photos,
    Grades,
}

fn number(value: Option<f64>) -> String {
    value.map(|value| value.to_string()).unwrap_or_default()
}

/// Writes one CSV table of the inspection.
pub fn write_csv<W: Write>(data: &InspectionData, kind: CsvKind, mut out: W) -> csv::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    match kind {
        CsvKind::Defects => {
            let measures = voussoir_core::model::Measure::ALL;
            let header = ["id", "structure", "component", "type", "type_name"]
                .into_iter()
                .chain(["severity", "extent"])
                .chain(measures.iter().map(|measure| measure.code()))
                .chain(["lat", "lon", "note"]);
            writer.write_record(crate::csv_safe::safe_record(header))?;
            for defect in &data.defects {
                let mut record = vec![
                    defect.id.to_string(),
                    data.structure.code.clone(),
                    defect.component.clone(),
                    defect.type_code.clone(),
                    voussoir_core::catalogue::find(&defect.type_code)
                        .map(|entry| entry.name_en.to_string())
                        .unwrap_or_default(),
                    defect.severity.clone().unwrap_or_default(),
                    defect
                        .extent
                        .map(|extent| extent.code().to_string())
                        .unwrap_or_default(),
                ];
                record.extend(
                    measures
                        .iter()
                        .map(|measure| number(defect.measurements.get(*measure))),
                );
                record.extend([
                    number(defect.position.map(|point| point.lat)),
                    number(defect.position.map(|point| point.lon)),
                    defect.note.clone().unwrap_or_default(),
                ]);
                writer.write_record(crate::csv_safe::safe_record(record))?;
            }
        }
        CsvKind::Photos => {
            writer.write_record(crate::csv_safe::safe_record([
                "file",
                "hash",
                "taken_at",
                "lat",
                "lon",
                "position_source",
                "position_note",
                "accuracy_m",
                "depth_m",
                "underwater",
                "component",
                "component_distance_m",
                "make",
                "model",
            ]))?;
            for photo in &data.photos {
                writer.write_record(crate::csv_safe::safe_record([
                    photo.file.clone(),
                    photo.hash.clone(),
                    photo
                        .placement
                        .taken_at
                        .map(|time| time.to_string())
                        .unwrap_or_default(),
                    number(photo.placement.position.map(|point| point.lat)),
                    number(photo.placement.position.map(|point| point.lon)),
                    photo.placement.position_source.code().to_string(),
                    photo.placement.position_note.clone().unwrap_or_default(),
                    number(photo.placement.accuracy_m),
                    number(photo.placement.depth_m),
                    photo.placement.underwater.to_string(),
                    photo.placement.component.clone().unwrap_or_default(),
                    number(photo.placement.component_distance_m),
                    photo.make.clone().unwrap_or_default(),
                    photo.model.clone().unwrap_or_default(),
                ]))?;
            }
        }
        CsvKind::Grades => {
            writer.write_record(crate::csv_safe::safe_record([
                "level", "code", "kind", "scheme", "class", "reasons",
            ]))?;
            let grading = &data.grading;
            for component in &grading.components {
                let class = if component.safety {
                    format!("{}S", component.class)
                } else {
                    component.class.clone()
                };
                writer.write_record(crate::csv_safe::safe_record([
                    "component",
                    component.component.as_str(),
                    component.kind.code(),
                    grading.scheme,
                    class.as_str(),
                    component.reasons.join("; ").as_str(),
                ]))?;
            }
            for group in &grading.groups {
                writer.write_record(crate::csv_safe::safe_record([
                    "group",
                    group.group.as_str(),
                    group.label.as_str(),
                    grading.scheme,
                    group.class.as_str(),
                    group.reasons.join("; ").as_str(),
                ]))?;
            }
            writer.write_record(crate::csv_safe::safe_record([
                "structure",
                data.structure.code.as_str(),
                data.structure.kind.code(),
                grading.scheme,
                grading.structure.label.as_str(),
                grading.structure.reasons.join("; ").as_str(),
            ]))?;
        }
    }
    writer.flush()?;
    Ok(())
}
