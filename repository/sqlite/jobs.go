package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/diskmode"
)

// Jobs is core.JobStore over a small SQLite database of its own (the
// server keeps it in its folder of the repository, server/jobs.db), not a
// table of ocular.db: SQLite lets one transaction at a time write a
// database file, and a graph job's transaction holds ocular.db's for the
// whole of its apply phase. Progress, heartbeats and cancel requests
// written to ocular.db would wait behind the very job they report on;
// in a file of their own they are written at once, by every server
// process on the machine. Jobs are transient: deleting the file loses only
// the answers of jobs not yet read.
type Jobs struct {
	writer *sql.DB
	reader *sql.DB
}

var _ core.JobStore = (*Jobs)(nil)

const jobsSchema = `
CREATE TABLE IF NOT EXISTS job (
	id        TEXT PRIMARY KEY,
	user_id   INTEGER NOT NULL,
	session   TEXT NOT NULL,
	op        TEXT NOT NULL,
	state     TEXT NOT NULL,
	done      INTEGER NOT NULL DEFAULT 0,
	total     INTEGER NOT NULL DEFAULT 0,
	result    TEXT NOT NULL DEFAULT '',
	error     TEXT NOT NULL DEFAULT '',
	instance  TEXT NOT NULL,
	cancel    INTEGER NOT NULL DEFAULT 0,
	started   INTEGER NOT NULL,
	finished  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS job_user_state ON job (user_id, state);
CREATE TABLE IF NOT EXISTS job_instance (
	id        TEXT PRIMARY KEY,
	heartbeat INTEGER NOT NULL
);`

// OpenJobs opens (creating it if needed) the jobs database at path.
func OpenJobs(ctx context.Context, path string) (*Jobs, error) {
	const op = "open jobs"
	if err := os.MkdirAll(filepath.Dir(path), diskmode.Dir()); err != nil {
		return nil, core.E(op, core.IO, err)
	}
	w, err := sql.Open(driverName, dsn(path, false))
	if err != nil {
		return nil, core.E(op, core.IO, err)
	}
	w.SetMaxOpenConns(1)
	if _, err := w.ExecContext(ctx, jobsSchema); err != nil {
		w.Close()
		return nil, core.E(op, core.IO, "cannot create the server's jobs database "+path, err)
	}
	r, err := sql.Open(driverName, dsn(path, true))
	if err != nil {
		w.Close()
		return nil, core.E(op, core.IO, err)
	}
	r.SetMaxOpenConns(4)
	return &Jobs{writer: w, reader: r}, nil
}

// Close closes the jobs database.
func (j *Jobs) Close() error { return errors.Join(j.reader.Close(), j.writer.Close()) }

func (j *Jobs) write(ctx context.Context, op string, fn func(*sql.Tx) error) error {
	tx, err := j.writer.BeginTx(ctx, nil)
	if err != nil {
		return dbErr(op, err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return dbErr(op, tx.Commit())
}

func (j *Jobs) CreateJob(ctx context.Context, r core.JobRecord, lim core.JobLimits) error {
	const op = "job"
	return j.write(ctx, op, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM job WHERE state <> ? AND finished < ?`,
			core.JobRunning, ms(r.Started.Add(-lim.Keep))); err != nil {
			return dbErr(op, err)
		}
		var running, all int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM job WHERE user_id = ? AND state = ?`, r.User, core.JobRunning).Scan(&running); err != nil {
			return dbErr(op, err)
		}
		if running >= lim.RunningPerUser {
			return core.Errorf(op, core.Conflict, "you already have %d operations running; wait for one to finish", running)
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM job`).Scan(&all); err != nil {
			return dbErr(op, err)
		}
		if all >= lim.Kept {
			res, err := tx.ExecContext(ctx, `DELETE FROM job WHERE id IN (SELECT id FROM job WHERE state <> ? ORDER BY finished LIMIT ?)`,
				core.JobRunning, all-lim.Kept+1)
			if err != nil {
				return dbErr(op, err)
			}
			if n, _ := res.RowsAffected(); int(n) < all-lim.Kept+1 {
				return core.Errorf(op, core.IO, "the server is busy with other operations; try again in a moment")
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO job (id, user_id, session, op, state, done, total, instance, started)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, r.User, r.Session, r.Op, core.JobRunning, r.Done, r.Total, r.Instance, ms(r.Started))
		return dbErr(op, err)
	})
}

var errNoJob = core.Errorf("job", core.NotFound, "no such job (finished jobs are kept for a while, then forgotten)")

func (j *Jobs) Job(ctx context.Context, id string) (core.JobRecord, error) {
	var r core.JobRecord
	var cancel int
	var started, finished int64
	var beat sql.NullInt64
	err := j.reader.QueryRowContext(ctx, `SELECT j.id, j.user_id, j.session, j.op, j.state, j.done, j.total, j.result, j.error,
		j.instance, j.cancel, j.started, j.finished, i.heartbeat
		FROM job j LEFT JOIN job_instance i ON i.id = j.instance WHERE j.id = ?`, id).Scan(
		&r.ID, &r.User, &r.Session, &r.Op, &r.State, &r.Done, &r.Total, &r.Result, &r.Error,
		&r.Instance, &cancel, &started, &finished, &beat)
	if errors.Is(err, sql.ErrNoRows) {
		return r, errNoJob
	}
	if err != nil {
		return r, dbErr("job", err)
	}
	r.Cancel, r.Started = cancel != 0, fromMS(started)
	if finished > 0 {
		r.Finished = fromMS(finished)
	}
	if beat.Valid {
		r.Heartbeat = fromMS(beat.Int64)
	}
	return r, nil
}

func (j *Jobs) JobProgress(ctx context.Context, id, instance string, done, total int) (bool, error) {
	var cancel bool
	err := j.write(ctx, "job", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE job SET done = ?, total = ? WHERE id = ? AND instance = ? AND state = ?`,
			done, total, id, instance, core.JobRunning)
		if err != nil {
			return dbErr("job", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			cancel = true
			return nil
		}
		var c int
		if err := tx.QueryRowContext(ctx, `SELECT cancel FROM job WHERE id = ?`, id).Scan(&c); err != nil {
			return dbErr("job", err)
		}
		cancel = c != 0
		return nil
	})
	return cancel, err
}

func (j *Jobs) EndJob(ctx context.Context, r core.JobRecord) (bool, error) {
	var ended bool
	err := j.write(ctx, "job", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE job SET state = ?, done = ?, total = ?, result = ?, error = ?, finished = ?
			WHERE id = ? AND instance = ? AND state = ?`,
			r.State, r.Done, r.Total, r.Result, r.Error, ms(r.Finished), r.ID, r.Instance, core.JobRunning)
		if err != nil {
			return dbErr("job", err)
		}
		n, _ := res.RowsAffected()
		ended = n == 1
		return nil
	})
	return ended, err
}

func (j *Jobs) CancelJob(ctx context.Context, id string) error {
	return j.write(ctx, "job", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE job SET cancel = 1 WHERE id = ? AND state = ?`, id, core.JobRunning)
		return dbErr("job", err)
	})
}

func (j *Jobs) ForgetJob(ctx context.Context, id string) error {
	return j.write(ctx, "job", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM job WHERE id = ?`, id)
		return dbErr("job", err)
	})
}

// instanceForgotten is how long an instance silent for is forgotten (its
// jobs are long ended by then, failed by whoever read them).
const instanceForgotten = 24 * time.Hour

func (j *Jobs) Heartbeat(ctx context.Context, instance string, at time.Time) error {
	return j.write(ctx, "job", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO job_instance (id, heartbeat) VALUES (?, ?)
			ON CONFLICT (id) DO UPDATE SET heartbeat = excluded.heartbeat`, instance, ms(at)); err != nil {
			return dbErr("job", err)
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM job_instance WHERE heartbeat < ?`, ms(at.Add(-instanceForgotten)))
		return dbErr("job", err)
	})
}
