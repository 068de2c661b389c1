package rendering

import (
	"container/list"
	"sync"
)

// lru is a least-recently-used cache bounded by the summed cost of its
// values (bytes for planes and JPEGs, 1 for a session's renderer). It is
// safe for concurrent use; a nil lru keeps nothing. Values are shared:
// nobody may modify one that is cached.
type lru[K comparable, V any] struct {
	max  int64
	cost func(V) int64

	mu      sync.Mutex
	size    int64
	byKey   map[K]*list.Element
	recency *list.List // values are *lruEntry, front = most recent
}

type lruEntry[K comparable, V any] struct {
	key K
	v   V
}

func newLRU[K comparable, V any](max int64, cost func(V) int64) *lru[K, V] {
	return &lru[K, V]{max: max, cost: cost, byKey: map[K]*list.Element{}, recency: list.New()}
}

func (c *lru[K, V]) get(k K) (V, bool) {
	var zero V
	if c == nil {
		return zero, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[k]; ok {
		c.recency.MoveToFront(el)
		return el.Value.(*lruEntry[K, V]).v, true
	}
	return zero, false
}

// put stores v unless k is already there; a value costlier than the whole
// cache is not kept.
func (c *lru[K, V]) put(k K, v V) {
	if c == nil || c.cost(v) > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.addLocked(k, v)
}

// getOrAdd returns k's value, adding mk()'s when there is none, in one
// step: two callers asking for the same key at once get the same value.
func (c *lru[K, V]) getOrAdd(k K, mk func() V) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[k]; ok {
		c.recency.MoveToFront(el)
		return el.Value.(*lruEntry[K, V]).v
	}
	v := mk()
	c.addLocked(k, v)
	return v
}

func (c *lru[K, V]) addLocked(k K, v V) {
	if _, ok := c.byKey[k]; ok {
		return
	}
	c.byKey[k] = c.recency.PushFront(&lruEntry[K, V]{key: k, v: v})
	c.size += c.cost(v)
	for c.size > c.max {
		el := c.recency.Back()
		e := el.Value.(*lruEntry[K, V])
		c.recency.Remove(el)
		delete(c.byKey, e.key)
		c.size -= c.cost(e.v)
	}
}

func (c *lru[K, V]) purge() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byKey = map[K]*list.Element{}
	c.recency.Init()
	c.size = 0
}
