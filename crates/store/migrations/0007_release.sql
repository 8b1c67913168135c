-- Voussoir field book, schema 7: results released by the instructor. Until
-- a structure's results are released, trainees see no suggested mark and
-- no comparison with the reference, so that no upload can probe the
-- answer key.

CREATE TABLE result_release (
    structure_code  TEXT PRIMARY KEY COLLATE NOCASE,
    released_at     TEXT NOT NULL,
    released_by     INTEGER REFERENCES user(id) ON DELETE SET NULL
);
