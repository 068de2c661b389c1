package rendering

import (
	"container/list"
	"image"
	"sync"

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

// planeCache is a byte-bounded LRU of decoded planes. The viewer re-renders
// the same planes many times while a user drags a window slider; keeping
// them decoded makes each re-render pure computation.
type planeCache struct {
	max int64

	mu      sync.Mutex
	size    int64
	byKey   map[planeKey]*list.Element
	recency *list.List // values are *planeEntry, front = most recent
}

type planeEntry struct {
	key planeKey
	p   *pixel.Plane
}

func newPlaneCache(max int64) *planeCache {
	return &planeCache{max: max, byKey: map[planeKey]*list.Element{}, recency: list.New()}
}

func (c *planeCache) get(k planeKey) *pixel.Plane {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[k]; ok {
		c.recency.MoveToFront(el)
		return el.Value.(*planeEntry).p
	}
	return nil
}

// put stores a plane; planes larger than the whole cache are not kept.
// Cached planes are shared: nobody may modify them.
func (c *planeCache) put(k planeKey, p *pixel.Plane) {
	n := int64(len(p.Data))
	if n > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[k]; ok {
		return
	}
	c.byKey[k] = c.recency.PushFront(&planeEntry{key: k, p: p})
	c.size += n
	for c.size > c.max {
		el := c.recency.Back()
		e := el.Value.(*planeEntry)
		c.recency.Remove(el)
		delete(c.byKey, e.key)
		c.size -= int64(len(e.p.Data))
	}
}

func (c *planeCache) purge() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byKey = map[planeKey]*list.Element{}
	c.recency.Init()
	c.size = 0
}
