package inprocess

import (
	"github.com/ocular-lab/ocular/core"
)

// downgradeToPrivate runs the graph operation of spec §2 inside the caller's
// transaction (SetGroupLevel): it fails, changing nothing, when the group
// holds a field of one owner showing another owner's image; otherwise it
// deletes the cross-owner links, the annotations they orphan and other
// users' ROIs and rendering settings, then makes the group private. No file
// is removed (tags and file annotations survive).
func (s *session) downgradeToPrivate(d *ctxData, g core.Group) error {
	r, err := s.planGraph(d, core.GraphRequest{Op: core.OpChmod, Group: g.ID, Level: core.Private})
	if err != nil {
		return err
	}
	if err := r.plan.Err("change group permissions"); err != nil {
		return err
	}
	var res core.GraphResult
	res.GraphPlan = r.public()
	return r.apply(&res)
}
