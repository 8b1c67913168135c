-- Voussoir field book, schema 6: the phone capture app.
--
-- Photos are keyed by (inspection, hash): the same picture may belong to
-- several inspections (a trainee's draft and each version handed in), and
-- its copies in media/ stay shared by hash. `capture_id` is the device's
-- id of a photo taken in the app, so that a resend is recognised.

CREATE TABLE photo_v6 (
    id                    INTEGER PRIMARY KEY,
    hash                  TEXT NOT NULL,
    inspection_id         INTEGER REFERENCES inspection(id) ON DELETE CASCADE,
    capture_id            TEXT,
    file                  TEXT NOT NULL,
    format                TEXT NOT NULL,
    bytes                 INTEGER NOT NULL,
    width                 INTEGER,
    height                INTEGER,
    make                  TEXT,
    model                 TEXT,
    orientation           INTEGER NOT NULL DEFAULT 1,
    camera_time           TEXT,
    camera_offset         TEXT,
    exif_lon              REAL,
    exif_lat              REAL,
    exif_altitude_m       REAL,
    exif_accuracy_m       REAL,
    metadata_notes        TEXT NOT NULL DEFAULT '[]',
    taken_at              TEXT,
    lon                   REAL,
    lat                   REAL,
    elevation_m           REAL,
    accuracy_m            REAL,
    position_source       TEXT NOT NULL DEFAULT 'none',
    position_note         TEXT,
    depth_m               REAL,
    underwater            INTEGER NOT NULL DEFAULT 0,
    component             TEXT,
    component_distance_m  REAL,
    thumbnail             TEXT,
    review                TEXT,
    original              TEXT,
    imported_at           TEXT NOT NULL,
    placed                INTEGER NOT NULL DEFAULT 1
);
INSERT INTO photo_v6 (hash, inspection_id, file, format, bytes, width, height, make, model,
    orientation, camera_time, camera_offset, exif_lon, exif_lat, exif_altitude_m,
    exif_accuracy_m, metadata_notes, taken_at, lon, lat, elevation_m, accuracy_m,
    position_source, position_note, depth_m, underwater, component, component_distance_m,
    thumbnail, review, original, imported_at, placed)
SELECT hash, inspection_id, file, format, bytes, width, height, make, model,
    orientation, camera_time, camera_offset, exif_lon, exif_lat, exif_altitude_m,
    exif_accuracy_m, metadata_notes, taken_at, lon, lat, elevation_m, accuracy_m,
    position_source, position_note, depth_m, underwater, component, component_distance_m,
    thumbnail, review, original, imported_at, placed
FROM photo;
DROP TABLE photo;
ALTER TABLE photo_v6 RENAME TO photo;
-- One row per picture and inspection (a photo of no inspection counts
-- as inspection 0, so that it too is stored once).
CREATE UNIQUE INDEX photo_identity ON photo(ifnull(inspection_id, 0), hash);
CREATE INDEX photo_by_inspection ON photo(inspection_id);
CREATE INDEX photo_by_hash ON photo(hash);
CREATE UNIQUE INDEX photo_by_capture ON photo(inspection_id, capture_id) WHERE capture_id IS NOT NULL;

-- The inspector's own grades: per component or part and for the structure
-- (target `structure`), in the scheme of the inspection.
CREATE TABLE own_grade (
    inspection_id  INTEGER NOT NULL REFERENCES inspection(id) ON DELETE CASCADE,
    target         TEXT NOT NULL,
    grade          TEXT NOT NULL,
    updated_ms     INTEGER NOT NULL,         -- the device's edit time, UTC ms
    PRIMARY KEY (inspection_id, target)
);

-- An inspection recorded in the capture app, by its id on the device.
-- `inspection_id` is the trainee's working copy on the server; handing it
-- in copies it into a submission.
CREATE TABLE capture_inspection (
    capture_id     TEXT PRIMARY KEY,
    trainee_id     INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
    inspection_id  INTEGER NOT NULL UNIQUE REFERENCES inspection(id) ON DELETE CASCADE,
    edited_ms      INTEGER NOT NULL
);

-- A defect recorded in the capture app, by its id on the device, with the
-- device's edit time: the newest edit wins; a deletion is kept as a
-- tombstone so that an older edit from another device cannot bring the
-- defect back.
CREATE TABLE capture_defect (
    capture_id     TEXT PRIMARY KEY,
    inspection_id  INTEGER NOT NULL REFERENCES inspection(id) ON DELETE CASCADE,
    defect_id      INTEGER REFERENCES defect(id) ON DELETE SET NULL,
    edited_ms      INTEGER NOT NULL,         -- the device's edit time, UTC ms
    deleted        INTEGER NOT NULL DEFAULT 0
);
