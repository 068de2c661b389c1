package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
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
	Register(&Command{Name: "watch child", Short: "import one file for a station (run by 'watch' itself)", Run: runWatchChild, Hidden: true})
	Register(&Command{Name: "watch status", Args: "--config FILE | STATION", Short: "what a station imported, what is pending, what failed and why", Run: runWatchStatus})
}

// watchHelp lists the configuration's keys for 'watch --help'.
const watchHelp = `The configuration (YAML):
  station: confocal-room  # the station's name: its records in the repository
  quiet: 10s              # a file is complete when unchanged this long
  poll: 30s               # also rescan this often (network shares); 0 = events only
  retries: 5              # attempts before a failure is final (never retried until the file changes)
  backoff: 30s            # wait before the first retry; doubles each time
  timeout: 10m            # an import still running after this is stopped and counts as a failed try
  rules:
    - folder: /data/incoming/confocal
      group: AG_1234
      owner: user-3       # optional: import in this user's name (administrators)
      target: dataset     # dataset, screen or none
      name: "{1}"         # named after the first subfolder below the folder
      transfer: copy      # copy, hardlink or symlink
      tags: [confocal]
Each file is imported in a child process with the time limit, so a file that crashes or hangs the
import costs one attempt, not the station; every attempt is recorded before it starts.
`

func runWatch(env *Env, args []string) error {
	fs := env.Flags()
	cfgPath := fs.String("config", "", "the station's YAML configuration (keys below)")
	if _, err := env.Parse(fs, args, 0, 0); err != nil {
		if errors.Is(err, errHelpShown) {
			fmt.Fprint(env.Stdout, watchHelp)
		}
		return err
	}
	if err := env.needLocal(); err != nil {
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
	exe, err := os.Executable()
	if err != nil {
		return core.E("watch", core.Internal, "cannot find this program to run imports in a child process", err)
	}
	var logMu sync.Mutex
	logf := func(format string, a ...any) {
		logMu.Lock()
		defer logMu.Unlock()
		fmt.Fprintf(env.Stderr, "%s %s\n", time.Now().Format("2006-01-02 15:04:05"), safe(fmt.Sprintf(format, a...)))
	}
	// The child is this program, on this repository, joining the station's
	// session (its key goes in the environment, which other accounts
	// cannot read, not on the command line).
	childEnv := append(os.Environ(), stationSessionEnv+"="+s.Key())
	if env.DB != "" {
		// The database too goes in the environment: its address may hold a
		// password.
		childEnv = append(childEnv, EnvDB+"="+env.DB)
	}
	child := watch.ChildProcess(exe, []string{"--repo", env.Repo, "watch", "child"}, childEnv, logf)
	ctx, stop := signal.NotifyContext(env.Ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	st, err := watch.New(ctx, cfg, watch.Deps{Session: s, Supported: detect.Supported, Log: logf, Import: child})
	if err != nil {
		return err
	}
	logf("station %q watching %d folder(s); quiet period %s; time limit %s per file; Ctrl-C stops", cfg.Station, len(cfg.Rules), cfg.Quiet, cfg.Timeout)
	err = st.Run(ctx)
	logf("station %q stopped", cfg.Station)
	return err
}

// stationSessionEnv carries the station's session key to its child.
const stationSessionEnv = "OCULAR_STATION_SESSION"

// openImage reads image files for import; the tests' build replaces it to
// make files that crash or hang the import.
var openImage = detect.Open

// runWatchChild imports one file for a station: the job comes as JSON on
// standard input, the outcome goes as JSON to standard output.
func runWatchChild(env *Env, args []string) error {
	fs := env.Flags()
	if _, err := env.Parse(fs, args, 0, 0); err != nil {
		return err
	}
	key := env.main.getenv(stationSessionEnv)
	if key == "" {
		return env.Usagef("this verb is run by 'ocular-cli watch' for one file; run 'ocular-cli watch --config FILE'")
	}
	svc, err := env.Service()
	if err != nil {
		return err
	}
	s, err := svc.Resume(env.Ctx, key)
	if err != nil {
		return err
	}
	cfg := importer.Config{Session: s, Open: openImage, Supported: detect.Supported, Thumbs: thumbcache.ForRepository(env.Repo),
		Pyramids: pyramid.ForRepository(env.Repo)}
	return watch.ServeChild(env.Ctx, env.Stdin, env.Stdout, watch.InProcess(cfg))
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
				switch {
				case r.Status == core.WatchFailed:
					detail = fmt.Sprintf("%s (after %d attempts; not tried again until the file changes)", r.LastError, r.Attempts)
				case r.Status == core.WatchPending && !r.AttemptStarted.IsZero():
					detail = "importing since " + r.AttemptStarted.Local().Format("15:04:05")
				case r.LastError != "":
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
