package watch

import (
	"context"
	"fmt"
	"os"
	"slices"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/core"
)

// Job is one attempt at one file, as the station hands it to an ImportFunc
// (and, through ChildProcess, to a child process as JSON).
type Job struct {
	Path string `json:"path"`
	// Group is the group the rule imports into; the import works there.
	Group   core.ID          `json:"group"`
	Options importer.Options `json:"options"`
	// Unsettled are the candidates still being written: a set with a part
	// among them waits (Outcome.NotReady) rather than being imported.
	Unsettled []string `json:"unsettled,omitempty"`
}

// Outcome is what an attempt did.
type Outcome struct {
	// NotReady: a part of the file's set is missing or still being
	// written; nothing was imported, and the file is tried again later
	// without counting an attempt.
	NotReady bool `json:"notReady,omitempty"`
	// Files are the files of the set (the file itself and its companions).
	Files   []string         `json:"files,omitempty"`
	Summary importer.Summary `json:"summary"`
	// Error is the import's failure as a sentence (a child process cannot
	// send a Go error).
	Error string `json:"error,omitempty"`
}

// ImportFunc tries one file. It returns a *CrashError when the import
// crashed (the child process died), and ends when ctx ends.
type ImportFunc func(ctx context.Context, job Job) (Outcome, error)

// CrashError is an import that died without answering: a fatal runtime
// error (out of memory), a signal, os.Exit. Detail is what it last said.
type CrashError struct{ Detail string }

func (e *CrashError) Error() string {
	if e.Detail == "" {
		return "the import crashed"
	}
	return "the import crashed (" + e.Detail + ")"
}

// InProcess tries files in this process with the pipeline cfg (whose
// Session is the station's). It is what a child process runs (ServeChild),
// and what tests use when no crash is to be survived.
func InProcess(cfg importer.Config) ImportFunc {
	return func(ctx context.Context, job Job) (Outcome, error) {
		if job.Group > 0 {
			if err := cfg.Session.SetGroup(ctx, job.Group); err != nil {
				return Outcome{}, err
			}
		}
		r, err := cfg.Open(job.Path)
		if err != nil {
			return Outcome{}, err
		}
		files := r.Files()
		r.Close()
		for _, f := range files {
			if f == job.Path {
				continue
			}
			if _, err := os.Stat(f); err != nil || slices.Contains(job.Unsettled, f) {
				return Outcome{NotReady: true, Files: files}, nil // a part has not arrived yet
			}
		}
		sum, err := importer.Run(ctx, cfg, []string{job.Path}, job.Options, nil)
		out := Outcome{Files: files, Summary: sum}
		if err != nil {
			out.Error = core.UserMessage(err)
		}
		return out, err
	}
}

// times says how often: "", " twice", " 3 times".
func times(n int) string {
	switch n {
	case 0, 1:
		return ""
	case 2:
		return " twice"
	}
	return fmt.Sprintf(" %d times", n)
}
