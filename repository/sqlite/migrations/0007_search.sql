-- The search index (issue 12): one FTS5 table over the text of every object,
-- and the key-value pairs of map annotations for comparisons. Triggers keep
-- both up to date in the same transaction as every change, so a search never
-- sees a half-made change and a crash leaves index and objects in step.
--
-- search_fts rows are keyed by rowid = object id * 8 + field:
--   0 name (not of links), 1 description, 2 text value (tags, comments),
--   3 the keys and values of a map annotation, 4 an image's channel names,
--   5 a fileset's original file paths.
-- The store resolves matches to the objects users search for (an annotation
-- to the objects it is linked to, a fileset to its images, an attachment's
-- file to the annotation's objects).
CREATE VIRTUAL TABLE search_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');

CREATE TABLE search_kv (
    ann_id INTEGER NOT NULL,
    key    TEXT NOT NULL COLLATE NOCASE,
    value  TEXT NOT NULL COLLATE NOCASE,
    num    REAL
);
CREATE INDEX search_kv_key_num ON search_kv(key, num);
CREATE INDEX search_kv_key_value ON search_kv(key, value);
CREATE INDEX search_kv_ann ON search_kv(ann_id);

-- A number is what a value starts with when it starts like one ("37", "-2.5",
-- "100 ms"); CAST reads the leading number.
CREATE TRIGGER search_object_insert AFTER INSERT ON object BEGIN
    INSERT INTO search_fts(rowid, body) SELECT new.id * 8, new.name WHERE new.name <> '' AND new.class NOT LIKE '%Link';
    INSERT INTO search_fts(rowid, body) SELECT new.id * 8 + 1, new.description WHERE new.description <> '';
    INSERT INTO search_fts(rowid, body) SELECT new.id * 8 + 2, new.text_value WHERE new.text_value <> '';
    INSERT INTO search_kv(ann_id, key, value, num)
        SELECT new.id, COALESCE(json_extract(j.value, '$.key'), ''), COALESCE(json_extract(j.value, '$.value'), ''),
               CASE WHEN ltrim(json_extract(j.value, '$.value')) GLOB '[0-9+.-]*' THEN CAST(json_extract(j.value, '$.value') AS REAL) END
        FROM json_each(CASE WHEN new.class = 'MapAnnotation' AND json_valid(new.attrs) THEN new.attrs ELSE '{}' END, '$.mapValue') j;
    INSERT INTO search_fts(rowid, body)
        SELECT new.id * 8 + 3, group_concat(key || ' ' || value, ' ') FROM search_kv WHERE ann_id = new.id HAVING count(*) > 0;
END;

CREATE TRIGGER search_object_delete AFTER DELETE ON object BEGIN
    DELETE FROM search_fts WHERE rowid BETWEEN old.id * 8 AND old.id * 8 + 7;
    DELETE FROM search_kv WHERE ann_id = old.id;
END;

CREATE TRIGGER search_object_update AFTER UPDATE OF name, description, text_value, attrs, class ON object BEGIN
    DELETE FROM search_fts WHERE rowid BETWEEN old.id * 8 AND old.id * 8 + 3;
    DELETE FROM search_kv WHERE ann_id = old.id;
    INSERT INTO search_fts(rowid, body) SELECT new.id * 8, new.name WHERE new.name <> '' AND new.class NOT LIKE '%Link';
    INSERT INTO search_fts(rowid, body) SELECT new.id * 8 + 1, new.description WHERE new.description <> '';
    INSERT INTO search_fts(rowid, body) SELECT new.id * 8 + 2, new.text_value WHERE new.text_value <> '';
    INSERT INTO search_kv(ann_id, key, value, num)
        SELECT new.id, COALESCE(json_extract(j.value, '$.key'), ''), COALESCE(json_extract(j.value, '$.value'), ''),
               CASE WHEN ltrim(json_extract(j.value, '$.value')) GLOB '[0-9+.-]*' THEN CAST(json_extract(j.value, '$.value') AS REAL) END
        FROM json_each(CASE WHEN new.class = 'MapAnnotation' AND json_valid(new.attrs) THEN new.attrs ELSE '{}' END, '$.mapValue') j;
    INSERT INTO search_fts(rowid, body)
        SELECT new.id * 8 + 3, group_concat(key || ' ' || value, ' ') FROM search_kv WHERE ann_id = new.id HAVING count(*) > 0;
END;

-- Channel names, all of an image's in one row.
CREATE TRIGGER search_channel_insert AFTER INSERT ON channel BEGIN
    DELETE FROM search_fts WHERE rowid = new.image_id * 8 + 4;
    INSERT INTO search_fts(rowid, body)
        SELECT new.image_id * 8 + 4, group_concat(name, ' ') FROM channel WHERE image_id = new.image_id AND name <> '' HAVING count(*) > 0;
END;
CREATE TRIGGER search_channel_update AFTER UPDATE OF name ON channel BEGIN
    DELETE FROM search_fts WHERE rowid = new.image_id * 8 + 4;
    INSERT INTO search_fts(rowid, body)
        SELECT new.image_id * 8 + 4, group_concat(name, ' ') FROM channel WHERE image_id = new.image_id AND name <> '' HAVING count(*) > 0;
END;

-- Original file paths, all of a fileset's in one row.
CREATE TRIGGER search_fileset_entry_insert AFTER INSERT ON fileset_entry BEGIN
    DELETE FROM search_fts WHERE rowid = new.fileset_id * 8 + 5;
    INSERT INTO search_fts(rowid, body)
        SELECT new.fileset_id * 8 + 5, group_concat(client_path, ' ') FROM fileset_entry WHERE fileset_id = new.fileset_id HAVING count(*) > 0;
END;

-- Existing repositories: index what is there.
INSERT INTO search_fts(rowid, body) SELECT id * 8, name FROM object WHERE name <> '' AND class NOT LIKE '%Link';
INSERT INTO search_fts(rowid, body) SELECT id * 8 + 1, description FROM object WHERE description <> '';
INSERT INTO search_fts(rowid, body) SELECT id * 8 + 2, text_value FROM object WHERE text_value <> '';
INSERT INTO search_kv(ann_id, key, value, num)
    SELECT o.id, COALESCE(json_extract(j.value, '$.key'), ''), COALESCE(json_extract(j.value, '$.value'), ''),
           CASE WHEN ltrim(json_extract(j.value, '$.value')) GLOB '[0-9+.-]*' THEN CAST(json_extract(j.value, '$.value') AS REAL) END
    FROM object o, json_each(o.attrs, '$.mapValue') j WHERE o.class = 'MapAnnotation' AND json_valid(o.attrs);
INSERT INTO search_fts(rowid, body) SELECT ann_id * 8 + 3, group_concat(key || ' ' || value, ' ') FROM search_kv GROUP BY ann_id;
INSERT INTO search_fts(rowid, body) SELECT image_id * 8 + 4, group_concat(name, ' ') FROM channel WHERE name <> '' GROUP BY image_id;
INSERT INTO search_fts(rowid, body) SELECT fileset_id * 8 + 5, group_concat(client_path, ' ') FROM fileset_entry GROUP BY fileset_id;
