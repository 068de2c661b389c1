-- Object IDs are never reused, as in OMERO: users and scripts name objects by
-- ID, and caches (thumbnails, pyramids) are keyed by it. SQLite would give a
-- new row the largest existing ID + 1, handing a deleted newest object's ID to
-- the next one; CreateObject takes IDs from this sequence instead.
CREATE TABLE id_sequence (
    name TEXT PRIMARY KEY,
    next INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO id_sequence (name, next) SELECT 'object', COALESCE(MAX(id), 0) + 1 FROM object;
