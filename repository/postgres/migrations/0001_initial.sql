-- Ocular's PostgreSQL schema, version 1: the SQLite repository's schema
-- after its migrations 0001-0006, with the same tables and columns, so a
-- repository can be copied from one engine to the other table by table.
-- Times are milliseconds since 1970 (bigint), as SQLite stores them, so they
-- round-trip exactly; attributes and privileges are JSON text, as there.
--
-- Users and groups, numbered as in OMERO: root = 0, guest = 1; system = 0,
-- user = 1, guest = 2. New users and groups take the largest ID + 1, as in
-- SQLite (writes are serial, see store.go).
CREATE TABLE experimenter (
    id            bigint PRIMARY KEY,
    username      text NOT NULL UNIQUE,
    first_name    text NOT NULL DEFAULT '',
    last_name     text NOT NULL DEFAULT '',
    email         text NOT NULL DEFAULT '',
    institution   text NOT NULL DEFAULT '',
    password_hash text NOT NULL DEFAULT '',
    -- JSON array of held privileges for a restricted admin; NULL = full admin (when in system).
    privileges    text,
    default_group bigint,
    created       bigint NOT NULL
);

CREATE TABLE experimenter_group (
    id          bigint PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    level       integer NOT NULL CHECK (level BETWEEN 0 AND 3),
    description text NOT NULL DEFAULT '',
    created     bigint NOT NULL
);

CREATE TABLE group_member (
    group_id bigint NOT NULL REFERENCES experimenter_group(id) ON DELETE CASCADE,
    user_id  bigint NOT NULL REFERENCES experimenter(id) ON DELETE CASCADE,
    -- 1 when the user is an owner (PI) of the group, as in SQLite.
    owner    integer NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_member_user ON group_member(user_id);

-- Session keys are stored as the hex SHA-256 of the key, never the key.
CREATE TABLE session (
    key_hash text PRIMARY KEY,
    user_id  bigint NOT NULL REFERENCES experimenter(id) ON DELETE CASCADE,
    group_id bigint NOT NULL,
    created  bigint NOT NULL,
    expires  bigint NOT NULL
);

-- Object IDs are never reused, as in OMERO: users and scripts name objects
-- by ID, and caches (thumbnails, pyramids) are keyed by it. A sequence never
-- goes back (a rolled-back transaction leaves a gap, which is harmless).
-- A copy from SQLite sets it from SQLite's id_sequence row 'object':
-- SELECT setval('object_id_seq', next, false).
CREATE SEQUENCE object_id_seq AS bigint START WITH 1;

-- Every owned model object: containers, images, wells, annotations, links, files.
-- parent_id/child_id are the link ends, or the structural parent (Well -> Plate).
CREATE TABLE object (
    id          bigint PRIMARY KEY DEFAULT nextval('object_id_seq'),
    class       text NOT NULL,
    owner_id    bigint NOT NULL REFERENCES experimenter(id),
    group_id    bigint NOT NULL REFERENCES experimenter_group(id),
    created     bigint NOT NULL,
    updated     bigint NOT NULL,
    name        text NOT NULL DEFAULT '',
    description text NOT NULL DEFAULT '',
    parent_id   bigint REFERENCES object(id),
    child_id    bigint REFERENCES object(id),
    ref2_id     bigint REFERENCES object(id),
    ns          text NOT NULL DEFAULT '',
    text_value  text NOT NULL DEFAULT '',
    long_value  bigint NOT NULL DEFAULT 0,
    attrs       text
);
ALTER SEQUENCE object_id_seq OWNED BY object.id;
CREATE INDEX object_group_class ON object(group_id, class, owner_id);
CREATE INDEX object_parent ON object(parent_id, class) WHERE parent_id IS NOT NULL;
CREATE INDEX object_child ON object(child_id, class) WHERE child_id IS NOT NULL;
CREATE INDEX object_ref2 ON object(ref2_id) WHERE ref2_id IS NOT NULL;
-- A link is unique per (class, parent, child).
CREATE UNIQUE INDEX link_unique ON object(class, parent_id, child_id) WHERE class LIKE '%Link';

CREATE TABLE pixels (
    image_id        bigint PRIMARY KEY REFERENCES object(id) ON DELETE CASCADE,
    size_x          bigint NOT NULL,
    size_y          bigint NOT NULL,
    size_z          bigint NOT NULL,
    size_c          bigint NOT NULL,
    size_t          bigint NOT NULL,
    pixel_type      text NOT NULL,
    dimension_order text NOT NULL DEFAULT 'XYZCT',
    physical_x      double precision NOT NULL DEFAULT 0,
    physical_y      double precision NOT NULL DEFAULT 0,
    physical_z      double precision NOT NULL DEFAULT 0,
    time_increment  double precision NOT NULL DEFAULT 0,
    series          bigint NOT NULL DEFAULT 0,
    levels          bigint NOT NULL DEFAULT 1
);

CREATE TABLE channel (
    image_id   bigint NOT NULL REFERENCES object(id) ON DELETE CASCADE,
    idx        bigint NOT NULL,
    name       text NOT NULL DEFAULT '',
    color      bigint,           -- packed RGBA, NULL when the file gave none
    excitation double precision NOT NULL DEFAULT 0,
    emission   double precision NOT NULL DEFAULT 0,
    fluor      text NOT NULL DEFAULT '',
    lut        text NOT NULL DEFAULT '',
    stats_min  double precision,
    stats_max  double precision,
    PRIMARY KEY (image_id, idx)
);

CREATE TABLE fileset_entry (
    fileset_id  bigint NOT NULL REFERENCES object(id) ON DELETE CASCADE,
    idx         bigint NOT NULL,
    client_path text NOT NULL,
    repo_path   text NOT NULL,
    size        bigint NOT NULL,
    sha256      text NOT NULL,
    transfer    text NOT NULL DEFAULT 'copy',
    PRIMARY KEY (fileset_id, idx)
);
-- Find earlier imports of a file by where it came from (--skip-existing, watch stations).
CREATE INDEX fileset_entry_client_path ON fileset_entry(client_path);

-- Repository-wide settings; schema_version is this schema's number.
CREATE TABLE meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- Import-station state: one row per watched file, so every file is imported
-- exactly once across restarts and failures are retried and then reported.
-- attempt_started is the open attempt's start (0: none); fileset_mark the
-- newest fileset imported from the path before it; crashes counts the
-- attempts that crashed or timed out.
CREATE TABLE watch_record (
    station         text NOT NULL,
    path            text NOT NULL,
    owner_id        bigint NOT NULL REFERENCES experimenter(id),
    size            bigint NOT NULL,
    mtime           bigint NOT NULL,
    status          text NOT NULL CHECK (status IN ('pending', 'imported', 'failed')),
    attempts        bigint NOT NULL DEFAULT 0,
    last_error      text NOT NULL DEFAULT '',
    next_try        bigint NOT NULL DEFAULT 0,
    result          text NOT NULL DEFAULT '',
    updated         bigint NOT NULL,
    attempt_started bigint NOT NULL DEFAULT 0,
    fileset_mark    bigint NOT NULL DEFAULT 0,
    crashes         bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (station, path)
);
