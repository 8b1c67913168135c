//! The defects spreadsheet: the CSV file trainees fill in on site.
//!
//! Columns are named in the header row, in any order, in English or French
//! (`component`/`composant`, `severity`/`gravité`...). Comma or semicolon
//! separated (French spreadsheets save with `;` and decimal commas, both
//! accepted). The whole sheet is checked before anything is kept: any bad
//! row makes the sheet fail with every problem listed by line number.
//! A row whose type is `GRADE` (French `CLASSE`) gives the inspector's own
//! grade instead of a defect: its component is the target (a component
//! code, `structure` or `group:CODE`) and its severity the grade.
//! Documented in `docs/defects-sheet.md`.

use crate::geometry::LonLat;
use crate::grading::GradingScheme;
use crate::model::{Defect, Measure, Measurements, Structure};
use crate::recording::{check_defect, DefectInput};
use crate::words::errors::english as said;

/// One problem in a sheet, at a line of the file (1 is the header).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct SheetProblem {
    pub line: u64,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Component,
    Type,
    Severity,
    Extent,
    Measure(Measure),
    Lat,
    Lon,
    Note,
    Photos,
}

/// A header as French measurement columns are written: without accents.
fn normalised_french(name: &str) -> String {
    name.replace(['é', 'è', 'ê'], "e").replace('à', "a")
}

fn column_for(header: &str) -> Option<Column> {
    let name = header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .replace([' ', '-'], "_");
    let column = match name.as_str() {
        "component" | "composant" | "element" | "élément" | "partie" => Column::Component,
        "type" | "defect" | "defect_type" | "désordre" | "desordre" => Column::Type,
        "severity" | "gravité" | "gravite" | "classe" | "class" => Column::Severity,
        "extent" | "étendue" | "etendue" => Column::Extent,
        "lat" | "latitude" => Column::Lat,
        "lon" | "lng" | "longitude" => Column::Lon,
        "note" | "comment" | "commentaire" | "remarque" => Column::Note,
        "photos" | "photo" => Column::Photos,
        other => Column::Measure(*Measure::ALL.iter().find(|measure| {
            measure.code() == other || measure.french_column() == normalised_french(other)
        })?),
    };
    Some(column)
}

/// Picks `;` when the header row has more semicolons than commas.
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    }
}

fn parse_number(text: &str, decimal_comma: bool) -> Option<f64> {
    let text = text.trim();
    if decimal_comma {
        text.replace(',', ".").parse().ok()
    } else {
        text.parse().ok()
    }
}

/// What a sheet holds: defects, and the inspector's own grades as
/// (target, grade).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    pub defects: Vec<Defect>,
    pub own_grades: Vec<(String, String)>,
}

/// The type that marks a row as an own grade rather than a defect.
fn is_grade_row(type_code: &str) -> bool {
    matches!(type_code.trim().to_uppercase().as_str(), "GRADE" | "CLASSE")
}

/// Parses and checks a whole defects sheet. Returns every defect, or every
/// problem found (never a part of the sheet); a sheet with own-grade rows
/// is refused here (use [`parse_sheet`]).
pub fn parse_defect_sheet(
    text: &str,
    structure: &Structure,
    scheme: &dyn GradingScheme,
) -> Result<Vec<Defect>, Vec<SheetProblem>> {
    let sheet = parse_sheet(text, structure, scheme)?;
    if !sheet.own_grades.is_empty() {
        return Err(vec![SheetProblem {
            line: 1,
            message:
                "this sheet gives own grades (GRADE rows); import it with `voussoir defect import`"
                    .to_string(),
        }]);
    }
    Ok(sheet.defects)
}

/// Parses and checks a whole sheet: defects and own grades. Returns all of
/// it, or every problem found.
pub fn parse_sheet(
    text: &str,
    structure: &Structure,
    scheme: &dyn GradingScheme,
) -> Result<Sheet, Vec<SheetProblem>> {
    let separator = delimiter(text);
    let decimal_comma = separator == b';';
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(error) => {
            return Err(vec![SheetProblem {
                line: 1,
                message: said("sheet.header", &[("error", error.to_string())]),
            }])
        }
    };
    let mut columns = Vec::new();
    let mut problems = Vec::new();
    for header in headers.iter() {
        let column = column_for(header);
        if column.is_none() && !header.trim().is_empty() {
            problems.push(SheetProblem {
                line: 1,
                message: said(
                    "sheet.unknown_column",
                    &[
                        ("given", header.to_string()),
                        (
                            "measures",
                            Measure::ALL
                                .iter()
                                .map(|measure| measure.code())
                                .collect::<Vec<_>>()
                                .join(", "),
                        ),
                    ],
                ),
            });
        }
        columns.push(column);
    }
    for required in [Column::Component, Column::Type] {
        if !columns.contains(&Some(required)) {
            let name = if required == Column::Component {
                "component"
            } else {
                "type"
            };
            problems.push(SheetProblem {
                line: 1,
                message: said("sheet.missing_column", &[("name", name.to_string())]),
            });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let mut defects = Vec::new();
    let mut own_grades: Vec<(String, String)> = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |position| position.line());
                problems.push(SheetProblem {
                    line,
                    message: said("sheet.unreadable_row", &[("error", error.to_string())]),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |position| position.line());
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        match row_to_input(&record, &columns, decimal_comma) {
            Err(message) => problems.push(SheetProblem { line, message }),
            Ok(input) if is_grade_row(&input.type_code) => {
                let grade = input.severity.clone().unwrap_or_default();
                match crate::grading::own::check_own_grade(
                    scheme.code(),
                    structure,
                    &input.component,
                    &grade,
                ) {
                    Ok((target, grade)) => {
                        own_grades.retain(|(known, _)| *known != target);
                        own_grades.push((target, grade));
                    }
                    Err(error) => problems.push(SheetProblem {
                        line,
                        message: said("sheet.own_grade", &[("error", error.to_string())]),
                    }),
                }
            }
            Ok(input) => match check_defect(structure, scheme, input) {
                Ok(defect) => defects.push(defect),
                Err(error) => problems.push(SheetProblem {
                    line,
                    message: error.to_string(),
                }),
            },
        }
    }
    if problems.is_empty() {
        Ok(Sheet {
            defects,
            own_grades,
        })
    } else {
        Err(problems)
    }
}

fn row_to_input(
    record: &csv::StringRecord,
    columns: &[Option<Column>],
    decimal_comma: bool,
) -> Result<DefectInput, String> {
    let mut input = DefectInput::default();
    let mut measurements = Measurements::default();
    let (mut lat, mut lon) = (None, None);
    for (index, field) in record.iter().enumerate() {
        let Some(Some(column)) = columns.get(index) else {
            continue;
        };
        let field = field.trim();
        if field.is_empty() {
            continue;
        }
        let number = |name: &str| {
            parse_number(field, decimal_comma).ok_or_else(|| {
                said(
                    "sheet.not_a_number",
                    &[("name", name.to_string()), ("given", field.to_string())],
                )
            })
        };
        match column {
            Column::Component => input.component = field.to_string(),
            Column::Type => input.type_code = field.to_string(),
            Column::Severity => input.severity = Some(field.to_string()),
            Column::Extent => input.extent = Some(field.to_string()),
            Column::Measure(measure) => measurements.set(*measure, Some(number(measure.code())?)),
            Column::Lat => lat = Some(number("lat")?),
            Column::Lon => lon = Some(number("lon")?),
            Column::Note => input.note = Some(field.to_string()),
            Column::Photos => {
                input.photos = field
                    .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '|'))
                    .filter(|name| !name.is_empty())
                    .map(str::to_string)
                    .collect()
            }
        }
    }
    if input.component.is_empty() {
        return Err(said("sheet.no_component", &[]));
    }
    if input.type_code.is_empty() {
        return Err(said("sheet.no_type", &[]));
    }
    input.measurements = measurements;
    input.position = match (lat, lon) {
        (None, None) => None,
        (Some(lat), Some(lon)) => Some(LonLat::new(lon, lat).map_err(|_| {
            said(
                "sheet.not_a_position",
                &[("lat", lat.to_string()), ("lon", lon.to_string())],
            )
        })?),
        _ => return Err(said("sheet.half_position", &[])),
    };
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::test_support::bridge;
    use crate::grading::Iqoa;

    #[test]
    fn a_comma_separated_sheet_is_read_in_any_column_order() {
        let text =
            "type,component,severity,crack_width_mm,note\nCON-CRACK,P1,2,0.3,\"vertical, 1 m\"\n";
        let defects = parse_defect_sheet(text, &bridge(), &Iqoa).expect("valid");
        assert_eq!(defects.len(), 1);
        assert_eq!(defects[0].measurements.crack_width_mm, Some(0.3));
        assert_eq!(defects[0].note.as_deref(), Some("vertical, 1 m"));
    }

    #[test]
    fn a_photos_column_lists_file_names() {
        let text = "component;type;photos\nP1;CON-CRACK;IMG_1.JPG, IMG_2.JPG\n";
        let defects = parse_defect_sheet(text, &bridge(), &Iqoa).expect("valid");
        assert_eq!(defects[0].photos, vec!["IMG_1.JPG", "IMG_2.JPG"]);
    }

    #[test]
    fn a_french_semicolon_sheet_with_decimal_commas_is_read() {
        let text = "\u{feff}composant;désordre;gravité;ouverture_mm;latitude;longitude\nP1;CON-CRACK;2E;0,35;48,7326;-3,4597\n";
        let defects = parse_defect_sheet(text, &bridge(), &Iqoa).expect("valid");
        assert_eq!(defects[0].measurements.crack_width_mm, Some(0.35));
        assert_eq!(defects[0].severity.as_deref(), Some("2E"));
        let position = defects[0].position.expect("positioned");
        assert_eq!((position.lon, position.lat), (-3.4597, 48.7326));
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line_and_nothing_is_returned() {
        let text = "component,type,severity\nP1,CON-CRACK,2\nP9,CON-CRACK,2\nP1,CON-SPALL,7\n\nT1,CON-SPALL,3\n";
        let problems = parse_defect_sheet(text, &bridge(), &Iqoa).expect_err("refused");
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].line, 3);
        assert!(problems[0].message.contains("unknown component `P9`"));
        assert_eq!(problems[1].line, 4);
        assert!(problems[1].message.contains("outside IQOA"));
    }

    #[test]
    fn an_unknown_column_is_refused_before_any_row() {
        let problems = parse_defect_sheet(
            "component,type,colour\nP1,CON-CRACK,red\n",
            &bridge(),
            &Iqoa,
        )
        .expect_err("refused");
        assert_eq!(problems[0].line, 1);
        assert!(problems[0].message.contains("unknown column `colour`"));
    }

    #[test]
    fn a_missing_type_column_is_refused() {
        let problems = parse_defect_sheet("component,severity\nP1,2\n", &bridge(), &Iqoa)
            .expect_err("refused");
        assert!(problems[0].message.contains("no `type` column"));
    }

    #[test]
    fn a_latitude_without_longitude_is_refused() {
        let problems =
            parse_defect_sheet("component,type,lat\nP1,CON-CRACK,48.7\n", &bridge(), &Iqoa)
                .expect_err("refused");
        assert!(problems[0].message.contains("both lat and lon"));
    }

    #[test]
    fn a_text_in_a_number_column_is_refused() {
        let problems = parse_defect_sheet(
            "component,type,length_m\nP1,CON-CRACK,long\n",
            &bridge(),
            &Iqoa,
        )
        .expect_err("refused");
        assert!(problems[0]
            .message
            .contains("length_m `long` is not a number"));
    }

    #[test]
    fn grade_rows_give_the_inspectors_own_grades() {
        let text = "component,type,severity\nP1,CON-CRACK,2\nP1,GRADE,2e\nstructure,classe,3\n";
        let sheet = parse_sheet(text, &bridge(), &Iqoa).expect("valid");
        assert_eq!(sheet.defects.len(), 1);
        assert_eq!(
            sheet.own_grades,
            vec![
                ("P1".to_string(), "2E".to_string()),
                ("structure".to_string(), "3".to_string())
            ]
        );
        let problems = parse_sheet("component,type,severity\nP1,GRADE,7\n", &bridge(), &Iqoa)
            .expect_err("refused");
        assert!(problems[0].message.contains("own grade"), "{problems:?}");
        assert_eq!(problems[0].line, 2);
    }
}
