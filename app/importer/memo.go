package importer

import (
	"fmt"
	"strings"
	"sync"
)

// Memo remembers what reading a file set produced (statistics, import-time
// settings and the thumbnail), keyed by the checksums of its files, so that
// importing the very same bytes again reads no pixels. The training demo
// gives every user their own import of one set of files; a Memo shared by
// those imports makes the 50-user demo cost one read of the pixels.
type Memo struct {
	mu sync.Mutex
	m  map[string]*prepared
}

// NewMemo returns an empty memo.
func NewMemo() *Memo { return &Memo{m: map[string]*prepared{}} }

func memoKey(files []placed, series int) string {
	sums := make([]string, len(files))
	for i, f := range files {
		sums[i] = f.entry.Checksum
	}
	return fmt.Sprintf("%s#%d", strings.Join(sums, ","), series)
}

func (m *Memo) get(key string) *prepared {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.m[key]
}

func (m *Memo) put(key string, p *prepared) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[key] = p
}

// thumbnailOnce draws and encodes a prepared series' thumbnail the first
// time it is asked for and keeps the PNG, dropping the planes it was drawn
// from.
func (p *prepared) thumbnailOnce(draw func() ([]byte, error)) ([]byte, error) {
	p.thumbMu.Lock()
	defer p.thumbMu.Unlock()
	if p.thumb != nil || p.thumbPlanes == nil {
		return p.thumb, nil
	}
	t, err := draw()
	if err != nil {
		return nil, err
	}
	p.thumb, p.thumbPlanes = t, nil
	return t, nil
}

// holdsPlanes reports whether the thumbnail's planes are still in memory.
func (p *prepared) holdsPlanes() bool {
	p.thumbMu.Lock()
	defer p.thumbMu.Unlock()
	return p.thumbPlanes != nil
}
