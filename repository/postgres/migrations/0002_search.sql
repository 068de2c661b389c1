-- The search index (issue 13 §1): the text the SQLite repository's FTS5
-- index holds (its migration 7), in PostgreSQL's full-text search, and the
-- key-value pairs of map annotations for comparisons. Triggers keep both up
-- to date in the same transaction as every change, so a search never sees
-- a half-made change.
--
-- search_text has one row per object and field:
--   0 name (not of links), 1 description, 2 text value (tags, comments),
--   3 the keys and values of a map annotation, 4 an image's channel names,
--   5 a fileset's original file paths.
-- The store resolves matches to the objects users search for (search.go).
CREATE TABLE search_text (
    object_id bigint   NOT NULL,
    field     smallint NOT NULL,
    words     tsvector NOT NULL,
    PRIMARY KEY (object_id, field)
);
CREATE INDEX search_text_words ON search_text USING gin (words);

-- key and value are folded to lower case, as they compare without case
-- (SQLite's NOCASE); num is the number the value starts with, if any. The
-- indexes hold the first 200 characters: a B-tree refuses longer entries,
-- and a pasted paragraph as a value must not make its annotation unsavable.
CREATE TABLE search_kv (
    ann_id bigint NOT NULL,
    key    text NOT NULL,
    value  text NOT NULL,
    num    double precision
);
CREATE INDEX search_kv_key_num ON search_kv (left(key, 200), num);
CREATE INDEX search_kv_key_value ON search_kv (left(key, 200), left(value, 200));
CREATE INDEX search_kv_ann ON search_kv (ann_id);

-- search_words splits a text into words as FTS5's unicode61 tokenizer with
-- remove_diacritics 2 does: letters and digits of any script make words,
-- everything else separates them; case and the diacritics of Latin letters
-- are dropped ("Café" is "cafe"). The character classes are spelled out,
-- not taken from the locale, so that a database created with the C locale
-- splits as one created with en_US.UTF-8 does. Queries go through the same
-- function (search.go), so a query's words always meet the index's.
-- Only the first 150,000 characters of a text are indexed (a tsvector holds
-- at most 1 MB), so no text makes its object unsavable.
CREATE FUNCTION search_words(body text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_remove(regexp_split_to_array(lower(CASE
        WHEN octet_length(t) = length(t) THEN t -- ASCII: nothing to fold, and translate is slow
        ELSE translate(regexp_replace(t, '[\u0300-\u036F]+', '', 'g'),
            'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ',
            'aaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddeeeeeeeeeegggggggghhiiiiiiiiijjkkllllllnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzzoouuaaiioouuuuuuuuuuaaaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyyaabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwyaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy') END),
        '[^0-9a-z\u00AA\u00B2\u00B3\u00B5\u00B9\u00BA\u00BC-\u00BE\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u1FFF\u2070-\u2079\u207F-\u2089\u2090-\u209C\u2100-\u218F\u2460-\u24FF\u2C00-\u2DFF\u3005-\u3007\u3021-\u3029\u3031-\u3035\u3038-\u303C\u3040-\uFDFF\uFE70-\uFEFF\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\uFF66-\uFFDC\U00010000-\U0001EFFF\U00020000-\U0010FFFF]+'),
        '')
    FROM (SELECT left(body, 150000) AS t) s
$$;

-- search_vector is the tsvector of a text: its words at their positions
-- (phrases match consecutive words), built without PostgreSQL's parser,
-- which would read "a/b.tif" as one file name and "GFP-tagged" as three
-- words. NULL when the text has no word. A word longer than 255 characters
-- is left out (a lexeme holds at most 2 kB); positions past 16,383 (the most
-- a tsvector records) all count as 16,383.
CREATE FUNCTION search_vector(body text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT string_agg('''' || w || ''':' || least(i, 16383), ' ')::tsvector
    FROM unnest(search_words(body)) WITH ORDINALITY AS u(w, i)
    WHERE length(w) <= 255
$$;

-- search_query is the tsquery of a search term's words: split as the index
-- splits text, one phrase (a term's words are consecutive: "GFP-tagged" is
-- "GFP tagged"), the last word a prefix when asked. NULL, which matches
-- nothing, when they hold no word the index could hold.
CREATE FUNCTION search_query(words text, prefix boolean) RETURNS tsquery
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN cardinality(ws) > 0 AND NOT EXISTS (SELECT 1 FROM unnest(ws) w WHERE length(w) > 255) THEN
        (array_to_string(ARRAY(SELECT '''' || w || '''' FROM unnest(ws) WITH ORDINALITY AS u(w, i) ORDER BY i), ' <-> ')
            || CASE WHEN prefix THEN ':*' ELSE '' END)::tsquery
        END
    FROM (SELECT search_words(words) AS ws) s
$$;

-- search_estimate is the planner's estimate of the index rows in the given
-- fields ('{0,1,4}') a tsquery matches, from the statistics ANALYZE keeps
-- of the most common words: a search tells a word on every image from a
-- rare one before counting, as a GIN index cannot stop a count early.
-- (VOLATILE only because PostgreSQL allows EXPLAIN in no other function;
-- it changes nothing.)
CREATE FUNCTION search_estimate(query tsquery, fields text) RETURNS double precision
    LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    plan json;
BEGIN
    EXECUTE format('EXPLAIN (FORMAT JSON) SELECT 1 FROM search_text WHERE words @@ %L::tsquery AND field = ANY (%L::smallint[])',
        query, fields) INTO plan;
    RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::double precision;
END
$$;

-- search_number reads the number a value starts with, as SQLite's
-- CAST(value AS REAL) does where the SQLite index uses it: NULL unless the
-- value starts (after spaces) with a digit, a sign or a point; 0 when no
-- digits follow ("-", "."); the leading number otherwise ("100 ms" is 100,
-- "1e3x" is 1000). A number too large or too small for a double is
-- infinite or 0 rather than an error, so no value makes its annotation
-- unsavable; only such rare values pay for the exception block.
CREATE FUNCTION search_number(v text) RETURNS double precision
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    -- sign, integer digits, fraction digits, exponent
    m text[];
    magnitude numeric;
BEGIN
    IF v !~ '^ *[0-9+.-]' THEN
        RETURN NULL;
    END IF;
    m := regexp_match(left(v, 1000), '^ *([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?');
    m[3] := coalesce(m[3], '');
    IF m[2] = '' AND m[3] = '' THEN
        RETURN 0;
    END IF;
    IF m[4] IS NULL AND length(m[2]) + length(m[3]) <= 300 THEN
        RETURN (m[1] || '0' || m[2] || '.' || m[3] || '0')::double precision;
    END IF;
    BEGIN
        RETURN (m[1] || '0' || m[2] || '.' || m[3] || '0e' || coalesce(m[4], '0'))::double precision;
    EXCEPTION WHEN numeric_value_out_of_range OR invalid_text_representation THEN
        IF ltrim(m[2] || m[3], '0') = '' THEN
            RETURN 0;
        END IF;
        -- Too large or too small: the decimal exponent of the first
        -- significant digit says which.
        magnitude := coalesce(m[4]::numeric, 0) + CASE
            WHEN ltrim(m[2], '0') <> '' THEN length(ltrim(m[2], '0'))
            ELSE length(ltrim(m[3], '0')) - length(m[3]) END;
        IF magnitude > 0 THEN
            RETURN (m[1] || 'Infinity')::double precision;
        END IF;
        RETURN 0;
    END;
END
$$;

-- search_pairs are the key-value pairs of a map annotation's attributes, in
-- order; none for any other object.
CREATE FUNCTION search_pairs(class text, attrs text) RETURNS TABLE (key text, value text, ord bigint)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(e.j ->> 'key', ''), coalesce(e.j ->> 'value', ''), e.ord
    FROM jsonb_array_elements(CASE
        WHEN class = 'MapAnnotation' AND jsonb_typeof(attrs::jsonb -> 'mapValue') = 'array' THEN attrs::jsonb -> 'mapValue'
        ELSE '[]' END) WITH ORDINALITY AS e(j, ord)
$$;

-- The triggers are row triggers, as SQLite's: a statement trigger with
-- transition tables costs PostgreSQL a new plan for each of its statements
-- on every call, which made each single-row insert (how imports write)
-- four times slower than all of this. Only deletions, which come in
-- batches, are indexed per statement.
--
-- Objects: index a new object, or one whose text changed (a chgrp or chown
-- of 100,000 images reindexes nothing).
CREATE FUNCTION search_object_written() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM search_text WHERE object_id = OLD.id AND field <= 3;
        DELETE FROM search_kv WHERE ann_id = OLD.id;
    END IF;
    -- Links, half of all objects, have no text: skip the statement.
    IF (NEW.name <> '' AND NEW.class NOT LIKE '%Link') OR NEW.description <> '' OR NEW.text_value <> '' THEN
        INSERT INTO search_text (object_id, field, words)
            SELECT NEW.id, f.field, f.words
            FROM (VALUES
                (0, CASE WHEN NEW.name <> '' AND NEW.class NOT LIKE '%Link' THEN search_vector(NEW.name) END),
                (1, CASE WHEN NEW.description <> '' THEN search_vector(NEW.description) END),
                (2, CASE WHEN NEW.text_value <> '' THEN search_vector(NEW.text_value) END)) AS f(field, words)
            WHERE f.words IS NOT NULL;
    END IF;
    IF NEW.class = 'MapAnnotation' THEN
        INSERT INTO search_kv (ann_id, key, value, num)
            SELECT NEW.id, lower(p.key), lower(p.value), search_number(p.value)
            FROM search_pairs(NEW.class, NEW.attrs) p;
        INSERT INTO search_text (object_id, field, words)
            SELECT NEW.id, 3, s.words FROM (
                SELECT search_vector(string_agg(p.key || ' ' || p.value, ' ' ORDER BY p.ord)) AS words
                FROM search_pairs(NEW.class, NEW.attrs) p) s
            WHERE s.words IS NOT NULL;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION search_objects_deleted() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM search_text WHERE object_id IN (SELECT id FROM old_rows);
    DELETE FROM search_kv WHERE ann_id IN (SELECT id FROM old_rows);
    RETURN NULL;
END
$$;

CREATE TRIGGER search_object_insert AFTER INSERT ON object
    FOR EACH ROW EXECUTE FUNCTION search_object_written();
CREATE TRIGGER search_object_update AFTER UPDATE OF name, description, text_value, attrs, class ON object
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.description IS DISTINCT FROM NEW.description
        OR OLD.text_value IS DISTINCT FROM NEW.text_value OR OLD.attrs IS DISTINCT FROM NEW.attrs OR OLD.class IS DISTINCT FROM NEW.class)
    EXECUTE FUNCTION search_object_written();
CREATE TRIGGER search_object_delete AFTER DELETE ON object
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_objects_deleted();

-- Channel names, all of an image's in one row, in channel order; and
-- original file paths, all of a fileset's in one row. As in SQLite, they
-- go when their image or fileset goes.
CREATE FUNCTION search_channels_written() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM search_text WHERE object_id = NEW.image_id AND field = 4;
    INSERT INTO search_text (object_id, field, words)
        SELECT NEW.image_id, 4, s.words FROM (
            SELECT search_vector(string_agg(c.name, ' ' ORDER BY c.idx)) AS words
            FROM channel c WHERE c.image_id = NEW.image_id AND c.name <> '') s
        WHERE s.words IS NOT NULL;
    RETURN NULL;
END
$$;

CREATE TRIGGER search_channel_insert AFTER INSERT ON channel
    FOR EACH ROW EXECUTE FUNCTION search_channels_written();
CREATE TRIGGER search_channel_update AFTER UPDATE OF name ON channel
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION search_channels_written();

CREATE FUNCTION search_fileset_entry_added() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM search_text WHERE object_id = NEW.fileset_id AND field = 5;
    INSERT INTO search_text (object_id, field, words)
        SELECT NEW.fileset_id, 5, s.words FROM (
            SELECT search_vector(string_agg(e.client_path, ' ' ORDER BY e.idx)) AS words
            FROM fileset_entry e WHERE e.fileset_id = NEW.fileset_id) s
        WHERE s.words IS NOT NULL;
    RETURN NULL;
END
$$;

CREATE TRIGGER search_fileset_entry_insert AFTER INSERT ON fileset_entry
    FOR EACH ROW EXECUTE FUNCTION search_fileset_entry_added();

-- Existing repositories: index what is there.
INSERT INTO search_text (object_id, field, words)
    SELECT o.id, f.field, f.words
    FROM object o CROSS JOIN LATERAL (VALUES
        (0, CASE WHEN o.name <> '' AND o.class NOT LIKE '%Link' THEN search_vector(o.name) END),
        (1, CASE WHEN o.description <> '' THEN search_vector(o.description) END),
        (2, CASE WHEN o.text_value <> '' THEN search_vector(o.text_value) END)) AS f(field, words)
    WHERE f.words IS NOT NULL;
INSERT INTO search_kv (ann_id, key, value, num)
    SELECT o.id, lower(p.key), lower(p.value), search_number(p.value)
    FROM object o CROSS JOIN LATERAL search_pairs(o.class, o.attrs) p
    WHERE o.class = 'MapAnnotation';
INSERT INTO search_text (object_id, field, words)
    SELECT o.id, 3, s.words
    FROM object o CROSS JOIN LATERAL (
        SELECT search_vector(string_agg(p.key || ' ' || p.value, ' ' ORDER BY p.ord)) AS words
        FROM search_pairs(o.class, o.attrs) p) s
    WHERE o.class = 'MapAnnotation' AND s.words IS NOT NULL;
INSERT INTO search_text (object_id, field, words)
    SELECT c.image_id, 4, search_vector(string_agg(c.name, ' ' ORDER BY c.idx))
    FROM channel c WHERE c.name <> '' GROUP BY c.image_id
    HAVING search_vector(string_agg(c.name, ' ' ORDER BY c.idx)) IS NOT NULL;
INSERT INTO search_text (object_id, field, words)
    SELECT e.fileset_id, 5, search_vector(string_agg(e.client_path, ' ' ORDER BY e.idx))
    FROM fileset_entry e GROUP BY e.fileset_id
    HAVING search_vector(string_agg(e.client_path, ' ' ORDER BY e.idx)) IS NOT NULL;
