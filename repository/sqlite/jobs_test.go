package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/jobstoretest"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

func TestJobStore(t *testing.T) {
	jobstoretest.Run(t, func(t *testing.T) core.JobStore {
		j, err := sqlite.OpenJobs(context.Background(), filepath.Join(t.TempDir(), "server", "jobs.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { j.Close() })
		return j
	})
}
