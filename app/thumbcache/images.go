package thumbcache

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/core"
)

// Images lists the images that have cached thumbnails, each with the time
// its newest thumbnail was written (a sweep leaves recent ones alone: their
// image may be an import not yet committed).
func (c *Cache) Images() map[core.ID]time.Time {
	out := map[core.ID]time.Time{}
	buckets, _ := os.ReadDir(c.dir)
	for _, b := range buckets {
		if !b.IsDir() || b.Name() == "blobs" {
			continue
		}
		files, _ := os.ReadDir(filepath.Join(c.dir, b.Name()))
		for _, f := range files {
			head, _, ok := strings.Cut(f.Name(), "-")
			id, err := strconv.ParseInt(head, 10, 64)
			if !ok || err != nil || !strings.HasSuffix(f.Name(), ".png") {
				continue
			}
			if info, err := f.Info(); err == nil && info.ModTime().After(out[core.ID(id)]) {
				out[core.ID(id)] = info.ModTime()
			}
		}
	}
	return out
}
