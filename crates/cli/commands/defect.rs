//! `voussoir defect add|list|edit|remove|import`.

use std::path::Path;

use voussoir_core::grading;
use voussoir_core::model::{Defect, Measurements};
use voussoir_core::recording::{check_defect, DefectInput};
use voussoir_store::FieldBook;

use super::views::DefectView;
use crate::args::{DefectCommand, DefectFields};
use crate::context::Context;
use crate::outcome::{table, Outcome};
use voussoir_app::chosen_inspection;

pub fn run(context: &Context, command: DefectCommand) -> anyhow::Result<Outcome> {
    let mut book = context.open_book()?;
    match command {
        DefectCommand::Add {
            component,
            type_code,
            fields,
            inspection,
        } => {
            let inspection_id = chosen_inspection(&book, inspection)?;
            let input = DefectInput {
                component,
                type_code,
                severity: fields.severity.clone(),
                extent: fields.extent.clone(),
                measurements: fields.measurements(Measurements::default())?,
                position: fields.position()?,
                note: fields.note.clone(),
                photos: fields.photos.clone(),
            };
            let mut defect = checked(&book, inspection_id, input)?;
            let ids = book.add_defects(inspection_id, std::slice::from_ref(&defect))?;
            defect.id = ids[0];
            let text = format!(
                "Recorded defect #{} on {}: {} {}\n",
                defect.id,
                defect.component,
                defect.type_code,
                defect.severity.as_deref().unwrap_or("(no severity yet)")
            );
            Outcome::new(DefectView::new(inspection_id, &defect), text)
        }
        DefectCommand::List { inspection } => {
            let inspection_id = chosen_inspection(&book, inspection)?;
            list(&book, inspection_id)
        }
        DefectCommand::Edit {
            id,
            component,
            type_code,
            fields,
            clear_position,
            clear_photos,
        } => edit(
            &mut book,
            id,
            component,
            type_code,
            fields,
            (clear_position, clear_photos),
        ),
        DefectCommand::Remove { id } => {
            let (inspection_id, defect) = book.defect(id)?;
            book.remove_defect(id)?;
            let text = format!(
                "Removed defect #{id} ({} on {}) from inspection #{inspection_id}\n",
                defect.type_code, defect.component
            );
            Outcome::new(DefectView::new(inspection_id, &defect), text)
        }
        DefectCommand::Import {
            file,
            inspection,
            replace,
        } => {
            let inspection_id = chosen_inspection(&book, inspection)?;
            import(&mut book, inspection_id, &file, replace)
        }
    }
}

/// Checks a typed defect against the inspection's structure and scheme.
fn checked(book: &FieldBook, inspection_id: i64, input: DefectInput) -> anyhow::Result<Defect> {
    let inspection = book.inspection(inspection_id)?;
    let structure = book.structure(&inspection.structure)?;
    let scheme = grading::scheme(&inspection.scheme)?;
    Ok(check_defect(&structure, scheme, input)?)
}

fn edit(
    book: &mut FieldBook,
    id: i64,
    component: Option<String>,
    type_code: Option<String>,
    fields: DefectFields,
    (clear_position, clear_photos): (bool, bool),
) -> anyhow::Result<Outcome> {
    let (inspection_id, stored) = book.defect(id)?;
    let position = fields.position()?;
    let measurements = fields.measurements(stored.measurements)?;
    let input = DefectInput {
        component: component.unwrap_or(stored.component.clone()),
        type_code: type_code.unwrap_or(stored.type_code.clone()),
        severity: fields.severity.or(stored.severity.clone()),
        extent: fields
            .extent
            .or(stored.extent.map(|extent| extent.code().to_string())),
        measurements,
        position: if clear_position {
            None
        } else {
            position.or(stored.position)
        },
        note: fields.note.or(stored.note.clone()),
        photos: if clear_photos {
            Vec::new()
        } else if fields.photos.is_empty() {
            stored.photos.clone()
        } else {
            fields.photos
        },
    };
    let mut defect = checked(book, inspection_id, input)?;
    defect.id = id;
    book.update_defect(&defect)?;
    let text = format!(
        "Updated defect #{id}: {} on {}, severity {}\n",
        defect.type_code,
        defect.component,
        defect.severity.as_deref().unwrap_or("?")
    );
    Outcome::new(DefectView::new(inspection_id, &defect), text)
}

fn list(book: &FieldBook, inspection_id: i64) -> anyhow::Result<Outcome> {
    let defects = book.defects(inspection_id)?;
    let (w, _) = crate::context::course_words(book);
    let mut rows = vec![[
        w.cli_h_id,
        w.cli_h_component,
        w.cli_h_type,
        w.cli_h_severity,
        w.cli_h_extent,
        w.cli_h_measurements,
        w.cli_h_photos,
        w.cli_h_note,
    ]
    .map(str::to_string)
    .to_vec()];
    for defect in &defects {
        rows.push(vec![
            defect.id.to_string(),
            defect.component.clone(),
            defect.type_code.clone(),
            defect.severity.clone().unwrap_or_else(|| "?".to_string()),
            defect
                .extent
                .map(|extent| extent.name(w.lang).to_string())
                .unwrap_or_default(),
            defect.measurements.describe(w.lang == "fr").join(", "),
            defect.photos.join(" "),
            defect.note.clone().unwrap_or_default(),
        ]);
    }
    let views: Vec<DefectView<'_>> = defects
        .iter()
        .map(|defect| DefectView::new(inspection_id, defect))
        .collect();
    let text = if defects.is_empty() {
        format!(
            "{}\n",
            voussoir_core::words::fill(w.cli_no_defect, &[("id", inspection_id.to_string())])
        )
    } else {
        table(&rows)
    };
    Outcome::new(views, text)
}

/// Imports a whole sheet into one inspection, or nothing at all, and says
/// what was done.
pub fn import(
    book: &mut FieldBook,
    inspection_id: i64,
    file: &Path,
    replace: bool,
) -> anyhow::Result<Outcome> {
    let done = voussoir_app::course::import_defect_sheet(book, inspection_id, file, replace)?;
    let mut text = if done.already_there {
        format!(
            "Every defect of {} is already in inspection #{inspection_id}: nothing added (use --replace to replace them)\n",
            file.display()
        )
    } else {
        format!(
            "Imported {} defect(s) from {} into inspection #{inspection_id}{}\n",
            done.ids.len(),
            file.display(),
            if done.replaced > 0 {
                format!(", replacing its {} earlier defect(s)", done.replaced)
            } else {
                String::new()
            }
        )
    };
    if done.grades > 0 {
        text.push_str(&format!("and {} own grade(s)\n", done.grades));
    }
    #[derive(serde::Serialize)]
    struct Imported {
        file: String,
        inspection: i64,
        imported: usize,
        #[serde(flatten)]
        done: voussoir_app::course::SheetImported,
    }
    Outcome::new(
        Imported {
            file: file.display().to_string(),
            inspection: inspection_id,
            imported: done.ids.len(),
            done,
        },
        text,
    )
}
