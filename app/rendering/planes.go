package rendering

import (
	"image"

	"github.com/ocular-lab/ocular/core/pixel"
)

// planeKey names one plane (or one region of one) of one series.
type planeKey struct {
	file                   string
	series, level, z, c, t int
	region                 image.Rectangle
	// scaled is the size the plane was reduced to for display; zero for
	// the plane as read.
	scaled image.Point
}

// planeCache keeps decoded planes, bounded by their bytes. The viewer
// re-renders the same planes many times while a user drags a window
// slider; keeping them decoded makes each re-render pure computation.
type planeCache = lru[planeKey, *pixel.Plane]

func newPlaneCache(max int64) *planeCache {
	return newLRU[planeKey](max, func(p *pixel.Plane) int64 { return int64(len(p.Data)) })
}
