package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ocular-lab/ocular/core"
)

// The repository's database keeps the jobs of every server instance using
// it (core.JobStore, table job of migration 0003). Each method is its own
// short transaction on the pool, outside the write lock of Store.Write: a
// job's progress, heartbeat and cancel flag are written while the job's
// own transaction holds that lock.

var (
	_ core.JobStore        = (*Store)(nil)
	_ core.GenerationStore = (*Store)(nil)
)

// jobsLock is the key of the lock that serialises job creations, whose
// bounds count the jobs of all instances: the write lock's key (one per
// schema) with "JOBS" mixed in, so it is another key of the same schema.
func (s *Store) jobsLock() int64 { return s.writeLock ^ 0x4a4f4253 }

func msOf(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func timeOf(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func (s *Store) jobTx(ctx context.Context, fn func(pgx.Tx) error) error {
	tx, err := s.begin(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return dbErr("job", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := fn(tx); err != nil {
		return dbErr("job", err)
	}
	return dbErr("job", tx.Commit(ctx))
}

func (s *Store) CreateJob(ctx context.Context, r core.JobRecord, lim core.JobLimits) error {
	return s.jobTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", s.jobsLock()); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM job WHERE state <> $1 AND finished < $2`, core.JobRunning, msOf(r.Started.Add(-lim.Keep))); err != nil {
			return err
		}
		var running, all int
		if err := tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE user_id = $1 AND state = $2), count(*) FROM job`, r.User, core.JobRunning).Scan(&running, &all); err != nil {
			return err
		}
		if running >= lim.RunningPerUser {
			return core.Errorf("job", core.Conflict, "you already have %d operations running; wait for one to finish", running)
		}
		if over := all - lim.Kept + 1; over > 0 {
			tag, err := tx.Exec(ctx, `DELETE FROM job WHERE id IN (SELECT id FROM job WHERE state <> $1 ORDER BY finished LIMIT $2)`, core.JobRunning, over)
			if err != nil {
				return err
			}
			if int(tag.RowsAffected()) < over {
				return core.Errorf("job", core.IO, "the server is busy with other operations; try again in a moment")
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO job (id, user_id, session, op, state, done, total, instance, started)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, r.ID, r.User, r.Session, r.Op, core.JobRunning, r.Done, r.Total, r.Instance, msOf(r.Started))
		return err
	})
}

func (s *Store) Job(ctx context.Context, id string) (core.JobRecord, error) {
	var r core.JobRecord
	var started, finished int64
	var beat *int64
	err := s.pool.QueryRow(ctx, `SELECT j.id, j.user_id, j.session, j.op, j.state, j.done, j.total, j.result, j.error,
		j.instance, j.cancel, j.started, j.finished, i.heartbeat
		FROM job j LEFT JOIN job_instance i ON i.id = j.instance WHERE j.id = $1`, id).Scan(
		&r.ID, &r.User, &r.Session, &r.Op, &r.State, &r.Done, &r.Total, &r.Result, &r.Error,
		&r.Instance, &r.Cancel, &started, &finished, &beat)
	if errNoRows(err) {
		return r, core.Errorf("job", core.NotFound, "no such job (finished jobs are kept for a while, then forgotten)")
	}
	if err != nil {
		return r, dbErr("job", err)
	}
	r.Started, r.Finished = timeOf(started), timeOf(finished)
	if beat != nil {
		r.Heartbeat = timeOf(*beat)
	}
	return r, nil
}

func (s *Store) JobProgress(ctx context.Context, id, instance string, done, total int) (bool, error) {
	var cancel bool
	err := s.pool.QueryRow(ctx, `UPDATE job SET done = $1, total = $2 WHERE id = $3 AND instance = $4 AND state = $5 RETURNING cancel`,
		done, total, id, instance, core.JobRunning).Scan(&cancel)
	if errNoRows(err) {
		return true, nil // ended or claimed elsewhere: not this runner's to go on
	}
	return cancel, dbErr("job", err)
}

func (s *Store) EndJob(ctx context.Context, r core.JobRecord) (bool, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE job SET state = $1, done = $2, total = $3, result = $4, error = $5, finished = $6
		WHERE id = $7 AND instance = $8 AND state = $9`,
		r.State, r.Done, r.Total, r.Result, r.Error, msOf(r.Finished), r.ID, r.Instance, core.JobRunning)
	if err != nil {
		return false, dbErr("job", err)
	}
	return tag.RowsAffected() == 1, nil
}

func (s *Store) CancelJob(ctx context.Context, id string) error {
	_, err := s.pool.Exec(ctx, `UPDATE job SET cancel = true WHERE id = $1 AND state = $2`, id, core.JobRunning)
	return dbErr("job", err)
}

func (s *Store) ForgetJob(ctx context.Context, id string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM job WHERE id = $1`, id)
	return dbErr("job", err)
}

// instanceForgotten is how long a silent instance is remembered.
const instanceForgotten = 24 * time.Hour

func (s *Store) Heartbeat(ctx context.Context, instance string, at time.Time) error {
	return s.jobTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO job_instance (id, heartbeat) VALUES ($1, $2)
			ON CONFLICT (id) DO UPDATE SET heartbeat = excluded.heartbeat`, instance, msOf(at)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM job_instance WHERE heartbeat < $1`, msOf(at.Add(-instanceForgotten)))
		return err
	})
}

// Generation changes after every write committed by any instance: Write
// advances the sequence after its commit (see committed), so an instance
// that read it before a write began sees it change once the write is
// visible.
func (s *Store) Generation(ctx context.Context) (uint64, error) {
	var n int64
	// A new sequence says last_value 1 before and after its first nextval;
	// is_called tells the two apart.
	if err := s.pool.QueryRow(ctx, `SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM ocular_generation`).Scan(&n); err != nil {
		return 0, dbErr("read", err)
	}
	return uint64(n), nil
}

// committed advances the generation after a write's commit. Were it
// advanced inside the transaction (sequences are not transactional), a
// reader could take the new value, read the data from before the commit
// and keep that answer as current. When it fails, an instance's memo may
// serve an answer from before this write for up to its few seconds.
func (s *Store) committed(ctx context.Context) {
	s.pool.Exec(context.WithoutCancel(ctx), `SELECT nextval('ocular_generation')`)
}
