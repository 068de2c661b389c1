-- A search driven by an annotation (a tag, a key-value pair) reads that
-- annotation's links: the objects they point from, and the links' group and
-- owner for the read rule. This index holds all of it, so a tag on tens of
-- thousands of images gives its readable objects by an index-only scan
-- (object_child would read each link's row).
CREATE INDEX object_child_parent ON object(child_id, parent_id) INCLUDE (class, group_id, owner_id) WHERE child_id IS NOT NULL;
