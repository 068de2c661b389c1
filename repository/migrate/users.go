package migrate

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/ocular-lab/ocular/core"
)

// Mapped is a user or group of the source and what it became in the target.
type Mapped struct {
	Name     string  `json:"name"`
	SourceID core.ID `json:"sourceId"`
	TargetID core.ID `json:"targetId"`
	// Matched: the target already had one of that name, which is kept
	// as it is (its password, its privileges) and now owns the source's
	// data.
	Matched bool `json:"matched"`
}

// copyPrincipals copies groups, users and memberships in tx (with the
// migration's record, one transaction): each matched by name to the
// target's own, or inserted under its own ID when that is free, else
// under the next free one.
func (m *migration) copyPrincipals(ctx context.Context, tx pgx.Tx) error {
	var err error
	if m.groups, err = m.copyNamed(ctx, tx, "experimenter_group", "name", nil); err != nil {
		return err
	}
	if m.users, err = m.copyNamed(ctx, tx, "experimenter", "username", map[string]map[int64]int64{"default_group": m.groups}); err != nil {
		return err
	}
	rows, err := m.srcTx.QueryContext(ctx, "SELECT group_id, user_id, owner FROM group_member ORDER BY group_id, user_id")
	if err != nil {
		return core.E("migrate", core.IO, err)
	}
	var members [][3]int64
	for rows.Next() {
		var g, u, o int64
		rows.Scan(&g, &u, &o)
		members = append(members, [3]int64{m.groups[g], m.users[u], o})
	}
	rows.Close()
	var added int64
	for _, mem := range members {
		tag, err := tx.Exec(ctx, "INSERT INTO group_member (group_id, user_id, owner) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", mem[0], mem[1], mem[2])
		if err != nil {
			return err
		}
		added += tag.RowsAffected()
	}
	m.report.Tables["group_member"] = added
	return recordRows(ctx, tx, "group_member", added)
}

// copyNamed copies a table of named principals and returns the ID map.
// maps translates other ID columns (a user's default group).
func (m *migration) copyNamed(ctx context.Context, tx pgx.Tx, table, nameCol string, maps map[string]map[int64]int64) (map[int64]int64, error) {
	taken := map[int64]bool{}
	byName := map[string]int64{}
	var maxID int64 = -1
	trows, err := tx.Query(ctx, fmt.Sprintf("SELECT id, %s FROM %s", nameCol, table))
	if err != nil {
		return nil, err
	}
	for trows.Next() {
		var id int64
		var name string
		trows.Scan(&id, &name)
		taken[id], byName[name] = true, id
		maxID = max(maxID, id)
	}
	trows.Close()
	cols, types, err := m.columnsOf(ctx, table)
	if err != nil {
		return nil, err
	}
	rows, err := m.srcTx.QueryContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM "+table+" ORDER BY id")
	if err != nil {
		return nil, core.E("migrate", core.IO, err)
	}
	var src [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			rows.Close()
			return nil, core.E("migrate", core.IO, err)
		}
		src = append(src, vals)
	}
	rows.Close()
	idMap := map[int64]int64{}
	var report []Mapped
	var inserted [][]any
	for _, r := range src {
		var id int64
		var name string
		for i, c := range cols {
			if b, ok := r[i].([]byte); ok {
				r[i] = string(b)
			}
			switch c {
			case "id":
				id = r[i].(int64)
			case nameCol:
				name = r[i].(string)
			}
		}
		mp := Mapped{Name: name, SourceID: core.ID(id)}
		if t, ok := byName[name]; ok {
			mp.TargetID, mp.Matched = core.ID(t), true
		} else {
			t := id
			if taken[t] {
				maxID++
				t = maxID
			}
			taken[t] = true
			maxID = max(maxID, t)
			mp.TargetID = core.ID(t)
			inserted = append(inserted, r)
		}
		idMap[id] = int64(mp.TargetID)
		report = append(report, mp)
		if _, err := tx.Exec(ctx, "INSERT INTO ocular_migration_idmap (kind, source_id, target_id, matched, name) VALUES ($1, $2, $3, $4, $5)",
			table, id, int64(mp.TargetID), mp.Matched, name); err != nil {
			return nil, err
		}
	}
	for _, r := range inserted {
		for i, c := range cols {
			v, isInt := r[i].(int64)
			switch {
			case c == "id":
				r[i] = idMap[v]
			case isInt && maps[c] != nil:
				if t, ok := maps[c][v]; ok {
					r[i] = t
				}
			}
			r[i] = convert(r[i], types[i])
		}
	}
	if len(inserted) > 0 {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(inserted)); err != nil {
			return nil, err
		}
	}
	if table == "experimenter" {
		m.report.Users = report
	} else {
		m.report.Groups = report
	}
	m.report.Tables[table] = int64(len(inserted))
	return idMap, recordRows(ctx, tx, table, int64(len(inserted)))
}

func recordRows(ctx context.Context, tx pgx.Tx, step string, n int64) error {
	_, err := tx.Exec(ctx, "UPDATE ocular_migration_step SET rows = $1, done = true WHERE step = $2", n, step)
	return err
}

// loadMaps reads the user and group maps a first run recorded.
func (m *migration) loadMaps(ctx context.Context) error {
	m.users, m.groups = map[int64]int64{}, map[int64]int64{}
	rows, err := m.pool.Query(ctx, "SELECT kind, source_id, target_id, matched, name FROM ocular_migration_idmap ORDER BY kind, source_id")
	if err != nil {
		return core.E("migrate", core.IO, err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, name string
		var s, t int64
		var matched bool
		if err := rows.Scan(&kind, &s, &t, &matched, &name); err != nil {
			return core.E("migrate", core.IO, err)
		}
		mp := Mapped{Name: name, SourceID: core.ID(s), TargetID: core.ID(t), Matched: matched}
		if kind == "experimenter" {
			m.users[s] = t
			m.report.Users = append(m.report.Users, mp)
		} else {
			m.groups[s] = t
			m.report.Groups = append(m.report.Groups, mp)
		}
	}
	return rows.Err()
}
