//! The messages of refused requests and failed commands, one table per
//! language, each key with its template (`{name}` places filled in).
//!
//! Errors travel through the crates as English text (the log, the JSON
//! API and scripts read English); the edge that shows one to a person —
//! an error page, the phone app, the command line of a French course —
//! calls [`translate`], which finds the English template the text was made
//! from and writes it again from the language's table, translating the
//! values that are messages in turn. A text no template matches (a
//! library's own message) is shown as it is.
//!
//! Code that builds such a message should take its words from here with
//! [`english`]; the templates of error types whose text is fixed by
//! `#[error]` are checked against real values of those types by tests.
//! Templates are tried in order, so a specific one must come before a
//! general one (`{place}: {message}` is last).

use super::fill;
use super::reasons::match_template;

mod english;
mod french;
pub use english::EN;
pub use french::FR;

/// The template of a key in a language (`fr`, `en`).
pub fn template(language: &str, key: &str) -> Option<&'static str> {
    let table = if language.eq_ignore_ascii_case("fr") {
        FR
    } else {
        EN
    };
    table
        .iter()
        .find(|(known, _)| *known == key)
        .map(|(_, template)| *template)
}

/// A message in English from the catalogue; an unknown key is shown as it
/// is (the tests make sure every key used exists).
pub fn english(key: &str, values: &[(&str, String)]) -> String {
    fill(template("en", key).unwrap_or(key), values)
}

/// A message made from an English template, written again in `language`;
/// a text that no template matches is returned as it is. Each line is
/// translated on its own.
pub fn translate(text: &str, language: &str) -> String {
    if !language.eq_ignore_ascii_case("fr") || text.is_empty() {
        return text.to_string();
    }
    if text.contains('\n') {
        return text
            .split('\n')
            .map(|line| translate(line, language))
            .collect::<Vec<_>>()
            .join("\n");
    }
    let whole = translate_line(text, language, 0);
    if whole != text || !text.contains("; ") {
        return whole;
    }
    // Notes joined into one line ("EXIF partly damaged: ...; ..."), each
    // written again if the catalogue knows it.
    let parts: Vec<String> = text
        .split("; ")
        .map(|part| translate_line(part, language, 0))
        .collect();
    if parts
        .iter()
        .zip(text.split("; "))
        .all(|(said, part)| said == part)
    {
        return whole;
    }
    parts.join(" ; ")
}

/// Places that only ever hold a number: a template whose number place
/// would take words is not the one the text was made from.
const NUMBER_PLACES: &[&str] = &[
    "accuracy",
    "compressed",
    "count",
    "declared",
    "depth",
    "distance",
    "km",
    "length",
    "limit",
    "line",
    "most",
    "ms",
    "ratio",
    "seconds",
    "size",
    "value",
];

fn is_number(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || ".,-".contains(c))
}

/// Places that hold a message of their own, translated in turn; every
/// other place echoes what someone typed or named (a code, a file, a
/// user) and is kept as it is.
const MESSAGE_PLACES: &[&str] = &[
    "allowed", "error", "hint", "message", "reason", "taken", "what",
];

/// Texts longer than this are not looked at: a refusal is a sentence or
/// a few lines, and what a user typed is echoed, not translated.
const MOST_TRANSLATED: usize = 16 * 1024;

fn translate_line(text: &str, language: &str, depth: usize) -> String {
    if depth > 4 || text.len() > MOST_TRANSLATED {
        return text.to_string();
    }
    // A template whose message places none of the catalogue fills is
    // kept in reserve: a later, more specific one may be the right one.
    let mut reserve = None;
    for (key, english) in EN {
        let Some(mut values) = match_template(english, text) else {
            continue;
        };
        if values
            .iter()
            .any(|(name, value)| NUMBER_PLACES.contains(name) && !is_number(value))
        {
            continue;
        }
        let mut carries_message = false;
        let mut understood = false;
        for (name, value) in &mut values {
            if MESSAGE_PLACES.contains(name) {
                carries_message = true;
                let written = translate_line(value, language, depth + 1);
                understood |= written != *value;
                *value = written;
            } else if NUMBER_PLACES.contains(name) {
                *value = value.replace('.', ",");
            } else if let Some(french) = key
                .starts_with("defect.")
                .then(|| french_name(name, value))
                .flatten()
            {
                *value = french.to_string();
            }
        }
        let target = template(language, key).unwrap_or(english);
        if carries_message && !understood {
            // The general form only carries a message it knows: a text
            // already in French, or a library's words, is left as it is.
            if *key != "place" && reserve.is_none() {
                reserve = Some(fill(target, &values));
            }
            continue;
        }
        return fill(target, &values);
    }
    reserve.unwrap_or_else(|| text.to_string())
}

/// The French name of a defect type (`name`) or a kind of component
/// (`kind`) that a message about a defect gives in English.
fn french_name(place: &str, english: &str) -> Option<&'static str> {
    match place {
        "name" => crate::catalogue::CATALOGUE
            .iter()
            .find(|entry| entry.name_en == english)
            .map(|entry| entry.name_fr),
        "kind" => crate::model::ComponentKind::ALL
            .iter()
            .find(|kind| kind.name_en() == english)
            .map(|kind| kind.name_fr()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::places;

    #[test]
    fn every_message_has_both_languages_with_the_same_places() {
        assert_eq!(EN.len(), FR.len(), "as many French messages as English");
        for (index, (key, english)) in EN.iter().enumerate() {
            assert_eq!(FR[index].0, *key, "the tables list keys in the same order");
            let french = template("fr", key).unwrap_or_else(|| panic!("`{key}` has no French"));
            assert_eq!(
                places(english),
                places(french),
                "`{key}` names other places in French"
            );
            assert_ne!(english, &french, "`{key}` is not translated");
        }
    }

    #[test]
    fn each_english_message_is_found_again_and_written_in_french() {
        // Sample values that no template matches, so each message must be
        // recognised by its own template and by no earlier one.
        // (The general form is checked with a message inside, below.)
        for (key, english) in EN.iter().filter(|(key, _)| *key != "place") {
            let values: Vec<(&str, String)> = places(english)
                .into_iter()
                .map(|place| {
                    let value = if NUMBER_PLACES.contains(&place) {
                        "7".to_string()
                    } else {
                        format!("Z{place}Z")
                    };
                    (place, value)
                })
                .collect();
            let text = fill(english, &values);
            let expected = fill(template("fr", key).expect("French"), &values);
            assert_eq!(translate(&text, "fr"), expected, "`{key}`");
            assert_eq!(translate(&text, "en"), text);
        }
    }

    #[test]
    fn a_message_wrapping_another_is_read_from_the_outside_in() {
        let inner = english(
            "bundle.too_many",
            &[
                ("count", "51".into()),
                ("field", "photos cited by defect 1".into()),
                ("limit", "50".into()),
            ],
        );
        let outer = english(
            "import.refused",
            &[
                ("file", "/tmp/b/photos.zip".into()),
                ("reason", format!("manifest.json: {inner}")),
            ],
        );
        assert_eq!(
            translate(&outer, "fr"),
            "/tmp/b/photos.zip refusé, rien n'a été importé : manifest.json : \
             51 photos cited by defect 1, plus que les 50 qu'un paquet peut contenir"
        );
    }

    #[test]
    fn what_people_typed_is_echoed_as_typed_and_the_right_template_wins() {
        // A refused upload on the server wraps the reader's reason.
        let refused = english(
            "server.bundle_refused",
            &[("reason", english("bundle.no_version", &[]))],
        );
        assert_eq!(
            translate(&refused, "fr"),
            "le paquet a été refusé, rien n'a été importé : manifest.json n'a pas de version"
        );
        // Echoed values keep their dots; a name that is also a catalogue
        // word stays a name.
        let malformed = english("position.malformed", &[("given", "48.73".into())]);
        assert!(translate(&malformed, "fr").starts_with("« 48.73 » n'est pas une position"));
        let user = english("book.no_user", &[("name", "extent".into())]);
        assert!(translate(&user, "fr").starts_with("pas d'utilisateur « extent »"));
        let component = english(
            "defect.unknown_component",
            &[
                ("given", "1.3".into()),
                ("structure", "PONT-1".into()),
                ("known", "1.1, 1.2".into()),
            ],
        );
        assert_eq!(
            translate(&component, "fr"),
            "élément « 1.3 » inconnu ; l'ouvrage PONT-1 a 1.1, 1.2"
        );
        // A general form whose message it cannot read gives way to a more
        // specific template further down.
        let photo_time = english(
            "bundle.photo_time",
            &[
                ("place", "photo IMG_1.JPG".into()),
                ("taken_at", "1800-01-01T00:00:00Z".into()),
            ],
        );
        assert_eq!(
            translate(&photo_time, "fr"),
            "photo IMG_1.JPG : taken_at 1800-01-01T00:00:00Z n'est pas une heure de prise de vue plausible"
        );
    }

    #[test]
    fn notes_joined_on_one_line_are_written_again_one_by_one() {
        let joined = format!(
            "{}; {}",
            english(
                "note.dives",
                &[("format", "UDDF".into()), ("count", "2".into())]
            ),
            english("note.undated_dives", &[("count", "1".into())])
        );
        assert_eq!(
            translate(&joined, "fr"),
            "UDDF, 2 plongée(s) ; 1 plongée(s) sans date ignorée(s)"
        );
    }

    #[test]
    fn defect_types_and_component_kinds_are_named_in_french() {
        let entry = crate::catalogue::find("CON-CRACK").expect("catalogue");
        let text = english(
            "defect.not_for_component",
            &[
                ("code", "CON-CRACK".into()),
                ("name", entry.name_en.into()),
                ("component", "P1".into()),
                ("kind", crate::model::ComponentKind::Pier.name_en().into()),
                ("allowed", "deck".into()),
            ],
        );
        let french = translate(&text, "fr");
        assert!(french.contains(entry.name_fr), "{french}");
        assert!(french.contains("de type pile"), "{french}");
    }

    #[test]
    fn a_message_already_in_french_is_left_as_it_is() {
        let french = "Note finale : « abc » n'est pas une note";
        assert_eq!(translate(french, "fr"), french);
    }

    #[test]
    fn nested_messages_and_decimal_numbers_are_translated_too() {
        let inner = english("mark.out_of_range", &[("value", "25.5".to_string())]);
        let outer = english(
            "place",
            &[("place", "final_mark".into()), ("message", inner)],
        );
        assert_eq!(
            translate(&outer, "fr"),
            "final_mark : 25,5 est hors barème : une note va de 0 à 20"
        );
        assert_eq!(
            translate("a library's own words", "fr"),
            "a library's own words"
        );
        let two_lines = format!("{}\nrow 3: bad", english("course.rows", &[]));
        assert_eq!(
            translate(&two_lines, "fr"),
            "rien n'a été importé ; corrigez ces lignes et importez de nouveau le fichier :\nrow 3: bad"
        );
    }

    /// The texts that error types fix with `#[error]` are those of the
    /// catalogue: each real error is translated whole.
    #[test]
    fn the_core_error_types_speak_from_the_catalogue() {
        use crate::field_position::FieldPositionError;
        use crate::geometry::InvalidPosition;
        use crate::grading::own::OwnGradeError;
        use crate::grading::SeverityError;
        use crate::mark::MarkError;
        use crate::model::{InvalidMeasurement, UnknownCode};
        use crate::recording::DefectError;
        let mut errors: Vec<String> = vec![
            MarkError::NotANumber("abc".into()).to_string(),
            MarkError::OutOfRange(25.5).to_string(),
            DefectError::UnknownComponent {
                given: "P9".into(),
                structure: "PONT-1".into(),
                known: "P1, P2".into(),
            }
            .to_string(),
            DefectError::UnknownType {
                given: "crak".into(),
                hint: english("defect.did_you_mean", &[("codes", "crack".into())]),
            }
            .to_string(),
            SeverityError {
                scheme: "IQOA",
                given: "9".into(),
                allowed: "1, 2, 3",
            }
            .to_string(),
            UnknownCode {
                what: "extent",
                given: "lots".into(),
                known: vec!["isolated", "some"],
            }
            .to_string(),
            InvalidMeasurement {
                measure: "width_mm",
                value: 900.0,
                limit: 500.0,
                count: false,
            }
            .to_string(),
            InvalidMeasurement {
                measure: "count",
                value: 1.5,
                limit: 100.0,
                count: true,
            }
            .to_string(),
            OwnGradeError::UnknownTarget {
                target: "P9".into(),
                structure: "PONT-1".into(),
                known: "P1".into(),
            }
            .to_string(),
            OwnGradeError::UnknownGrade {
                grade: "7".into(),
                scheme: "IQOA".into(),
                allowed: "1, 2",
            }
            .to_string(),
            InvalidPosition::Malformed("north".into()).to_string(),
            InvalidPosition::LatitudeOutOfRange(95.0).to_string(),
            InvalidPosition::LongitudeOutOfRange(195.0).to_string(),
            FieldPositionError::Swapped {
                lat: -3.4,
                lon: 48.7,
                distance_m: 5e6,
                structure: "PONT-1".into(),
            }
            .to_string(),
            FieldPositionError::FarFromStructure {
                distance_m: 2500.0,
                structure: "PONT-1".into(),
            }
            .to_string(),
            FieldPositionError::Inaccurate { accuracy_m: 80.0 }.to_string(),
            crate::course::CourseError::Syntax("line 3".into()).to_string(),
            crate::sheet::SheetProblem {
                line: 4,
                message: "bad".into(),
            }
            .to_string(),
        ];
        for scheme in crate::grading::SCHEMES {
            let refused = scheme
                .parse_severity("zzz")
                .expect_err("no scheme takes zzz");
            assert_ne!(translate(refused.allowed, "fr"), refused.allowed);
            errors.push(refused.to_string());
            let help = scheme.classes_help();
            assert_ne!(
                translate(help, "fr"),
                help,
                "the classes of {}",
                scheme.name()
            );
        }
        for error in errors {
            let french = translate(&error, "fr");
            assert_ne!(french, error, "no template matches `{error}`");
            let matched = EN
                .iter()
                .find(|(_, english)| match_template(english, &error).is_some())
                .map(|(key, _)| *key);
            assert_ne!(
                matched,
                Some("place"),
                "`{error}` has no template of its own"
            );
        }
    }
}
