package migrate

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/repofiles"
)

// allSteps are the steps whose rows the target counts, and the order a
// run takes them in.
func allSteps() []string {
	s := []string{"experimenter_group", "experimenter", "group_member", "files"}
	for _, t := range copiedTables {
		s = append(s, t.name)
	}
	return append(s, "fixup", "sequence")
}

// begin starts a migration into a target that has no record of one:
// empty (IDs kept), or an Ocular repository in use (IDs shifted). A target
// with rows but no sign of being a repository (another program's half
// load) is refused.
func (m *migration) begin(ctx context.Context) (*run, error) {
	const op = "migrate"
	before, err := repofiles.CountRows(ctx, repofiles.Pgx(m.pool))
	if err != nil {
		return nil, targetErr("counting the target's rows", err)
	}
	var objects, watch int64
	for k, n := range before {
		if k != "Experimenter" && k != "ExperimenterGroup" && k != "GroupExperimenterMap" {
			objects += n
		}
	}
	m.pool.QueryRow(ctx, "SELECT count(*) FROM watch_record").Scan(&watch)
	var initialized string
	m.pool.QueryRow(ctx, "SELECT value FROM meta WHERE key = 'initialized'").Scan(&initialized)
	if (objects > 0 || before["Experimenter"] > 0 || watch > 0) && initialized == "" {
		return nil, core.Errorf(op, core.Conflict, "the target database holds rows but is not a working Ocular repository (another program or an interrupted load filled it halfway); migrate into an empty database (createdb) instead")
	}
	r := &run{source: m.opts.From, sourceID: m.sourceID(ctx), before: before}
	if objects > 0 {
		if filepath.Clean(m.opts.FilesTo) == filepath.Clean(m.opts.From) {
			return nil, core.Errorf(op, core.Invalid, "the target already holds a repository with files of its own: name its file folder with --files-to")
		}
		if id, _ := m.targetRepositoryID(ctx); id == "" {
			// Without an ID, which folder is the server's cannot be
			// checked: say which one the files go to.
			m.report.Notes = append(m.report.Notes, fmt.Sprintf("the files go to %s: it must be the folder the server uses", m.opts.FilesTo))
		}
		var maxID, seq int64
		m.pool.QueryRow(ctx, "SELECT coalesce(max(id), 0) FROM object").Scan(&maxID)
		m.pool.QueryRow(ctx, "SELECT last_value FROM object_id_seq").Scan(&seq)
		// A round offset, so people can read old IDs in new ones.
		r.offset = (max(maxID, seq)/1000 + 1) * 1000
	}
	beforeJSON, _ := json.Marshal(before)
	err = pgx.BeginFunc(ctx, m.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "INSERT INTO ocular_migration (id, source, source_id, object_offset, before_counts, started) VALUES (1, $1, $2, $3, $4, $5)",
			r.source, r.sourceID, r.offset, string(beforeJSON), time.Now().UnixMilli()); err != nil {
			return err
		}
		for _, s := range allSteps() {
			var n int64
			if s != "files" && s != "fixup" && s != "sequence" {
				if err := tx.QueryRow(ctx, "SELECT count(*) FROM "+s).Scan(&n); err != nil {
					return err
				}
			}
			if _, err := tx.Exec(ctx, "INSERT INTO ocular_migration_step (step, before) VALUES ($1, $2)", s, n); err != nil {
				return err
			}
		}
		if err := m.advanceSequence(ctx, tx, r.offset); err != nil {
			return err
		}
		return m.copyPrincipals(ctx, tx)
	})
	if err != nil {
		return nil, targetErr("copying users and groups", err)
	}
	return r, nil
}

// resume checks that a recorded migration is this one and that nothing
// else wrote into the target since, then loads its maps.
func (m *migration) resume(ctx context.Context, r *run) error {
	const op = "migrate"
	if r.source != m.opts.From || r.sourceID != m.sourceID(ctx) {
		return core.Errorf(op, core.Conflict, "the target database holds a migration of another repository (%s); migrate into an empty database, or rerun with --from %s", r.source, r.source)
	}
	m.report.Resumed = true
	for _, s := range allSteps() {
		if s == "files" || s == "fixup" || s == "sequence" {
			continue
		}
		st, err := loadStep(ctx, m.pool, s)
		if err != nil {
			return targetErr("reading the migration's record", err)
		}
		var n int64
		if err := m.pool.QueryRow(ctx, "SELECT count(*) FROM "+s).Scan(&n); err != nil {
			return targetErr("counting the target's rows", err)
		}
		if n != st.before+st.rows && !(r.finished && n > st.before+st.rows) {
			return core.Errorf(op, core.Conflict, "the target's table %s has %d rows where the migration left %d: another program (a running server?) changed it meanwhile; stop it, or start over with an empty database", s, n, st.before+st.rows)
		}
		m.report.Tables[s] = st.rows
	}
	if r.finished {
		m.report.Notes = append(m.report.Notes, "this migration had finished before: only the verification ran again")
	}
	return m.loadMaps(ctx)
}
