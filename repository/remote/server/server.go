// Package server is the server end of Ocular's wire: an http.Handler that
// serves one repository's core.Service to remote clients in OMERO.web's
// dialect (the JSON API under /api/v0/, webgateway's rendering routes), with
// Ocular's own operations under /ocular/v1/ and images as OME-Zarr under
// /zarr/v1/.
//
// The server trusts no client: every route resolves the caller's session
// and calls the same in-process use cases the desktop calls on a local
// repository, so every permission check is core's. An object the caller
// may not see answers exactly like one that does not exist.
//
// Rendering and import need the app layer (readers, caches, the import
// pipeline); the composition root (cmd/ocular-cli serve) injects them through
// Config, so this package depends on core only.
package server

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// Config is what a Server needs.
type Config struct {
	// Service is the repository served, usually core/inprocess over SQLite.
	Service core.Service
	// Pictures renders for one session (app/rendering); nil serves no
	// rendered planes or thumbnails.
	Pictures func(core.Session) core.Pictures
	// Raw reads stored pixel values for one session (OME-Zarr chunks).
	Raw func(core.Session) core.RawPixels
	// Import imports files uploaded by a session (app/importer); nil refuses
	// uploads for import.
	Import ImportFunc
	// UploadDir is where uploads in progress are kept (inside the
	// repository, so a restart resumes them).
	UploadDir string
	// Limits bound what one request may cost; zero values take defaults.
	Limits Limits
	// Now is the clock (tests); nil is time.Now.
	Now func() time.Time
	// Jobs keeps the graph jobs. Several instances serving one repository
	// share it (repository/sqlite.OpenJobs, or the PostgreSQL store); nil
	// keeps them in this process's memory, for a single instance.
	Jobs core.JobStore
}

// Limits bound requests, so a slow, broken or hostile client cannot hold
// the server or make it allocate without bound.
type Limits struct {
	// MaxBody is the largest JSON request body (default 1 MiB).
	MaxBody int64
	// MaxJSONDepth is how deeply a JSON body may nest (default 32).
	MaxJSONDepth int
	// MaxChunk is the largest upload chunk (default 16 MiB).
	MaxChunk int64
	// MaxAttachment is the largest attachment one upload may store
	// (core.Importer.Upload; default 1 GiB).
	MaxAttachment int64
	// UploadsPerSession is how many uploads one session may have open at once
	// (default 4).
	UploadsPerSession int
	// MaxUploadFiles is how many files one upload may declare (default
	// 50,000: the chunk files of an OME-Zarr).
	MaxUploadFiles int
	// MaxUploadBytes bounds one upload's declared size, all files together
	// (default 1 TiB).
	MaxUploadBytes int64
	// UploadIdle is how long an upload may go without a chunk before it is
	// removed as abandoned (default 24 h); a finished upload's answer is
	// kept as long, for a client whose connection dropped while it waited.
	UploadIdle time.Duration
}

func (l Limits) withDefaults() Limits {
	if l.MaxBody <= 0 {
		l.MaxBody = 1 << 20
	}
	if l.MaxJSONDepth <= 0 {
		l.MaxJSONDepth = 32
	}
	if l.MaxChunk <= 0 {
		l.MaxChunk = 16 << 20
	}
	if l.MaxAttachment <= 0 {
		l.MaxAttachment = 1 << 30
	}
	if l.UploadsPerSession <= 0 {
		l.UploadsPerSession = 4
	}
	if l.MaxUploadFiles <= 0 {
		l.MaxUploadFiles = 50000
	}
	if l.MaxUploadBytes <= 0 {
		l.MaxUploadBytes = 1 << 40
	}
	if l.UploadIdle <= 0 {
		l.UploadIdle = 24 * time.Hour
	}
	return l
}

// ImportFunc imports the files of a finished upload for sess, as the local
// import would, all or nothing per fileset: req's files carry their staged
// paths on the server (UploadedFile.Path). app/importer.ServeImport is the
// one the composition root gives.
type ImportFunc func(ctx context.Context, sess core.Session, req core.UploadedImport) (core.UploadedResult, error)

// Server serves one repository. Its Handler may be used from many
// goroutines.
type Server struct {
	cfg    Config
	limits Limits
	mux    *http.ServeMux
	// routes lists every registered pattern, for docs and the security
	// suite, which probes each one.
	routes []Route
	// memo keeps recent thumbnail answers (gateway_memo.go).
	memo thumbMemo
	// ctx is cancelled by Shutdown: long jobs stop and roll back.
	ctx    context.Context
	cancel context.CancelFunc
	jobsWG sync.WaitGroup
	// instance names this process in the job store; jobs are its graph
	// routes and the jobs running here.
	instance string
	jobs     *graphJobs
	// beaten is closed when the heartbeat loop has stopped (nil: none).
	beaten chan struct{}
	// logins rate-limits failed logins per user and per address.
	logins *loginLimiter
	// uploads are the uploads in progress and the answers of finished ones.
	uploads *uploadStore
}

// New returns a Server for cfg.
func New(cfg Config) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, limits: cfg.Limits.withDefaults(), mux: http.NewServeMux()}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.instance = newJobID()
	s.logins = newLoginLimiter(cfg.Now)
	s.routesAuth()
	s.routesOcular()
	s.routesOMERO()
	s.routesGateway()
	s.routesUpload()
	s.routesZarr()
	s.routesJobs()
	s.routesSearch()
	s.routesAnnotationsBatch()
	if cfg.Jobs != nil {
		// A first heartbeat before any job is accepted, so that no other
		// instance ever sees a job of this one without it.
		ctx, done := context.WithTimeout(s.ctx, jobStoreTimeout)
		cfg.Jobs.Heartbeat(ctx, s.instance, cfg.Now())
		done()
		s.beaten = make(chan struct{})
		go s.beat(s.beaten)
	}
	return s
}

// Route is one registered pattern. Wildcards that are object IDs are named
// after the class in lower case ({image}, {dataset}, {project}, {screen},
// {plate}, {well}, {annotation}, {file}); the security suite substitutes IDs
// of objects the caller may not see by these names.
type Route struct {
	Pattern string // as http.ServeMux takes it, "GET /api/v0/m/images/{image}/"
	Authed  bool   // needs a session
}

// Routes returns every registered route.
func (s *Server) Routes() []Route { return append([]Route(nil), s.routes...) }

// handle registers a route that needs a session.
func (s *Server) handle(pattern string, h sessionHandler) {
	s.routes = append(s.routes, Route{Pattern: pattern, Authed: true})
	s.mux.Handle(pattern, s.authed(h))
}

// handlePublic registers a route anyone may call (login, discovery).
func (s *Server) handlePublic(pattern string, h http.HandlerFunc) {
	s.routes = append(s.routes, Route{Pattern: pattern})
	s.mux.Handle(pattern, h)
}

// Handler is the server's http.Handler: every response carries the
// protocol version.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(wire.VersionHeader, itoa(wire.Protocol))
		// OMERO.web sets its API version on every JSON API answer, errors
		// and the not-logged-in 403 included; clients check it.
		if strings.HasPrefix(r.URL.Path, "/api/") {
			w.Header().Set(wire.OMEROVersionHeader, wire.OMEROVersion)
		}
		s.mux.ServeHTTP(w, r)
	})
}

// Shutdown stops background jobs (they roll back) and waits for them, or
// for ctx. Call it after http.Server.Shutdown has drained the requests.
func (s *Server) Shutdown(ctx context.Context) error {
	s.cancel()
	done := make(chan struct{})
	go func() {
		s.jobsWG.Wait()
		if s.beaten != nil {
			<-s.beaten
		}
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
