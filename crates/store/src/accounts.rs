//! Accounts, sessions, API tokens and submissions of the review server.
//! Secrets are never stored: sessions and tokens by their BLAKE3 hash,
//! passwords by their Argon2id hash (computed by the caller).

use rusqlite::{params, OptionalExtension, Row};

use crate::{now_utc, FieldBook, Result, StoreError};

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Instructor,
    Trainee,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Instructor => "instructor",
            Role::Trainee => "trainee",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        match text.trim().to_lowercase().as_str() {
            "instructor" => Some(Role::Instructor),
            "trainee" => Some(Role::Trainee),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
    #[serde(skip)]
    pub password_hash: String,
    pub course: Option<String>,
}

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
}

fn user_from_row(row: &Row<'_>) -> rusqlite::Result<(User, String)> {
    let role: String = row.get(2)?;
    Ok((
        User {
            id: row.get(0)?,
            name: row.get(1)?,
            role: Role::Trainee,
            password_hash: row.get(3)?,
            course: row.get(4)?,
        },
        role,
    ))
}

fn complete_user((mut user, role): (User, String)) -> Result<User> {
    user.role = Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role `{role}`")))?;
    Ok(user)
}

const USER_COLUMNS: &str = "user.id, user.name, user.role, user.password_hash, user.course";
const SUBMISSION_COLUMNS: &str =
    "submission.id, submission.trainee_id, user.name, submission.structure_code,
    submission.inspection_id, submission.version, submission.status, submission.submitted_at,
    submission.suggested_mark, submission.final_mark, submission.feedback,
    (SELECT name FROM user AS reviewer WHERE reviewer.id = submission.reviewed_by),
    submission.reviewed_at";

impl FieldBook {
    /// Adds a user; the name must be new.
    pub fn add_user(
        &mut self,
        name: &str,
        role: Role,
        password_hash: &str,
        course: Option<&str>,
    ) -> Result<User> {
        let exists: Option<i64> = self
            .connection
            .query_row("SELECT id FROM user WHERE name = ?1", [name], |row| {
                row.get(0)
            })
            .optional()?;
        if exists.is_some() {
            return Err(StoreError::Conflict(format!(
                "user `{name}` already exists; change the password with `voussoir user passwd {name}`"
            )));
        }
        self.connection.execute(
            "INSERT INTO user (name, role, password_hash, course, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![name, role.code(), password_hash, course, now_utc()],
        )?;
        self.user_by_name(name)?
            .ok_or_else(|| StoreError::NotFound(format!("user `{name}`")))
    }

    pub fn user_by_name(&self, name: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM user WHERE name = ?1");
        self.connection
            .query_row(&sql, [name.trim()], user_from_row)
            .optional()?
            .map(complete_user)
            .transpose()
    }

    pub fn user(&self, id: i64) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM user WHERE id = ?1");
        self.connection
            .query_row(&sql, [id], user_from_row)
            .optional()?
            .map(complete_user)
            .transpose()
    }

    pub fn users(&self) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM user ORDER BY role, name");
        let mut statement = self.connection.prepare(&sql)?;
        let rows = statement
            .query_map([], user_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(complete_user).collect()
    }

    /// Replaces a user's password hash and ends their sessions.
    pub fn set_password(&mut self, name: &str, password_hash: &str) -> Result<()> {
        let user = self.user_by_name(name)?.ok_or_else(|| {
            StoreError::NotFound(format!(
                "no user `{name}`; add one with `voussoir user add`"
            ))
        })?;
        let transaction = self.connection.transaction()?;
        transaction.execute(
            "UPDATE user SET password_hash = ?2 WHERE id = ?1",
            params![user.id, password_hash],
        )?;
        transaction.execute("DELETE FROM session WHERE user_id = ?1", [user.id])?;
        transaction.commit()?;
        Ok(())
    }

    /// Opens a session; expired sessions are purged on the way.
    pub fn create_session(
        &mut self,
        user_id: i64,
        token_hash: &str,
        csrf_token: &str,
        expires_at: &str,
    ) -> Result<()> {
        self.connection
            .execute("DELETE FROM session WHERE expires_at <= ?1", [now_utc()])?;
        self.connection.execute(
            "INSERT INTO session (token_hash, user_id, csrf_token, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![token_hash, user_id, csrf_token, expires_at],
        )?;
        Ok(())
    }

    /// The user and CSRF token of a live session.
    pub fn session(&self, token_hash: &str, now: &str) -> Result<Option<(User, String)>> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, session.csrf_token FROM session JOIN user ON user.id = session.user_id
             WHERE session.token_hash = ?1 AND session.expires_at > ?2"
        );
        let row = self
            .connection
            .query_row(&sql, params![token_hash, now], |row| {
                Ok((user_from_row(row)?, row.get::<_, String>(5)?))
            })
            .optional()?;
        match row {
            None => Ok(None),
            Some((user, csrf)) => Ok(Some((complete_user(user)?, csrf))),
        }
    }

    pub fn delete_session(&mut self, token_hash: &str) -> Result<()> {
        self.connection
            .execute("DELETE FROM session WHERE token_hash = ?1", [token_hash])?;
        Ok(())
    }

    pub fn create_api_token(
        &mut self,
        user_id: i64,
        token_hash: &str,
        label: Option<&str>,
    ) -> Result<()> {
        self.connection.execute(
            "INSERT INTO api_token (token_hash, user_id, label, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![token_hash, user_id, label, now_utc()],
        )?;
        Ok(())
    }

    pub fn user_by_api_token(&self, token_hash: &str) -> Result<Option<User>> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM api_token JOIN user ON user.id = api_token.user_id WHERE api_token.token_hash = ?1"
        );
        self.connection
            .query_row(&sql, [token_hash], user_from_row)
            .optional()?
            .map(complete_user)
            .transpose()
    }

    /// Records a new version of a trainee's submission for a structure.
    pub fn add_submission(
        &mut self,
        trainee_id: i64,
        structure: &str,
        inspection_id: i64,
        suggested_mark: Option<f64>,
    ) -> Result<Submission> {
        let transaction = self.connection.transaction()?;
        let version: i64 = transaction.query_row(
            "SELECT coalesce(max(version), 0) + 1 FROM submission WHERE trainee_id = ?1 AND structure_code = ?2",
            params![trainee_id, structure],
            |row| row.get(0),
        )?;
        transaction.execute(
            "INSERT INTO submission (trainee_id, structure_code, inspection_id, version, status, submitted_at, suggested_mark)
             VALUES (?1, ?2, ?3, ?4, 'submitted', ?5, ?6)",
            params![trainee_id, structure, inspection_id, version, now_utc(), suggested_mark],
        )?;
        let id = transaction.last_insert_rowid();
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

    /// The inspection a photo belongs to, by hash.
    pub fn photo_inspection(&self, hash: &str) -> Result<Option<i64>> {
        Ok(self
            .connection
            .query_row(
                "SELECT inspection_id FROM photo WHERE hash = ?1",
                [hash],
                |row| row.get(0),
            )
            .optional()?
            .flatten())
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

    #[test]
    fn users_sessions_and_tokens_round_trip() {
        let dir = tempfile::tempdir().expect("temp");
        let mut book = FieldBook::init(dir.path()).expect("init");
        let user = book
            .add_user("alice", Role::Trainee, "$argon2id$x", Some("OA"))
            .expect("add");
        assert!(book.add_user("ALICE", Role::Trainee, "x", None).is_err());
        book.create_session(user.id, "h1", "csrf", "2999-01-01T00:00:00Z")
            .expect("session");
        let (found, csrf) = book
            .session("h1", "2026-01-01T00:00:00Z")
            .expect("query")
            .expect("live");
        assert_eq!((found.name.as_str(), csrf.as_str()), ("alice", "csrf"));
        assert!(book
            .session("h1", "3000-01-01T00:00:00Z")
            .expect("query")
            .is_none());
        book.set_password("alice", "$argon2id$y").expect("passwd");
        assert!(book
            .session("h1", "2026-01-01T00:00:00Z")
            .expect("query")
            .is_none());
        book.create_api_token(user.id, "t1", Some("laptop"))
            .expect("token");
        assert_eq!(
            book.user_by_api_token("t1")
                .expect("query")
                .map(|user| user.name),
            Some("alice".to_string())
        );
    }
}
