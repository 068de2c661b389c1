package server

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// A grid asks for the same thumbnails again and again; each answer costs
// resolving the session and reading the owner's settings, far more than
// sending a 3 KB JPEG. thumbMemo keeps recent answers of render_thumbnail
// keyed by everything the answer depends on (session key, group header,
// image, size) together with the repository's generation taken before
// they were computed, and serves one again only while the generation is
// unchanged (nothing was written, nobody logged out) and for at most
// memoTTL (sessions expire on time, not on writes). Such an answer is the
// one a fresh request would get. A Service without a generation
// (anything but core/inprocess) gets no memo.

// generations is implemented by core/inprocess.Service.
type generations interface{ Generation() uint64 }

const (
	memoTTL     = 5 * time.Second
	memoEntries = 8192
	memoBytes   = 32 << 20
)

type memoKey struct {
	session, group string
	image          core.ID
	size           int
}

type memoEntry struct {
	gen uint64
	at  time.Time
	b   []byte
}

type thumbMemo struct {
	mu    sync.Mutex
	m     map[memoKey]memoEntry
	bytes int
}

// memoGenKey carries the generation taken before the slow path ran.
type memoGenKey struct{}

func (s *Server) generation() (uint64, bool) {
	g, ok := s.cfg.Service.(generations)
	if !ok {
		return 0, false
	}
	return g.Generation(), true
}

func memoKeyOf(r *http.Request) (memoKey, bool) {
	key, _ := sessionKey(r)
	img, err := imageRef(r)
	if key == "" || err != nil {
		return memoKey{}, false
	}
	size, err := thumbnailSide(r)
	if err != nil || len(r.URL.RawQuery) > 0 { // z=, t=, rdefId=: not memoised
		return memoKey{}, false
	}
	return memoKey{session: key, group: r.Header.Get(wire.GroupHeader), image: img.ID, size: size}, true
}

// handleMemo registers an authed route (as handle) whose answers may be
// served from the memo before the session is resolved.
func (s *Server) handleMemo(pattern string, h sessionHandler) {
	s.routes = append(s.routes, Route{Pattern: pattern, Authed: true})
	slow := s.authed(h)
	s.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gen, ok := s.generation()
		if !ok {
			slow(w, r)
			return
		}
		if k, ok := memoKeyOf(r); ok {
			s.memo.mu.Lock()
			e, hit := s.memo.m[k]
			s.memo.mu.Unlock()
			if hit && e.gen == gen && s.cfg.Now().Sub(e.at) < memoTTL {
				writeJPEGBytes(w, e.b)
				return
			}
		}
		slow(w, r.WithContext(context.WithValue(r.Context(), memoGenKey{}, gen)))
	}))
}

// memoPut keeps b as r's answer, tagged with the generation taken before
// r was resolved.
func (s *Server) memoPut(r *http.Request, b []byte) {
	gen, ok := r.Context().Value(memoGenKey{}).(uint64)
	if !ok {
		return
	}
	k, ok := memoKeyOf(r)
	if !ok {
		return
	}
	s.memo.mu.Lock()
	defer s.memo.mu.Unlock()
	if s.memo.m == nil || len(s.memo.m) >= memoEntries || s.memo.bytes+len(b) > memoBytes {
		// Full: start again rather than track recency; a grid refills
		// what it shows in one pass.
		s.memo.m, s.memo.bytes = map[memoKey]memoEntry{}, 0
	}
	if old, ok := s.memo.m[k]; ok {
		s.memo.bytes -= len(old.b)
	}
	s.memo.m[k] = memoEntry{gen: gen, at: s.cfg.Now(), b: b}
	s.memo.bytes += len(b)
}

func writeJPEGBytes(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Content-Length", itoa(len(b)))
	w.Write(b)
}
