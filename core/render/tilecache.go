package render

import (
	"container/list"
	"sync"
	"sync/atomic"

	"github.com/ocular-lab/ocular/core/pixel"
)

// DefaultTileCacheBytes is the memory a TileCache holds by default.
const DefaultTileCacheBytes = 256 << 20

// tileKey names one tile of one source.
type tileKey struct {
	src                    uint64
	level, z, c, t, tx, ty int
}

// TileCache is a thread-safe, memory-bounded LRU cache of decoded tiles.
// Concurrent requests for the same missing tile fetch it once. One cache may
// be shared by several ViewportRenderers.
type TileCache struct {
	mu       sync.Mutex
	max      int64
	used     int64
	lru      *list.List // front = most recently used; values are *tileEntry
	entries  map[tileKey]*list.Element
	inflight map[tileKey]*tileCall
	hits     int64
	misses   int64
	waiting  atomic.Int64 // goroutines waiting on another's fetch (for tests)
}

type tileEntry struct {
	key   tileKey
	plane *pixel.Plane
}

type tileCall struct {
	done  chan struct{}
	plane *pixel.Plane
	err   error
}

// NewTileCache returns a cache holding at most maxBytes of tile data
// (DefaultTileCacheBytes when maxBytes <= 0).
func NewTileCache(maxBytes int64) *TileCache {
	if maxBytes <= 0 {
		maxBytes = DefaultTileCacheBytes
	}
	return &TileCache{max: maxBytes, lru: list.New(), entries: map[tileKey]*list.Element{}, inflight: map[tileKey]*tileCall{}}
}

// TileCacheStats reports a cache's use.
type TileCacheStats struct {
	Tiles        int
	Bytes, Max   int64
	Hits, Misses int64
}

// Stats returns the cache's current use.
func (c *TileCache) Stats() TileCacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return TileCacheStats{Tiles: c.lru.Len(), Bytes: c.used, Max: c.max, Hits: c.hits, Misses: c.misses}
}

// Purge empties the cache.
func (c *TileCache) Purge() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lru.Init()
	clear(c.entries)
	c.used = 0
}

// cached returns the tile if present, marking it recently used.
func (c *TileCache) cached(k tileKey) *pixel.Plane {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[k]; ok {
		c.lru.MoveToFront(e)
		c.hits++
		return e.Value.(*tileEntry).plane
	}
	return nil
}

// get returns the tile for k, calling fetch at most once however many
// goroutines ask for the same missing tile at the same time.
func (c *TileCache) get(k tileKey, fetch func() (*pixel.Plane, error)) (*pixel.Plane, error) {
	c.mu.Lock()
	if e, ok := c.entries[k]; ok {
		c.lru.MoveToFront(e)
		c.hits++
		c.mu.Unlock()
		return e.Value.(*tileEntry).plane, nil
	}
	if call, ok := c.inflight[k]; ok {
		c.mu.Unlock()
		c.waiting.Add(1)
		<-call.done
		c.waiting.Add(-1)
		return call.plane, call.err
	}
	c.misses++
	call := &tileCall{done: make(chan struct{})}
	c.inflight[k] = call
	c.mu.Unlock()

	call.plane, call.err = fetch()

	c.mu.Lock()
	delete(c.inflight, k)
	if call.err == nil {
		c.add(k, call.plane)
	}
	c.mu.Unlock()
	close(call.done)
	return call.plane, call.err
}

// add stores a tile, evicting the least recently used ones to stay within
// the bound. A tile larger than the whole cache is not stored. Caller holds c.mu.
func (c *TileCache) add(k tileKey, p *pixel.Plane) {
	size := int64(len(p.Data)) + 64
	if size > c.max {
		return
	}
	if _, ok := c.entries[k]; ok {
		return
	}
	for c.used+size > c.max {
		back := c.lru.Back()
		ent := back.Value.(*tileEntry)
		c.used -= int64(len(ent.plane.Data)) + 64
		delete(c.entries, ent.key)
		c.lru.Remove(back)
	}
	c.entries[k] = c.lru.PushFront(&tileEntry{key: k, plane: p})
	c.used += size
}
