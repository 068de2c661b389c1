package migrate

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// finish sets the references held back, advances the target's ID sequence
// past the copied IDs, and copies the source's settings (meta) the target
// lacks.
func (m *migration) finish(ctx context.Context) error {
	if st, err := loadStep(ctx, m.pool, "fixup"); err != nil || !st.done {
		err = pgx.BeginFunc(ctx, m.pool, func(tx pgx.Tx) error {
			for _, c := range forwardRefs {
				if _, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE object o SET %s = f.value FROM ocular_migration_fixup f
					WHERE f.object_id = o.id AND f.col = '%s'`, c, c)); err != nil {
					return err
				}
			}
			return markDone(ctx, tx, "fixup")
		})
		if err != nil {
			return targetErr("setting the references between objects", err)
		}
	}
	meta, err := m.srcTx.QueryContext(ctx, "SELECT key, value FROM meta WHERE key <> 'schema_version'")
	if err != nil {
		return targetErr("reading the source's settings", err)
	}
	var kv [][2]string
	for meta.Next() {
		var k, v string
		meta.Scan(&k, &v)
		kv = append(kv, [2]string{k, v})
	}
	meta.Close()
	return targetErr("advancing the target's object IDs", pgx.BeginFunc(ctx, m.pool, func(tx pgx.Tx) error {
		if err := m.advanceSequence(ctx, tx, m.offset); err != nil {
			return err
		}
		for _, p := range kv {
			if _, err := tx.Exec(ctx, "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", p[0], p[1]); err != nil {
				return err
			}
		}
		return markDone(ctx, tx, "sequence")
	}))
}

// advanceSequence moves the target's object ID sequence past every ID the
// copy brings (never back): set when the migration begins, so nothing
// created in the target meanwhile can take an ID the copy needs, and again
// at the end.
func (m *migration) advanceSequence(ctx context.Context, tx pgx.Tx, offset int64) error {
	var next, maxID int64
	m.srcTx.QueryRowContext(ctx, "SELECT next FROM id_sequence WHERE name = 'object'").Scan(&next)
	m.srcTx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM object").Scan(&maxID)
	next = max(next, maxID+1) + offset
	var last int64
	var called bool
	if err := tx.QueryRow(ctx, "SELECT last_value, is_called FROM object_id_seq").Scan(&last, &called); err != nil {
		return err
	}
	if called {
		last++
	}
	_, err := tx.Exec(ctx, "SELECT setval('object_id_seq', $1, false)", max(next, last))
	return err
}
