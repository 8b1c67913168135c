//! Checking a defect before it is recorded: the component exists on the
//! structure, the type is in the catalogue and fits the component, the
//! severity belongs to the scheme, and the measurements are plausible.
//! Every error says what is wrong and what to write instead.

use crate::catalogue;
use crate::geometry::LonLat;
use crate::grading::GradingScheme;
use crate::model::{Defect, Extent, Measurements, Structure};
use crate::words::errors::english as said;

/// A defect as a user typed it, before checking.
#[derive(Debug, Clone, Default)]
pub struct DefectInput {
    pub component: String,
    pub type_code: String,
    /// Empty or `?` means "not graded yet".
    pub severity: Option<String>,
    pub extent: Option<String>,
    pub measurements: Measurements,
    pub position: Option<LonLat>,
    pub note: Option<String>,
    /// Photo file names, with or without their folder.
    pub photos: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DefectError {
    #[error("unknown component `{given}`; structure {structure} has {known}")]
    UnknownComponent {
        given: String,
        structure: String,
        known: String,
    },
    #[error("unknown defect type `{given}`{hint}; `voussoir catalogue` lists them")]
    UnknownType { given: String, hint: String },
    /// The type does not fit the component's kind or material.
    #[error("{0}")]
    Mismatch(String),
    #[error(transparent)]
    Severity(#[from] crate::grading::SeverityError),
    #[error(transparent)]
    Extent(#[from] crate::model::UnknownCode),
    #[error(transparent)]
    Measurement(#[from] crate::model::InvalidMeasurement),
    /// The position is far from the structure, or latitude and longitude
    /// look swapped.
    #[error("{0}")]
    Position(String),
}

/// Checks a typed defect against the structure and scheme and returns the
/// defect to store (id 0, canonical codes).
pub fn check_defect(
    structure: &Structure,
    scheme: &dyn GradingScheme,
    input: DefectInput,
) -> Result<Defect, DefectError> {
    let component =
        structure
            .component(&input.component)
            .ok_or_else(|| DefectError::UnknownComponent {
                given: input.component.trim().to_string(),
                structure: structure.code.clone(),
                known: structure.component_codes().join(", "),
            })?;
    let entry = catalogue::find(&input.type_code).ok_or_else(|| {
        let suggestions = catalogue::suggest(&input.type_code);
        DefectError::UnknownType {
            given: input.type_code.trim().to_string(),
            hint: if suggestions.is_empty() {
                String::new()
            } else {
                said("defect.did_you_mean", &[("codes", suggestions.join(", "))])
            },
        }
    })?;
    if !entry.applies_to(component.kind) {
        let allowed: Vec<&str> = entry.components.iter().map(|kind| kind.code()).collect();
        return Err(DefectError::Mismatch(said(
            "defect.not_for_component",
            &[
                ("code", entry.code.to_string()),
                ("name", entry.name_en.to_string()),
                ("component", component.code.clone()),
                ("kind", component.kind.name_en().to_string()),
                ("allowed", allowed.join(", ")),
            ],
        )));
    }
    if let Some(material) = component.material {
        if !entry.materials.is_empty() && !entry.materials.contains(&material) {
            let same_family: Vec<&str> = catalogue::CATALOGUE
                .iter()
                .filter(|other| {
                    other.family == entry.family
                        && other.applies_to(component.kind)
                        && (other.materials.is_empty() || other.materials.contains(&material))
                })
                .map(|other| other.code)
                .collect();
            let allowed: Vec<&str> = entry
                .materials
                .iter()
                .map(|material| material.code())
                .collect();
            let mut values = vec![
                ("code", entry.code.to_string()),
                ("name", entry.name_en.to_string()),
                ("materials", allowed.join(", ")),
                ("component", component.code.clone()),
                ("material", material.code().to_string()),
            ];
            let key = if same_family.is_empty() {
                "defect.not_for_material_alone"
            } else {
                values.push(("others", same_family.join(", ")));
                "defect.not_for_material"
            };
            return Err(DefectError::Mismatch(said(key, &values)));
        }
    }
    let severity = match input.severity.as_deref().map(str::trim) {
        None | Some("") | Some("?") => None,
        Some(text) => Some(scheme.parse_severity(text)?),
    };
    let extent = match input.extent.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(text.parse::<Extent>()?),
    };
    input.measurements.validate()?;
    let foreign: Vec<&str> = input
        .measurements
        .present()
        .into_iter()
        .filter(|(measure, _)| !entry.takes(*measure))
        .map(|(measure, _)| measure.code())
        .collect();
    if !foreign.is_empty() {
        let taken: Vec<&str> = entry
            .measures
            .iter()
            .map(|measure| measure.code())
            .collect();
        return Err(DefectError::Mismatch(said(
            "defect.takes_no",
            &[
                ("code", entry.code.to_string()),
                ("name", entry.name_en.to_string()),
                ("measures", foreign.join(", ")),
                (
                    "taken",
                    if taken.is_empty() {
                        said("defect.measured_by_nothing", &[])
                    } else {
                        taken.join(", ")
                    },
                ),
            ],
        )));
    }
    if let Some(position) = input.position {
        use crate::field_position::{check_field_position, FieldPositionError};
        match check_field_position(structure, position.lat, position.lon, None) {
            Ok(_) => {}
            Err(FieldPositionError::FarFromStructure {
                distance_m,
                structure,
            }) => {
                return Err(DefectError::Position(said(
                    "defect.far_position",
                    &[
                        ("lat", format!("{:.6}", position.lat)),
                        ("lon", format!("{:.6}", position.lon)),
                        ("km", format!("{:.1}", distance_m / 1000.0)),
                        ("structure", structure),
                    ],
                )))
            }
            Err(error) => return Err(DefectError::Position(error.to_string())),
        }
    }
    let note = input
        .note
        .map(|note| note.trim().to_string())
        .filter(|note| !note.is_empty());
    let mut photos: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for name in input.photos.iter().map(|name| photo_name(name)) {
        if !name.is_empty() && seen.insert(name.to_lowercase()) {
            photos.push(name);
        }
    }
    Ok(Defect {
        id: 0,
        component: component.code.clone(),
        type_code: entry.code.to_string(),
        severity,
        extent,
        measurements: input.measurements,
        position: input.position,
        note,
        photos,
    })
}

/// A photo's file name without its folder: `DCIM/IMG_0101.JPG` → `IMG_0101.JPG`.
pub fn photo_name(path: &str) -> String {
    path.trim()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::test_support::bridge;
    use crate::grading::{Iqoa, Nbi};
    use crate::model::Material;

    fn input(component: &str, type_code: &str, severity: &str) -> DefectInput {
        DefectInput {
            component: component.to_string(),
            type_code: type_code.to_string(),
            severity: Some(severity.to_string()),
            ..DefectInput::default()
        }
    }

    #[test]
    fn a_good_defect_gets_canonical_codes() {
        let defect = check_defect(&bridge(), &Iqoa, input("p1", "con-crack", "2e")).expect("valid");
        assert_eq!(defect.component, "P1");
        assert_eq!(defect.type_code, "CON-CRACK");
        assert_eq!(defect.severity.as_deref(), Some("2E"));
    }

    #[test]
    fn an_unknown_component_lists_the_structure_components() {
        let error =
            check_defect(&bridge(), &Iqoa, input("P9", "CON-CRACK", "2")).expect_err("refused");
        assert_eq!(
            error.to_string(),
            "unknown component `P9`; structure PONT has C0, P1, T1, TAB, J1, GC, AP1"
        );
    }

    #[test]
    fn an_unknown_type_suggests_close_ones() {
        let error = check_defect(&bridge(), &Iqoa, input("P1", "crack", "2")).expect_err("refused");
        assert!(
            error.to_string().contains("did you mean CON-CRACK"),
            "{error}"
        );
    }

    #[test]
    fn a_severity_outside_the_scheme_is_refused() {
        let error =
            check_defect(&bridge(), &Iqoa, input("P1", "CON-CRACK", "7")).expect_err("refused");
        assert!(error.to_string().contains("outside IQOA"), "{error}");
        assert!(check_defect(&bridge(), &Nbi, input("P1", "CON-CRACK", "2E")).is_err());
    }

    #[test]
    fn an_empty_or_question_mark_severity_is_not_graded_yet() {
        let defect = check_defect(&bridge(), &Iqoa, input("P1", "CON-CRACK", "?")).expect("valid");
        assert_eq!(defect.severity, None);
    }

    #[test]
    fn a_bearing_defect_on_a_pier_is_refused() {
        let error =
            check_defect(&bridge(), &Iqoa, input("P1", "BRG-BULGE", "2")).expect_err("refused");
        assert!(error.to_string().contains("applies to: bearing"), "{error}");
    }

    #[test]
    fn a_concrete_defect_on_masonry_points_to_the_masonry_type() {
        let mut structure = bridge();
        structure.components[1].material = Some(Material::Masonry);
        let error =
            check_defect(&structure, &Iqoa, input("P1", "CON-CRACK", "2")).expect_err("refused");
        assert!(error.to_string().contains("use MAS-CRACK"), "{error}");
    }

    #[test]
    fn photo_names_lose_their_folder_and_repeats() {
        let mut typed = input("P1", "CON-CRACK", "2");
        typed.photos = vec![
            "DCIM/IMG_1.JPG".into(),
            "img_1.jpg".into(),
            " IMG_2.JPG ".into(),
        ];
        let defect = check_defect(&bridge(), &Iqoa, typed).expect("valid");
        assert_eq!(defect.photos, vec!["IMG_1.JPG", "IMG_2.JPG"]);
    }

    #[test]
    fn a_negative_crack_width_is_refused() {
        let mut typed = input("P1", "CON-CRACK", "2");
        typed.measurements.crack_width_mm = Some(-0.3);
        let error = check_defect(&bridge(), &Iqoa, typed).expect_err("refused");
        assert!(error.to_string().contains("crack_width_mm"), "{error}");
    }

    #[test]
    fn a_measurement_the_type_does_not_take_is_refused_with_those_it_takes() {
        let mut structure = bridge();
        structure.components[1].material = Some(Material::Masonry);
        let mut typed = input("P1", "MAS-SPLIT", "2");
        typed.measurements.crack_width_mm = Some(0.3);
        let error = check_defect(&structure, &Iqoa, typed.clone()).expect_err("refused");
        assert_eq!(
            error.to_string(),
            "MAS-SPLIT (split, spalled or missing stones) takes no crack_width_mm; it is measured by count, area_m2"
        );
        typed.measurements = Measurements {
            count: Some(3.0),
            ..Measurements::default()
        };
        assert!(check_defect(&structure, &Iqoa, typed).is_ok());
    }

    #[test]
    fn many_photo_names_are_de_duplicated_in_linear_time() {
        let mut typed = input("P1", "CON-CRACK", "2");
        typed.photos = (0..200_000).map(|n| format!("IMG_{n}.JPG")).collect();
        typed.photos.push("img_7.jpg".into());
        let defect = check_defect(&bridge(), &Iqoa, typed).expect("valid");
        assert_eq!(defect.photos.len(), 200_000);
    }

    #[test]
    fn a_position_far_from_the_structure_or_swapped_is_refused() {
        let mut structure = bridge();
        structure.position = Some(LonLat {
            lon: -3.461,
            lat: 48.731,
        });
        let mut typed = input("P1", "CON-CRACK", "2");
        typed.position = Some(LonLat {
            lon: 48.731,
            lat: -3.461,
        });
        let error = check_defect(&structure, &Iqoa, typed.clone()).expect_err("swapped");
        assert!(error.to_string().contains("look swapped"), "{error}");
        typed.position = Some(LonLat {
            lon: 2.35,
            lat: 48.85,
        });
        let error = check_defect(&structure, &Iqoa, typed.clone()).expect_err("Paris");
        assert!(error.to_string().contains("km from PONT"), "{error}");
        typed.position = Some(LonLat {
            lon: -3.4612,
            lat: 48.7311,
        });
        assert!(check_defect(&structure, &Iqoa, typed).is_ok());
    }
}
