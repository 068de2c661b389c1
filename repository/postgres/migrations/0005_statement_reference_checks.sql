-- object's references to other objects (parent_id, child_id, ref2_id) and
-- to its group, checked once per statement instead of once per row.
--
-- Why: a foreign key checks each row on its own, in a query of its own.
-- Moving a project of 10,000 images with tags shared across the group
-- deletes 40,000 severed tag links and changes the group of 80,000 rows, in
-- statements of 5,000 rows (bulk.go). Per 5,000 rows, the "is it still
-- named" checks of the three self-references cost about 190 ms of a 265 ms
-- delete, and the group's check about 30 ms of a 90 ms update; one
-- set-based query over the statement's rows does the same in a few ms
-- (docs/benchmarks.md).
--
-- The guarantees are those of the foreign keys replaced (NO ACTION: checked
-- when the statement ends, so rows deleted together may name each other):
-- - an object inserted or updated names only existing objects and an
--   existing group;
-- - an object that another names cannot be deleted, nor its ID changed,
--   unless the object naming it goes in the same statement (or a row with
--   the same ID is there again at its end);
-- - a group that objects are in cannot be deleted nor its ID changed.
-- A violation is an error with SQLSTATE 23503 (foreign_key_violation), the
-- constraint name of the key it replaces and PostgreSQL's own detail
-- ("Key (parent_id)=(7) is not present in table ..."), so errors.go reads
-- it as it read the foreign keys'.
--
-- No row locks: a foreign key's check also locks the row it finds (FOR KEY
-- SHARE), so that another transaction cannot delete it before this one
-- commits. Ocular needs none of that: every write of the store takes the
-- repository's write lock first (Store.Write, pg_advisory_xact_lock), so
-- writes run one after the other and a check sees everything committed
-- before it, with nothing committing under it. SQL run against the
-- database outside Ocular and at the same time, without that lock, is not
-- protected against that race as it was by the foreign keys.
--
-- Upgrading is quick on a big repository: dropping a foreign key and
-- creating triggers rewrite nothing, and nothing needs validating, as the
-- rows satisfied the keys being dropped.
--
-- A statement trigger's queries over transition tables are planned anew on
-- each call (see the search triggers of 0002), so each trigger here runs a
-- single query: a single-row statement, as imports write, pays one small
-- plan (about 8 µs an update; nothing measurable an insert).
ALTER TABLE object
    DROP CONSTRAINT object_parent_id_fkey,
    DROP CONSTRAINT object_child_id_fkey,
    DROP CONSTRAINT object_ref2_id_fkey,
    DROP CONSTRAINT object_group_id_fkey;

-- The errors, worded for people, with PostgreSQL's own detail and the name
-- of the foreign key each check replaces.
CREATE FUNCTION object_ref_missing(holder bigint, col text, ref bigint, tbl text) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', CASE tbl
            WHEN 'object' THEN format('object %s names object %s as its %s, and there is no object %s', holder, ref, col, ref)
            ELSE format('object %s is in group %s, and there is no group %s', holder, ref, ref) END
        USING ERRCODE = 'foreign_key_violation', TABLE = 'object', COLUMN = col,
            CONSTRAINT = 'object_' || col || '_fkey',
            DETAIL = format('Key (%s)=(%s) is not present in table "%s".', col, ref, tbl);
END
$$;

CREATE FUNCTION object_ref_held(gone bigint, holder bigint, col text, tbl text) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', CASE tbl
            WHEN 'object' THEN format('object %s cannot go: object %s still names it as its %s', gone, holder, col)
            ELSE format('group %s cannot go: object %s is still in it', gone, holder) END
        USING ERRCODE = 'foreign_key_violation', TABLE = 'object', COLUMN = col,
            CONSTRAINT = 'object_' || col || '_fkey',
            DETAIL = format('Key (id)=(%s) is still referenced from table "object".', gone);
END
$$;

-- New objects: every reference and the group must exist.
CREATE FUNCTION object_refs_inserted() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT n.id, r.col, r.ref, r.tbl INTO bad
    FROM new_rows n
    CROSS JOIN LATERAL (VALUES
        ('parent_id', n.parent_id, 'object'),
        ('child_id', n.child_id, 'object'),
        ('ref2_id', n.ref2_id, 'object'),
        ('group_id', n.group_id, 'experimenter_group')) AS r(col, ref, tbl)
    WHERE r.ref IS NOT NULL AND CASE r.tbl
        WHEN 'object' THEN NOT EXISTS (SELECT 1 FROM object x WHERE x.id = r.ref)
        ELSE NOT EXISTS (SELECT 1 FROM experimenter_group g WHERE g.id = r.ref) END
    LIMIT 1;
    IF FOUND THEN
        PERFORM object_ref_missing(bad.id, bad.col, bad.ref, bad.tbl);
    END IF;
    RETURN NULL;
END
$$;

-- Changed objects: a reference or group that changed must exist (one that
-- did not change existed before, and still does: its removal was checked);
-- an ID that went (changed, and no row has it now) must be named by none.
CREATE FUNCTION object_refs_updated() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT v.* INTO bad FROM (
        SELECT false AS held, n.id AS holder, r.col, r.ref, r.tbl
        FROM new_rows n
        LEFT JOIN old_rows o ON o.id = n.id
        CROSS JOIN LATERAL (VALUES
            ('parent_id', n.parent_id, o.parent_id, 'object'),
            ('child_id', n.child_id, o.child_id, 'object'),
            ('ref2_id', n.ref2_id, o.ref2_id, 'object'),
            ('group_id', n.group_id, o.group_id, 'experimenter_group')) AS r(col, ref, was, tbl)
        WHERE r.ref IS NOT NULL AND r.ref IS DISTINCT FROM r.was AND CASE r.tbl
            WHEN 'object' THEN NOT EXISTS (SELECT 1 FROM object x WHERE x.id = r.ref)
            ELSE NOT EXISTS (SELECT 1 FROM experimenter_group g WHERE g.id = r.ref) END
        UNION ALL
        SELECT true, h.id, h.col, g.id, 'object'
        FROM (SELECT o.id FROM old_rows o
              WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = o.id)
                AND NOT EXISTS (SELECT 1 FROM object y WHERE y.id = o.id)) AS g
        CROSS JOIN LATERAL (
            (SELECT x.id, 'parent_id' FROM object x WHERE x.parent_id = g.id LIMIT 1)
            UNION ALL (SELECT x.id, 'child_id' FROM object x WHERE x.child_id = g.id LIMIT 1)
            UNION ALL (SELECT x.id, 'ref2_id' FROM object x WHERE x.ref2_id = g.id LIMIT 1)
            LIMIT 1) AS h(id, col)) AS v
    LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    ELSIF bad.held THEN
        PERFORM object_ref_held(bad.ref, bad.holder, bad.col, 'object');
    ELSE
        PERFORM object_ref_missing(bad.holder, bad.col, bad.ref, bad.tbl);
    END IF;
    RETURN NULL;
END
$$;

-- Deleted objects: none may still be named, by a row left after the
-- statement, unless a row with the same ID is there again. (The OFFSET 0
-- keeps that last test, an index probe per row, for the rows found named,
-- instead of the planner running it first for every deleted row.)
CREATE FUNCTION object_refs_deleted() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT s.gone, s.holder, s.col INTO bad FROM (
        SELECT g.id AS gone, h.id AS holder, h.col
        FROM old_rows g
        CROSS JOIN LATERAL (
            (SELECT x.id, 'parent_id' FROM object x WHERE x.parent_id = g.id LIMIT 1)
            UNION ALL (SELECT x.id, 'child_id' FROM object x WHERE x.child_id = g.id LIMIT 1)
            UNION ALL (SELECT x.id, 'ref2_id' FROM object x WHERE x.ref2_id = g.id LIMIT 1)
            LIMIT 1) AS h(id, col)
        OFFSET 0) AS s
    WHERE NOT EXISTS (SELECT 1 FROM object y WHERE y.id = s.gone)
    LIMIT 1;
    IF FOUND THEN
        PERFORM object_ref_held(bad.gone, bad.holder, bad.col, 'object');
    END IF;
    RETURN NULL;
END
$$;

-- Deleted groups, or groups whose ID changed: none may still hold objects.
CREATE FUNCTION group_objects_left() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT g.id AS gone, x.id AS holder INTO bad
    FROM old_rows g
    CROSS JOIN LATERAL (SELECT x.id FROM object x WHERE x.group_id = g.id LIMIT 1) AS x
    WHERE NOT EXISTS (SELECT 1 FROM experimenter_group e WHERE e.id = g.id)
    LIMIT 1;
    IF FOUND THEN
        PERFORM object_ref_held(bad.gone, bad.holder, 'group_id', 'experimenter_group');
    END IF;
    RETURN NULL;
END
$$;

-- TRUNCATE fires no DELETE trigger: emptying the groups while objects are
-- left is refused (checked after the TRUNCATE, so that emptying both in one
-- command is allowed, as it was with the foreign key; its CASCADE, which
-- emptied object too, now stops here instead).
CREATE FUNCTION group_truncated() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    holder bigint;
BEGIN
    SELECT x.id INTO holder FROM object x LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'the groups cannot all go: object % is still in one', holder
            USING ERRCODE = 'foreign_key_violation', TABLE = 'object', COLUMN = 'group_id',
                CONSTRAINT = 'object_group_id_fkey',
                DETAIL = 'Table "experimenter_group" is still referenced from table "object".';
    END IF;
    RETURN NULL;
END
$$;

-- The names say ref_check: they stand in for foreign keys, and like the
-- foreign keys' own triggers they do not fire under session_replication_role
-- = replica (a bulk load that checks afterwards, internal/bigrepo).
CREATE TRIGGER object_ref_check_insert AFTER INSERT ON object
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION object_refs_inserted();
CREATE TRIGGER object_ref_check_update AFTER UPDATE ON object
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION object_refs_updated();
CREATE TRIGGER object_ref_check_delete AFTER DELETE ON object
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION object_refs_deleted();
CREATE TRIGGER group_ref_check_delete AFTER DELETE ON experimenter_group
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION group_objects_left();
CREATE TRIGGER group_ref_check_update AFTER UPDATE ON experimenter_group
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION group_objects_left();
CREATE TRIGGER group_ref_check_truncate AFTER TRUNCATE ON experimenter_group
    FOR EACH STATEMENT EXECUTE FUNCTION group_truncated();
