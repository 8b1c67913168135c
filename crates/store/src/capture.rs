//! What the phone capture app sends, kept by the device's ids: the
//! trainee's working inspection, each defect with the device's edit time
//! (the newest edit wins; a deletion stays as a tombstone), and the
//! inspector's own grades. Every write is one transaction.

use rusqlite::{params, OptionalExtension};

use voussoir_core::Defect;

use crate::inspections::{
    rewrite_defect, write_defects, write_imported_inspection, ImportedInspection,
};
use crate::{FieldBook, NewInspection, Result, StoreError};

/// A capture-app inspection: the device's id and the working copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureInspection {
    pub capture_id: String,
    pub trainee_id: i64,
    pub inspection_id: i64,
}

/// What became of a write from the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptureWrite {
    /// Stored (or deleted) as sent.
    Applied,
    /// A newer edit of the same record is already here (edit time in ms);
    /// nothing changed.
    Stale { newer_ms: i64 },
}

/// A capture-app defect as the server holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct CaptureDefect {
    pub capture_id: String,
    pub defect_id: Option<i64>,
    pub edited_ms: i64,
    pub deleted: bool,
}

impl FieldBook {
    /// The capture-app inspection with this device id, if any.
    pub fn capture_inspection(&self, capture_id: &str) -> Result<Option<CaptureInspection>> {
        Ok(self
            .connection
            .query_row(
                "SELECT capture_id, trainee_id, inspection_id FROM capture_inspection WHERE capture_id = ?1",
                [capture_id],
                |row| {
                    Ok(CaptureInspection {
                        capture_id: row.get(0)?,
                        trainee_id: row.get(1)?,
                        inspection_id: row.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// The trainee whose capture-app working copy this inspection is.
    pub fn capture_owner(&self, inspection_id: i64) -> Result<Option<i64>> {
        Ok(self
            .connection
            .query_row(
                "SELECT trainee_id FROM capture_inspection WHERE inspection_id = ?1",
                [inspection_id],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Creates the working copy of a capture-app inspection, or updates its
    /// visit details (kind, inspector, date, weather, parts not inspected).
    pub fn save_capture_inspection(
        &mut self,
        capture_id: &str,
        trainee_id: i64,
        new: &NewInspection,
        scheme: &str,
        edited_ms: i64,
    ) -> Result<CaptureInspection> {
        let structure = self.structure(&new.structure)?;
        let structure_id = self.structure_id(&structure.code)?;
        let existing = self.capture_inspection(capture_id)?;
        let transaction = self.connection.transaction()?;
        let inspection_id = match &existing {
            Some(found) if found.trainee_id != trainee_id => {
                return Err(StoreError::NotFound(format!("no inspection {capture_id}")))
            }
            Some(found) => {
                transaction.execute(
                    "UPDATE inspection SET kind = ?2, inspector = ?3, date = ?4, weather = ?5 WHERE id = ?1",
                    params![
                        found.inspection_id,
                        new.kind.code(),
                        new.inspector,
                        new.date.map(|date| date.to_string()),
                        new.weather
                    ],
                )?;
                transaction.execute(
                    "DELETE FROM not_inspected WHERE inspection_id = ?1",
                    [found.inspection_id],
                )?;
                for code in &new.not_inspected {
                    transaction.execute(
                        "INSERT OR IGNORE INTO not_inspected (inspection_id, component_code) VALUES (?1, ?2)",
                        params![found.inspection_id, code],
                    )?;
                }
                transaction.execute(
                    "UPDATE capture_inspection SET edited_ms = max(edited_ms, ?2) WHERE capture_id = ?1",
                    params![capture_id, edited_ms],
                )?;
                found.inspection_id
            }
            None => {
                let imported = ImportedInspection {
                    new: new.clone(),
                    scheme: scheme.to_string(),
                    defects: Vec::new(),
                    photos: Vec::new(),
                    tracks: Vec::new(),
                    dive_logs: Vec::new(),
                    own_grades: Vec::new(),
                };
                let id = write_imported_inspection(&transaction, structure_id, &imported)?;
                transaction.execute(
                    "INSERT INTO capture_inspection (capture_id, trainee_id, inspection_id, edited_ms)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![capture_id, trainee_id, id, edited_ms],
                )?;
                id
            }
        };
        transaction.commit()?;
        Ok(CaptureInspection {
            capture_id: capture_id.to_string(),
            trainee_id,
            inspection_id,
        })
    }

    fn capture_defect_row(&self, capture_id: &str) -> Result<Option<CaptureDefect>> {
        Ok(self
            .connection
            .query_row(
                "SELECT capture_id, defect_id, edited_ms, deleted FROM capture_defect WHERE capture_id = ?1",
                [capture_id],
                |row| {
                    Ok(CaptureDefect {
                        capture_id: row.get(0)?,
                        defect_id: row.get(1)?,
                        edited_ms: row.get(2)?,
                        deleted: row.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    /// Stores a (checked) defect sent by the device, unless a newer edit of
    /// it is already here. Sending the same edit again changes nothing.
    pub fn save_capture_defect(
        &mut self,
        inspection_id: i64,
        capture_id: &str,
        defect: &Defect,
        edited_ms: i64,
    ) -> Result<CaptureWrite> {
        let existing = self.capture_defect_row(capture_id)?;
        if let Some(found) = &existing {
            if found.edited_ms > edited_ms {
                return Ok(CaptureWrite::Stale {
                    newer_ms: found.edited_ms,
                });
            }
        }
        let transaction = self.connection.transaction()?;
        let live_id = existing
            .as_ref()
            .filter(|found| !found.deleted)
            .and_then(|found| found.defect_id);
        let defect_id = match live_id {
            Some(id) => {
                let mut updated = defect.clone();
                updated.id = id;
                rewrite_defect(&transaction, &updated)?;
                id
            }
            None => write_defects(&transaction, inspection_id, std::slice::from_ref(defect))?
                .first()
                .copied()
                .ok_or_else(|| StoreError::Corrupt("a defect was not stored".to_string()))?,
        };
        transaction.execute(
            "INSERT INTO capture_defect (capture_id, inspection_id, defect_id, edited_ms, deleted)
             VALUES (?1, ?2, ?3, ?4, 0)
             ON CONFLICT (capture_id) DO UPDATE SET defect_id = excluded.defect_id,
                edited_ms = excluded.edited_ms, deleted = 0",
            params![capture_id, inspection_id, defect_id, edited_ms],
        )?;
        transaction.commit()?;
        Ok(CaptureWrite::Applied)
    }

    /// Deletes a device's defect, keeping a tombstone with the edit time;
    /// deleting twice, or what was never sent, is fine.
    pub fn delete_capture_defect(
        &mut self,
        inspection_id: i64,
        capture_id: &str,
        edited_ms: i64,
    ) -> Result<CaptureWrite> {
        let existing = self.capture_defect_row(capture_id)?;
        if let Some(found) = &existing {
            if found.edited_ms > edited_ms {
                return Ok(CaptureWrite::Stale {
                    newer_ms: found.edited_ms,
                });
            }
        }
        let transaction = self.connection.transaction()?;
        if let Some(id) = existing.as_ref().and_then(|found| found.defect_id) {
            transaction.execute("DELETE FROM defect WHERE id = ?1", [id])?;
        }
        transaction.execute(
            "INSERT INTO capture_defect (capture_id, inspection_id, defect_id, edited_ms, deleted)
             VALUES (?1, ?2, NULL, ?3, 1)
             ON CONFLICT (capture_id) DO UPDATE SET defect_id = NULL, edited_ms = excluded.edited_ms,
                deleted = 1",
            params![capture_id, inspection_id, edited_ms],
        )?;
        transaction.commit()?;
        Ok(CaptureWrite::Applied)
    }

    /// The device defects of a working copy, deleted ones included.
    pub fn capture_defects(&self, inspection_id: i64) -> Result<Vec<CaptureDefect>> {
        let mut statement = self.connection.prepare(
            "SELECT capture_id, defect_id, edited_ms, deleted FROM capture_defect
             WHERE inspection_id = ?1 ORDER BY capture_id",
        )?;
        let rows = statement
            .query_map([inspection_id], |row| {
                Ok(CaptureDefect {
                    capture_id: row.get(0)?,
                    defect_id: row.get(1)?,
                    edited_ms: row.get(2)?,
                    deleted: row.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Replaces the inspector's own grades of an inspection (target →
    /// grade), unless newer ones are already here.
    pub fn save_own_grades(
        &mut self,
        inspection_id: i64,
        grades: &[(String, String)],
        edited_ms: i64,
    ) -> Result<CaptureWrite> {
        let newest: Option<i64> = self.connection.query_row(
            "SELECT max(updated_ms) FROM own_grade WHERE inspection_id = ?1",
            [inspection_id],
            |row| row.get(0),
        )?;
        if let Some(newer_ms) = newest.filter(|newest| *newest > edited_ms) {
            return Ok(CaptureWrite::Stale { newer_ms });
        }
        // A reason stays with its grade while the grade stays the same.
        let kept: Vec<(String, String, String)> = {
            let mut statement = self.connection.prepare(
                "SELECT target, grade, reason FROM own_grade
                 WHERE inspection_id = ?1 AND reason IS NOT NULL",
            )?;
            let rows = statement
                .query_map([inspection_id], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows
        };
        let transaction = self.connection.transaction()?;
        transaction.execute(
            "DELETE FROM own_grade WHERE inspection_id = ?1",
            [inspection_id],
        )?;
        write_own_grades(&transaction, inspection_id, grades, edited_ms)?;
        for (target, grade, reason) in kept {
            transaction.execute(
                "UPDATE own_grade SET reason = ?4
                 WHERE inspection_id = ?1 AND target = ?2 AND grade = ?3",
                params![inspection_id, target, grade, reason],
            )?;
        }
        transaction.commit()?;
        Ok(CaptureWrite::Applied)
    }

    /// Records why a grade was given (the instructor's reason for
    /// overriding a computed grade on a reference); an empty reason clears
    /// it.
    pub fn set_grade_reason(
        &mut self,
        inspection_id: i64,
        target: &str,
        reason: &str,
    ) -> Result<()> {
        let reason = reason.trim();
        self.connection.execute(
            "UPDATE own_grade SET reason = ?3 WHERE inspection_id = ?1 AND target = ?2",
            rusqlite::params![
                inspection_id,
                target,
                (!reason.is_empty()).then_some(reason)
            ],
        )?;
        Ok(())
    }

    /// The reasons given for an inspection's own grades: (target, reason).
    pub fn grade_reasons(&self, inspection_id: i64) -> Result<Vec<(String, String)>> {
        let mut statement = self.connection.prepare(
            "SELECT target, reason FROM own_grade
             WHERE inspection_id = ?1 AND reason IS NOT NULL ORDER BY target",
        )?;
        let rows = statement
            .query_map([inspection_id], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The inspector's own grades of an inspection, by target.
    pub fn own_grades(&self, inspection_id: i64) -> Result<Vec<(String, String)>> {
        let mut statement = self.connection.prepare(
            "SELECT target, grade FROM own_grade WHERE inspection_id = ?1 ORDER BY target",
        )?;
        let rows = statement
            .query_map([inspection_id], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

/// Inserts own grades (inside the caller's transaction).
pub(crate) fn write_own_grades(
    connection: &rusqlite::Connection,
    inspection_id: i64,
    grades: &[(String, String)],
    edited_ms: i64,
) -> Result<()> {
    for (target, grade) in grades {
        connection.execute(
            "INSERT OR REPLACE INTO own_grade (inspection_id, target, grade, updated_ms)
             VALUES (?1, ?2, ?3, ?4)",
            params![inspection_id, target, grade, edited_ms],
        )?;
    }
    Ok(())
}
