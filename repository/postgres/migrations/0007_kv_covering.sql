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
