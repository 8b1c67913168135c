//! `voussoir inspection new|list|show|use|skip`.

use voussoir_store::FieldBook;

use super::views::InspectionView;
use crate::args::{InspectionCommand, NewInspectionArgs};
use crate::context::Context;
use crate::outcome::{table, Outcome};
use voussoir_app::chosen_inspection;

pub fn run(context: &Context, command: InspectionCommand) -> anyhow::Result<Outcome> {
    let mut book = context.open_book()?;
    match command {
        InspectionCommand::New(args) => {
            let id = open_inspection(&mut book, &args)?;
            let outcome = show(&book, id)?;
            Ok(Outcome {
                text: format!(
                    "Opened inspection #{id}; it is now the current inspection.\n{}",
                    outcome.text
                ),
                ..outcome
            })
        }
        InspectionCommand::List => list(&book),
        InspectionCommand::Show { id } => {
            let id = chosen_inspection(&book, id)?;
            show(&book, id)
        }
        InspectionCommand::Use { id } => {
            book.set_current_inspection(id)?;
            let outcome = show(&book, id)?;
            Ok(Outcome {
                text: format!("Inspection #{id} is now the current one.\n{}", outcome.text),
                ..outcome
            })
        }
        InspectionCommand::Skip {
            components,
            inspection,
        } => {
            let id = chosen_inspection(&book, inspection)?;
            let components: Vec<String> = components
                .into_iter()
                .map(|code| code.trim().to_string())
                .filter(|code| !code.is_empty())
                .collect();
            book.set_not_inspected(id, &components)?;
            show(&book, id)
        }
    }
}

/// Opens the inspection the arguments describe; its date may not be later
/// than tomorrow.
pub fn open_inspection(book: &mut FieldBook, args: &NewInspectionArgs) -> anyhow::Result<i64> {
    let today = jiff::ZonedDateTime::now().date();
    Ok(voussoir_app::course::open_inspection(
        book,
        &voussoir_app::course::InspectionRequest {
            structure: args.structure.clone(),
            kind: args.kind.clone(),
            inspector: args.inspector.clone(),
            date: args.date.clone(),
            weather: args.weather.clone(),
            reference: args.reference,
            not_inspected: args.not_inspected.clone(),
        },
        today,
    )?)
}

fn list(book: &FieldBook) -> anyhow::Result<Outcome> {
    let inspections = book.inspections()?;
    let current = book.current_inspection_id()?;
    let mut counts = Vec::new();
    for inspection in &inspections {
        counts.push(book.defects(inspection.id)?.len());
    }
    let (w, _) = crate::context::course_words(book);
    let mut rows = vec![[
        " ",
        w.cli_h_id,
        w.cli_h_structure,
        w.cli_h_kind,
        w.cli_h_date,
        w.cli_h_inspector,
        w.cli_h_defects,
        w.cli_h_role,
    ]
    .map(str::to_string)
    .to_vec()];
    let mut views = Vec::new();
    for (inspection, count) in inspections.iter().zip(&counts) {
        let is_current = current == Some(inspection.id);
        rows.push(vec![
            if is_current { "*" } else { " " }.to_string(),
            inspection.id.to_string(),
            inspection.structure.clone(),
            if w.lang == "fr" {
                inspection.kind.name_fr()
            } else {
                inspection.kind.code()
            }
            .to_string(),
            inspection
                .date
                .map(|date| w.format_date(date))
                .unwrap_or_default(),
            inspection.inspector.clone().unwrap_or_default(),
            count.to_string(),
            if inspection.is_reference {
                w.cli_role_reference
            } else {
                ""
            }
            .to_string(),
        ]);
        views.push(InspectionView::new(inspection, *count, is_current));
    }
    let text = if inspections.is_empty() {
        format!("{}\n", w.cli_no_inspection)
    } else {
        table(&rows)
    };
    Outcome::new(views, text)
}

pub fn show(book: &FieldBook, id: i64) -> anyhow::Result<Outcome> {
    let inspection = book.inspection(id)?;
    let defects = book.defects(id)?.len();
    let current = book.current_inspection_id()? == Some(id);
    let mut text = format!(
        "Inspection #{} of {}{}\n  kind: {} ({})\n",
        inspection.id,
        inspection.structure,
        if inspection.is_reference {
            " — reference (answer key)"
        } else {
            ""
        },
        inspection.kind.code(),
        inspection.kind.name_fr()
    );
    if let Some(inspector) = &inspection.inspector {
        text.push_str(&format!("  inspector: {inspector}\n"));
    }
    if let Some(date) = inspection.date {
        text.push_str(&format!("  date: {date}\n"));
    }
    if let Some(weather) = &inspection.weather {
        text.push_str(&format!("  weather: {weather}\n"));
    }
    text.push_str(&format!(
        "  scheme: {}\n  defects: {defects}\n",
        inspection.scheme
    ));
    if !inspection.not_inspected.is_empty() {
        text.push_str(&format!(
            "  not inspected: {}\n",
            inspection.not_inspected.join(", ")
        ));
    }
    Outcome::new(InspectionView::new(&inspection, defects, current), text)
}
