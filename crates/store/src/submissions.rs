//! Trainees' submissions to the review server: each a version of one
//! trainee's inspection of one structure, with the instructor's review
//! (status, marks, feedback, per-defect comments).

use rusqlite::{params, Connection, OptionalExtension};

use crate::inspections::{write_imported_inspection, ImportedInspection};
use crate::{now_utc, FieldBook, Result, StoreError};

/// Where a submission stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SubmissionStatus {
    Submitted,
    Returned,
    Accepted,
}

impl SubmissionStatus {
    pub fn code(self) -> &'static str {
        match self {
            SubmissionStatus::Submitted => "submitted",
            SubmissionStatus::Returned => "returned",
            SubmissionStatus::Accepted => "accepted",
        }
    }

    pub fn parse(text: &str) -> Option<SubmissionStatus> {
        match text {
            "submitted" => Some(SubmissionStatus::Submitted),
            "returned" => Some(SubmissionStatus::Returned),
            "accepted" => Some(SubmissionStatus::Accepted),
            _ => None,
        }
    }
}

/// One inspection's copies of a photo, paths relative to `media/`.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoCopies {
    pub inspection: i64,
    pub thumbnail: Option<String>,
    pub review: Option<String>,
    /// The original file, where the book keeps it.
    pub original: Option<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Submission {
    pub id: i64,
    pub trainee_id: i64,
    pub trainee: String,
    pub structure: String,
    pub inspection: i64,
    pub version: i64,
    pub status: SubmissionStatus,
    pub submitted_at: String,
    pub suggested_mark: Option<f64>,
    pub final_mark: Option<f64>,
    pub feedback: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<String>,
    /// Comments on single defects: (defect id, comment).
    pub defect_comments: Vec<(i64, String)>,
    /// True when this answer is to a hand-in identical to this version,
    /// which was not stored twice.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unchanged: bool,
}

const SUBMISSION_COLUMNS: &str =
    "submission.id, submission.trainee_id, user.name, submission.structure_code,
    submission.inspection_id, submission.version, submission.status, submission.submitted_at,
    submission.suggested_mark, submission.final_mark, submission.feedback,
    (SELECT name FROM user AS reviewer WHERE reviewer.id = submission.reviewed_by),
    submission.reviewed_at";

/// Inserts the next version of a trainee's submission (inside the
/// caller's transaction) and returns its id.
fn write_submission(
    connection: &Connection,
    trainee_id: i64,
    structure: &str,
    inspection_id: i64,
    suggested_mark: Option<f64>,
    fingerprint: Option<&str>,
) -> Result<i64> {
    let version: i64 = connection.query_row(
        "SELECT coalesce(max(version), 0) + 1 FROM submission WHERE trainee_id = ?1 AND structure_code = ?2",
        params![trainee_id, structure],
        |row| row.get(0),
    )?;
    connection.execute(
        "INSERT INTO submission (trainee_id, structure_code, inspection_id, version, status, submitted_at,
            suggested_mark, bundle_hash)
         VALUES (?1, ?2, ?3, ?4, 'submitted', ?5, ?6, ?7)",
        params![trainee_id, structure, inspection_id, version, now_utc(), suggested_mark, fingerprint],
    )?;
    Ok(connection.last_insert_rowid())
}

impl FieldBook {
    /// Records a new version of a trainee's submission for a stored
    /// inspection (the demo's, or a reference turned in by hand).
    pub fn add_submission(
        &mut self,
        trainee_id: i64,
        structure: &str,
        inspection_id: i64,
        suggested_mark: Option<f64>,
    ) -> Result<Submission> {
        let transaction = self.connection.transaction()?;
        let id = write_submission(
            &transaction,
            trainee_id,
            structure,
            inspection_id,
            suggested_mark,
            None,
        )?;
        transaction.commit()?;
        self.submission(id)?
            .ok_or_else(|| StoreError::NotFound(format!("submission #{id}")))
    }

    /// Stores a received inspection and records it as a new version of
    /// the trainee's submission, in one transaction: a crash leaves both
    /// or neither. Media files must already be written.
    pub fn import_submission(
        &mut self,
        imported: &ImportedInspection,
        trainee_id: i64,
        suggested_mark: Option<f64>,
        fingerprint: &str,
    ) -> Result<Submission> {
        let structure = self.structure(&imported.new.structure)?;
        let structure_id = self.structure_id(&structure.code)?;
        let transaction = self.connection.transaction()?;
        let inspection_id = write_imported_inspection(&transaction, structure_id, imported)?;
        let id = write_submission(
            &transaction,
            trainee_id,
            &structure.code,
            inspection_id,
            suggested_mark,
            Some(fingerprint),
        )?;
        transaction.commit()?;
        self.submission(id)?
            .ok_or_else(|| StoreError::NotFound(format!("submission #{id}")))
    }

    fn submissions_where(
        &self,
        condition: &str,
        value: Option<i64>,
        with_comments: bool,
    ) -> Result<Vec<Submission>> {
        let sql = format!(
            "SELECT {SUBMISSION_COLUMNS} FROM submission JOIN user ON user.id = submission.trainee_id
             WHERE {condition} ORDER BY user.name, submission.structure_code, submission.version"
        );
        let mut statement = self.connection.prepare(&sql)?;
        let rows = statement
            .query_map([value], |row| {
                Ok((
                    Submission {
                        id: row.get(0)?,
                        trainee_id: row.get(1)?,
                        trainee: row.get(2)?,
                        structure: row.get(3)?,
                        inspection: row.get(4)?,
                        version: row.get(5)?,
                        status: SubmissionStatus::Submitted,
                        submitted_at: row.get(7)?,
                        suggested_mark: row.get(8)?,
                        final_mark: row.get(9)?,
                        feedback: row.get(10)?,
                        reviewed_by: row.get(11)?,
                        reviewed_at: row.get(12)?,
                        defect_comments: Vec::new(),
                        unchanged: false,
                    },
                    row.get::<_, String>(6)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut comments = self
            .connection
            .prepare("SELECT defect_id, comment FROM defect_comment WHERE submission_id = ?1 ORDER BY defect_id")?;
        rows.into_iter()
            .map(|(mut submission, status)| {
                submission.status = SubmissionStatus::parse(&status)
                    .ok_or_else(|| StoreError::Corrupt(format!("status `{status}`")))?;
                if with_comments {
                    submission.defect_comments = comments
                        .query_map([submission.id], |row| Ok((row.get(0)?, row.get(1)?)))?
                        .collect::<rusqlite::Result<Vec<_>>>()?;
                }
                Ok(submission)
            })
            .collect()
    }

    /// A trainee's latest version for a structure, with the fingerprint of
    /// what it was received as.
    pub fn latest_submission(
        &self,
        trainee_id: i64,
        structure: &str,
    ) -> Result<Option<(Submission, Option<String>)>> {
        let found: Option<(i64, Option<String>)> = self
            .connection
            .query_row(
                "SELECT id, bundle_hash FROM submission
                 WHERE trainee_id = ?1 AND structure_code = ?2 ORDER BY version DESC LIMIT 1",
                params![trainee_id, structure],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        let Some((id, fingerprint)) = found else {
            return Ok(None);
        };
        Ok(self
            .submission(id)?
            .map(|submission| (submission, fingerprint)))
    }

    /// Submissions whose content is the same as another trainee's: pairs
    /// of (submission, other submission) sharing a fingerprint.
    pub fn identical_submissions(&self) -> Result<Vec<(i64, i64)>> {
        let mut statement = self.connection.prepare(
            "SELECT a.id, b.id FROM submission AS a JOIN submission AS b
               ON a.bundle_hash = b.bundle_hash AND a.trainee_id < b.trainee_id
             ORDER BY a.id, b.id",
        )?;
        let rows = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Photos handed in by two different trainees: (submission, other
    /// submission, number of photo hashes they share).
    pub fn shared_photos(&self) -> Result<Vec<(i64, i64, i64)>> {
        let mut statement = self.connection.prepare(
            "SELECT a.id, b.id, count(DISTINCT pa.hash)
             FROM submission AS a
             JOIN submission AS b ON a.trainee_id < b.trainee_id
             JOIN photo AS pa ON pa.inspection_id = a.inspection_id
             JOIN photo AS pb ON pb.inspection_id = b.inspection_id AND pb.hash = pa.hash
             GROUP BY a.id, b.id ORDER BY a.id, b.id",
        )?;
        let rows = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Every submission (instructors), or one trainee's; without the
    /// per-defect comments, which only [`FieldBook::submission`] loads.
    pub fn submissions(&self, trainee_id: Option<i64>) -> Result<Vec<Submission>> {
        match trainee_id {
            Some(id) => self.submissions_where("submission.trainee_id = ?1", Some(id), false),
            None => self.submissions_where("?1 IS NULL", None, false),
        }
    }

    pub fn submission(&self, id: i64) -> Result<Option<Submission>> {
        Ok(self
            .submissions_where("submission.id = ?1", Some(id), true)?
            .into_iter()
            .next())
    }

    /// Records the instructor's review: feedback, per-defect comments, the
    /// final mark and the new status, in one transaction.
    pub fn review_submission(
        &mut self,
        id: i64,
        reviewer_id: i64,
        status: SubmissionStatus,
        final_mark: Option<f64>,
        feedback: &str,
        defect_comments: &[(i64, String)],
    ) -> Result<()> {
        let transaction = self.connection.transaction()?;
        let changed = transaction.execute(
            "UPDATE submission SET status = ?2, final_mark = ?3, feedback = ?4, reviewed_by = ?5, reviewed_at = ?6
             WHERE id = ?1",
            params![id, status.code(), final_mark, feedback, reviewer_id, now_utc()],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound(format!("no submission #{id}")));
        }
        transaction.execute("DELETE FROM defect_comment WHERE submission_id = ?1", [id])?;
        for (defect_id, comment) in defect_comments {
            if !comment.trim().is_empty() {
                transaction.execute(
                    "INSERT INTO defect_comment (submission_id, defect_id, comment) VALUES (?1, ?2, ?3)",
                    params![id, defect_id, comment.trim()],
                )?;
            }
        }
        transaction.commit()?;
        Ok(())
    }

    /// The newest reference inspection of a structure.
    pub fn reference_inspection(&self, structure: &str) -> Result<Option<i64>> {
        Ok(self.connection.query_row(
            "SELECT max(inspection.id) FROM inspection JOIN structure ON structure.id = inspection.structure_id
             WHERE inspection.is_reference = 1 AND structure.code = ?1",
            [structure],
            |row| row.get(0),
        )?)
    }

    /// The inspections that hold a photo, by hash.
    pub fn photo_inspections(&self, hash: &str) -> Result<Vec<i64>> {
        let mut statement = self.connection.prepare(
            "SELECT inspection_id FROM photo WHERE hash = ?1 AND inspection_id IS NOT NULL",
        )?;
        let ids = statement
            .query_map([hash], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(ids)
    }

    /// Where each inspection holding a photo keeps its copies, oldest
    /// first.
    pub fn photo_copies(&self, hash: &str) -> Result<Vec<PhotoCopies>> {
        let mut statement = self.connection.prepare(
            "SELECT inspection_id, thumbnail, review, original FROM photo
             WHERE hash = ?1 AND inspection_id IS NOT NULL ORDER BY id",
        )?;
        let rows = statement
            .query_map([hash], |row| {
                Ok(PhotoCopies {
                    inspection: row.get(0)?,
                    thumbnail: row.get(1)?,
                    review: row.get(2)?,
                    original: row.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Releases a structure's results to its trainees (again is fine).
    pub fn release_results(&mut self, structure: &str, instructor_id: i64) -> Result<()> {
        self.connection.execute(
            "INSERT INTO result_release (structure_code, released_at, released_by) VALUES (?1, ?2, ?3)
             ON CONFLICT (structure_code) DO NOTHING",
            params![structure, now_utc(), instructor_id],
        )?;
        Ok(())
    }

    /// When a structure's results were released, if they were.
    pub fn results_released(&self, structure: &str) -> Result<Option<String>> {
        Ok(self
            .connection
            .query_row(
                "SELECT released_at FROM result_release WHERE structure_code = ?1",
                [structure],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// The submission that carries an inspection, if any.
    pub fn submission_of_inspection(&self, inspection_id: i64) -> Result<Option<Submission>> {
        let id: Option<i64> = self
            .connection
            .query_row(
                "SELECT id FROM submission WHERE inspection_id = ?1",
                [inspection_id],
                |row| row.get(0),
            )
            .optional()?;
        match id {
            Some(id) => self.submission(id),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NewInspection, Role};
    use voussoir_core::model::InspectionKind;
    use voussoir_core::Course;

    const COURSE: &str = r#"
[course]
code = "OA"
name = "Course"

[[structures]]
code = "PONT"
name = "Bridge"
kind = "beam"

[[structures.components]]
code = "P1"
kind = "pier"
"#;

    fn received() -> ImportedInspection {
        ImportedInspection {
            new: NewInspection {
                structure: "PONT".to_string(),
                kind: InspectionKind::DetailedPeriodic,
                inspector: Some("alice".to_string()),
                date: None,
                weather: None,
                is_reference: false,
                not_inspected: Vec::new(),
            },
            scheme: "iqoa".to_string(),
            defects: Vec::new(),
            photos: Vec::new(),
            tracks: Vec::new(),
            dive_logs: Vec::new(),
            own_grades: Vec::new(),
        }
    }

    fn count(book: &FieldBook, table: &str) -> i64 {
        // Table names are fixed by the test, never user input.
        book.connection
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                row.get(0)
            })
            .expect("count")
    }

    #[test]
    fn a_submission_that_fails_after_its_inspection_leaves_neither() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut book = FieldBook::init(dir.path()).expect("init");
        book.load_course(&Course::from_toml(COURSE).expect("course"))
            .expect("load");
        let alice = book
            .add_user("alice", Role::Trainee, "$argon2id$x", Some("OA"))
            .expect("user");
        // A fault between the two steps: the submission row cannot be
        // written once the inspection is.
        book.connection
            .execute_batch(
                "CREATE TEMP TRIGGER fault BEFORE INSERT ON submission
                 BEGIN SELECT RAISE(ABORT, 'injected fault'); END;",
            )
            .expect("trigger");
        let error = book
            .import_submission(&received(), alice.id, Some(12.0), "fingerprint")
            .expect_err("the fault stops the submission");
        assert!(error.to_string().contains("injected fault"), "{error}");
        assert_eq!(count(&book, "inspection"), 0, "no orphan inspection");
        assert_eq!(count(&book, "submission"), 0);

        book.connection
            .execute_batch("DROP TRIGGER fault")
            .expect("drop");
        let submission = book
            .import_submission(&received(), alice.id, Some(12.0), "fingerprint")
            .expect("submit");
        assert_eq!(submission.version, 1);
        assert_eq!(submission.suggested_mark, Some(12.0));
        assert_eq!(count(&book, "inspection"), 1);
        assert_eq!(
            book.submission_of_inspection(submission.inspection)
                .expect("query")
                .map(|found| found.id),
            Some(submission.id)
        );
    }
}
