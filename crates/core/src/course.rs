//! The course file: the instructor's TOML description of a course, its
//! training structures with their components, its trainees and its grading
//! scheme. Parsed from text (the caller reads the file) and validated into
//! a [`Course`]. The format is documented in `docs/course-file.md`.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;

use crate::compare::Rubric;
use crate::geometry::LonLat;
use crate::grading;
use crate::model::{
    Component, ComponentKind, ElementQuantity, ElementUnit, Material, Structure, StructureKind,
};

/// A validated course.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Course {
    pub code: String,
    pub name: String,
    pub centre: Option<String>,
    /// Grading scheme code (`iqoa`, `nbi`).
    pub scheme: String,
    /// IANA time zone the course's cameras are set to, e.g. `Europe/Paris`.
    pub time_zone: String,
    /// Language of printed reports: `fr` or `en`.
    pub language: String,
    pub trainees: Vec<Trainee>,
    pub structures: Vec<Structure>,
    /// The weights of the suggested mark's parts; they add up to 20.
    pub rubric: Rubric,
    /// The background of the interactive map.
    pub map: MapSettings,
}

/// The interactive map's background: layers of GeoJSON the course gives
/// (river banks, roads, the deck's outline) and, for online use only, a
/// tile server with its attribution. Without them the structure's plan is
/// the background and nothing is fetched from another host.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MapSettings {
    /// A tile URL template with `{z}`, `{x}` and `{y}`, over HTTPS.
    #[serde(default)]
    pub tiles: Option<String>,
    #[serde(default)]
    pub attribution: Option<String>,
    #[serde(default)]
    pub layers: Vec<MapLayer>,
}

/// One background layer: its name, the file the course file names, and
/// the GeoJSON read from it when the course was loaded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapLayer {
    pub name: String,
    pub file: String,
    #[serde(default)]
    pub geojson: Option<String>,
}

impl MapSettings {
    /// The tile server's origin (`https://tile.example.org`), for the
    /// pages' content security policy.
    pub fn tile_origin(&self) -> Option<String> {
        let url = self.tiles.as_deref()?;
        let rest = url.strip_prefix("https://")?;
        let host = rest.split('/').next()?;
        Some(format!("https://{host}"))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trainee {
    /// Login name, unique in the course.
    pub name: String,
    pub full_name: Option<String>,
    pub email: Option<String>,
}

/// A problem in a course file, with where it is and what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CourseError {
    #[error("not a valid course file: {0}")]
    Syntax(String),
    #[error("{place}: {message}")]
    Invalid { place: String, message: String },
}

fn invalid(place: impl Into<String>, message: impl Into<String>) -> CourseError {
    CourseError::Invalid {
        place: place.into(),
        message: message.into(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CourseFile {
    course: CourseSection,
    #[serde(default)]
    trainees: Vec<Trainee>,
    #[serde(default)]
    structures: Vec<StructureSection>,
    rubric: Option<RubricSection>,
    map: Option<MapSection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MapSection {
    tiles: Option<String>,
    attribution: Option<String>,
    #[serde(default)]
    layers: Vec<LayerSection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LayerSection {
    name: String,
    file: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RubricSection {
    findings: f64,
    severity: f64,
    grades: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CourseSection {
    code: String,
    name: String,
    centre: Option<String>,
    #[serde(default = "default_scheme")]
    scheme: String,
    #[serde(default = "default_time_zone")]
    time_zone: String,
    #[serde(default = "default_language")]
    language: String,
}

fn default_scheme() -> String {
    "iqoa".to_string()
}
fn default_time_zone() -> String {
    "Europe/Paris".to_string()
}
fn default_language() -> String {
    "fr".to_string()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StructureSection {
    code: String,
    name: String,
    kind: String,
    material: Option<String>,
    /// `[longitude, latitude]`.
    position: Option<[f64; 2]>,
    #[serde(default)]
    axis: Vec<[f64; 2]>,
    crosses: Option<String>,
    /// `2026-12-15T18:00` in the course's time zone.
    deadline: Option<String>,
    #[serde(default)]
    components: Vec<ComponentSection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ComponentSection {
    code: String,
    kind: String,
    name: Option<String>,
    material: Option<String>,
    position: Option<[f64; 2]>,
    #[serde(default)]
    underwater: bool,
    critical_scour_depth_m: Option<f64>,
    /// Element-level inspection: total quantity, its unit, cost per unit.
    quantity: Option<f64>,
    unit: Option<String>,
    failure_cost: Option<f64>,
}

fn position(place: &str, pair: Option<[f64; 2]>) -> Result<Option<LonLat>, CourseError> {
    pair.map(|[lon, lat]| {
        LonLat::new(lon, lat).map_err(|_| {
            invalid(
                place,
                format!("position [{lon}, {lat}] is not [longitude, latitude] in degrees"),
            )
        })
    })
    .transpose()
}

/// A component's element quantity: a positive total with its unit, and
/// optionally a positive cost per unit; all or nothing of total and unit.
fn element_quantity(
    place: &str,
    total: Option<f64>,
    unit: Option<&str>,
    failure_cost: Option<f64>,
) -> Result<Option<ElementQuantity>, CourseError> {
    if let Some(cost) = failure_cost {
        if !(cost.is_finite() && cost > 0.0) {
            return Err(invalid(
                place,
                format!("failure_cost = {cost}: give a positive cost per unit"),
            ));
        }
    }
    match (total, unit) {
        (None, None) if failure_cost.is_none() => Ok(None),
        (Some(total), Some(unit)) => {
            if !(total.is_finite() && total > 0.0 && total <= 1e7) {
                return Err(invalid(
                    place,
                    format!("quantity = {total}: give a positive total quantity"),
                ));
            }
            let unit = ElementUnit::parse(unit)
                .ok_or_else(|| invalid(place, format!("unit = \"{unit}\": use m2, m or each")))?;
            Ok(Some(ElementQuantity {
                total,
                unit,
                failure_cost,
            }))
        }
        _ => Err(invalid(
            place,
            "give both quantity and unit (m2, m or each) for element-level inspection",
        )),
    }
}

fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 32
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl Course {
    /// How a trainee is named to people: her full name from the course
    /// file, else her login.
    pub fn trainee_name(&self, login: &str) -> String {
        self.trainees
            .iter()
            .find(|trainee| trainee.name.eq_ignore_ascii_case(login))
            .and_then(|trainee| trainee.full_name.clone())
            .unwrap_or_else(|| login.to_string())
    }

    /// Parses and validates a course file's text.
    ///
    /// ```
    /// let text = r#"
    /// [course]
    /// code = "OA-2026"
    /// name = "Bridge inspection"
    ///
    /// [[structures]]
    /// code = "PONT"
    /// name = "Training bridge"
    /// kind = "beam"
    ///
    /// [[structures.components]]
    /// code = "P1"
    /// kind = "pier"
    /// position = [-3.4597, 48.7326]
    /// "#;
    /// let course = voussoir_core::course::Course::from_toml(text).unwrap();
    /// assert_eq!(course.scheme, "iqoa");
    /// assert_eq!(course.structures[0].components[0].code, "P1");
    /// ```
    pub fn from_toml(text: &str) -> Result<Course, CourseError> {
        let file: CourseFile =
            toml::from_str(text).map_err(|error| CourseError::Syntax(error.to_string()))?;
        let section = file.course;
        if !valid_code(&section.code) {
            return Err(invalid(
                "[course] code",
                format!(
                    "`{}` must be 1 to 32 letters, digits, '-' or '_'",
                    section.code
                ),
            ));
        }
        let scheme = grading::scheme(&section.scheme)
            .map_err(|error| invalid("[course] scheme", error.to_string()))?
            .code()
            .to_string();
        if !matches!(section.language.as_str(), "fr" | "en") {
            return Err(invalid(
                "[course] language",
                format!("`{}` is not supported; use fr or en", section.language),
            ));
        }

        let mut trainee_names = HashSet::new();
        for (index, trainee) in file.trainees.iter().enumerate() {
            let place = format!("trainee {} ({})", index + 1, trainee.name);
            if !valid_code(&trainee.name) {
                return Err(invalid(
                    place,
                    "a trainee name must be 1 to 32 letters, digits, '-' or '_' (it is their login)",
                ));
            }
            if !trainee_names.insert(trainee.name.to_lowercase()) {
                return Err(invalid(place, "this trainee is listed twice"));
            }
        }

        let mut structures = Vec::new();
        let mut structure_codes = HashSet::new();
        for raw in file.structures {
            let place = format!("structure {}", raw.code);
            if !valid_code(&raw.code) {
                return Err(invalid(
                    &place,
                    "a structure code must be 1 to 32 letters, digits, '-' or '_'",
                ));
            }
            if !structure_codes.insert(raw.code.to_uppercase()) {
                return Err(invalid(&place, "this structure code is used twice"));
            }
            let kind: StructureKind = raw
                .kind
                .parse()
                .map_err(|error: crate::model::UnknownCode| invalid(&place, error.to_string()))?;
            let material = parse_material(&place, raw.material.as_deref())?;
            let axis = raw
                .axis
                .iter()
                .map(|pair| position(&format!("{place} axis"), Some(*pair)))
                .collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .flatten()
                .collect();
            let mut components: Vec<Component> = Vec::new();
            let mut component_codes = HashSet::new();
            for raw_component in raw.components {
                let component_place = format!("{place}, component {}", raw_component.code);
                if !valid_code(&raw_component.code) {
                    return Err(invalid(
                        &component_place,
                        "a component code must be 1 to 32 letters, digits, '-' or '_'",
                    ));
                }
                if !component_codes.insert(raw_component.code.to_uppercase()) {
                    return Err(invalid(
                        &component_place,
                        "this component code is used twice",
                    ));
                }
                let component_kind: ComponentKind =
                    raw_component
                        .kind
                        .parse()
                        .map_err(|error: crate::model::UnknownCode| {
                            invalid(&component_place, error.to_string())
                        })?;
                components.push(Component {
                    code: raw_component.code,
                    kind: component_kind,
                    name: raw_component.name,
                    material: parse_material(&component_place, raw_component.material.as_deref())?
                        .or(material),
                    position: position(&component_place, raw_component.position)?,
                    underwater: raw_component.underwater,
                    critical_scour_depth_m: match raw_component.critical_scour_depth_m {
                        Some(depth) if !(depth > 0.0 && depth <= 50.0) => {
                            return Err(invalid(
                                &component_place,
                                format!(
                                "critical_scour_depth_m = {depth}: give metres between 0 and 50"
                            ),
                            ))
                        }
                        depth => depth,
                    },
                    quantity: element_quantity(
                        &component_place,
                        raw_component.quantity,
                        raw_component.unit.as_deref(),
                        raw_component.failure_cost,
                    )?,
                });
            }
            let deadline = raw
                .deadline
                .as_deref()
                .map(|text| {
                    text.trim().parse::<jiff::civil::DateTime>().map_err(|_| {
                        invalid(
                            &place,
                            format!(
                                "deadline `{text}` is not a date and time such as 2026-12-15T18:00"
                            ),
                        )
                    })
                })
                .transpose()?;
            structures.push(Structure {
                deadline,
                position: position(&place, raw.position)?,
                code: raw.code,
                name: raw.name,
                kind,
                material,
                axis,
                crossing: raw.crosses,
                components,
            });
        }
        if structures.is_empty() {
            return Err(invalid(
                "course file",
                "it lists no structure; add a [[structures]] table",
            ));
        }

        let rubric = match file.rubric {
            None => Rubric::default(),
            Some(weights) => {
                let rubric = Rubric {
                    findings: weights.findings,
                    severity: weights.severity,
                    grades: weights.grades,
                };
                let parts = [rubric.findings, rubric.severity, rubric.grades];
                let total: f64 = parts.iter().sum();
                if parts.iter().any(|part| !part.is_finite() || *part < 0.0)
                    || (total - 20.0).abs() > 1e-9
                {
                    return Err(invalid(
                        "[rubric]",
                        format!(
                            "findings {}, severity {} and grades {} must be non-negative and add up to 20 (they add up to {total})",
                            rubric.findings, rubric.severity, rubric.grades
                        ),
                    ));
                }
                rubric
            }
        };

        let map = match file.map {
            None => MapSettings::default(),
            Some(section) => {
                if let Some(tiles) = &section.tiles {
                    let placed = ["{z}", "{x}", "{y}"]
                        .iter()
                        .all(|place| tiles.contains(place));
                    if !tiles.starts_with("https://") || !placed {
                        return Err(invalid(
                            "[map] tiles",
                            format!("`{tiles}` is not an https:// URL template with {{z}}, {{x}} and {{y}}"),
                        ));
                    }
                    if section
                        .attribution
                        .as_deref()
                        .is_none_or(|text| text.trim().is_empty())
                    {
                        return Err(invalid(
                            "[map] attribution",
                            "a tile server needs its attribution (its licence asks for it)",
                        ));
                    }
                }
                MapSettings {
                    tiles: section.tiles,
                    attribution: section.attribution,
                    layers: section
                        .layers
                        .into_iter()
                        .map(|layer| MapLayer {
                            name: layer.name,
                            file: layer.file,
                            geojson: None,
                        })
                        .collect(),
                }
            }
        };

        Ok(Course {
            map,
            rubric,
            code: section.code,
            name: section.name,
            centre: section.centre,
            scheme,
            time_zone: section.time_zone,
            language: section.language,
            trainees: file.trainees,
            structures,
        })
    }
}

fn parse_material(place: &str, text: Option<&str>) -> Result<Option<Material>, CourseError> {
    text.map(|text| {
        text.parse::<Material>()
            .map_err(|error| invalid(place, error.to_string()))
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[course]
code = "OA"
name = "Course"

[[structures]]
code = "PONT"
name = "Bridge"
kind = "box girder"

[[structures.components]]
code = "P1"
kind = "pier"
"#;

    #[test]
    fn a_minimal_course_takes_the_defaults() {
        let course = Course::from_toml(MINIMAL).expect("valid");
        assert_eq!(course.scheme, "iqoa");
        assert_eq!(course.time_zone, "Europe/Paris");
        assert_eq!(course.language, "fr");
        assert_eq!(course.structures[0].kind, StructureKind::BoxGirder);
    }

    #[test]
    fn an_unknown_component_kind_names_the_component_and_the_choices() {
        let text = MINIMAL.replace("kind = \"pier\"", "kind = \"pylone\"");
        let error = Course::from_toml(&text).expect_err("refused").to_string();
        assert!(error.contains("structure PONT, component P1"), "{error}");
        assert!(error.contains("unknown component kind `pylone`"), "{error}");
        assert!(error.contains("abutment"), "{error}");
    }

    #[test]
    fn a_duplicate_component_code_is_refused() {
        let text =
            format!("{MINIMAL}\n[[structures.components]]\ncode = \"p1\"\nkind = \"span\"\n");
        let error = Course::from_toml(&text).expect_err("refused").to_string();
        assert!(error.contains("used twice"), "{error}");
    }

    #[test]
    fn a_position_out_of_range_is_refused() {
        let text = MINIMAL.replace(
            "kind = \"pier\"",
            "kind = \"pier\"\nposition = [48.7, -93.0]",
        );
        let error = Course::from_toml(&text).expect_err("refused").to_string();
        assert!(error.contains("not [longitude, latitude]"), "{error}");
    }

    #[test]
    fn an_unknown_scheme_is_refused() {
        let text = MINIMAL.replace("name = \"Course\"", "name = \"Course\"\nscheme = \"ecs\"");
        let error = Course::from_toml(&text).expect_err("refused").to_string();
        assert!(error.contains("unknown grading scheme `ecs`"), "{error}");
    }

    #[test]
    fn an_unknown_field_is_a_syntax_error() {
        let text = MINIMAL.replace("name = \"Course\"", "name = \"Course\"\nshceme = \"nbi\"");
        assert!(matches!(
            Course::from_toml(&text),
            Err(CourseError::Syntax(_))
        ));
    }

    #[test]
    fn the_rubric_weights_come_from_the_course_and_add_up_to_20() {
        assert_eq!(
            Course::from_toml(MINIMAL).expect("valid").rubric,
            Rubric::default()
        );
        let text = format!("{MINIMAL}\n[rubric]\nfindings = 10\nseverity = 4\ngrades = 6\n");
        let course = Course::from_toml(&text).expect("valid");
        assert_eq!(course.rubric.grades, 6.0);
        let text = format!("{MINIMAL}\n[rubric]\nfindings = 10\nseverity = 4\ngrades = 4\n");
        let error = Course::from_toml(&text).expect_err("refused").to_string();
        assert!(
            error.contains("add up to 20 (they add up to 18)"),
            "{error}"
        );
    }

    #[test]
    fn element_quantities_are_read_and_checked() {
        let with =
            |extra: &str| MINIMAL.replace("kind = \"pier\"", &format!("kind = \"pier\"\n{extra}"));
        let course = Course::from_toml(&with("quantity = 4\nunit = \"each\"\nfailure_cost = 2.5"))
            .expect("valid");
        assert_eq!(
            course.structures[0].components[0].quantity,
            Some(ElementQuantity {
                total: 4.0,
                unit: ElementUnit::Each,
                failure_cost: Some(2.5),
            })
        );
        for (extra, said) in [
            ("quantity = 4", "give both quantity and unit"),
            ("quantity = 4\nunit = \"ft2\"", "use m2, m or each"),
            (
                "quantity = -4\nunit = \"m\"",
                "give a positive total quantity",
            ),
            (
                "quantity = 4\nunit = \"m\"\nfailure_cost = 0",
                "give a positive cost per unit",
            ),
        ] {
            let error = Course::from_toml(&with(extra))
                .expect_err(extra)
                .to_string();
            assert!(error.contains(said), "{extra}: {error}");
            assert!(error.contains("component P1"), "{error}");
        }
    }

    #[test]
    fn a_deadline_and_a_critical_scour_depth_are_read() {
        let text = MINIMAL
            .replace(
                "kind = \"box girder\"",
                "kind = \"box girder\"\ndeadline = \"2026-12-15T18:00\"",
            )
            .replace(
                "kind = \"pier\"",
                "kind = \"pier\"\ncritical_scour_depth_m = 1.5",
            );
        let course = Course::from_toml(&text).expect("valid");
        assert_eq!(
            course.structures[0]
                .deadline
                .map(|deadline| deadline.to_string()),
            Some("2026-12-15T18:00:00".to_string())
        );
        assert_eq!(
            course.structures[0].components[0].critical_scour_depth_m,
            Some(1.5)
        );
        let error = Course::from_toml(&MINIMAL.replace(
            "kind = \"box girder\"",
            "kind = \"box girder\"\ndeadline = \"friday\"",
        ))
        .expect_err("refused")
        .to_string();
        assert!(error.contains("deadline `friday`"), "{error}");
    }

    #[test]
    fn map_backgrounds_are_checked_and_offline_by_default() {
        assert_eq!(
            Course::from_toml(MINIMAL).expect("valid").map,
            MapSettings::default()
        );
        let with_tiles = format!(
            "{MINIMAL}\n[map]\ntiles = \"https://tile.example.org/{{z}}/{{x}}/{{y}}.png\"\nattribution = \"© contributors\"\n[[map.layers]]\nname = \"Berges\"\nfile = \"berges.geojson\"\n"
        );
        let course = Course::from_toml(&with_tiles).expect("valid");
        assert_eq!(
            course.map.tile_origin().as_deref(),
            Some("https://tile.example.org")
        );
        assert_eq!(course.map.layers[0].file, "berges.geojson");
        let plain_http = with_tiles.replace("https://", "http://");
        assert!(Course::from_toml(&plain_http).is_err());
        let unattributed = with_tiles.replace("attribution = \"© contributors\"\n", "");
        let error = Course::from_toml(&unattributed)
            .expect_err("refused")
            .to_string();
        assert!(error.contains("attribution"), "{error}");
    }
}
