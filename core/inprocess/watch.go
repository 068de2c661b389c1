package inprocess

import (
	"context"

	"github.com/ocular-lab/ocular/core"
)

// WatchRecords implements core.WatchState: a user sees the records their own
// station runs wrote; administrators see every record.
func (s *session) WatchRecords(ctx context.Context, station string) ([]core.WatchRecord, error) {
	var out []core.WatchRecord
	err := s.read(ctx, func(d *ctxData) error {
		rs, err := d.tx.WatchRecords(station)
		if err != nil {
			return err
		}
		for _, r := range rs {
			if r.Owner == d.actor.UserID || d.actor.Admin {
				out = append(out, r)
			}
		}
		return nil
	})
	return out, err
}

// SaveWatchRecord implements core.WatchState. A record belongs to the user
// running the station; another user's record for the same path is not
// overwritten.
func (s *session) SaveWatchRecord(ctx context.Context, r core.WatchRecord) error {
	const op = "watch"
	return s.write(ctx, func(d *ctxData) error {
		if d.actor.Guest {
			return core.Errorf(op, core.Permission, "the guest account cannot run an import station")
		}
		if r.Station == "" || r.Path == "" {
			return core.Errorf(op, core.Invalid, "a station record needs a station name and a path")
		}
		existing, err := d.tx.WatchRecords(r.Station)
		if err != nil {
			return err
		}
		for _, e := range existing {
			if e.Path == r.Path && e.Owner != d.actor.UserID && !d.actor.Admin {
				return core.Errorf(op, core.Permission, "station %q is run by another user", r.Station)
			}
		}
		r.Owner = d.actor.UserID
		return d.tx.SaveWatchRecord(r)
	})
}
