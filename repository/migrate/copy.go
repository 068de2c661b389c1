package migrate

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/ocular-lab/ocular/core"
)

// columnsOf lists a source table's columns and checks that the target has
// each of them, returning the target's type of each.
func (m *migration) columnsOf(ctx context.Context, table string) ([]string, []string, error) {
	rows, err := m.src.QueryContext(ctx, "SELECT name FROM pragma_table_info(?) ORDER BY cid", table)
	if err != nil {
		return nil, nil, core.E("migrate", core.IO, "cannot read the source repository", err)
	}
	var cols []string
	for rows.Next() {
		var c string
		rows.Scan(&c)
		cols = append(cols, c)
	}
	rows.Close()
	types := map[string]string{}
	trows, err := m.pool.Query(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1`, table)
	if err != nil {
		return nil, nil, core.E("migrate", core.IO, "cannot read the target's schema", err)
	}
	for trows.Next() {
		var c, t string
		trows.Scan(&c, &t)
		types[c] = t
	}
	trows.Close()
	var out []string
	for _, c := range cols {
		t, ok := types[c]
		if !ok {
			return nil, nil, core.Errorf("migrate", core.Invalid, "the target database has no column %s.%s, which the source has: the two were made by different versions of Ocular; use the same version for both", table, c)
		}
		out = append(out, t)
	}
	return cols, out, nil
}

// copyTable copies spec's table in chunks of m.chunk rows in key order,
// each chunk in one transaction with the step's record, from where the
// record says the last run stopped.
func (m *migration) copyTable(ctx context.Context, spec tableSpec) error {
	const op = "migrate"
	st, err := loadStep(ctx, m.pool, spec.name)
	if err != nil {
		return core.E(op, core.IO, err)
	}
	if st.done {
		return nil
	}
	cols, types, err := m.columnsOf(ctx, spec.name)
	if err != nil {
		return err
	}
	var total int64
	m.srcTx.QueryRowContext(ctx, "SELECT count(*) FROM "+spec.name).Scan(&total)
	last, err := decodeKey(st.lastKey)
	if err != nil {
		return core.Errorf(op, core.Invalid, "the migration's record of %s is damaged; start over with an empty database", spec.name)
	}
	copied := st.rows
	keyIdx := make([]int, len(spec.key))
	for i, k := range spec.key {
		for j, c := range cols {
			if c == k {
				keyIdx[i] = j
			}
		}
	}
	for {
		if err := ctx.Err(); err != nil {
			return core.E(op, core.IO, "stopped before the end; run the same command again to go on from here", err)
		}
		rows, err := m.readChunk(ctx, spec, cols, last)
		if err != nil {
			return core.E(op, core.IO, fmt.Sprintf("cannot read %s from the source repository", spec.name), err)
		}
		if len(rows) == 0 {
			break
		}
		newLast := make([]any, len(spec.key))
		for i, j := range keyIdx {
			newLast[i] = rows[len(rows)-1][j]
		}
		var fixups [][]any
		if spec.name == "object" {
			fixups = m.holdForwardRefs(cols, rows, newLast[0].(int64))
		}
		for _, r := range rows {
			if err := m.translate(spec, cols, types, r); err != nil {
				return err
			}
		}
		keyJSON, _ := json.Marshal(newLast)
		err = pgx.BeginFunc(ctx, m.pool, func(tx pgx.Tx) error {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{spec.name}, cols, pgx.CopyFromRows(rows)); err != nil {
				return err
			}
			if len(fixups) > 0 {
				if _, err := tx.CopyFrom(ctx, pgx.Identifier{"ocular_migration_fixup"}, []string{"object_id", "col", "value"}, pgx.CopyFromRows(fixups)); err != nil {
					return err
				}
			}
			_, err := tx.Exec(ctx, "UPDATE ocular_migration_step SET rows = rows + $1, last_key = $2 WHERE step = $3",
				len(rows), string(keyJSON), spec.name)
			return err
		})
		if err != nil {
			return targetErr(fmt.Sprintf("copying %s", spec.name), err)
		}
		last = newLast
		copied += int64(len(rows))
		m.report.Tables[spec.name] = copied
		m.progress(spec.name, copied, total)
		if m.opts.afterChunk != nil {
			m.opts.afterChunk(spec.name)
		}
	}
	return pgx.BeginFunc(ctx, m.pool, func(tx pgx.Tx) error { return markDone(ctx, tx, spec.name) })
}

// chunkBytes bounds the text a chunk holds in memory: rows with large
// attributes (ROIs of thousands of shapes) end a chunk early, and the next
// one goes on from there.
const chunkBytes = 32 << 20

// readChunk reads the next rows after last (nil: from the start) in key
// order, at most m.chunk rows and about chunkBytes of text.
func (m *migration) readChunk(ctx context.Context, spec tableSpec, cols []string, last []any) ([][]any, error) {
	q := "SELECT " + strings.Join(cols, ", ") + " FROM " + spec.name
	keys := strings.Join(spec.key, ", ")
	var args []any
	if last != nil {
		q += " WHERE (" + keys + ") > (" + strings.TrimSuffix(strings.Repeat("?, ", len(last)), ", ") + ")"
		args = append(args, last...)
	}
	q += " ORDER BY " + keys + " LIMIT ?"
	args = append(args, m.chunk)
	rows, err := m.srcTx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]any
	size := 0
	for size < chunkBytes && rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, v := range vals {
			switch x := v.(type) {
			case []byte:
				vals[i] = string(x)
				size += len(x)
			case string:
				size += len(x)
			}
		}
		out = append(out, vals)
	}
	return out, rows.Err()
}

// holdForwardRefs takes out of rows the references to objects after the
// chunk (hi is its last source ID), which the foreign key would refuse
// now, and returns them as fixup rows (target IDs) for the end.
func (m *migration) holdForwardRefs(cols []string, rows [][]any, hi int64) [][]any {
	var fix [][]any
	idIdx := 0
	for i, c := range cols {
		if c == "id" {
			idIdx = i
		}
	}
	for ci, c := range cols {
		if !contains(forwardRefs, c) {
			continue
		}
		for _, r := range rows {
			if v, ok := r[ci].(int64); ok && v > hi {
				fix = append(fix, []any{r[idIdx].(int64) + m.offset, c, v + m.offset})
				r[ci] = nil
			}
		}
	}
	return fix
}

// translate maps a row's IDs to the target's and converts its values to
// the target's column types.
func (m *migration) translate(spec tableSpec, cols, types []string, r []any) error {
	for i, c := range cols {
		v, isInt := r[i].(int64)
		switch {
		case !isInt:
		case contains(spec.objectIDs, c):
			if v != 0 {
				r[i] = v + m.offset
			}
		case contains(spec.userIDs, c):
			t, ok := m.users[v]
			if !ok {
				return core.Errorf("migrate", core.Invalid, "a row of %s names user %d, who is not in the source repository; the source is damaged", spec.name, v)
			}
			r[i] = t
		case contains(spec.groupIDs, c):
			t, ok := m.groups[v]
			if !ok {
				return core.Errorf("migrate", core.Invalid, "a row of %s names group %d, which is not in the source repository; the source is damaged", spec.name, v)
			}
			r[i] = t
		}
		r[i] = convert(r[i], types[i])
	}
	return nil
}

// convert turns a value read from SQLite (int64, float64, string, nil) into
// what the target column of type pgType takes.
func convert(v any, pgType string) any {
	switch x := v.(type) {
	case int64:
		switch pgType {
		case "double precision", "real", "numeric":
			return float64(x)
		case "boolean":
			return x != 0
		case "text", "character varying":
			return fmt.Sprint(x)
		}
	case float64:
		switch pgType {
		case "bigint", "integer", "smallint":
			if x == math.Trunc(x) {
				return int64(x)
			}
		case "text", "character varying":
			return fmt.Sprint(x)
		}
	case string:
		if pgType == "bytea" {
			return []byte(x)
		}
	}
	return v
}

func decodeKey(s string) ([]any, error) {
	if s == "" {
		return nil, nil
	}
	d := json.NewDecoder(bytes.NewReader([]byte(s)))
	d.UseNumber()
	var raw []any
	if err := d.Decode(&raw); err != nil {
		return nil, err
	}
	for i, v := range raw {
		if n, ok := v.(json.Number); ok {
			iv, err := n.Int64()
			if err != nil {
				return nil, err
			}
			raw[i] = iv
		}
	}
	return raw, nil
}
