//! A reason of a grade, worded in any language: a key of the reasons
//! catalogue (`words/reasons.rs`, one table per language) with its values,
//! rendered in English when made (JSON, the command line and tests read
//! that) and in the page's language on demand. A defect named in a reason
//! shows its type's name in that language.

use serde::{Serialize, Serializer};

use super::GradedDefect;
use crate::model::Defect;

/// A value of a reason.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// Shown as it is (a code, a class, a number).
    Text(String),
    /// A defect: `#4 CON-REBAR (exposed rebar)`, the name in the language.
    Defect { id: i64, code: String },
    /// Defects with their severities, joined: `#4 CON-REBAR (…) 3U; …`.
    Graded(Vec<(i64, String, String)>),
    /// Defects without severity, joined with commas.
    Defects(Vec<(i64, String)>),
    /// Another template of the catalogue, in the same language.
    Key(&'static str),
    /// An extent, in the reader's language.
    Extent(crate::model::Extent),
    /// Other reasons, each in the same language, joined with `; `.
    Parts(Vec<Reason>),
    /// Other reasons, each in the same language, joined with commas.
    Listed(Vec<Reason>),
    /// A number with a fixed count of decimals, written with the
    /// language's decimal separator (`2.1`, `2,1`).
    Number { value: f64, decimals: usize },
}

/// A number shown with `decimals` decimals in the reader's convention.
pub fn number(value: f64, decimals: usize) -> Arg {
    Arg::Number { value, decimals }
}

/// A value shown as it is.
pub fn text(value: impl ToString) -> Arg {
    Arg::Text(value.to_string())
}

/// Component or item codes, joined with commas.
pub fn codes<S: AsRef<str>>(codes: &[S]) -> Arg {
    Arg::Text(
        codes
            .iter()
            .map(|code| code.as_ref())
            .collect::<Vec<_>>()
            .join(", "),
    )
}

/// A defect, named in the reader's language.
pub fn defect(defect: &Defect) -> Arg {
    Arg::Defect {
        id: defect.id,
        code: defect.type_code.clone(),
    }
}

/// One reason of a grade.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    key: &'static str,
    args: Vec<(&'static str, Arg)>,
    english: String,
}

fn defect_label(id: i64, code: &str, french: bool) -> String {
    let name = crate::catalogue::find(code)
        .map(|entry| if french { entry.name_fr } else { entry.name_en })
        .unwrap_or("?");
    if id > 0 {
        format!("#{id} {code} ({name})")
    } else {
        format!("{code} ({name})")
    }
}

fn render(key: &str, args: &[(&'static str, Arg)], language: &str) -> String {
    let french = language == "fr";
    let template = crate::words::reasons::template(language, key)
        .or_else(|| crate::words::reasons::template("en", key))
        .unwrap_or(key);
    let values: Vec<(&str, String)> = args
        .iter()
        .map(|(name, arg)| {
            let value = match arg {
                Arg::Text(value) => value.clone(),
                Arg::Defect { id, code } => defect_label(*id, code, french),
                Arg::Graded(list) => list
                    .iter()
                    .map(|(id, code, severity)| {
                        format!("{} {severity}", defect_label(*id, code, french))
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
                Arg::Listed(parts) => parts
                    .iter()
                    .map(|part| part.in_language(language))
                    .collect::<Vec<_>>()
                    .join(", "),
                Arg::Defects(list) => list
                    .iter()
                    .map(|(id, code)| defect_label(*id, code, french))
                    .collect::<Vec<_>>()
                    .join(", "),
                Arg::Key(key) => render(key, &[], language),
                Arg::Extent(extent) => extent.name(language).to_string(),
                Arg::Number { value, decimals } => {
                    let written = format!("{value:.decimals$}");
                    if french {
                        written.replace('.', ",")
                    } else {
                        written
                    }
                }
                Arg::Parts(parts) => parts
                    .iter()
                    .map(|part| part.in_language(language))
                    .collect::<Vec<_>>()
                    .join("; "),
            };
            (*name, value)
        })
        .collect();
    crate::words::fill(template, &values)
}

impl Reason {
    /// A reason from the catalogue's `key`, with its values.
    pub fn new(key: &'static str, args: Vec<(&'static str, Arg)>) -> Reason {
        let english = render(key, &args, "en");
        Reason { key, args, english }
    }

    /// The reason in a language (`fr`, `en`).
    pub fn in_language(&self, language: &str) -> String {
        if language == "en" {
            self.english.clone()
        } else {
            render(self.key, &self.args, language)
        }
    }

    /// The catalogue key, for tests.
    pub fn key(&self) -> &'static str {
        self.key
    }
}

impl std::ops::Deref for Reason {
    type Target = str;
    fn deref(&self) -> &str {
        &self.english
    }
}

impl std::borrow::Borrow<str> for Reason {
    fn borrow(&self) -> &str {
        &self.english
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&self.english)
    }
}

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.english)
    }
}

/// Defects with the severity each was graded with.
pub(crate) fn graded_list(defects: &[&GradedDefect<'_>]) -> Arg {
    Arg::Graded(
        defects
            .iter()
            .map(|graded| {
                (
                    graded.defect.id,
                    graded.defect.type_code.clone(),
                    graded.severity.clone().unwrap_or_else(|| "?".to_string()),
                )
            })
            .collect(),
    )
}

/// Defects, without severity.
pub(crate) fn defect_list(defects: &[&Defect]) -> Arg {
    Arg::Defects(
        defects
            .iter()
            .map(|defect| (defect.id, defect.type_code.clone()))
            .collect(),
    )
}

/// Where a severity carried from another scheme came from.
pub(crate) fn crosswalk(graded: &GradedDefect<'_>) -> Option<Reason> {
    let origin = graded.converted_from.as_ref()?;
    Some(Reason::new(
        "crosswalk",
        vec![
            ("defect", defect(graded.defect)),
            ("severity", text(graded.severity.as_deref().unwrap_or("?"))),
            ("origin", text(origin)),
        ],
    ))
}
