package server

import (
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/jobstoretest"
)

func TestMemoryJobStore(t *testing.T) {
	jobstoretest.Run(t, func(*testing.T) core.JobStore { return newMemoryJobs() })
}
