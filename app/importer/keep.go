package importer

import (
	"sync"
	"unsafe"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/pixel"
)

// keepMax bounds the bytes of one unit's files held in memory from their
// copy to their statistics: a unit this small is read from its files once
// (copied, hashed, and its planes' statistics and thumbnail taken from the
// same bytes), a bigger one is streamed and its planes read again by the
// reader. A 2048x2048 two-channel uint16 image fits.
const keepMax = 32 << 20

// keepFreeMax bounds the bytes of buffers kept for the next units: two
// workers' worth of the biggest units.
const keepFreeMax = 2 * keepMax

// keeper lends the buffers that hold a unit's file bytes between the copy
// and the statistics pass, and takes them back for the next units, so that
// a batch of small files does not allocate (and so clear and fault in) a
// new buffer per file. It is shared by the workers of one import, and
// closed at its end: the buffers it mapped outside the Go heap (mapBuffer)
// are given back then, or when dropped.
type keeper struct {
	mu        sync.Mutex
	free      [][]byte
	freeBytes int
	// mapped holds the first byte of each buffer from mapBuffer.
	mapped map[*byte]bool
	closed bool
}

// get returns a buffer of n bytes (contents undefined).
func (k *keeper) get(n int) []byte {
	k.mu.Lock()
	defer k.mu.Unlock()
	for i, b := range k.free {
		if cap(b) >= n {
			k.free = append(k.free[:i], k.free[i+1:]...)
			k.freeBytes -= cap(b)
			return b[:n]
		}
	}
	if b, ok := mapBuffer(n); ok {
		if k.mapped == nil {
			k.mapped = map[*byte]bool{}
		}
		k.mapped[unsafe.SliceData(b)] = true
		return b
	}
	return make([]byte, n)
}

// put gives a buffer back; it is dropped when enough are kept already or
// the import has ended.
func (k *keeper) put(b []byte) {
	if k == nil || b == nil {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed || k.freeBytes+cap(b) > keepFreeMax {
		k.drop(b)
		return
	}
	k.free = append(k.free, b[:0])
	k.freeBytes += cap(b)
}

// close drops the buffers kept for next units; those still lent are
// dropped when given back.
func (k *keeper) close() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.closed = true
	for _, b := range k.free {
		k.drop(b)
	}
	k.free, k.freeBytes = nil, 0
}

// drop lets go of a buffer: unmapped when mapped, else left to the GC.
func (k *keeper) drop(b []byte) {
	if p := unsafe.SliceData(b); k.mapped[p] {
		delete(k.mapped, p)
		unmapBuffer(b)
	}
}

// keptOf maps the files of a unit that kept their bytes to those bytes,
// by the path the unit's reader knows them by (the client path, before a
// server's staged paths are replaced); nil when none did.
func keptOf(files []placed) keptBytes {
	var k keptBytes
	for _, f := range files {
		if f.kept != nil {
			if k == nil {
				k = keptBytes{}
			}
			k[f.entry.ClientPath] = f.kept
		}
	}
	return k
}

// release gives a unit's kept bytes back; the planes viewing them must no
// longer be used.
func (k *keeper) release(files []placed) {
	for i := range files {
		k.put(files[i].kept)
		files[i].kept = nil
	}
}

// keptBytes maps each file of a unit (by the path its reader knows it by)
// to its bytes as copied; nil when the unit was not kept.
type keptBytes map[string][]byte

// plane returns plane (z, c, t) of a level of series si as a view of the
// kept bytes, when the reader says where it lies (formats.PlaneSpan) and
// those bytes are held; nil otherwise (the caller reads the plane). The
// view is read-only and valid until the bytes are given back.
func (k keptBytes) plane(r formats.Reader, si, level, z, c, t, w, h int, typ pixel.Type) *pixel.Plane {
	ps, ok := r.(formats.PlaneSpan)
	if !ok || len(k) == 0 {
		return nil
	}
	path, off, n, ok := ps.PlaneSpan(si, level, z, c, t)
	if !ok {
		return nil
	}
	b := k[path]
	if want := int64(w) * int64(h) * int64(typ.Size()); n != want || off < 0 || off > int64(len(b)) || n > int64(len(b))-off {
		return nil
	}
	return &pixel.Plane{Type: typ, Width: w, Height: h, Data: b[off : off+n : off+n]}
}
