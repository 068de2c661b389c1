package server

import (
	"sort"
	"strings"
	"sync"
	"time"
)

// loginLimiter slows down password guessing: each username and each client
// address has a token bucket of failed logins: a user 5 a minute, an
// address (which many users behind one NAT may share) 30 a minute. A key whose bucket is empty is refused before its
// password is checked, with the time to wait. A successful login does not
// refill a bucket: an attacker who guesses slowly gains nothing from
// logging into an account of their own in between.
//
// The table is bounded (loginTableMax entries): when it is full, full
// buckets (keys that have not failed lately) are dropped first, then the
// oldest, so a flood of addresses costs memory once, never without bound.
// (A flood may so free a guesser's bucket early; the other key of each
// attempt, user or address, still limits it.)
type loginLimiter struct {
	mu      sync.Mutex
	now     func() time.Time
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time // when tokens was computed
	burst  float64   // the most failures in a row; one more is allowed every refill
	refill time.Duration
}

const (
	userBurst     = 5
	addrBurst     = 30
	loginTableMax = 10000
)

// newBucket is a full bucket for key ("user:..." or "addr:...").
func newBucket(key string, now time.Time) *bucket {
	if strings.HasPrefix(key, "addr:") {
		return &bucket{tokens: addrBurst, at: now, burst: addrBurst, refill: time.Minute / addrBurst}
	}
	return &bucket{tokens: userBurst, at: now, burst: userBurst, refill: time.Minute / userBurst}
}

func newLoginLimiter(now func() time.Time) *loginLimiter {
	return &loginLimiter{now: now, buckets: map[string]*bucket{}}
}

// level brings b's tokens up to now.
func (b *bucket) level(now time.Time) float64 {
	t := b.tokens + float64(now.Sub(b.at))/float64(b.refill)
	if t > b.burst {
		t = b.burst
	}
	return t
}

// wait is how long the caller must wait before a login attempt for any of
// keys is tried, 0 when none is exhausted.
func (l *loginLimiter) wait(keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var longest time.Duration
	for _, k := range keys {
		b, ok := l.buckets[k]
		if !ok {
			continue
		}
		if t := b.level(now); t < 1 {
			d := time.Duration((1 - t) * float64(b.refill))
			longest = max(longest, d)
		}
	}
	return longest
}

// failed takes a token from each key's bucket.
func (l *loginLimiter) failed(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, k := range keys {
		b, ok := l.buckets[k]
		if !ok {
			if len(l.buckets) >= loginTableMax {
				l.evict(now)
			}
			b = newBucket(k, now)
			l.buckets[k] = b
		}
		b.tokens = max(b.level(now)-1, 0)
		b.at = now
	}
}

// evict frees room: every bucket that has refilled (it limits nothing),
// and if that leaves the table more than half full, the buckets untouched
// longest down to half. Freeing half at once keeps a flood's cost per
// failed login logarithmic.
func (l *loginLimiter) evict(now time.Time) {
	for k, b := range l.buckets {
		if b.level(now) >= b.burst {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) <= loginTableMax/2 {
		return
	}
	type aged struct {
		key string
		at  time.Time
	}
	all := make([]aged, 0, len(l.buckets))
	for k, b := range l.buckets {
		all = append(all, aged{k, b.at})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].at.Before(all[j].at) })
	for _, a := range all[:len(all)-loginTableMax/2] {
		delete(l.buckets, a.key)
	}
}
