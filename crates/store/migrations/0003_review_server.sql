-- Voussoir field book, schema 3: accounts, sessions, API tokens and the
-- submissions the review server receives.

CREATE TABLE user (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role           TEXT NOT NULL CHECK (role IN ('instructor', 'trainee')),
    password_hash  TEXT NOT NULL,             -- Argon2id, PHC string
    course         TEXT,
    created_at     TEXT NOT NULL
);

CREATE TABLE session (
    token_hash  TEXT PRIMARY KEY,             -- BLAKE3 of the cookie value
    user_id     INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
    csrf_token  TEXT NOT NULL,
    expires_at  TEXT NOT NULL                 -- UTC, RFC 3339
);

CREATE TABLE api_token (
    token_hash  TEXT PRIMARY KEY,             -- BLAKE3 of the token
    user_id     INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
    label       TEXT,
    created_at  TEXT NOT NULL
);

CREATE TABLE submission (
    id              INTEGER PRIMARY KEY,
    trainee_id      INTEGER NOT NULL REFERENCES user(id),
    structure_code  TEXT NOT NULL COLLATE NOCASE,
    inspection_id   INTEGER NOT NULL REFERENCES inspection(id),
    version         INTEGER NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('submitted', 'returned', 'accepted')),
    submitted_at    TEXT NOT NULL,
    suggested_mark  REAL,
    final_mark      REAL,
    feedback        TEXT,
    reviewed_by     INTEGER REFERENCES user(id),
    reviewed_at     TEXT,
    UNIQUE (trainee_id, structure_code, version)
);
CREATE INDEX submission_by_trainee ON submission(trainee_id);

CREATE TABLE defect_comment (
    submission_id  INTEGER NOT NULL REFERENCES submission(id) ON DELETE CASCADE,
    defect_id      INTEGER NOT NULL,
    comment        TEXT NOT NULL,
    PRIMARY KEY (submission_id, defect_id)
);
