package viewer

import (
	"fmt"

	"github.com/ocular-lab/ocular/core/render"
)

// This file holds the rules of the viewer's intensity projection: which
// kinds it offers, its Z range, and what its label says.
//
// The projection is part of the settings (render.Settings.Projection): it
// is drawn instead of the plane, Save keeps it with the rest (the
// repository stores the settings whole), Imported clears it (the import
// defaults have none, as core.ResetRendering gives) and Owner's shows the
// owner's. Paste keeps the target's own (render.ApplyPasteOnto).

// ProjectionChoice is one entry of the projection menu.
type ProjectionChoice struct {
	Name string
	Kind render.ProjectionKind
}

// Projections are the projection menu's entries, "None" first.
var Projections = []ProjectionChoice{
	{"None", render.ProjectNone},
	{"Maximum intensity", render.ProjectMax},
	{"Mean intensity", render.ProjectMean},
	{"Sum intensity", render.ProjectSum},
}

// ProjectionNames are the names of Projections, for a menu.
func ProjectionNames() []string {
	out := make([]string, len(Projections))
	for i, p := range Projections {
		out[i] = p.Name
	}
	return out
}

// ParseProjection turns a menu entry back into a projection kind.
func ParseProjection(name string) (render.ProjectionKind, bool) {
	for _, p := range Projections {
		if p.Name == name {
			return p.Kind, true
		}
	}
	return render.ProjectNone, false
}

// Projecting reports whether a projection is shown instead of plane Z.
func (m *Model) Projecting() bool {
	p := m.Settings.Projection
	return p != nil && p.Kind != render.ProjectNone
}

// ProjectionName is the menu entry of the projection shown ("None" when a
// single plane is).
func (m *Model) ProjectionName() string {
	if !m.Projecting() {
		return Projections[0].Name
	}
	for _, p := range Projections {
		if p.Kind == m.Settings.Projection.Kind {
			return p.Name
		}
	}
	return string(m.Settings.Projection.Kind)
}

// ProjectionRange is the Z range projected, 0-based and inclusive: the
// settings' own when projecting, else every plane.
func (m *Model) ProjectionRange() (start, end int) {
	if m.Projecting() {
		return m.Settings.Projection.StartZ, m.Settings.Projection.EndZ
	}
	return 0, max(m.Pixels.SizeZ-1, 0)
}

// SetProjection shows an intensity projection of kind over planes
// start..end (0-based, inclusive), or plane Z again for render.ProjectNone.
// The range is put in order and clamped to the image's planes. An unknown
// kind changes nothing and says so.
func (m *Model) SetProjection(kind render.ProjectionKind, start, end int) error {
	switch kind {
	case render.ProjectNone:
		m.Settings.Projection = nil
		return nil
	case render.ProjectMax, render.ProjectMean, render.ProjectSum:
	default:
		return fmt.Errorf("unknown projection %q: choose maximum, mean or sum intensity", kind)
	}
	if end < start {
		start, end = end, start
	}
	last := max(m.Pixels.SizeZ-1, 0)
	m.Settings.Projection = &render.Projection{Kind: kind, StartZ: clampInt(start, 0, last), EndZ: clampInt(end, 0, last)}
	return nil
}

// ProjectionLabel says which planes a range covers, 1-based as users count
// them: "Z 3–12 of 20".
func (m *Model) ProjectionLabel(start, end int) string {
	return fmt.Sprintf("Z %d–%d of %d", start+1, end+1, m.Pixels.SizeZ)
}
