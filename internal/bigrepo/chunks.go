package bigrepo

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ocular-lab/ocular/core"
)

// writeChunks writes the chunks of images not yet in the repository (all
// of them, but after a stop), with opt.Workers sinks at once.
func writeChunks(ctx context.Context, st core.Store, l *Layout, sink Sink, opt Options) error {
	var pending []int
	err := st.Read(ctx, func(tx core.Tx) error {
		for from := 0; from < l.Images; from += opt.Chunk {
			// A chunk is one transaction: its first image is there when
			// the whole chunk is.
			_, err := tx.Object(core.ID(l.ImageID(from)))
			switch {
			case core.Is(core.NotFound, err):
				pending = append(pending, from)
			case err != nil:
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	go func() {
		defer close(jobs)
		for _, from := range pending {
			select {
			case jobs <- from:
			case <-ctx.Done():
				return
			}
		}
	}()
	start := time.Now()
	done := atomic.Int64{}
	done.Store(int64(l.Images - len(pending)*opt.Chunk))
	var (
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	fail := func(err error) {
		errOnce.Do(func() { firstErr = err; cancel() })
	}
	work := func(s Sink) {
		defer wg.Done()
		for from := range jobs {
			to := min(from+opt.Chunk, l.Images)
			if err := s.Write(ctx, l.ImageTables(from, to)); err != nil {
				fail(fmt.Errorf("write images %d to %d: %w", from, to-1, err))
				return
			}
			n := done.Add(int64(to - from))
			if opt.Progress != nil {
				opt.Progress(int(min(n, int64(l.Images))), l.Images, time.Since(start))
			}
		}
	}
	wg.Add(1)
	go work(sink)
	for w := 1; w < opt.Workers && opt.NewSink != nil; w++ {
		s, err := opt.NewSink(ctx)
		if err != nil {
			fail(err)
			break
		}
		defer s.Close()
		wg.Add(1)
		go work(s)
	}
	wg.Wait()
	return firstErr
}

// findLayout rebuilds the layout of a stopped generation from the users,
// groups and projects it made.
func findLayout(ctx context.Context, st core.Store, opt Options) (*Layout, error) {
	p := peoplePlan()
	var first int64 = -1
	err := st.Read(ctx, func(tx core.Tx) error {
		for i := range p.Users {
			e, err := tx.ExperimenterByName(p.Users[i].Name)
			if err != nil {
				return err
			}
			p.Users[i].ID = e.ID
		}
		for i := range p.DataGroups {
			g, err := tx.GroupByName(p.DataGroups[i].Name)
			if err != nil {
				return err
			}
			p.DataGroups[i].ID = g.ID
		}
		g, err := tx.GroupByName("dest")
		if err != nil {
			return err
		}
		p.Dest = g.ID
		projects, err := tx.Find(core.NewQuery(core.Project))
		if err != nil {
			return err
		}
		for _, o := range projects {
			if first < 0 || int64(o.ID) < first {
				first = int64(o.ID)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find the stopped generation's users, groups and projects: %w", err)
	}
	if first < 0 {
		return nil, core.Errorf("generate", core.Invalid, "the repository holds no projects: it is not a stopped generation; use --reset")
	}
	return NewLayout(opt.Images, opt.PerDataset, first, p), nil
}
