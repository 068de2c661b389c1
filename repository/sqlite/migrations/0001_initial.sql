-- Ocular repository schema, version 1.
-- Users and groups, numbered as in OMERO: root = 0, guest = 1; system = 0, user = 1, guest = 2.
CREATE TABLE experimenter (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    first_name    TEXT NOT NULL DEFAULT '',
    last_name     TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    institution   TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    -- JSON array of held privileges for a restricted admin; NULL = full admin (when in system).
    privileges    TEXT,
    default_group INTEGER,
    created       INTEGER NOT NULL
);

CREATE TABLE experimenter_group (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    level       INTEGER NOT NULL CHECK (level BETWEEN 0 AND 3),
    description TEXT NOT NULL DEFAULT '',
    created     INTEGER NOT NULL
);

CREATE TABLE group_member (
    group_id INTEGER NOT NULL REFERENCES experimenter_group(id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES experimenter(id) ON DELETE CASCADE,
    owner    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE INDEX group_member_user ON group_member(user_id);

CREATE TABLE session (
    key     TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES experimenter(id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL,
    created INTEGER NOT NULL,
    expires INTEGER NOT NULL
);

-- Every owned model object: containers, images, wells, annotations, links, files.
-- parent_id/child_id are the link ends, or the structural parent (Well -> Plate).
CREATE TABLE object (
    id          INTEGER PRIMARY KEY,
    class       TEXT NOT NULL,
    owner_id    INTEGER NOT NULL REFERENCES experimenter(id),
    group_id    INTEGER NOT NULL REFERENCES experimenter_group(id),
    created     INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    parent_id   INTEGER REFERENCES object(id),
    child_id    INTEGER REFERENCES object(id),
    ref2_id     INTEGER REFERENCES object(id),
    ns          TEXT NOT NULL DEFAULT '',
    text_value  TEXT NOT NULL DEFAULT '',
    long_value  INTEGER NOT NULL DEFAULT 0,
    attrs       TEXT
);
CREATE INDEX object_group_class ON object(group_id, class, owner_id);
CREATE INDEX object_parent ON object(parent_id, class) WHERE parent_id IS NOT NULL;
CREATE INDEX object_child ON object(child_id, class) WHERE child_id IS NOT NULL;
CREATE INDEX object_ref2 ON object(ref2_id) WHERE ref2_id IS NOT NULL;
-- A link is unique per (class, parent, child).
CREATE UNIQUE INDEX link_unique ON object(class, parent_id, child_id) WHERE class LIKE '%Link';

CREATE TABLE pixels (
    image_id        INTEGER PRIMARY KEY REFERENCES object(id) ON DELETE CASCADE,
    size_x          INTEGER NOT NULL,
    size_y          INTEGER NOT NULL,
    size_z          INTEGER NOT NULL,
    size_c          INTEGER NOT NULL,
    size_t          INTEGER NOT NULL,
    pixel_type      TEXT NOT NULL,
    dimension_order TEXT NOT NULL DEFAULT 'XYZCT',
    physical_x      REAL NOT NULL DEFAULT 0,
    physical_y      REAL NOT NULL DEFAULT 0,
    physical_z      REAL NOT NULL DEFAULT 0,
    time_increment  REAL NOT NULL DEFAULT 0,
    series          INTEGER NOT NULL DEFAULT 0,
    levels          INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE channel (
    image_id   INTEGER NOT NULL REFERENCES object(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    color      INTEGER,           -- packed RGBA, NULL when the file gave none
    excitation REAL NOT NULL DEFAULT 0,
    emission   REAL NOT NULL DEFAULT 0,
    fluor      TEXT NOT NULL DEFAULT '',
    lut        TEXT NOT NULL DEFAULT '',
    stats_min  REAL,
    stats_max  REAL,
    PRIMARY KEY (image_id, idx)
) WITHOUT ROWID;

CREATE TABLE fileset_entry (
    fileset_id  INTEGER NOT NULL REFERENCES object(id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    client_path TEXT NOT NULL,
    repo_path   TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    transfer    TEXT NOT NULL DEFAULT 'copy',
    PRIMARY KEY (fileset_id, idx)
) WITHOUT ROWID;

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
