package postgres

import (
	"encoding/json"
	"fmt"

	"github.com/ocular-lab/ocular/core"
)

// Bulk loading and changes for graph operations. A move or a delete of a
// project of 10,000 images touches 130,000 rows in one transaction: one
// statement handles a batch of IDs bound as one array (= ANY($1)).

// bulkBatch bounds the IDs of one bulk statement: large enough that a
// round trip's cost vanishes, small enough that a failed batch is cheap to
// examine and a statement's memory on the server stays bounded.
const bulkBatch = 5000

// inBatches calls fn with consecutive runs of at most size ids.
func inBatches(ids []core.ID, size int, fn func([]core.ID) error) error {
	for start := 0; start < len(ids); start += size {
		if err := fn(ids[start:min(start+size, len(ids))]); err != nil {
			return err
		}
	}
	return nil
}

// distinct counts the different ids of a batch, to compare with the rows a
// statement affected.
func distinct(ids []core.ID) int {
	seen := make(map[core.ID]struct{}, len(ids))
	for _, id := range ids {
		seen[id] = struct{}{}
	}
	return len(seen)
}

// missing names the first of ids that is not in the object table.
func (t *txn) missing(op string, ids []core.ID) error {
	rows, err := t.tx.Query(t.ctx, "SELECT id FROM object WHERE id = ANY($1)", int64s(ids))
	if err != nil {
		return dbErr(op, err)
	}
	defer rows.Close()
	found := make(map[core.ID]bool, len(ids))
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return dbErr(op, err)
		}
		found[core.ID(id)] = true
	}
	if err := rows.Err(); err != nil {
		return dbErr(op, err)
	}
	for _, id := range ids {
		if !found[id] {
			return core.Errorf(op, core.NotFound, "object %d not found", id)
		}
	}
	return core.Errorf(op, core.Conflict, "the objects changed while they were being updated; try again")
}

func (t *txn) SetObjectsGroup(ids []core.ID, group core.ID) error {
	return t.setColumn("move", "group_id", ids, group)
}

func (t *txn) SetObjectsOwner(ids []core.ID, owner core.ID) error {
	return t.setColumn("give", "owner_id", ids, owner)
}

// setColumn sets the owner or group column of objects and stamps them
// updated, as UpdateObject does.
func (t *txn) setColumn(op, col string, ids []core.ID, v core.ID) error {
	stamp := ms(now())
	return inBatches(ids, bulkBatch, func(b []core.ID) error {
		tag, err := t.tx.Exec(t.ctx, "UPDATE object SET "+col+" = $1, updated = $2 WHERE id = ANY($3)", int64(v), stamp, int64s(b))
		if err != nil {
			return dbErr(op, err)
		}
		if int(tag.RowsAffected()) != distinct(b) {
			return t.missing(op, b)
		}
		return nil
	})
}

func (t *txn) DeleteObjects(ids []core.ID) error {
	return inBatches(ids, bulkBatch, func(b []core.ID) error {
		arr := int64s(b)
		// An object that something outside this batch still refers to is a
		// Conflict, named before anything of the batch goes: the foreign-key
		// error would abort the transaction without saying which object.
		// (Objects of earlier batches are gone already; those of this batch
		// may refer to each other.)
		var held int64
		err := t.tx.QueryRow(t.ctx, `SELECT x.id FROM unnest($1::bigint[]) AS x(id) WHERE EXISTS (
			SELECT 1 FROM object r WHERE (r.parent_id = x.id OR r.child_id = x.id OR r.ref2_id = x.id) AND r.id <> ALL($1)) LIMIT 1`, arr).Scan(&held)
		switch {
		case err == nil:
			return core.Errorf("delete", core.Conflict, "object %d is still linked to or contains other objects; delete or unlink those first", held)
		case !errNoRows(err):
			return dbErr("delete", err)
		}
		// RETURNING names what went, so that a missing object can be named
		// (afterwards it is as absent as the deleted ones).
		rows, err := t.tx.Query(t.ctx, "DELETE FROM object WHERE id = ANY($1) RETURNING id", arr)
		if err != nil {
			return dbErr("delete", err)
		}
		defer rows.Close()
		deleted := make(map[core.ID]bool, len(b))
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return dbErr("delete", err)
			}
			deleted[core.ID(id)] = true
		}
		if err := rows.Err(); err != nil {
			return dbErr("delete", err)
		}
		if len(deleted) != distinct(b) {
			for _, id := range b {
				if !deleted[id] {
					return core.Errorf("delete", core.NotFound, "object %d not found", id)
				}
			}
		}
		return nil
	})
}

// GraphObjects reads a group's objects without the columns planning does
// not use, and decodes attributes only for withAttrs.
func (t *txn) GraphObjects(group core.ID, withAttrs []core.Class) ([]*core.Object, error) {
	const op = "load the group's objects"
	var n int
	if err := t.tx.QueryRow(t.ctx, "SELECT count(*) FROM object WHERE group_id = $1", int64(group)).Scan(&n); err != nil {
		return nil, dbErr(op, err)
	}
	return t.graphRows(op, n, "SELECT "+graphCols+" FROM object WHERE group_id = $1 ORDER BY id", int64(group), classNames(withAttrs))
}

// graphCols are the columns planning reads; the attributes only of the
// classes in $2 (a text array).
const graphCols = "id, class, owner_id, group_id, name, parent_id, child_id, ref2_id, ns, text_value, long_value, CASE WHEN class = ANY($2) THEN attrs END"

// graphRows runs a query selecting graphCols and decodes its rows,
// allocating objects a thousand at a time.
func (t *txn) graphRows(op string, sizeHint int, query string, args ...any) ([]*core.Object, error) {
	rows, err := t.tx.Query(t.ctx, query, args...)
	if err != nil {
		return nil, dbErr(op, err)
	}
	defer rows.Close()
	out := make([]*core.Object, 0, sizeHint)
	var slab []core.Object
	var r objectRow
	dest := []any{&r.id, &r.class, &r.owner, &r.group, &r.name, &r.parent, &r.child, &r.ref2, &r.ns, &r.text, &r.long, &r.attrs}
	for rows.Next() {
		r.parent, r.child, r.ref2, r.attrs = nil, nil, nil, nil
		if err := rows.Scan(dest...); err != nil {
			return nil, dbErr(op, err)
		}
		if len(slab) == 0 {
			slab = make([]core.Object, 1024)
		}
		o := &slab[0]
		slab = slab[1:]
		o.ID, o.Class = core.ID(r.id), core.Class(r.class)
		o.Owner, o.Group = core.ID(r.owner), core.ID(r.group)
		o.Name = r.name
		o.Parent, o.Child, o.Ref2 = deref(r.parent), deref(r.child), deref(r.ref2)
		o.Ns, o.TextValue, o.LongValue = r.ns, r.text, r.long
		if r.attrs != nil && *r.attrs != "" {
			if err := json.Unmarshal([]byte(*r.attrs), &o.Attrs); err != nil {
				return nil, dbErr(op, fmt.Errorf("%s has unreadable attributes: %w", o.Ref, err))
			}
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, dbErr(op, err)
	}
	return out, nil
}

func compareIDs(a, b core.ID) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (t *txn) FilesetEntriesOf(filesets []core.ID) (map[core.ID][]core.FilesetEntry, error) {
	out := make(map[core.ID][]core.FilesetEntry, len(filesets))
	err := inBatches(filesets, bulkBatch, func(b []core.ID) error {
		es, err := t.filesetEntries("fileset_id = ANY($1)", int64s(b))
		for _, e := range es {
			out[e.Fileset] = append(out[e.Fileset], e)
		}
		return err
	})
	return out, err
}
