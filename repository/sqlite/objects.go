package sqlite

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/attrsjson"
)

// now is the clock for created/updated stamps, truncated to what is stored.
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

const objectCols = "id, class, owner_id, group_id, created, updated, name, description, parent_id, child_id, ref2_id, ns, text_value, long_value, attrs"

// rowScanner reads object rows. database/sql converts a column into a typed
// destination (*int64, *core.ID, sql.NullInt64) through reflection, which
// dominated listing a dataset of 10,000 images; scanning into interface
// values and converting here is several times cheaper. One scanner serves
// every row of a query.
type rowScanner struct {
	vals [15]any
	ptrs [15]any
	err  error
	dec  attrsjson.Decoder
}

func newRowScanner() *rowScanner {
	s := &rowScanner{}
	for i := range s.vals {
		s.ptrs[i] = &s.vals[i]
	}
	return s
}

func (s *rowScanner) int(i int) int64 {
	switch v := s.vals[i].(type) {
	case int64:
		return v
	case nil:
		return 0
	case float64:
		return int64(v)
	}
	s.err = fmt.Errorf("column %d of an object row holds %T, not a number", i, s.vals[i])
	return 0
}

func (s *rowScanner) str(i int) string {
	switch v := s.vals[i].(type) {
	case string:
		return v
	case []byte:
		return string(v)
	case nil:
		return ""
	}
	s.err = fmt.Errorf("column %d of an object row holds %T, not text", i, s.vals[i])
	return ""
}

// scan reads the columns of objectCols, in that order.
func (s *rowScanner) scan(sc interface{ Scan(...any) error }) (*core.Object, error) {
	if err := sc.Scan(s.ptrs[:]...); err != nil {
		return nil, err
	}
	s.err = nil
	o := &core.Object{}
	o.ID, o.Class = core.ID(s.int(0)), core.Class(s.str(1))
	o.Owner, o.Group = core.ID(s.int(2)), core.ID(s.int(3))
	o.Created, o.Updated = fromMS(s.int(4)), fromMS(s.int(5))
	o.Name, o.Description = s.str(6), s.str(7)
	o.Parent, o.Child, o.Ref2 = core.ID(s.int(8)), core.ID(s.int(9)), core.ID(s.int(10))
	o.Ns, o.TextValue, o.LongValue = s.str(11), s.str(12), s.int(13)
	attrs := s.str(14)
	if s.err != nil {
		return nil, s.err
	}
	if attrs != "" {
		a, err := s.dec.Decode(attrs)
		if err != nil {
			return nil, fmt.Errorf("%s has unreadable attributes: %w", o.Ref, err)
		}
		o.Attrs = a
	}
	return o, nil
}

func scanObject(sc interface{ Scan(...any) error }) (*core.Object, error) {
	return newRowScanner().scan(sc)
}

func refID(id core.ID) any {
	if id == 0 {
		return nil
	}
	return id
}

func attrsValue(a map[string]any) (any, error) {
	if len(a) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(a)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

func (t *txn) Object(id core.ID) (*core.Object, error) {
	o, err := scanObject(t.tx.QueryRowContext(t.ctx, "SELECT "+objectCols+" FROM object WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, core.Errorf("", core.NotFound, "object %d not found", id)
	}
	if err != nil {
		return nil, dbErr("read object", err)
	}
	return o, nil
}

func (t *txn) Objects(ids []core.ID) (map[core.ID]*core.Object, error) {
	out := make(map[core.ID]*core.Object, len(ids))
	for start := 0; start < len(ids); start += 500 {
		end := min(start+500, len(ids))
		q := core.NewQuery()
		q.IDs = ids[start:end]
		objs, err := t.Find(q)
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			out[o.ID] = o
		}
	}
	return out, nil
}

// where builds the WHERE clause of a query; it is shared by Find and Count.
func where(q core.Query) (string, []any) {
	var conds []string
	var args []any
	if len(q.Classes) > 0 {
		conds = append(conds, "o.class IN ("+placeholders(len(q.Classes))+")")
		for _, c := range q.Classes {
			args = append(args, string(c))
		}
	}
	for _, f := range []struct {
		col string
		v   core.ID
	}{{"o.group_id", q.Group}, {"o.owner_id", q.Owner}, {"o.parent_id", q.Parent}, {"o.child_id", q.Child}} {
		if f.v != core.AnyID {
			conds = append(conds, f.col+" = ?")
			args = append(args, f.v)
		}
	}
	if len(q.IDs) > 0 {
		conds = append(conds, "o.id IN ("+placeholders(len(q.IDs))+")")
		for _, id := range q.IDs {
			args = append(args, id)
		}
	}
	if len(q.Parents) > 0 {
		conds = append(conds, "o.parent_id IN ("+placeholders(len(q.Parents))+")")
		for _, id := range q.Parents {
			args = append(args, id)
		}
	}
	if len(q.Children) > 0 {
		conds = append(conds, "o.child_id IN ("+placeholders(len(q.Children))+")")
		for _, id := range q.Children {
			args = append(args, id)
		}
	}
	if q.Ns != "" {
		conds = append(conds, "o.ns = ?")
		args = append(args, q.Ns)
	}
	if q.TextValue != "" {
		conds = append(conds, "o.text_value = ?")
		args = append(args, q.TextValue)
	}
	if len(q.NotChildOf) > 0 {
		conds = append(conds, "NOT EXISTS (SELECT 1 FROM object l WHERE l.child_id = o.id AND l.class IN ("+placeholders(len(q.NotChildOf))+"))")
		for _, c := range q.NotChildOf {
			args = append(args, string(c))
		}
	}
	if q.LinkedFrom != nil {
		conds = append(conds, "o.id IN (SELECT l.child_id FROM object l WHERE "+linkIndexCond(q.LinkedFrom.Class)+"l.parent_id = ? AND l.class = ?)")
		args = append(args, q.LinkedFrom.ID, string(q.LinkedFrom.Class))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// linkIndexCond repeats link_unique's own condition for a class it holds,
// which changes no result but lets SQLite read the children's IDs from that
// covering index (class, parent_id, child_id) instead of visiting each
// link's row: SQLite uses a partial index only for a query that states its
// condition.
func linkIndexCond(c core.Class) string {
	if strings.HasSuffix(string(c), "Link") {
		return "l.class LIKE '%Link' AND "
	}
	return ""
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func (t *txn) Find(q core.Query) ([]*core.Object, error) {
	w, args := where(q)
	sqlText := "SELECT " + prefixed(objectCols) + " FROM object o" + w + " ORDER BY o.id"
	if q.Limit > 0 {
		sqlText += fmt.Sprintf(" LIMIT %d", q.Limit)
	}
	rows, err := t.tx.QueryContext(t.ctx, sqlText, args...)
	if err != nil {
		return nil, dbErr("find objects", err)
	}
	defer rows.Close()
	var out []*core.Object
	sc := newRowScanner()
	for rows.Next() {
		o, err := sc.scan(rows)
		if err != nil {
			return nil, dbErr("find objects", err)
		}
		out = append(out, o)
	}
	return out, dbErr("find objects", rows.Err())
}

func prefixed(cols string) string {
	parts := strings.Split(cols, ", ")
	for i, p := range parts {
		parts[i] = "o." + p
	}
	return strings.Join(parts, ", ")
}

func (t *txn) Count(q core.Query) (int, error) {
	w, args := where(q)
	var n int
	err := t.tx.QueryRowContext(t.ctx, "SELECT count(*) FROM object o"+w, args...).Scan(&n)
	return n, dbErr("count objects", err)
}

func (t *txn) CountChildren(childClass core.Class, parents []core.ID) (map[core.ID]int, error) {
	out := make(map[core.ID]int, len(parents))
	for start := 0; start < len(parents); start += 500 {
		end := min(start+500, len(parents))
		args := []any{string(childClass)}
		for _, p := range parents[start:end] {
			args = append(args, p)
		}
		rows, err := t.tx.QueryContext(t.ctx, "SELECT parent_id, count(*) FROM object WHERE class = ? AND parent_id IN ("+placeholders(end-start)+") GROUP BY parent_id", args...)
		if err != nil {
			return nil, dbErr("count children", err)
		}
		for rows.Next() {
			var p core.ID
			var n int
			if err := rows.Scan(&p, &n); err != nil {
				rows.Close()
				return nil, dbErr("count children", err)
			}
			out[p] = n
		}
		rows.Close()
	}
	return out, nil
}

func (t *txn) CreateObject(o *core.Object) error {
	if o.Created.IsZero() {
		o.Created = now()
	}
	if o.Updated.IsZero() {
		o.Updated = o.Created
	}
	attrs, err := attrsValue(o.Attrs)
	if err != nil {
		return core.E("create", core.Invalid, err)
	}
	// IDs come from a sequence that never goes back (migration 0004), so a
	// deleted object's ID is never given to another.
	var id int64
	if err := t.tx.QueryRowContext(t.ctx, `UPDATE id_sequence SET next = next + 1 WHERE name = 'object' RETURNING next - 1`).Scan(&id); err != nil {
		return dbErr("create", err)
	}
	_, err = t.tx.ExecContext(t.ctx, `INSERT INTO object (id, class, owner_id, group_id, created, updated, name, description, parent_id, child_id, ref2_id, ns, text_value, long_value, attrs)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, string(o.Class), o.Owner, o.Group, ms(o.Created), ms(o.Updated),
		o.Name, o.Description, refID(o.Parent), refID(o.Child), refID(o.Ref2), o.Ns, o.TextValue, o.LongValue, attrs)
	if err != nil {
		e := dbErr("create", err)
		if core.Is(core.Conflict, e) && o.Class.IsLink() {
			return core.Errorf("create", core.Conflict, "%s between %d and %d already exists", o.Class, o.Parent, o.Child)
		}
		return e
	}
	o.ID = core.ID(id)
	return nil
}

func (t *txn) UpdateObject(o *core.Object) error {
	o.Updated = now()
	attrs, err := attrsValue(o.Attrs)
	if err != nil {
		return core.E("update", core.Invalid, err)
	}
	res, err := t.tx.ExecContext(t.ctx, `UPDATE object SET owner_id=?, group_id=?, updated=?, name=?, description=?, parent_id=?, child_id=?, ref2_id=?, ns=?, text_value=?, long_value=?, attrs=? WHERE id=?`,
		o.Owner, o.Group, ms(o.Updated), o.Name, o.Description, refID(o.Parent), refID(o.Child), refID(o.Ref2), o.Ns, o.TextValue, o.LongValue, attrs, o.ID)
	return mustAffect(res, err, "update", o.Ref)
}

func (t *txn) DeleteObject(id core.ID) error {
	res, err := t.tx.ExecContext(t.ctx, "DELETE FROM object WHERE id = ?", id)
	if err != nil {
		e := dbErr("delete", err)
		if core.Is(core.Conflict, e) {
			return core.Errorf("delete", core.Conflict, "object %d is still linked to or contains other objects; delete or unlink those first", id)
		}
		return e
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return core.Errorf("delete", core.NotFound, "object %d not found", id)
	}
	return nil
}

func (t *txn) FindLink(c core.Class, parent, child core.ID) (*core.Object, error) {
	o, err := scanObject(t.tx.QueryRowContext(t.ctx, "SELECT "+objectCols+" FROM object WHERE class = ? AND parent_id = ? AND child_id = ?", string(c), parent, child))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, core.Errorf("", core.NotFound, "no %s between %d and %d", c, parent, child)
	}
	if err != nil {
		return nil, dbErr("read link", err)
	}
	return o, nil
}
