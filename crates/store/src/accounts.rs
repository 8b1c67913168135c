//! Accounts, sessions and API tokens of the review server.
//! Secrets are never stored: sessions and tokens by their BLAKE3 hash,
//! passwords by their Argon2id hash (computed by the caller).

use rusqlite::{params, OptionalExtension, Row};
use voussoir_core::words::errors::english as said;

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
            return Err(StoreError::Conflict(said(
                "book.user_exists",
                &[("name", name.to_string())],
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

    /// Replaces a user's password hash and ends their sessions and API
    /// tokens.
    pub fn set_password(&mut self, name: &str, password_hash: &str) -> Result<()> {
        let user = self.user_by_name(name)?.ok_or_else(|| {
            StoreError::NotFound(said("book.no_user", &[("name", name.to_string())]))
        })?;
        let transaction = self.connection.transaction()?;
        transaction.execute(
            "UPDATE user SET password_hash = ?2 WHERE id = ?1",
            params![user.id, password_hash],
        )?;
        transaction.execute("DELETE FROM session WHERE user_id = ?1", [user.id])?;
        transaction.execute("DELETE FROM api_token WHERE user_id = ?1", [user.id])?;
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

    /// Records an API token (by its hash) for a user, valid until
    /// `expires_at` (RFC 3339). Returns its id.
    pub fn create_api_token(
        &mut self,
        user_id: i64,
        token_hash: &str,
        label: Option<&str>,
        expires_at: &str,
    ) -> Result<i64> {
        self.connection.execute(
            "INSERT INTO api_token (token_hash, user_id, label, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![token_hash, user_id, label, now_utc(), expires_at],
        )?;
        Ok(self.connection.last_insert_rowid())
    }

    /// The user of a live API token (`now` as RFC 3339).
    pub fn user_by_api_token(&self, token_hash: &str, now: &str) -> Result<Option<User>> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM api_token JOIN user ON user.id = api_token.user_id
             WHERE api_token.token_hash = ?1 AND api_token.expires_at > ?2"
        );
        self.connection
            .query_row(&sql, params![token_hash, now], user_from_row)
            .optional()?
            .map(complete_user)
            .transpose()
    }

    /// Every API token (or one user's), without its secret.
    pub fn api_tokens(&self, user: Option<&str>) -> Result<Vec<ApiToken>> {
        let mut statement = self.connection.prepare(
            "SELECT api_token.rowid, user.name, api_token.label, api_token.created_at,
                    api_token.expires_at
             FROM api_token JOIN user ON user.id = api_token.user_id
             WHERE ?1 IS NULL OR user.name = ?1 COLLATE NOCASE ORDER BY api_token.rowid",
        )?;
        let rows = statement
            .query_map([user], |row| {
                Ok(ApiToken {
                    id: row.get(0)?,
                    user: row.get(1)?,
                    label: row.get(2)?,
                    created_at: row.get(3)?,
                    expires_at: row.get::<_, Option<String>>(4)?.unwrap_or_default(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Revokes an API token by its id.
    pub fn revoke_api_token(&mut self, id: i64) -> Result<()> {
        let changed = self
            .connection
            .execute("DELETE FROM api_token WHERE rowid = ?1", [id])?;
        if changed == 0 {
            return Err(StoreError::NotFound(said(
                "book.no_token",
                &[("id", id.to_string())],
            )));
        }
        Ok(())
    }
}

/// An API token as listed: never its secret.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub user: String,
    pub label: Option<String>,
    pub created_at: String,
    pub expires_at: String,
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
        let id = book
            .create_api_token(user.id, "t1", Some("laptop"), "2999-01-01T00:00:00Z")
            .expect("token");
        let live = |book: &FieldBook, now: &str| {
            book.user_by_api_token("t1", now)
                .expect("query")
                .map(|user| user.name)
        };
        assert_eq!(
            live(&book, "2026-01-01T00:00:00Z"),
            Some("alice".to_string())
        );
        assert_eq!(live(&book, "3000-01-01T00:00:00Z"), None, "expired");
        assert_eq!(book.api_tokens(Some("ALICE")).expect("list")[0].id, id);
        book.set_password("alice", "$argon2id$z").expect("passwd");
        assert_eq!(
            live(&book, "2026-01-01T00:00:00Z"),
            None,
            "dies with the password"
        );
        let id = book
            .create_api_token(user.id, "t2", None, "2999-01-01T00:00:00Z")
            .expect("token");
        book.revoke_api_token(id).expect("revoke");
        assert!(book.api_tokens(None).expect("list").is_empty());
        assert!(book.revoke_api_token(id).is_err());
    }
}
