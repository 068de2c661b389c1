// Package housekeeping keeps a repository's derived caches (thumbnails in
// app/thumbcache, built pyramids in app/pyramid) in step with its images.
// Both are keyed by image ID and hold only what can be regenerated, so
// removing an entry never loses data; keeping one of a deleted image only
// wastes disk (image IDs are never reused, so it is never shown again).
//
// Deletes report their images at once (inprocess.Service.OnImagesDeleted,
// wired to Dropper by the composition roots); Sweep catches what a crash or
// another process's delete left behind, and runs at the desktop's start and
// in `ocular-cli repair`.
package housekeeping

import (
	"context"
	"slices"
	"time"

	"github.com/ocular-lab/ocular/app/pyramid"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
)

// Caches are the derived caches of one repository folder.
type Caches struct {
	Thumbs   *thumbcache.Cache
	Pyramids *pyramid.Cache
}

// ForRepository returns the caches of a local repository folder.
func ForRepository(repoDir string) Caches {
	return Caches{Thumbs: thumbcache.ForRepository(repoDir), Pyramids: pyramid.ForRepository(repoDir)}
}

// Drop removes everything cached for images; errors are ignored (what is
// left, the next Sweep removes). The thumbnail blobs they alone linked to
// stay until Sweep: finding them walks every blob, too much for each delete.
func (c Caches) Drop(images []core.ID) {
	for _, id := range images {
		c.Thumbs.Drop(id)
		c.Pyramids.Drop(id)
	}
}

// Dropper is Drop as the hook inprocess.Service.OnImagesDeleted takes.
func Dropper(repoDir string) func([]core.ID) { return ForRepository(repoDir).Drop }

// Existing reports which of ids are images that still exist
// (inprocess.Service.ExistingImages).
type Existing func(ctx context.Context, ids []core.ID) (map[core.ID]bool, error)

// Report says what a Sweep removed.
type Report struct {
	// Images are the deleted images whose cached thumbnails or pyramids went.
	Images []core.ID `json:"images"`
}

// Sweep removes the cached thumbnails and pyramids of images that no
// longer exist, leaving entries written less than minAge ago (an import in
// progress has cached files before its rows are committed), then the
// thumbnail blobs no thumbnail links to any more (deleted images, changed
// settings).
func (c Caches) Sweep(ctx context.Context, exists Existing, minAge time.Duration) (Report, error) {
	defer c.Thumbs.Sweep(minAge)
	cutoff := time.Now().Add(-minAge)
	cached := c.Thumbs.Images()
	for id, t := range c.Pyramids.Images() {
		if t.After(cached[id]) {
			cached[id] = t
		}
	}
	var old []core.ID
	for id, t := range cached {
		if t.Before(cutoff) {
			old = append(old, id)
		}
	}
	slices.Sort(old)
	if len(old) == 0 {
		return Report{}, nil
	}
	alive, err := exists(ctx, old)
	if err != nil {
		return Report{}, err
	}
	var gone []core.ID
	for _, id := range old {
		if !alive[id] {
			gone = append(gone, id)
		}
	}
	c.Drop(gone)
	return Report{Images: gone}, nil
}
