//! Storing and reading the course, its trainees, structures and components.

use rusqlite::{params, OptionalExtension, Row};
use voussoir_core::words::errors::english as said;

use voussoir_core::compare::Rubric;
use voussoir_core::course::{Course, Trainee};
use voussoir_core::model::{Component, ElementQuantity, ElementUnit, Structure};
use voussoir_core::LonLat;

use crate::{now_utc, FieldBook, Result, StoreError};

/// What loading a course file changed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LoadSummary {
    pub course: String,
    pub structures: usize,
    pub components: usize,
    pub trainees: usize,
    /// True when the course was already loaded and has been updated.
    pub updated: bool,
}

fn position(lon: Option<f64>, lat: Option<f64>) -> Option<LonLat> {
    match (lon, lat) {
        (Some(lon), Some(lat)) => Some(LonLat { lon, lat }),
        _ => None,
    }
}

fn parse_code<T: std::str::FromStr>(text: &str) -> Result<T> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("unknown code `{text}`")))
}

impl FieldBook {
    /// Loads a course into the field book, or updates it when the same
    /// course is loaded again. Structures and components are matched by
    /// code; one that has inspections or defects recorded cannot disappear.
    pub fn load_course(&mut self, course: &Course) -> Result<LoadSummary> {
        let transaction = self.connection.transaction()?;
        let existing: Option<String> = transaction
            .query_row("SELECT code FROM course WHERE id = 1", [], |row| row.get(0))
            .optional()?;
        if let Some(existing) = &existing {
            if !existing.eq_ignore_ascii_case(&course.code) {
                return Err(StoreError::Conflict(said(
                    "book.other_course",
                    &[
                        ("existing", existing.to_string()),
                        ("course", course.code.clone()),
                    ],
                )));
            }
        }
        transaction.execute(
            "INSERT INTO course (id, code, name, centre, scheme, time_zone, language, loaded_at, rubric, map)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, centre = excluded.centre,
                scheme = excluded.scheme, time_zone = excluded.time_zone,
                language = excluded.language, loaded_at = excluded.loaded_at,
                rubric = excluded.rubric, map = excluded.map",
            params![
                course.code,
                course.name,
                course.centre,
                course.scheme,
                course.time_zone,
                course.language,
                now_utc(),
                serde_json::to_string(&course.rubric)
                    .map_err(|error| StoreError::Corrupt(error.to_string()))?,
                serde_json::to_string(&course.map)
                    .map_err(|error| StoreError::Corrupt(error.to_string()))?
            ],
        )?;

        transaction.execute("DELETE FROM trainee", [])?;
        for trainee in &course.trainees {
            transaction.execute(
                "INSERT INTO trainee (name, full_name, email) VALUES (?1, ?2, ?3)",
                params![trainee.name, trainee.full_name, trainee.email],
            )?;
        }

        // Structures or components that vanished from the file must not
        // carry recorded work.
        let mut stored_structures = transaction.prepare("SELECT id, code FROM structure")?;
        let stored: Vec<(i64, String)> = stored_structures
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        drop(stored_structures);
        for (id, code) in &stored {
            if !course
                .structures
                .iter()
                .any(|structure| structure.code.eq_ignore_ascii_case(code))
            {
                let inspections: i64 = transaction.query_row(
                    "SELECT count(*) FROM inspection WHERE structure_id = ?1",
                    [id],
                    |row| row.get(0),
                )?;
                if inspections > 0 {
                    return Err(StoreError::Conflict(format!(
                        "structure {code} has {inspections} inspection(s) recorded but is missing from the course file; put it back"
                    )));
                }
                transaction.execute("DELETE FROM structure WHERE id = ?1", [id])?;
            }
        }

        let mut components = 0;
        for (order, structure) in course.structures.iter().enumerate() {
            let axis = serde_json::to_string(
                &structure
                    .axis
                    .iter()
                    .map(|point| [point.lon, point.lat])
                    .collect::<Vec<_>>(),
            )
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
            transaction.execute(
                "INSERT INTO structure (code, name, kind, material, lon, lat, axis, crossing, list_order, deadline)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind,
                    material = excluded.material, lon = excluded.lon, lat = excluded.lat,
                    axis = excluded.axis, crossing = excluded.crossing, list_order = excluded.list_order,
                    deadline = excluded.deadline",
                params![
                    structure.code,
                    structure.name,
                    structure.kind.code(),
                    structure.material.map(|material| material.code()),
                    structure.position.map(|point| point.lon),
                    structure.position.map(|point| point.lat),
                    axis,
                    structure.crossing,
                    order as i64,
                    structure.deadline.map(|deadline| deadline.to_string())
                ],
            )?;
            let structure_id: i64 = transaction.query_row(
                "SELECT id FROM structure WHERE code = ?1",
                [&structure.code],
                |row| row.get(0),
            )?;
            let mut stored_components =
                transaction.prepare("SELECT code FROM component WHERE structure_id = ?1")?;
            let stored_codes: Vec<String> = stored_components
                .query_map([structure_id], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            drop(stored_components);
            for code in stored_codes {
                if structure.component(&code).is_none() {
                    let defects: i64 = transaction.query_row(
                        "SELECT count(*) FROM defect JOIN inspection ON inspection.id = defect.inspection_id
                         WHERE inspection.structure_id = ?1 AND defect.component_code = ?2",
                        params![structure_id, code],
                        |row| row.get(0),
                    )?;
                    if defects > 0 {
                        return Err(StoreError::Conflict(format!(
                            "component {code} of {} has {defects} defect(s) recorded but is missing from the course file; put it back",
                            structure.code
                        )));
                    }
                    transaction.execute(
                        "DELETE FROM component WHERE structure_id = ?1 AND code = ?2",
                        params![structure_id, code],
                    )?;
                }
            }
            for (component_order, component) in structure.components.iter().enumerate() {
                transaction.execute(
                    "INSERT INTO component (structure_id, code, kind, name, material, lon, lat, underwater, list_order,
                        critical_scour_depth_m, quantity, unit, failure_cost)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                     ON CONFLICT (structure_id, code) DO UPDATE SET kind = excluded.kind,
                        name = excluded.name, material = excluded.material, lon = excluded.lon,
                        lat = excluded.lat, underwater = excluded.underwater, list_order = excluded.list_order,
                        critical_scour_depth_m = excluded.critical_scour_depth_m,
                        quantity = excluded.quantity, unit = excluded.unit,
                        failure_cost = excluded.failure_cost",
                    params![
                        structure_id,
                        component.code,
                        component.kind.code(),
                        component.name,
                        component.material.map(|material| material.code()),
                        component.position.map(|point| point.lon),
                        component.position.map(|point| point.lat),
                        component.underwater,
                        component_order as i64,
                        component.critical_scour_depth_m,
                        component.quantity.map(|element| element.total),
                        component.quantity.map(|element| element.unit.code()),
                        component.quantity.and_then(|element| element.failure_cost)
                    ],
                )?;
                components += 1;
            }
        }
        transaction.commit()?;
        Ok(LoadSummary {
            course: course.code.clone(),
            structures: course.structures.len(),
            components,
            trainees: course.trainees.len(),
            updated: existing.is_some(),
        })
    }

    /// The loaded course, with its structures.
    pub fn course(&self) -> Result<Course> {
        let header = self
            .connection
            .query_row(
                "SELECT code, name, centre, scheme, time_zone, language, rubric, map FROM course WHERE id = 1",
                [],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, Option<String>>(2)?,
                        row.get::<_, String>(3)?,
                        row.get::<_, String>(4)?,
                        row.get::<_, String>(5)?,
                        row.get::<_, Option<String>>(6)?,
                        row.get::<_, Option<String>>(7)?,
                    ))
                },
            )
            .optional()?
            .ok_or(StoreError::NoCourse)?;
        let mut statement = self
            .connection
            .prepare("SELECT name, full_name, email FROM trainee ORDER BY name")?;
        let trainees = statement
            .query_map([], |row| {
                Ok(Trainee {
                    name: row.get(0)?,
                    full_name: row.get(1)?,
                    email: row.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let (code, name, centre, scheme, time_zone, language, rubric, map) = header;
        let map = match map {
            None => Default::default(),
            Some(text) => serde_json::from_str(&text)
                .map_err(|error| StoreError::Corrupt(format!("course map: {error}")))?,
        };
        let rubric = match rubric {
            None => Rubric::default(),
            Some(text) => serde_json::from_str(&text)
                .map_err(|error| StoreError::Corrupt(format!("course rubric: {error}")))?,
        };
        Ok(Course {
            map,
            rubric,
            code,
            name,
            centre,
            scheme,
            time_zone,
            language,
            trainees,
            structures: self.structures()?,
        })
    }

    /// A trainee's full name from the course file, by login (one query,
    /// without loading the whole course).
    pub fn trainee_full_name(&self, login: &str) -> Result<Option<String>> {
        Ok(self
            .connection
            .query_row(
                "SELECT full_name FROM trainee WHERE name = ?1",
                [login],
                |row| row.get::<_, Option<String>>(0),
            )
            .optional()?
            .flatten())
    }

    /// Every structure of the course, in course-file order.
    pub fn structures(&self) -> Result<Vec<Structure>> {
        let mut statement = self.connection.prepare(
            "SELECT id, code, name, kind, material, lon, lat, axis, crossing, deadline
             FROM structure ORDER BY list_order",
        )?;
        let rows = statement
            .query_map([], |row| {
                Ok((row.get::<_, i64>(0)?, structure_from_row(row)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(id, partial)| self.complete_structure(id, partial))
            .collect()
    }

    /// One structure by code, ignoring case.
    pub fn structure(&self, code: &str) -> Result<Structure> {
        let row = self
            .connection
            .query_row(
                "SELECT id, code, name, kind, material, lon, lat, axis, crossing, deadline
                 FROM structure WHERE code = ?1",
                [code.trim()],
                |row| Ok((row.get::<_, i64>(0)?, structure_from_row(row)?)),
            )
            .optional()?;
        match row {
            Some((id, partial)) => self.complete_structure(id, partial),
            None => {
                let known: Vec<String> = self
                    .structures()?
                    .into_iter()
                    .map(|structure| structure.code)
                    .collect();
                Err(StoreError::NotFound(format!(
                    "no structure `{}` in this field book; it has {}",
                    code.trim(),
                    if known.is_empty() {
                        "none (load a course file first)".to_string()
                    } else {
                        known.join(", ")
                    }
                )))
            }
        }
    }

    pub(crate) fn structure_id(&self, code: &str) -> Result<i64> {
        self.connection
            .query_row("SELECT id FROM structure WHERE code = ?1", [code], |row| {
                row.get(0)
            })
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no structure `{code}`")))
    }

    fn complete_structure(&self, id: i64, partial: PartialStructure) -> Result<Structure> {
        let mut statement = self.connection.prepare(
            "SELECT code, kind, name, material, lon, lat, underwater, critical_scour_depth_m,
                    quantity, unit, failure_cost
             FROM component WHERE structure_id = ?1 ORDER BY list_order",
        )?;
        let raw = statement
            .query_map([id], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, Option<String>>(3)?,
                    row.get::<_, Option<f64>>(4)?,
                    row.get::<_, Option<f64>>(5)?,
                    row.get::<_, bool>(6)?,
                    row.get::<_, Option<f64>>(7)?,
                    (
                        row.get::<_, Option<f64>>(8)?,
                        row.get::<_, Option<String>>(9)?,
                        row.get::<_, Option<f64>>(10)?,
                    ),
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let components = raw
            .into_iter()
            .map(
                |(code, kind, name, material, lon, lat, underwater, critical, element)| {
                    let quantity = match element {
                        (Some(total), Some(unit), failure_cost) => Some(ElementQuantity {
                            total,
                            unit: ElementUnit::parse(&unit).ok_or_else(|| {
                                StoreError::Corrupt(format!("unit `{unit}` of component {code}"))
                            })?,
                            failure_cost,
                        }),
                        _ => None,
                    };
                    Ok(Component {
                        code,
                        kind: parse_code(&kind)?,
                        name,
                        material: material.as_deref().map(parse_code).transpose()?,
                        position: position(lon, lat),
                        underwater,
                        critical_scour_depth_m: critical,
                        quantity,
                    })
                },
            )
            .collect::<Result<Vec<_>>>()?;
        let axis: Vec<[f64; 2]> = serde_json::from_str(&partial.axis)
            .map_err(|error| StoreError::Corrupt(format!("axis of {}: {error}", partial.code)))?;
        Ok(Structure {
            kind: parse_code(&partial.kind)?,
            material: partial.material.as_deref().map(parse_code).transpose()?,
            code: partial.code,
            name: partial.name,
            position: position(partial.lon, partial.lat),
            axis: axis
                .into_iter()
                .map(|[lon, lat]| LonLat { lon, lat })
                .collect(),
            crossing: partial.crossing,
            components,
            deadline: partial
                .deadline
                .as_deref()
                .map(|text| {
                    text.parse()
                        .map_err(|_| StoreError::Corrupt(format!("deadline `{text}`")))
                })
                .transpose()?,
        })
    }
}

struct PartialStructure {
    code: String,
    name: String,
    kind: String,
    material: Option<String>,
    lon: Option<f64>,
    lat: Option<f64>,
    axis: String,
    crossing: Option<String>,
    deadline: Option<String>,
}

fn structure_from_row(row: &Row<'_>) -> rusqlite::Result<PartialStructure> {
    Ok(PartialStructure {
        code: row.get(1)?,
        name: row.get(2)?,
        kind: row.get(3)?,
        material: row.get(4)?,
        lon: row.get(5)?,
        lat: row.get(6)?,
        axis: row.get(7)?,
        crossing: row.get(8)?,
        deadline: row.get(9)?,
    })
}
