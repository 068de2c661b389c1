package sqlite

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

// Bulk loading and changes for graph operations. A move or a delete of a
// project of 10,000 images touches 130,000 rows in one transaction; one
// statement per row spent most of its time preparing statements and
// checking foreign keys one row at a time. Here one statement handles up
// to batchSize rows.

// batchSize bounds the IDs bound to one statement (SQLite allows 32,766
// variables; a few hundred already amortise the statement's cost).
const batchSize = 500

// idArgs appends ids to the leading arguments of a statement.
func idArgs(lead []any, ids []core.ID) []any {
	out := make([]any, 0, len(lead)+len(ids))
	out = append(out, lead...)
	for _, id := range ids {
		out = append(out, int64(id))
	}
	return out
}

// inBatches calls fn with consecutive runs of at most batchSize ids.
func inBatches(ids []core.ID, fn func([]core.ID) error) error {
	for start := 0; start < len(ids); start += batchSize {
		if err := fn(ids[start:min(start+batchSize, len(ids))]); err != nil {
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

// stmt returns the transaction's prepared statement for query, preparing
// it on first use: a loop of bulk statements reuses one statement per
// batch size instead of parsing the SQL again for every batch.
func (t *txn) stmt(query string) (*sql.Stmt, error) {
	if s, ok := t.stmts[query]; ok {
		return s, nil
	}
	s, err := t.tx.PrepareContext(t.ctx, query)
	if err != nil {
		return nil, err
	}
	if t.stmts == nil {
		t.stmts = map[string]*sql.Stmt{}
	}
	t.stmts[query] = s // closed by database/sql when the transaction ends
	return s, nil
}

// missing names the first of ids that is not in the object table.
func (t *txn) missing(op string, ids []core.ID) error {
	rows, err := t.tx.QueryContext(t.ctx, "SELECT id FROM object WHERE id IN ("+placeholders(len(ids))+")", idArgs(nil, ids)...)
	if err != nil {
		return dbErr(op, err)
	}
	defer rows.Close()
	found := make(map[core.ID]bool, len(ids))
	for rows.Next() {
		var id core.ID
		if err := rows.Scan(&id); err != nil {
			return dbErr(op, err)
		}
		found[id] = true
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
	return inBatches(ids, func(b []core.ID) error {
		s, err := t.stmt("UPDATE object SET " + col + " = ?, updated = ? WHERE id IN (" + placeholders(len(b)) + ")")
		if err != nil {
			return dbErr(op, err)
		}
		res, err := s.ExecContext(t.ctx, idArgs([]any{int64(v), stamp}, b)...)
		if err != nil {
			return dbErr(op, err)
		}
		if n, _ := res.RowsAffected(); int(n) != distinct(b) {
			return t.missing(op, b)
		}
		return nil
	})
}

func (t *txn) DeleteObjects(ids []core.ID) error {
	return inBatches(ids, func(b []core.ID) error {
		// RETURNING names what went, so that a missing object can be named
		// (afterwards it is as absent as the deleted ones).
		s, err := t.stmt("DELETE FROM object WHERE id IN (" + placeholders(len(b)) + ") RETURNING id")
		if err != nil {
			return dbErr("delete", err)
		}
		deleted, err := t.returnedIDs(s, b)
		if err != nil {
			if core.Is(core.Conflict, err) {
				// SQLite undid the failed statement; deleting the batch
				// row by row names the object that is still referenced.
				for _, id := range b {
					if err := t.DeleteObject(id); err != nil {
						return err
					}
				}
				return nil
			}
			return err
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

// returnedIDs runs a statement with RETURNING id over a batch.
func (t *txn) returnedIDs(s *sql.Stmt, b []core.ID) (map[core.ID]bool, error) {
	rows, err := s.QueryContext(t.ctx, idArgs(nil, b)...)
	if err != nil {
		return nil, dbErr("delete", err)
	}
	defer rows.Close()
	out := make(map[core.ID]bool, len(b))
	for rows.Next() {
		var id core.ID
		if err := rows.Scan(&id); err != nil {
			return nil, dbErr("delete", err)
		}
		out[id] = true
	}
	return out, dbErr("delete", rows.Err())
}

// GraphObjects reads a group's objects without the columns planning does
// not use, and decodes attributes only for withAttrs. A group holding most
// of the repository is read by scanning the table in ID order; a small one
// through the group index, sorted here (SQLite sorting 130,000 full rows in
// a temporary b-tree cost more than reading them).
func (t *txn) GraphObjects(group core.ID, withAttrs []core.Class) ([]*core.Object, error) {
	const op = "load the group's objects"
	var n, maxID int64
	if err := t.tx.QueryRowContext(t.ctx, "SELECT count(*), (SELECT coalesce(max(id), 0) FROM object) FROM object WHERE group_id = ?", int64(group)).Scan(&n, &maxID); err != nil {
		return nil, dbErr(op, err)
	}
	attrs, args := graphAttrs(withAttrs)
	args = append(args, int64(group))
	// IDs are dense enough that max(id) estimates the table's size.
	scan := n*4 > maxID
	from := "object"
	if scan {
		from = "object NOT INDEXED"
	}
	out, err := t.graphRows(op, int(n), "SELECT "+graphCols+attrs+" FROM "+from+" WHERE group_id = ?", args...)
	if err != nil {
		return nil, err
	}
	if !scan {
		slices.SortFunc(out, func(a, b *core.Object) int { return compareIDs(a.ID, b.ID) })
	}
	return out, nil
}

// graphCols are the columns planning reads, before the attrs expression.
const graphCols = "id, class, owner_id, group_id, name, parent_id, child_id, ref2_id, ns, text_value, long_value, "

// graphAttrs is the attrs column for planning: NULL but for withAttrs.
func graphAttrs(withAttrs []core.Class) (string, []any) {
	if len(withAttrs) == 0 {
		return "NULL", nil
	}
	args := make([]any, 0, len(withAttrs))
	for _, c := range withAttrs {
		args = append(args, string(c))
	}
	return "CASE WHEN class IN (" + placeholders(len(withAttrs)) + ") THEN attrs END", args
}

// graphRows runs a query selecting graphCols and the attrs expression and
// decodes its rows, allocating objects a thousand at a time.
func (t *txn) graphRows(op string, sizeHint int, query string, args ...any) ([]*core.Object, error) {
	rows, err := t.tx.QueryContext(t.ctx, query, args...)
	if err != nil {
		return nil, dbErr(op, err)
	}
	defer rows.Close()
	out := make([]*core.Object, 0, sizeHint)
	var slab []core.Object
	s := newRowScanner()
	ptrs := s.ptrs[:12]
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, dbErr(op, err)
		}
		if len(slab) == 0 {
			slab = make([]core.Object, 1024)
		}
		o := &slab[0]
		slab = slab[1:]
		s.err = nil
		o.ID, o.Class = core.ID(s.int(0)), core.Class(s.str(1))
		o.Owner, o.Group = core.ID(s.int(2)), core.ID(s.int(3))
		o.Name = s.str(4)
		o.Parent, o.Child, o.Ref2 = core.ID(s.int(5)), core.ID(s.int(6)), core.ID(s.int(7))
		o.Ns, o.TextValue, o.LongValue = s.str(8), s.str(9), s.int(10)
		a := s.str(11)
		if s.err != nil {
			return nil, dbErr(op, s.err)
		}
		if a != "" {
			if err := json.Unmarshal([]byte(a), &o.Attrs); err != nil {
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

// GraphNeighbours reads the objects with these IDs and those referring to
// them, a batch of IDs at a time, through the ID and reference indexes.
func (t *txn) GraphNeighbours(ids []core.ID, withAttrs []core.Class) ([]*core.Object, error) {
	return t.GraphStep(ids, core.ByAnyColumn, withAttrs)
}

var _ core.GraphStepper = (*txn)(nil)

// GraphStep reads the objects with these IDs and those whose chosen
// columns name them, a batch of IDs at a time, through the ID and
// reference indexes.
func (t *txn) GraphStep(ids []core.ID, by core.GraphColumns, withAttrs []core.Class) ([]*core.Object, error) {
	const op = "load the objects concerned"
	attrs, attrArgs := graphAttrs(withAttrs)
	var cols []string
	for _, c := range []struct {
		bit core.GraphColumns
		col string
	}{{core.ByID, "id"}, {core.ByParent, "parent_id"}, {core.ByChild, "child_id"}, {core.ByRef2, "ref2_id"}} {
		if by&c.bit != 0 {
			cols = append(cols, c.col)
		}
	}
	if len(cols) == 0 {
		return nil, nil
	}
	seen := make(map[core.ID]bool, len(ids))
	var out []*core.Object
	err := inBatches(ids, func(b []core.ID) error {
		in := "(" + placeholders(len(b)) + ")"
		var q strings.Builder
		// Each SELECT of the UNION takes the attrs expression's arguments
		// before its IDs.
		var args []any
		for i, col := range cols {
			if i > 0 {
				q.WriteString(" UNION ALL ") // duplicates are dropped below: UNION would sort every row
			}
			q.WriteString("SELECT " + graphCols + attrs + " FROM object WHERE " + col + " IN " + in)
			args = append(args, attrArgs...)
			args = idArgs(args, b)
		}
		objs, err := t.graphRows(op, len(b), q.String(), args...)
		for _, o := range objs {
			if !seen[o.ID] {
				seen[o.ID] = true
				out = append(out, o)
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b *core.Object) int { return compareIDs(a.ID, b.ID) })
	return out, nil
}

// GraphChildCounts counts the objects naming each ID in their child
// column, by class, from the object_child index alone (child_id, class)
// without reading the rows.
func (t *txn) GraphChildCounts(ids []core.ID) ([]core.GraphCount, error) {
	const op = "count the links of the objects concerned"
	var out []core.GraphCount
	err := inBatches(ids, func(b []core.ID) error {
		rows, err := t.tx.QueryContext(t.ctx, "SELECT child_id, class, count(*) FROM object WHERE child_id IN ("+placeholders(len(b))+") GROUP BY child_id, class", idArgs(nil, b)...)
		if err != nil {
			return dbErr(op, err)
		}
		defer rows.Close()
		for rows.Next() {
			var c core.GraphCount
			var class string
			if err := rows.Scan(&c.ID, &class, &c.N); err != nil {
				return dbErr(op, err)
			}
			c.Class = core.Class(class)
			out = append(out, c)
		}
		return dbErr(op, rows.Err())
	})
	return out, err
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
	err := inBatches(filesets, func(b []core.ID) error {
		es, err := t.filesetEntries("fileset_id IN ("+placeholders(len(b))+")", idArgs(nil, b)...)
		for _, e := range es {
			out[e.Fileset] = append(out[e.Fileset], e)
		}
		return err
	})
	return out, err
}
