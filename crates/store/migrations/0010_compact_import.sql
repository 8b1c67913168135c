-- Track points stored compactly: one row per chunk of up to 65,536 points
-- of a segment (kind 0), route (1) or the waypoints (2), encoded as the
-- columns of `track_codec.rs`. The rows of `track_point` are moved into
-- chunks by the migration's Rust step, which then drops that table.
CREATE TABLE track_chunk (
    track_id  INTEGER NOT NULL REFERENCES track(id) ON DELETE CASCADE,
    kind      INTEGER NOT NULL,
    segment   INTEGER NOT NULL,
    chunk     INTEGER NOT NULL,
    points    INTEGER NOT NULL,
    data      BLOB NOT NULL
);
CREATE UNIQUE INDEX track_chunk_order ON track_chunk(track_id, kind, segment, chunk);

-- Where a photo was read from, as an absolute path: its review copy is made
-- from there on first need (export, review) when the book keeps no
-- original.
ALTER TABLE photo ADD COLUMN source_path TEXT;
