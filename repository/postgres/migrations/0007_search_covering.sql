-- A key-value term reads its matching pairs' annotations from the index
-- alone. Migration 2's indexes are on expressions (left(key, 200)), which
-- PostgreSQL never reads without the table's rows: a term on 10,000 pairs
-- fetched 10,000 rows to read their annotations, and a bounded count of a
-- pair on 100,000 images read 18,000 (50 ms at 1,000,000 images). These hold
-- the plain columns and the annotation, so a search reads a term's pairs by
-- an index-only scan. They hold only keys and values of at most 1,000 bytes
-- (a B-tree entry holds at most about 2,700): a search for a longer key or
-- value uses migration 2's indexes, as before (kvCond).
CREATE INDEX search_kv_key_num_ann ON search_kv (key, num) INCLUDE (ann_id)
    WHERE octet_length(key) <= 1000;
CREATE INDEX search_kv_key_value_ann ON search_kv (key, value) INCLUDE (ann_id)
    WHERE octet_length(key) <= 1000 AND octet_length(value) <= 1000;

-- The words of tags and comments (field 2) alone, so that a tag: or
-- comment: term reads only their rows: through search_text_words a term
-- reads every field's rows of its word (tag:confocal, a word on every
-- image's description, read a million rows to find no tag). An index on an
-- expression, not a partial one, as PostgreSQL keeps statistics of an
-- index's expression (and uses none of a partial index): the planner then
-- knows how many tags and comments hold a word (search_annotation_estimate),
-- which search_estimate, for the fields together, does not (it took
-- comment:focus, on 125,000 comments, for 10,000 rows). Rows of other fields
-- are NULL in it, which a GIN index keeps as one placeholder each.
CREATE INDEX search_text_annotation_words ON search_text
    USING gin ((CASE WHEN field = 2 THEN words END));
ANALYZE search_text;

-- search_annotation_estimate is the planner's estimate of the tag and
-- comment rows (field 2) a tsquery matches, from the statistics of the
-- index above (VOLATILE for EXPLAIN, as search_estimate).
CREATE FUNCTION search_annotation_estimate(query tsquery) RETURNS double precision
    LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    plan json;
BEGIN
    EXECUTE format('EXPLAIN (FORMAT JSON) SELECT 1 FROM search_text WHERE (CASE WHEN field = 2 THEN words END) @@ %L::tsquery',
        query) INTO plan;
    RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::double precision;
END
$$;
