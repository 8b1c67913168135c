//! `voussoir grade`: component and structure grades with their reasons.

use serde::Serialize;

use voussoir_core::grading::{self, Grading};
use voussoir_store::FieldBook;

use crate::context::Context;
use crate::outcome::{table, Outcome};
use voussoir_app::chosen_inspection;

#[derive(Serialize)]
pub struct GradeView {
    pub inspection: i64,
    pub structure_code: String,
    pub is_reference: bool,
    #[serde(flatten)]
    pub grading: Grading,
}

pub fn run(
    context: &Context,
    inspection: Option<i64>,
    scheme: Option<&str>,
) -> anyhow::Result<Outcome> {
    let book = context.open_book()?;
    let id = chosen_inspection(&book, inspection)?;
    let view = grade(&book, id, scheme)?;
    let text = render(&book, &view, context.verbose)?;
    Outcome::new(view, text)
}

/// Grades one inspection in the given scheme or the course's.
pub fn grade(book: &FieldBook, id: i64, scheme: Option<&str>) -> anyhow::Result<GradeView> {
    let inspection = book.inspection(id)?;
    let structure = book.structure(&inspection.structure)?;
    let defects = book.defects(id)?;
    let scheme_code = match scheme {
        Some(code) => code.to_string(),
        None => book.course()?.scheme,
    };
    let scheme = grading::scheme(&scheme_code)?;
    let grading = grading::grade_inspection(scheme, &structure, &inspection, &defects);
    Ok(GradeView {
        inspection: id,
        structure_code: structure.code,
        is_reference: inspection.is_reference,
        grading,
    })
}

/// The grading as text: one line per component, the groups, then the
/// structure with every reason. `verbose` prints every component's reasons.
pub fn render(book: &FieldBook, view: &GradeView, verbose: bool) -> anyhow::Result<String> {
    let inspection = book.inspection(view.inspection)?;
    let structure = book.structure(&inspection.structure)?;
    let scheme = grading::scheme(view.grading.scheme)?;
    let w = voussoir_core::words::for_language(&book.course()?.language);
    let lang = w.lang;
    let mut text = format!(
        "{} — {}\nInspection #{}{} · {}{}{} · {} {}\n\n",
        structure.code,
        structure.name,
        inspection.id,
        if inspection.is_reference {
            w.cli_reference
        } else {
            ""
        },
        if lang == "fr" {
            inspection.kind.name_fr()
        } else {
            inspection.kind.code()
        },
        inspection
            .inspector
            .as_deref()
            .map(|name| format!(" · {name}"))
            .unwrap_or_default(),
        inspection
            .date
            .map(|date| format!(" · {date}"))
            .unwrap_or_default(),
        w.cli_graded_in,
        scheme.name()
    );
    let mut rows = vec![[w.component, w.cli_kind, w.grade, w.why]
        .map(str::to_uppercase)
        .to_vec()];
    for component in &view.grading.components {
        let class = if component.safety {
            format!("{} S", component.class)
        } else {
            component.class.clone()
        };
        rows.push(vec![
            component.component.clone(),
            if lang == "fr" {
                component.kind.name_fr().to_string()
            } else {
                component.kind.code().to_string()
            },
            class,
            component
                .reasons
                .first()
                .map(|reason| reason.in_language(lang))
                .unwrap_or_default(),
        ]);
        if verbose {
            for reason in component.reasons.iter().skip(1) {
                rows.push(vec![
                    String::new(),
                    String::new(),
                    String::new(),
                    reason.in_language(lang),
                ]);
            }
        }
    }
    text.push_str(&table(&rows));
    text.push('\n');
    let groups: Vec<String> = view
        .grading
        .groups
        .iter()
        .filter(|group| group.class != "N" || verbose)
        .map(|group| format!("{} {}", group.group, group.class))
        .collect();
    text.push_str(&format!(
        "{}{}{}\n",
        w.cli_groups,
        w.colon,
        groups.join(" · ")
    ));
    text.push_str(&format!(
        "{}{}{}\n",
        w.structure, w.colon, view.grading.structure.label
    ));
    for reason in &view.grading.structure.reasons {
        text.push_str(&format!("  - {}\n", reason.in_language(lang)));
    }
    Ok(text)
}

/// `voussoir grade set TARGET=GRADE...`: records the inspector's own
/// grades, merged with those already given, each checked against the
/// scheme, all or none.
pub fn set_own(
    context: &Context,
    inspection: Option<i64>,
    pairs: &[String],
    reason: Option<&str>,
) -> anyhow::Result<Outcome> {
    let mut book = context.open_book()?;
    let id = chosen_inspection(&book, inspection)?;
    let stored = book.inspection(id)?;
    let structure = book.structure(&stored.structure)?;
    let mut grades = book.own_grades(id)?;
    let before = grades.clone();
    let computed = grade(&book, id, None)?;
    let computed_class = |target: &str| -> Option<String> {
        if target == "structure" {
            Some(computed.grading.structure.class.clone())
        } else {
            computed
                .grading
                .components
                .iter()
                .find(|component| component.component == target)
                .map(|component| component.class.clone())
        }
    };
    let mut set_now = Vec::new();
    for pair in pairs {
        let Some((target, grade)) = pair.split_once('=') else {
            anyhow::bail!("`{pair}`: write TARGET=GRADE, e.g. structure=3U or P1=2E");
        };
        grades.retain(|(known, _)| !known.eq_ignore_ascii_case(target.trim()));
        if grade.trim().is_empty() {
            continue;
        }
        let checked = voussoir_core::grading::own::check_own_grade(
            &stored.scheme,
            &structure,
            target,
            grade,
        )?;
        let overrides = computed_class(&checked.0).is_some_and(|class| class != checked.1);
        if stored.is_reference && overrides && reason.is_none_or(|text| text.trim().is_empty()) {
            anyhow::bail!(
                "{}={} overrides the reference's computed grade {}: say why with --reason \"...\" (trainees see it after release)",
                checked.0,
                checked.1,
                computed_class(&checked.0).unwrap_or_default()
            );
        }
        set_now.push(checked.0.clone());
        grades.push(checked);
    }
    let now = jiff::Timestamp::now().as_millisecond();
    if grades != before || reason.is_some() {
        book.save_own_grades(id, &grades, now)?;
    }
    if let Some(reason) = reason {
        for target in &set_now {
            book.set_grade_reason(id, target, reason)?;
        }
    }
    let view = grade(&book, id, None)?;
    let mut text = String::from("Your grades:\n");
    for (target, given) in &grades {
        let computed = if target == "structure" {
            Some(view.grading.structure.class.clone())
        } else {
            view.grading
                .components
                .iter()
                .find(|component| component.component == *target)
                .map(|component| component.class.clone())
        };
        match computed {
            Some(computed) if computed != *given => text.push_str(&format!(
                "  {target}: {given} (your defects imply {computed})\n"
            )),
            _ => text.push_str(&format!("  {target}: {given}\n")),
        }
    }
    #[derive(serde::Serialize)]
    struct OwnGrades {
        inspection: i64,
        grades: Vec<(String, String)>,
    }
    Outcome::new(
        OwnGrades {
            inspection: id,
            grades,
        },
        text,
    )
}
