-- Voussoir field book, schema 4: the photos that show each defect, by file
-- name (photos may be imported after the defects that cite them).

CREATE TABLE defect_photo (
    defect_id   INTEGER NOT NULL REFERENCES defect(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    photo_name  TEXT NOT NULL,
    PRIMARY KEY (defect_id, seq)
);
