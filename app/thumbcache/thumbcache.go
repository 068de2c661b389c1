// Package thumbcache keeps rendered thumbnails as PNG files in the
// repository's cache folder. A thumbnail is keyed by image, the owner of the
// rendering settings it shows, its size and a version of those settings (a
// hash of their JSON), so it is regenerated exactly when what it shows
// changes. Deleting the cache folder loses nothing: thumbnails are redrawn.
//
// Identical thumbnails are stored once: each PNG is a blob named by its
// checksum, and every key naming those bytes is a hard link to the blob. The
// training demo's 50 users see the same pictures of the same files, so their
// thousand thumbnails cost the disk what one user's do.
package thumbcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/diskmode"
)

// DefaultSize is the thumbnail size the grid shows, as in OMERO.
const DefaultSize = 96

// Cache is a folder of thumbnails. The zero value is unusable; use New.
type Cache struct{ dir string }

// New returns a cache below dir (created on first Put).
func New(dir string) *Cache { return &Cache{dir: dir} }

// ForRepository is the cache of a local repository folder.
func ForRepository(repoDir string) *Cache {
	return New(filepath.Join(repoDir, "cache", "thumbnails"))
}

// Key names one thumbnail.
type Key struct {
	Image   core.ID
	Owner   core.ID // whose rendering settings it shows
	Size    int     // longest side in pixels
	Version string  // SettingsVersion of those settings
}

// SettingsVersion derives a version from the settings JSON.
func SettingsVersion(settingsJSON []byte) string {
	sum := sha256.Sum256(settingsJSON)
	return hex.EncodeToString(sum[:8])
}

func (c *Cache) path(k Key) string {
	return filepath.Join(c.dir, fmt.Sprintf("%03d", k.Image%1000),
		fmt.Sprintf("%d-%d-%d-%s.png", k.Image, k.Owner, k.Size, k.Version))
}

// Get returns the PNG bytes of a cached thumbnail.
func (c *Cache) Get(k Key) ([]byte, bool) {
	b, err := os.ReadFile(c.path(k))
	return b, err == nil
}

// Put encodes img as PNG and stores it under k. The bytes go to their blob
// first (written to a temporary name and renamed, so a crash never leaves a
// half-written file behind a valid name), then k's name is linked to the
// blob the same way.
func (c *Cache) Put(k Key, img image.Image) ([]byte, error) {
	b, err := Encode(img)
	if err != nil {
		return nil, err
	}
	return b, c.PutPNG(k, b)
}

// encoder reuses its compressor between thumbnails: png.Encode allocates
// (and clears) about a megabyte of deflate state for every image, which
// cost an import of small files more than compressing its thumbnails.
// Opaque pictures (every rendered one) take the faster encodeOpaqueRGBA.
var encoder = png.Encoder{BufferPool: &encoderBuffers{}}

type encoderBuffers struct{ sync.Pool }

func (p *encoderBuffers) Get() *png.EncoderBuffer {
	b, _ := p.Pool.Get().(*png.EncoderBuffer)
	return b
}

func (p *encoderBuffers) Put(b *png.EncoderBuffer) { p.Pool.Put(b) }

// Encode encodes a thumbnail as Put stores it, so that the work can be done
// away from the goroutine that stores it (PutPNG).
func Encode(img image.Image) ([]byte, error) {
	if rgba, ok := img.(*image.RGBA); ok && opaque(rgba) {
		return encodeOpaqueRGBA(rgba) // every rendered thumbnail
	}
	var buf bytes.Buffer
	if err := encoder.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// PutPNG stores a thumbnail already encoded (Encode) under k, as Put does.
func (c *Cache) PutPNG(k Key, b []byte) error {
	sum := sha256.Sum256(b)
	name := hex.EncodeToString(sum[:])
	blob := filepath.Join(c.dir, "blobs", name[:2], name+".png")
	if _, err := os.Stat(blob); err != nil {
		if err := writeAtomic(blob, b); err != nil {
			return err
		}
	}
	p := c.path(k)
	if err := os.MkdirAll(filepath.Dir(p), diskmode.Dir()); err != nil {
		return err
	}
	tmp := p + ".tmp-link"
	os.Remove(tmp)
	if err := os.Link(blob, tmp); err != nil {
		// A file system without hard links still gets a working cache.
		return writeAtomic(p, b)
	}
	if err := os.Rename(tmp, p); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

func writeAtomic(p string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), diskmode.Dir()); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".thumb-*")
	if err != nil {
		return err
	}
	// CreateTemp makes 0600 files; a shared repository's group reads them too.
	if err := tmp.Chmod(diskmode.File()); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// Sweep removes blobs no key links to any more (after images were
// deleted or settings changed) and last written more than minAge ago: a Put
// may be about to link a newer one.
func (c *Cache) Sweep(minAge time.Duration) {
	cutoff := time.Now().Add(-minAge)
	filepath.WalkDir(filepath.Join(c.dir, "blobs"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if info, err := d.Info(); err == nil && !info.ModTime().After(cutoff) {
			if st, ok := info.Sys().(*syscall.Stat_t); ok && st.Nlink == 1 {
				os.Remove(p)
			}
		}
		return nil
	})
}

// Drop removes every cached thumbnail of an image (after it is deleted).
func (c *Cache) Drop(image core.ID) {
	matches, _ := filepath.Glob(filepath.Join(c.dir, fmt.Sprintf("%03d", image%1000), fmt.Sprintf("%d-*.png", image)))
	for _, m := range matches {
		os.Remove(m)
	}
}
