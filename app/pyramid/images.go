package pyramid

import (
	"os"
	"strconv"
	"time"

	"github.com/ocular-lab/ocular/core"
)

// Images lists the images that have built pyramids in the cache, each with
// the time its folder last changed (a sweep leaves recent ones alone: their
// image may be an import not yet committed).
func (c *Cache) Images() map[core.ID]time.Time {
	out := map[core.ID]time.Time{}
	ents, _ := os.ReadDir(c.dir)
	for _, e := range ents {
		id, err := strconv.ParseInt(e.Name(), 10, 64)
		if !e.IsDir() || err != nil || id <= 0 {
			continue // staging folders and anything else
		}
		if info, err := e.Info(); err == nil {
			out[core.ID(id)] = info.ModTime()
		}
	}
	return out
}
