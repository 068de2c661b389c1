package main

import (
	"context"
	"fmt"
	"io"
	"os/signal"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/pyramid"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/app/watch"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats/detect"
)

func init() {
	Register(&Command{Name: "watch", Args: "--config FILE", Short: "run an import station over watched folders (until interrupted)", Run: runWatch})
	Register(&Command{Name: "watch status", Args: "--config FILE | STATION", Short: "what a station imported, what is pending, what failed and why", Run: runWatchStatus})
}

func runWatch(env *Env, args []string) error {
	fs := env.Flags()
	cfgPath := fs.String("config", "", "the station's YAML configuration")
	if _, err := env.Parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *cfgPath == "" {
		return env.Usagef("--config FILE is required")
	}
	cfg, err := watch.LoadConfig(*cfgPath)
	if err != nil {
		return core.E("watch", core.Invalid, err)
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	icfg := importer.Config{Session: s, Open: detect.Open, Supported: detect.Supported, Thumbs: thumbcache.ForRepository(env.Repo),
		Pyramids: pyramid.ForRepository(env.Repo)}
	logf := func(format string, a ...any) {
		fmt.Fprintf(env.Stderr, "%s %s\n", time.Now().Format("2006-01-02 15:04:05"), safe(fmt.Sprintf(format, a...)))
	}
	st, err := watch.New(env.Ctx, cfg, watch.Deps{Session: s, Open: detect.Open, Supported: detect.Supported, Log: logf,
		Import: func(ctx context.Context, paths []string, o importer.Options) (importer.Summary, error) {
			return importer.Run(ctx, icfg, paths, o, nil)
		}})
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(env.Ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	logf("station %q watching %d folder(s); quiet period %s; Ctrl-C stops", cfg.Station, len(cfg.Rules), cfg.Quiet)
	return st.Run(ctx)
}

func runWatchStatus(env *Env, args []string) error {
	fs := env.Flags()
	cfgPath := fs.String("config", "", "the station's YAML configuration")
	pos, err := env.Parse(fs, args, 0, 1)
	if err != nil {
		return err
	}
	station := ""
	switch {
	case *cfgPath != "":
		cfg, err := watch.LoadConfig(*cfgPath)
		if err != nil {
			return core.E("watch status", core.Invalid, err)
		}
		station = cfg.Station
	case len(pos) == 1:
		station = pos[0]
	default:
		return env.Usagef("give --config FILE or the station's name")
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	recs, err := s.WatchRecords(env.Ctx, station)
	if err != nil {
		return err
	}
	if recs == nil {
		recs = []core.WatchRecord{}
	}
	return env.Print(recs, func(w io.Writer) {
		counts := map[string]int{}
		for _, r := range recs {
			counts[r.Status]++
		}
		fmt.Fprintf(w, "Station %q: %d imported, %d pending, %d failed\n", station, counts[core.WatchImported], counts[core.WatchPending], counts[core.WatchFailed])
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, status := range []string{core.WatchFailed, core.WatchPending, core.WatchImported} {
			for _, r := range recs {
				if r.Status != status {
					continue
				}
				detail := r.Result
				if r.LastError != "" {
					detail = fmt.Sprintf("%s (attempt %d)", r.LastError, r.Attempts)
					if r.Status == core.WatchPending && !r.NextTry.IsZero() {
						detail += ", next try " + r.NextTry.Local().Format("15:04:05")
					}
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Status, safe(r.Path), safe(detail))
			}
		}
		tw.Flush()
	})
}
