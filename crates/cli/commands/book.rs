//! `voussoir init`, `course load|show` and `structure list|show`.

use anyhow::Context as _;
use serde::Serialize;
use std::path::PathBuf;

use voussoir_core::Course;
use voussoir_store::FieldBook;

use super::views::{ComponentView, StructureView};
use crate::args::{CourseCommand, StructureCommand};
use crate::context::Context;
use crate::outcome::{table, Outcome};

#[derive(Serialize)]
struct Initialised {
    book: PathBuf,
    schema_version: i64,
}

pub fn init(dir: Option<PathBuf>) -> anyhow::Result<Outcome> {
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    let book = FieldBook::init(&dir)
        .with_context(|| format!("creating a field book in {}", dir.display()))?;
    let text = format!(
        "Created a field book in {}\nNext: voussoir course load COURSE.toml\n",
        dir.display()
    );
    Outcome::new(
        Initialised {
            book: dir,
            schema_version: book.schema_version()?,
        },
        text,
    )
}

/// Reads and validates a course file; the caller stores it.
pub fn read_course_file(path: &std::path::Path) -> anyhow::Result<Course> {
    Ok(voussoir_app::course::read_course_file(path)?)
}

pub fn course(context: &Context, command: CourseCommand) -> anyhow::Result<Outcome> {
    match command {
        CourseCommand::Load { file } => {
            let course = read_course_file(&file)?;
            let mut book = context.open_book()?;
            let summary = book.load_course(&course)?;
            let text = format!(
                "{} course {}: {} structure(s), {} component(s), {} trainee(s)\n",
                if summary.updated { "Updated" } else { "Loaded" },
                summary.course,
                summary.structures,
                summary.components,
                summary.trainees
            );
            Outcome::new(summary, text)
        }
        CourseCommand::Show => {
            let book = context.open_book()?;
            let course = book.course()?;
            let mut text = format!(
                "{} — {}\nscheme: {}   time zone: {}   language: {}\n",
                course.code, course.name, course.scheme, course.time_zone, course.language
            );
            if let Some(centre) = &course.centre {
                text.push_str(&format!("centre: {centre}\n"));
            }
            text.push_str(&format!(
                "trainees: {}\nstructures: {}\n",
                course
                    .trainees
                    .iter()
                    .map(|trainee| trainee.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                course
                    .structures
                    .iter()
                    .map(|structure| structure.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            #[derive(Serialize)]
            struct CourseView<'a> {
                code: &'a str,
                name: &'a str,
                centre: Option<&'a str>,
                scheme: &'a str,
                time_zone: &'a str,
                language: &'a str,
                trainees: &'a [voussoir_core::course::Trainee],
                structures: Vec<StructureView<'a>>,
            }
            Outcome::new(
                CourseView {
                    code: &course.code,
                    name: &course.name,
                    centre: course.centre.as_deref(),
                    scheme: &course.scheme,
                    time_zone: &course.time_zone,
                    language: &course.language,
                    trainees: &course.trainees,
                    structures: course.structures.iter().map(StructureView::from).collect(),
                },
                text,
            )
        }
    }
}

pub fn structure(context: &Context, command: StructureCommand) -> anyhow::Result<Outcome> {
    let book = context.open_book()?;
    match command {
        StructureCommand::List => {
            let structures = book.structures()?;
            let mut rows = vec![vec![
                "CODE".to_string(),
                "KIND".to_string(),
                "COMPONENTS".to_string(),
                "NAME".to_string(),
            ]];
            for structure in &structures {
                rows.push(vec![
                    structure.code.clone(),
                    structure.kind.code().to_string(),
                    structure.components.len().to_string(),
                    structure.name.clone(),
                ]);
            }
            let views: Vec<StructureView<'_>> =
                structures.iter().map(StructureView::from).collect();
            Outcome::new(views, table(&rows))
        }
        StructureCommand::Show { code } => {
            let structure = book.structure(&code)?;
            let mut text = format!(
                "{} — {} ({}{})\n",
                structure.code,
                structure.name,
                structure.kind.code(),
                structure
                    .crossing
                    .as_deref()
                    .map(|crossing| format!(", over {crossing}"))
                    .unwrap_or_default()
            );
            let mut rows = vec![vec![
                "CODE".to_string(),
                "KIND".to_string(),
                "MATERIAL".to_string(),
                "POSITION".to_string(),
                "NAME".to_string(),
            ]];
            for component in &structure.components {
                let view = ComponentView::from(component);
                rows.push(vec![
                    component.code.clone(),
                    format!(
                        "{}{}",
                        view.kind,
                        if component.underwater {
                            " (underwater)"
                        } else {
                            ""
                        }
                    ),
                    view.material.unwrap_or("").to_string(),
                    component
                        .position
                        .map(|point| format!("{:.6},{:.6}", point.lat, point.lon))
                        .unwrap_or_default(),
                    component.name.clone().unwrap_or_default(),
                ]);
            }
            text.push_str(&table(&rows));
            Outcome::new(StructureView::from(&structure), text)
        }
    }
}
