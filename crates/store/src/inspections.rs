//! Storing and reading inspections and their defects.

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension, Row};
use voussoir_core::words::errors::english as said;

use voussoir_core::model::{Defect, Extent, Inspection, InspectionKind, Measure, Measurements};
use voussoir_core::LonLat;

use crate::{now_utc, FieldBook, Result, StoreError};

const CURRENT_INSPECTION: &str = "current_inspection";

/// What is needed to open a new inspection.
#[derive(Debug, Clone)]
pub struct NewInspection {
    pub structure: String,
    pub kind: InspectionKind,
    pub inspector: Option<String>,
    pub date: Option<jiff::civil::Date>,
    pub weather: Option<String>,
    pub is_reference: bool,
    pub not_inspected: Vec<String>,
}

const INSPECTION_COLUMNS: &str =
    "inspection.id, structure.code, inspection.kind, inspection.inspector,
     inspection.date, inspection.weather, inspection.is_reference, inspection.scheme";

/// The defect's columns: its own fields, then one column per measurement
/// (named by the measurement's code), then the inspection.
fn defect_columns() -> String {
    let measures: Vec<&str> = Measure::ALL.iter().map(|measure| measure.code()).collect();
    format!(
        "id, component_code, type_code, severity, extent, lon, lat, note, {}",
        measures.join(", ")
    )
}

/// Index of the first measurement column in [`defect_columns`].
const FIRST_MEASURE_COLUMN: usize = 8;

fn inspection_from_row(row: &Row<'_>) -> rusqlite::Result<(Inspection, String, Option<String>)> {
    let kind: String = row.get(2)?;
    let date: Option<String> = row.get(4)?;
    Ok((
        Inspection {
            id: row.get(0)?,
            structure: row.get(1)?,
            kind: InspectionKind::EvaluationVisit,
            inspector: row.get(3)?,
            date: None,
            weather: row.get(5)?,
            is_reference: row.get(6)?,
            scheme: row.get(7)?,
            not_inspected: Vec::new(),
        },
        kind,
        date,
    ))
}

fn defect_from_row(row: &Row<'_>) -> rusqlite::Result<(Defect, Option<String>)> {
    let lon: Option<f64> = row.get(5)?;
    let lat: Option<f64> = row.get(6)?;
    let mut measurements = Measurements::default();
    for (offset, measure) in Measure::ALL.iter().enumerate() {
        measurements.set(*measure, row.get(FIRST_MEASURE_COLUMN + offset)?);
    }
    Ok((
        Defect {
            id: row.get(0)?,
            component: row.get(1)?,
            type_code: row.get(2)?,
            severity: row.get(3)?,
            extent: None,
            measurements,
            position: match (lon, lat) {
                (Some(lon), Some(lat)) => Some(LonLat { lon, lat }),
                _ => None,
            },
            note: row.get(7)?,
            photos: Vec::new(),
        },
        row.get(4)?,
    ))
}

impl FieldBook {
    /// Opens a new inspection and makes it the current one.
    pub fn new_inspection(&mut self, new: &NewInspection) -> Result<Inspection> {
        let structure = self.structure(&new.structure)?;
        for code in &new.not_inspected {
            if structure.component(code).is_none() {
                return Err(StoreError::NotFound(said(
                    "defect.unknown_component",
                    &[
                        ("given", code.to_string()),
                        ("structure", structure.code.clone()),
                        ("known", structure.component_codes().join(", ")),
                    ],
                )));
            }
        }
        let scheme = self.course()?.scheme;
        let structure_id = self.structure_id(&structure.code)?;
        let transaction = self.connection.transaction()?;
        transaction.execute(
            "INSERT INTO inspection (structure_id, kind, inspector, date, weather, is_reference, scheme, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                structure_id,
                new.kind.code(),
                new.inspector,
                new.date.map(|date| date.to_string()),
                new.weather,
                new.is_reference,
                scheme,
                now_utc()
            ],
        )?;
        let id = transaction.last_insert_rowid();
        for code in &new.not_inspected {
            let canonical = structure
                .component(code)
                .map(|component| component.code.clone())
                .unwrap_or_else(|| code.clone());
            transaction.execute(
                "INSERT OR IGNORE INTO not_inspected (inspection_id, component_code) VALUES (?1, ?2)",
                params![id, canonical],
            )?;
        }
        transaction.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![CURRENT_INSPECTION, id.to_string()],
        )?;
        transaction.commit()?;
        self.inspection(id)
    }

    /// Every inspection, oldest first.
    pub fn inspections(&self) -> Result<Vec<Inspection>> {
        let sql = format!(
            "SELECT {INSPECTION_COLUMNS} FROM inspection
             JOIN structure ON structure.id = inspection.structure_id ORDER BY inspection.id"
        );
        let mut statement = self.connection.prepare(&sql)?;
        let rows = statement
            .query_map([], inspection_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|row| self.complete_inspection(row))
            .collect()
    }

    /// One inspection by id.
    pub fn inspection(&self, id: i64) -> Result<Inspection> {
        let sql = format!(
            "SELECT {INSPECTION_COLUMNS} FROM inspection
             JOIN structure ON structure.id = inspection.structure_id WHERE inspection.id = ?1"
        );
        let row = self
            .connection
            .query_row(&sql, [id], inspection_from_row)
            .optional()?
            .ok_or_else(|| {
                StoreError::NotFound(said("book.no_inspection_id", &[("id", id.to_string())]))
            })?;
        self.complete_inspection(row)
    }

    fn complete_inspection(
        &self,
        (mut inspection, kind, date): (Inspection, String, Option<String>),
    ) -> Result<Inspection> {
        inspection.kind = kind
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("inspection kind `{kind}`")))?;
        inspection.date = date
            .map(|text| {
                text.parse()
                    .map_err(|_| StoreError::Corrupt(format!("inspection date `{text}`")))
            })
            .transpose()?;
        let mut statement = self.connection.prepare(
            "SELECT component_code FROM not_inspected WHERE inspection_id = ?1 ORDER BY component_code",
        )?;
        inspection.not_inspected = statement
            .query_map([inspection.id], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(inspection)
    }

    /// The current inspection's id: the one last opened or chosen.
    pub fn current_inspection_id(&self) -> Result<Option<i64>> {
        match self.setting(CURRENT_INSPECTION)? {
            None => Ok(None),
            Some(text) => {
                let id: i64 = text
                    .parse()
                    .map_err(|_| StoreError::Corrupt(format!("current inspection `{text}`")))?;
                let exists: Option<i64> = self
                    .connection
                    .query_row("SELECT id FROM inspection WHERE id = ?1", [id], |row| {
                        row.get(0)
                    })
                    .optional()?;
                Ok(exists)
            }
        }
    }

    /// Makes an inspection the current one.
    pub fn set_current_inspection(&self, id: i64) -> Result<()> {
        self.inspection(id)?;
        self.set_setting(CURRENT_INSPECTION, &id.to_string())
    }

    /// Marks components as not inspected (or inspected again).
    pub fn set_not_inspected(&mut self, id: i64, codes: &[String]) -> Result<Inspection> {
        let inspection = self.inspection(id)?;
        let structure = self.structure(&inspection.structure)?;
        let mut canonical = Vec::new();
        for code in codes {
            let component = structure.component(code).ok_or_else(|| {
                StoreError::NotFound(said(
                    "defect.unknown_component",
                    &[
                        ("given", code.to_string()),
                        ("structure", structure.code.clone()),
                        ("known", structure.component_codes().join(", ")),
                    ],
                ))
            })?;
            canonical.push(component.code.clone());
        }
        let transaction = self.connection.transaction()?;
        transaction.execute("DELETE FROM not_inspected WHERE inspection_id = ?1", [id])?;
        for code in canonical {
            transaction.execute(
                "INSERT OR IGNORE INTO not_inspected (inspection_id, component_code) VALUES (?1, ?2)",
                params![id, code],
            )?;
        }
        transaction.commit()?;
        self.inspection(id)
    }

    /// Adds defects to an inspection, all or none, and returns their ids.
    pub fn add_defects(&mut self, inspection_id: i64, defects: &[Defect]) -> Result<Vec<i64>> {
        self.inspection(inspection_id)?;
        let transaction = self.connection.transaction()?;
        let ids = write_defects(&transaction, inspection_id, defects)?;
        transaction.commit()?;
        Ok(ids)
    }

    /// Stores a defects sheet in one transaction: its defects (replacing
    /// the inspection's when `replace`) and its own grades (each replacing
    /// the grade of its target). Returns the new defect ids.
    pub fn store_sheet(
        &mut self,
        inspection_id: i64,
        defects: &[Defect],
        own_grades: &[(String, String)],
        replace: bool,
        edited_ms: i64,
    ) -> Result<Vec<i64>> {
        self.inspection(inspection_id)?;
        let transaction = self.connection.transaction()?;
        if replace {
            transaction.execute(
                "DELETE FROM defect WHERE inspection_id = ?1",
                [inspection_id],
            )?;
        }
        let ids = write_defects(&transaction, inspection_id, defects)?;
        crate::capture::write_own_grades(&transaction, inspection_id, own_grades, edited_ms)?;
        transaction.commit()?;
        Ok(ids)
    }

    /// The defects of an inspection, in the order they were recorded.
    pub fn defects(&self, inspection_id: i64) -> Result<Vec<Defect>> {
        let sql = format!(
            "SELECT {} FROM defect WHERE inspection_id = ?1 ORDER BY id",
            defect_columns()
        );
        let mut statement = self.connection.prepare(&sql)?;
        let rows = statement
            .query_map([inspection_id], defect_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut photos = defect_photos(&self.connection, inspection_id)?;
        rows.into_iter()
            .map(|row| {
                let mut defect = complete_defect(row)?;
                defect.photos = photos.remove(&defect.id).unwrap_or_default();
                Ok(defect)
            })
            .collect()
    }

    /// One defect with the id of its inspection.
    pub fn defect(&self, id: i64) -> Result<(i64, Defect)> {
        let sql = format!(
            "SELECT {}, inspection_id FROM defect WHERE id = ?1",
            defect_columns()
        );
        let inspection_column = FIRST_MEASURE_COLUMN + Measure::ALL.len();
        let (row, inspection_id) = self
            .connection
            .query_row(&sql, [id], |row| {
                Ok((defect_from_row(row)?, row.get(inspection_column)?))
            })
            .optional()?
            .ok_or_else(|| {
                StoreError::NotFound(said("book.no_defect_id", &[("id", id.to_string())]))
            })?;
        let mut defect = complete_defect(row)?;
        defect.photos = defect_photos(&self.connection, inspection_id)?
            .remove(&id)
            .unwrap_or_default();
        Ok((inspection_id, defect))
    }

    /// Replaces a stored defect's fields with the given (checked) values.
    pub fn update_defect(&mut self, defect: &Defect) -> Result<()> {
        let transaction = self.connection.transaction()?;
        rewrite_defect(&transaction, defect)?;
        transaction.commit()?;
        Ok(())
    }

    /// Removes a defect.
    pub fn remove_defect(&mut self, id: i64) -> Result<()> {
        let changed = self
            .connection
            .execute("DELETE FROM defect WHERE id = ?1", [id])?;
        if changed == 0 {
            return Err(StoreError::NotFound(said(
                "book.no_defect_id",
                &[("id", id.to_string())],
            )));
        }
        Ok(())
    }
}

/// Replaces a stored defect's fields and photos (inside the caller's
/// transaction).
pub(crate) fn rewrite_defect(connection: &rusqlite::Connection, defect: &Defect) -> Result<()> {
    let assignments: Vec<String> = defect_value_columns()
        .iter()
        .enumerate()
        .map(|(index, column)| format!("{column} = ?{}", index + 2))
        .collect();
    let changed = connection.execute(
        &format!("UPDATE defect SET {} WHERE id = ?1", assignments.join(", ")),
        params_from_iter(std::iter::once(Value::from(defect.id)).chain(defect_values(defect))),
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound(format!("no defect #{}", defect.id)));
    }
    write_defect_photos(connection, defect.id, &defect.photos)
}

/// Inserts defects with the given connection (inside the caller's
/// transaction).
pub(crate) fn write_defects(
    connection: &rusqlite::Connection,
    inspection_id: i64,
    defects: &[Defect],
) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(defects.len());
    let columns = defect_value_columns();
    let placeholders: Vec<String> = (1..=columns.len() + 2).map(|n| format!("?{n}")).collect();
    let mut insert = connection.prepare(&format!(
        "INSERT INTO defect (inspection_id, {}, created_at) VALUES ({})",
        columns.join(", "),
        placeholders.join(", ")
    ))?;
    let created_at = now_utc();
    for defect in defects {
        let values = std::iter::once(Value::from(inspection_id))
            .chain(defect_values(defect))
            .chain(std::iter::once(Value::from(created_at.clone())));
        insert.execute(params_from_iter(values))?;
        let id = connection.last_insert_rowid();
        write_defect_photos(connection, id, &defect.photos)?;
        ids.push(id);
    }
    Ok(ids)
}

/// The columns [`defect_values`] fills, in its order.
fn defect_value_columns() -> Vec<&'static str> {
    [
        "component_code",
        "type_code",
        "severity",
        "extent",
        "lon",
        "lat",
        "note",
    ]
    .into_iter()
    .chain(Measure::ALL.iter().map(|measure| measure.code()))
    .collect()
}

/// A defect's own fields in the order of [`defect_value_columns`], shared
/// by insert and update.
fn defect_values(defect: &Defect) -> Vec<Value> {
    let mut values = vec![
        Value::from(defect.component.clone()),
        Value::from(defect.type_code.clone()),
        Value::from(defect.severity.clone()),
        Value::from(defect.extent.map(|extent| extent.code().to_string())),
        Value::from(defect.position.map(|point| point.lon)),
        Value::from(defect.position.map(|point| point.lat)),
        Value::from(defect.note.clone()),
    ];
    values.extend(
        Measure::ALL
            .iter()
            .map(|measure| Value::from(defect.measurements.get(*measure))),
    );
    values
}

/// Replaces the photos cited by a defect.
fn write_defect_photos(
    connection: &rusqlite::Connection,
    defect_id: i64,
    photos: &[String],
) -> Result<()> {
    connection.execute("DELETE FROM defect_photo WHERE defect_id = ?1", [defect_id])?;
    for (seq, name) in photos.iter().enumerate() {
        connection.execute(
            "INSERT INTO defect_photo (defect_id, seq, photo_name) VALUES (?1, ?2, ?3)",
            params![defect_id, seq as i64, name],
        )?;
    }
    Ok(())
}

/// The photos cited by each defect of an inspection, by defect id.
fn defect_photos(
    connection: &rusqlite::Connection,
    inspection_id: i64,
) -> Result<std::collections::HashMap<i64, Vec<String>>> {
    let mut statement = connection.prepare(
        "SELECT defect_photo.defect_id, defect_photo.photo_name FROM defect_photo
         JOIN defect ON defect.id = defect_photo.defect_id
         WHERE defect.inspection_id = ?1 ORDER BY defect_photo.defect_id, defect_photo.seq",
    )?;
    let mut photos: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
    let rows = statement.query_map([inspection_id], |row| {
        Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (defect, name) = row?;
        photos.entry(defect).or_default().push(name);
    }
    Ok(photos)
}

fn complete_defect((mut defect, extent): (Defect, Option<String>)) -> Result<Defect> {
    defect.extent = extent
        .map(|text| {
            text.parse::<Extent>()
                .map_err(|_| StoreError::Corrupt(format!("defect extent `{text}`")))
        })
        .transpose()?;
    Ok(defect)
}

#[cfg(test)]
mod tests {
    use super::*;
    use voussoir_core::Course;

    const COURSE: &str = r#"
[course]
code = "OA"
name = "Course"

[[trainees]]
name = "alice"

[[structures]]
code = "PONT"
name = "Bridge"
kind = "beam"

[[structures.components]]
code = "P1"
kind = "pier"

[[structures.components]]
code = "T1"
kind = "span"
"#;

    fn book_with_course() -> (tempfile::TempDir, FieldBook) {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut book = FieldBook::init(dir.path()).expect("init");
        book.load_course(&Course::from_toml(COURSE).expect("course"))
            .expect("load");
        (dir, book)
    }

    fn new_inspection() -> NewInspection {
        NewInspection {
            structure: "pont".to_string(),
            kind: InspectionKind::DetailedPeriodic,
            inspector: Some("alice".to_string()),
            date: Some(jiff::civil::date(2026, 3, 12)),
            weather: None,
            is_reference: false,
            not_inspected: vec!["p1".to_string()],
        }
    }

    fn defect(component: &str) -> Defect {
        Defect {
            id: 0,
            component: component.to_string(),
            type_code: "CON-CRACK".to_string(),
            severity: Some("2".to_string()),
            extent: Some(Extent::Some),
            measurements: Measurements {
                crack_width_mm: Some(0.3),
                ..Measurements::default()
            },
            position: Some(LonLat {
                lon: -3.45,
                lat: 48.73,
            }),
            note: Some("note".to_string()),
            photos: vec!["IMG_1.JPG".to_string()],
        }
    }

    #[test]
    fn a_course_round_trips_through_the_database() {
        let (_dir, book) = book_with_course();
        let course = book.course().expect("course");
        assert_eq!(course.code, "OA");
        assert_eq!(course.trainees[0].name, "alice");
        assert_eq!(course.structures[0].component_codes(), vec!["P1", "T1"]);
    }

    #[test]
    fn loading_another_course_is_refused() {
        let (_dir, mut book) = book_with_course();
        let other =
            Course::from_toml(&COURSE.replace("code = \"OA\"", "code = \"OB\"")).expect("course");
        let error = book.load_course(&other).expect_err("refused");
        assert!(error.to_string().contains("holds course OA"));
    }

    #[test]
    fn a_component_with_defects_cannot_vanish_on_reload() {
        let (_dir, mut book) = book_with_course();
        let inspection = book.new_inspection(&new_inspection()).expect("new");
        book.add_defects(inspection.id, &[defect("T1")])
            .expect("add");
        let without_span = COURSE.replace(
            "code = \"T1\"\nkind = \"span\"",
            "code = \"T2\"\nkind = \"span\"",
        );
        let error = book
            .load_course(&Course::from_toml(&without_span).expect("course"))
            .expect_err("refused");
        assert!(error.to_string().contains("component T1"), "{error}");
        // Nothing changed: T1 is still there.
        assert!(book
            .structure("PONT")
            .expect("structure")
            .component("T1")
            .is_some());
    }

    #[test]
    fn an_inspection_and_its_defects_round_trip() {
        let (_dir, mut book) = book_with_course();
        let inspection = book.new_inspection(&new_inspection()).expect("new");
        assert_eq!(inspection.structure, "PONT");
        assert_eq!(inspection.not_inspected, vec!["P1"]);
        assert_eq!(inspection.scheme, "iqoa");
        assert_eq!(
            book.current_inspection_id().expect("current"),
            Some(inspection.id)
        );
        let ids = book
            .add_defects(inspection.id, &[defect("T1"), defect("P1")])
            .expect("add");
        assert_eq!(ids.len(), 2);
        let stored = book.defects(inspection.id).expect("defects");
        let mut expected = defect("T1");
        expected.id = ids[0];
        assert_eq!(stored[0], expected);
    }

    #[test]
    fn a_defect_is_updated_and_removed() {
        let (_dir, mut book) = book_with_course();
        let inspection = book.new_inspection(&new_inspection()).expect("new");
        let ids = book
            .add_defects(inspection.id, &[defect("T1")])
            .expect("add");
        let (_, mut stored) = book.defect(ids[0]).expect("defect");
        stored.severity = Some("3".to_string());
        book.update_defect(&stored).expect("update");
        assert_eq!(
            book.defect(ids[0]).expect("defect").1.severity.as_deref(),
            Some("3")
        );
        book.remove_defect(ids[0]).expect("remove");
        assert!(book.defect(ids[0]).is_err());
        assert!(book.remove_defect(ids[0]).is_err());
    }
}

/// A whole inspection arriving from a submission bundle.
#[derive(Debug, Clone)]
pub struct ImportedInspection {
    pub new: NewInspection,
    /// The scheme its severities are recorded in.
    pub scheme: String,
    pub defects: Vec<Defect>,
    pub photos: Vec<voussoir_core::Photo>,
    /// (file, hash of its points, format, track)
    pub tracks: Vec<(String, String, String, voussoir_core::track::Track)>,
    /// (file, hash, format, dives)
    pub dive_logs: Vec<(String, String, String, Vec<voussoir_core::track::Dive>)>,
    /// The inspector's own grades: (component, part or `structure`, grade).
    pub own_grades: Vec<(String, String)>,
}

impl FieldBook {
    /// Stores a whole imported inspection in one transaction: all of it, or
    /// nothing. Media files must already be written. Returns the new id.
    pub fn import_inspection(
        &mut self,
        imported: &ImportedInspection,
        fingerprint: Option<&str>,
    ) -> Result<i64> {
        let structure = self.structure(&imported.new.structure)?;
        let structure_id = self.structure_id(&structure.code)?;
        let transaction = self.connection.transaction()?;
        let id = write_imported_inspection(&transaction, structure_id, imported)?;
        transaction.execute(
            "UPDATE inspection SET received_fingerprint = ?2 WHERE id = ?1",
            params![id, fingerprint],
        )?;
        transaction.commit()?;
        Ok(id)
    }

    /// The inspection imported from a bundle with this fingerprint, if any.
    pub fn inspection_by_fingerprint(&self, fingerprint: &str) -> Result<Option<i64>> {
        Ok(self
            .connection
            .query_row(
                "SELECT id FROM inspection WHERE received_fingerprint = ?1 ORDER BY id LIMIT 1",
                [fingerprint],
                |row| row.get(0),
            )
            .optional()?)
    }
}

/// Writes an imported inspection with its defects, photos, tracks and dive
/// logs inside the caller's transaction, and makes it the current one.
pub(crate) fn write_imported_inspection(
    transaction: &rusqlite::Connection,
    structure_id: i64,
    imported: &ImportedInspection,
) -> Result<i64> {
    transaction.execute(
        "INSERT INTO inspection (structure_id, kind, inspector, date, weather, is_reference, scheme, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            structure_id,
            imported.new.kind.code(),
            imported.new.inspector,
            imported.new.date.map(|date| date.to_string()),
            imported.new.weather,
            imported.new.is_reference,
            imported.scheme,
            now_utc()
        ],
    )?;
    let id = transaction.last_insert_rowid();
    for code in &imported.new.not_inspected {
        transaction.execute(
            "INSERT OR IGNORE INTO not_inspected (inspection_id, component_code) VALUES (?1, ?2)",
            params![id, code],
        )?;
    }
    write_defects(transaction, id, &imported.defects)?;
    for photo in &imported.photos {
        let mut photo = photo.clone();
        photo.inspection_id = Some(id);
        crate::photos::write_photo(transaction, &photo)?;
    }
    for (file, hash, format, track) in &imported.tracks {
        if !crate::tracks::track_exists(transaction, hash, id)? {
            crate::tracks::write_track(transaction, Some(id), file, hash, format, track)?;
        }
    }
    for (file, hash, format, dives) in &imported.dive_logs {
        if !crate::tracks::dive_log_exists(transaction, hash, id)? {
            crate::tracks::write_dive_log(transaction, Some(id), file, hash, format, dives)?;
        }
    }
    crate::capture::write_own_grades(transaction, id, &imported.own_grades, 0)?;
    transaction.execute(
        "INSERT INTO setting (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![CURRENT_INSPECTION, id.to_string()],
    )?;
    Ok(id)
}
