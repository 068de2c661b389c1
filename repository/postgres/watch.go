package postgres

import "github.com/ocular-lab/ocular/core"

func (t *txn) WatchRecords(station string) ([]core.WatchRecord, error) {
	rows, err := t.tx.Query(t.ctx, `SELECT station, path, owner_id, size, mtime, status, attempts, last_error, next_try, result, updated,
		attempt_started, fileset_mark, crashes FROM watch_record WHERE station = $1 ORDER BY path`, station)
	if err != nil {
		return nil, dbErr("read station records", err)
	}
	defer rows.Close()
	var out []core.WatchRecord
	for rows.Next() {
		var r core.WatchRecord
		var owner, mark, mtime, next, updated, started int64
		if err := rows.Scan(&r.Station, &r.Path, &owner, &r.Size, &mtime, &r.Status, &r.Attempts, &r.LastError, &next, &r.Result, &updated,
			&started, &mark, &r.Crashes); err != nil {
			return nil, dbErr("read station records", err)
		}
		r.Owner, r.FilesetMark = core.ID(owner), core.ID(mark)
		r.ModTime, r.Updated = fromMS(mtime), fromMS(updated)
		if next > 0 {
			r.NextTry = fromMS(next)
		}
		if started > 0 {
			r.AttemptStarted = fromMS(started)
		}
		out = append(out, r)
	}
	return out, dbErr("read station records", rows.Err())
}

func (t *txn) SaveWatchRecord(r core.WatchRecord) error {
	var next, started int64
	if !r.NextTry.IsZero() {
		next = ms(r.NextTry)
	}
	if !r.AttemptStarted.IsZero() {
		started = ms(r.AttemptStarted)
	}
	_, err := t.tx.Exec(t.ctx, `INSERT INTO watch_record (station, path, owner_id, size, mtime, status, attempts, last_error, next_try, result, updated,
		attempt_started, fileset_mark, crashes)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT (station, path) DO UPDATE SET owner_id=excluded.owner_id, size=excluded.size, mtime=excluded.mtime,
		status=excluded.status, attempts=excluded.attempts, last_error=excluded.last_error, next_try=excluded.next_try,
		result=excluded.result, updated=excluded.updated, attempt_started=excluded.attempt_started,
		fileset_mark=excluded.fileset_mark, crashes=excluded.crashes`,
		r.Station, r.Path, int64(r.Owner), r.Size, ms(r.ModTime), r.Status, r.Attempts, r.LastError, next, r.Result, ms(now()),
		started, int64(r.FilesetMark), r.Crashes)
	return dbErr("save station record", err)
}
