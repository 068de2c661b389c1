package main

import (
	"context"
	"path/filepath"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// serveJobs is the job store of `serve`: the repository's own when its
// database keeps jobs (PostgreSQL), else a small SQLite database in the
// repository's server folder, shared by every `serve` of the repository
// on this machine. close closes what serveJobs opened.
func serveJobs(ctx context.Context, svc *inprocess.Service, repoDir string) (jobs core.JobStore, close func() error, err error) {
	if js, ok := svc.JobStore(); ok {
		return js, func() error { return nil }, nil
	}
	j, err := sqlite.OpenJobs(ctx, filepath.Join(serverDir(repoDir), "jobs.db"))
	if err != nil {
		return nil, nil, err
	}
	return j, j.Close, nil
}
