package bigrepo

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
)

// Sink writes generated rows straight into a store's database, past the
// store's own code (which makes one object per statement).
type Sink interface {
	// Empty reports whether the database holds no objects yet.
	Empty(ctx context.Context) (bool, error)
	// NextObjectID is the first object ID the store has not handed out.
	NextObjectID(ctx context.Context) (int64, error)
	// Write writes the tables, in order, in one transaction.
	Write(ctx context.Context, tables []Table) error
	// Finish moves the store's object ID sequence to next, so the objects
	// users make afterwards get new IDs, and brings the search index and
	// the planner's statistics up to date.
	Finish(ctx context.Context, next int64) error
	// Size is the database's size in bytes.
	Size(ctx context.Context) (int64, error)
	Close() error
}

// Options say how much to generate.
type Options struct {
	Images, PerDataset int
	// Chunk images are written per transaction (20,000 by default).
	Chunk int
	// Progress, when set, is told after every chunk.
	Progress func(done, total int, elapsed time.Duration)
	// Workers > 1 write chunks in parallel, each through a sink of its own
	// from NewSink (PostgreSQL; SQLite has one writer).
	Workers int
	NewSink func(ctx context.Context) (Sink, error)
	// Resume finishes a generation that was stopped: the users, groups,
	// projects, datasets and tags are there, and so are the chunks of
	// images that committed; Options must give the same sizes as before.
	Resume bool
}

// Generate fills svc's repository (fresh: no objects yet) through sink and
// records the layout in the meta table. svc must be initialized with root's
// password rootPW.
func Generate(ctx context.Context, svc *inprocess.Service, rootPW string, sink Sink, opt Options) (Info, error) {
	if opt.Images <= 0 {
		opt.Images = DefaultImages
	}
	if opt.PerDataset <= 0 {
		opt.PerDataset = DefaultPerDataset
	}
	if opt.Chunk <= 0 {
		opt.Chunk = 20_000
	}
	empty, err := sink.Empty(ctx)
	if err != nil {
		return Info{}, err
	}
	var l *Layout
	switch {
	case opt.Resume && empty:
		return Info{}, core.Errorf("generate", core.Invalid, "there is nothing to resume: the repository holds no objects")
	case opt.Resume:
		if l, err = findLayout(ctx, svc.Store(), opt); err != nil {
			return Info{}, err
		}
	case !empty:
		return Info{}, core.Errorf("generate", core.Conflict, "the repository already holds objects; generate into an empty one (pggen --reset empties it, --resume finishes a stopped run)")
	default:
		root, err := svc.Login(ctx, "root", rootPW, "")
		if err != nil {
			return Info{}, err
		}
		people, err := createPeople(ctx, root)
		if err != nil {
			return Info{}, fmt.Errorf("create users and groups: %w", err)
		}
		first, err := sink.NextObjectID(ctx)
		if err != nil {
			return Info{}, err
		}
		l = NewLayout(opt.Images, opt.PerDataset, first, people)
		if err := sink.Write(ctx, l.HeaderTables()); err != nil {
			return Info{}, fmt.Errorf("write projects, datasets and tags: %w", err)
		}
	}
	if err := writeChunks(ctx, svc.Store(), l, sink, opt); err != nil {
		return Info{}, err
	}
	if err := sink.Finish(ctx, l.NextID()); err != nil {
		return Info{}, err
	}
	inf := l.Info()
	b, _ := json.Marshal(inf)
	err = svc.Store().Write(ctx, func(tx core.Tx) error { return tx.SetMeta(MetaKey, string(b)) })
	return inf, err
}

// ReadInfo reads what Generate recorded, or NotFound for a repository it
// did not make.
func ReadInfo(ctx context.Context, st core.Store) (Info, error) {
	var inf Info
	err := st.Read(ctx, func(tx core.Tx) error {
		v, err := tx.Meta(MetaKey)
		if core.Is(core.NotFound, err) || (err == nil && v == "") {
			return core.Errorf("read generated layout", core.NotFound, "this repository was not made by pggen (no %s in its meta table); generate one with go run ./internal/tools/pggen", MetaKey)
		}
		if err != nil {
			return err
		}
		return json.Unmarshal([]byte(v), &inf)
	})
	return inf, err
}
