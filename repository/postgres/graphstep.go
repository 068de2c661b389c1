package postgres

import (
	"slices"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

// Planning a graph operation from its roots outward (core.GraphStepper):
// one step along chosen reference columns, and how many links name an
// annotation without reading them. Without these, planning the move of a
// project whose images carry group-wide tags read every link of those tags.

var _ core.GraphStepper = (*txn)(nil)

// graphBatch bounds the IDs of one step's statement. It is bulkBatch; a
// variable so that a test crosses batches without making thousands of rows.
var graphBatch = bulkBatch

// stepColumns are the object table's columns GraphStep may follow, each
// with an index (the primary key, object_parent, object_child, object_ref2).
var stepColumns = []struct {
	bit core.GraphColumns
	col string
}{{core.ByID, "id"}, {core.ByParent, "parent_id"}, {core.ByChild, "child_id"}, {core.ByRef2, "ref2_id"}}

// GraphNeighbours reads the objects with these IDs and those referring to
// them.
func (t *txn) GraphNeighbours(ids []core.ID, withAttrs []core.Class) ([]*core.Object, error) {
	return t.GraphStep(ids, core.ByAnyColumn, withAttrs)
}

// GraphStep reads the objects with these IDs and those whose chosen
// columns name them, one statement per batch of IDs. The columns are ORed
// in one WHERE, which PostgreSQL answers with a bitmap OR of their indexes:
// each row once per batch, where a UNION ALL would repeat it.
func (t *txn) GraphStep(ids []core.ID, by core.GraphColumns, withAttrs []core.Class) ([]*core.Object, error) {
	const op = "load the objects concerned"
	var conds []string
	for _, c := range stepColumns {
		if by&c.bit != 0 {
			conds = append(conds, c.col+" = ANY($1)")
		}
	}
	if len(conds) == 0 || len(ids) == 0 {
		return nil, nil
	}
	query := "SELECT " + graphCols + " FROM object WHERE " + strings.Join(conds, " OR ")
	classes := classNames(withAttrs)
	seen := make(map[core.ID]bool, len(ids))
	var out []*core.Object
	err := inBatches(ids, graphBatch, func(b []core.ID) error {
		objs, err := t.graphRows(op, len(b), query, int64s(b), classes)
		// A link may name objects of two batches: it is kept once.
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
// column, by class. object_child is (child_id, class), so the count can be
// taken from the index without reading the rows (an index-only scan where
// the table's visibility map allows).
func (t *txn) GraphChildCounts(ids []core.ID) ([]core.GraphCount, error) {
	const op = "count the links of the objects concerned"
	var out []core.GraphCount
	err := inBatches(ids, graphBatch, func(b []core.ID) error {
		rows, err := t.tx.Query(t.ctx, "SELECT child_id, class, count(*) FROM object WHERE child_id = ANY($1) GROUP BY child_id, class", int64s(b))
		if err != nil {
			return dbErr(op, err)
		}
		defer rows.Close()
		for rows.Next() {
			var id, n int64
			var class string
			if err := rows.Scan(&id, &class, &n); err != nil {
				return dbErr(op, err)
			}
			out = append(out, core.GraphCount{ID: core.ID(id), Class: core.Class(class), N: int(n)})
		}
		return dbErr(op, rows.Err())
	})
	return out, err
}
