package migrate

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/repofiles"
)

// The migration's own record in the target, written in the same
// transaction as the rows it describes, so a rerun knows exactly what has
// arrived. It stays after the end: a rerun then only verifies again.
const stateSchema = `
CREATE TABLE IF NOT EXISTS ocular_migration (
    id            integer PRIMARY KEY CHECK (id = 1),
    source        text NOT NULL,   -- the source repository's folder
    source_id     text NOT NULL,   -- its 'initialized' stamp: the same repository on a rerun
    object_offset bigint NOT NULL, -- added to every object ID (0: IDs preserved)
    before_counts text NOT NULL,   -- the target's counts per class before the copy (JSON)
    started       bigint NOT NULL,
    finished      bigint NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS ocular_migration_step (
    step     text PRIMARY KEY,   -- a table, or files, fixup, sequence
    before   bigint NOT NULL DEFAULT 0,  -- the table's rows before the copy
    rows     bigint NOT NULL DEFAULT 0,  -- rows this migration wrote into it
    last_key text NOT NULL DEFAULT '',   -- the last source key copied (JSON array)
    done     boolean NOT NULL DEFAULT false
);
CREATE TABLE IF NOT EXISTS ocular_migration_idmap (
    kind      text NOT NULL,     -- experimenter or experimenter_group
    source_id bigint NOT NULL,
    target_id bigint NOT NULL,
    matched   boolean NOT NULL,  -- matched by name to the target's own
    name      text NOT NULL,
    PRIMARY KEY (kind, source_id)
);
CREATE TABLE IF NOT EXISTS ocular_migration_fixup (
    object_id bigint NOT NULL,   -- target ID of the row to finish
    col       text NOT NULL,
    value     bigint NOT NULL,
    PRIMARY KEY (object_id, col)
);`

// run is the migration's record.
type run struct {
	source, sourceID string
	offset           int64
	before           repofiles.Counts
	finished         bool
}

func loadRun(ctx context.Context, pool *pgxpool.Pool) (*run, error) {
	var r run
	var before string
	var finished int64
	err := pool.QueryRow(ctx, "SELECT source, source_id, object_offset, before_counts, finished FROM ocular_migration WHERE id = 1").
		Scan(&r.source, &r.sourceID, &r.offset, &before, &finished)
	if err == pgx.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, core.E("migrate", core.IO, "cannot read the migration's record in the target", err)
	}
	r.finished = finished != 0
	json.Unmarshal([]byte(before), &r.before)
	return &r, nil
}

// step is one step's record.
type step struct {
	before, rows int64
	lastKey      string
	done         bool
}

func loadStep(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, name string) (step, error) {
	var s step
	err := q.QueryRow(ctx, "SELECT before, rows, last_key, done FROM ocular_migration_step WHERE step = $1", name).
		Scan(&s.before, &s.rows, &s.lastKey, &s.done)
	if err == pgx.ErrNoRows {
		return s, nil
	}
	return s, err
}

func markDone(ctx context.Context, tx pgx.Tx, name string) error {
	_, err := tx.Exec(ctx, `INSERT INTO ocular_migration_step (step, done) VALUES ($1, true)
		ON CONFLICT (step) DO UPDATE SET done = true`, name)
	return err
}
