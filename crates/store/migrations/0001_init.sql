-- Voussoir field book, schema 1: course, structures, inspections, defects.
-- A shipped migration is never edited; changes go in the next file.

CREATE TABLE course (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    centre      TEXT,
    scheme      TEXT NOT NULL,
    time_zone   TEXT NOT NULL,
    language    TEXT NOT NULL,
    loaded_at   TEXT NOT NULL
);

CREATE TABLE trainee (
    name        TEXT PRIMARY KEY COLLATE NOCASE,
    full_name   TEXT,
    email       TEXT
);

CREATE TABLE structure (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    material    TEXT,
    lon         REAL,
    lat         REAL,
    axis        TEXT NOT NULL DEFAULT '[]',   -- JSON [[lon, lat], ...]
    crossing    TEXT,
    list_order  INTEGER NOT NULL
);

CREATE TABLE component (
    id            INTEGER PRIMARY KEY,
    structure_id  INTEGER NOT NULL REFERENCES structure(id) ON DELETE CASCADE,
    code          TEXT NOT NULL COLLATE NOCASE,
    kind          TEXT NOT NULL,
    name          TEXT,
    material      TEXT,
    lon           REAL,
    lat           REAL,
    underwater    INTEGER NOT NULL DEFAULT 0,
    list_order    INTEGER NOT NULL,
    UNIQUE (structure_id, code)
);

CREATE TABLE inspection (
    id            INTEGER PRIMARY KEY,
    structure_id  INTEGER NOT NULL REFERENCES structure(id),
    kind          TEXT NOT NULL,
    inspector     TEXT,
    date          TEXT,                         -- YYYY-MM-DD
    weather       TEXT,
    is_reference  INTEGER NOT NULL DEFAULT 0,
    scheme        TEXT NOT NULL,
    created_at    TEXT NOT NULL                 -- UTC, RFC 3339
);

CREATE TABLE not_inspected (
    inspection_id   INTEGER NOT NULL REFERENCES inspection(id) ON DELETE CASCADE,
    component_code  TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (inspection_id, component_code)
);

CREATE TABLE defect (
    id                INTEGER PRIMARY KEY,
    inspection_id     INTEGER NOT NULL REFERENCES inspection(id) ON DELETE CASCADE,
    component_code    TEXT NOT NULL COLLATE NOCASE,
    type_code         TEXT NOT NULL,
    severity          TEXT,
    extent            TEXT,
    crack_width_mm    REAL,
    length_m          REAL,
    area_m2           REAL,
    depth_mm          REAL,
    section_loss_pct  REAL,
    lon               REAL,
    lat               REAL,
    note              TEXT,
    created_at        TEXT NOT NULL
);
CREATE INDEX defect_by_inspection ON defect(inspection_id);

CREATE TABLE setting (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
