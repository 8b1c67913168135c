-- Voussoir field book, schema 9: hardening.
-- API tokens expire; tokens made before this version expire 90 days from
-- now.
ALTER TABLE api_token ADD COLUMN expires_at TEXT;
UPDATE api_token SET expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+90 days');

-- The fingerprint of the bundle an inspection was imported from: the same
-- bundle imported again is recognised.
ALTER TABLE inspection ADD COLUMN received_fingerprint TEXT;

-- Tracks and dive logs are kept per inspection, as photos are since schema
-- 6: the same file in a second version of a submission (or a classmate's)
-- is that inspection's evidence too. The tables are rebuilt with the same
-- ids, children first, so no foreign-key action touches the data.
CREATE TABLE track_v9 (
    id             INTEGER PRIMARY KEY,
    inspection_id  INTEGER REFERENCES inspection(id) ON DELETE SET NULL,
    file           TEXT NOT NULL,
    hash           TEXT NOT NULL,
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
INSERT INTO track_v9 SELECT id, inspection_id, file, hash, format, name, points, timed_points,
    segments, first_time, last_time, length_m, imported_at FROM track;
CREATE TABLE track_point_v9 (
    track_id     INTEGER NOT NULL REFERENCES track_v9(id) ON DELETE CASCADE,
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
INSERT INTO track_point_v9 SELECT track_id, kind, segment, seq, time_ms, lon, lat, elevation_m,
    hdop, pdop, satellites FROM track_point;
DROP TABLE track_point;
DROP TABLE track;
ALTER TABLE track_v9 RENAME TO track;
ALTER TABLE track_point_v9 RENAME TO track_point;
CREATE INDEX track_point_by_track ON track_point(track_id, kind, segment, seq);
CREATE UNIQUE INDEX track_by_inspection_and_hash ON track(ifnull(inspection_id, 0), hash);

CREATE TABLE dive_log_v9 (
    id             INTEGER PRIMARY KEY,
    inspection_id  INTEGER REFERENCES inspection(id) ON DELETE SET NULL,
    file           TEXT NOT NULL,
    hash           TEXT NOT NULL,
    format         TEXT NOT NULL,
    imported_at    TEXT NOT NULL
);
INSERT INTO dive_log_v9 SELECT id, inspection_id, file, hash, format, imported_at FROM dive_log;
CREATE TABLE dive_v9 (
    id           INTEGER PRIMARY KEY,
    dive_log_id  INTEGER NOT NULL REFERENCES dive_log_v9(id) ON DELETE CASCADE,
    number       INTEGER,
    start_ms     INTEGER NOT NULL,
    end_ms       INTEGER NOT NULL,
    max_depth_m  REAL NOT NULL,
    site_lon     REAL,
    site_lat     REAL
);
INSERT INTO dive_v9 SELECT id, dive_log_id, number, start_ms, end_ms, max_depth_m, site_lon,
    site_lat FROM dive;
CREATE TABLE dive_sample_v9 (
    dive_id  INTEGER NOT NULL REFERENCES dive_v9(id) ON DELETE CASCADE,
    time_ms  INTEGER NOT NULL,
    depth_m  REAL NOT NULL
);
INSERT INTO dive_sample_v9 SELECT dive_id, time_ms, depth_m FROM dive_sample;
DROP TABLE dive_sample;
DROP TABLE dive;
DROP TABLE dive_log;
ALTER TABLE dive_log_v9 RENAME TO dive_log;
ALTER TABLE dive_v9 RENAME TO dive;
ALTER TABLE dive_sample_v9 RENAME TO dive_sample;
CREATE INDEX dive_sample_by_dive ON dive_sample(dive_id, time_ms);
CREATE UNIQUE INDEX dive_log_by_inspection_and_hash ON dive_log(ifnull(inspection_id, 0), hash);

-- The interactive map's background (JSON of the course file's [map], with
-- the GeoJSON of its layers), NULL for none.
ALTER TABLE course ADD COLUMN map TEXT;
