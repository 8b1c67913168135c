-- Voussoir field book, schema 2: photos, GPS tracks and dive logs.

CREATE TABLE photo (
    hash                  TEXT PRIMARY KEY,          -- BLAKE3 of the file's bytes
    inspection_id         INTEGER REFERENCES inspection(id) ON DELETE SET NULL,
    file                  TEXT NOT NULL,             -- path it was imported from
    format                TEXT NOT NULL,
    bytes                 INTEGER NOT NULL,
    width                 INTEGER,
    height                INTEGER,
    make                  TEXT,
    model                 TEXT,
    orientation           INTEGER NOT NULL DEFAULT 1,
    camera_time           TEXT,                      -- EXIF local time, no zone
    camera_offset         TEXT,                      -- EXIF OffsetTimeOriginal
    exif_lon              REAL,
    exif_lat              REAL,
    exif_altitude_m       REAL,
    exif_accuracy_m       REAL,
    metadata_notes        TEXT NOT NULL DEFAULT '[]',-- JSON array of strings
    taken_at              TEXT,                      -- UTC, corrected
    lon                   REAL,
    lat                   REAL,
    elevation_m           REAL,
    accuracy_m            REAL,
    position_source       TEXT NOT NULL DEFAULT 'none', -- exif | track | none
    position_note         TEXT,
    depth_m               REAL,
    underwater            INTEGER NOT NULL DEFAULT 0,
    component             TEXT,
    component_distance_m  REAL,
    thumbnail             TEXT,                      -- relative to media/
    review                TEXT,
    original              TEXT,
    imported_at           TEXT NOT NULL
);
CREATE INDEX photo_by_inspection ON photo(inspection_id);

CREATE TABLE track (
    id             INTEGER PRIMARY KEY,
    inspection_id  INTEGER REFERENCES inspection(id) ON DELETE SET NULL,
    file           TEXT NOT NULL,
    hash           TEXT NOT NULL UNIQUE,
    format         TEXT NOT NULL,
    name           TEXT,
    points         INTEGER NOT NULL,
    timed_points   INTEGER NOT NULL,
    segments       INTEGER NOT NULL,
    first_time     TEXT,
    last_time      TEXT,
    length_m       REAL NOT NULL,
    imported_at    TEXT NOT NULL
);

-- kind: 0 track point, 1 route point, 2 waypoint.
CREATE TABLE track_point (
    track_id     INTEGER NOT NULL REFERENCES track(id) ON DELETE CASCADE,
    kind         INTEGER NOT NULL,
    segment      INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    time_ms      INTEGER,
    lon          REAL NOT NULL,
    lat          REAL NOT NULL,
    elevation_m  REAL,
    hdop         REAL,
    pdop         REAL,
    satellites   INTEGER
);
CREATE INDEX track_point_by_track ON track_point(track_id, kind, segment, seq);

CREATE TABLE dive_log (
    id             INTEGER PRIMARY KEY,
    inspection_id  INTEGER REFERENCES inspection(id) ON DELETE SET NULL,
    file           TEXT NOT NULL,
    hash           TEXT NOT NULL UNIQUE,
    format         TEXT NOT NULL,
    imported_at    TEXT NOT NULL
);

CREATE TABLE dive (
    id           INTEGER PRIMARY KEY,
    dive_log_id  INTEGER NOT NULL REFERENCES dive_log(id) ON DELETE CASCADE,
    number       INTEGER,
    start_ms     INTEGER NOT NULL,
    end_ms       INTEGER NOT NULL,
    max_depth_m  REAL NOT NULL,
    site_lon     REAL,
    site_lat     REAL
);

CREATE TABLE dive_sample (
    dive_id  INTEGER NOT NULL REFERENCES dive(id) ON DELETE CASCADE,
    time_ms  INTEGER NOT NULL,
    depth_m  REAL NOT NULL
);
CREATE INDEX dive_sample_by_dive ON dive_sample(dive_id, time_ms);
