package jobs_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/app/jobs"
	"github.com/ocular-lab/ocular/core"
)

func TestJournalKeepsEachUsersRecordsAndSkipsBrokenLines(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Now().Add(-time.Minute)
	if rs, err := jobs.ReadRecords(dir, 1, t0); err != nil || len(rs) != 0 {
		t.Fatalf("no journal: %v %v", rs, err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(jobs.AppendRecord(dir, jobs.Record{Time: time.Now(), User: 1, Op: core.OpChgrp, State: jobs.Done, Outcome: "Moved 1 dataset to B"}))
	f, err := os.OpenFile(filepath.Join(dir, jobs.JournalName), os.O_APPEND|os.O_WRONLY, 0)
	must(err)
	_, err = f.WriteString("{not json\n" + strings.Repeat("x", 300<<10) + "\n")
	must(err)
	f.Close()
	must(jobs.AppendRecord(dir, jobs.Record{Time: time.Now(), User: 2, Op: core.OpChown, State: jobs.Done}))
	must(jobs.AppendRecord(dir, jobs.Record{Time: time.Now(), User: 1, Op: core.OpDelete, State: jobs.Failed, Err: "no"}))
	rs, err := jobs.ReadRecords(dir, 1, t0)
	must(err)
	// The first record is beyond the tail read; the junk is skipped; user 2's is not user 1's.
	if len(rs) != 1 || rs[0].Op != core.OpDelete || rs[0].Err != "no" {
		t.Errorf("records: %+v", rs)
	}
}
