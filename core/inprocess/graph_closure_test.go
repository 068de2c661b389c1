package inprocess_test

import (
	"flag"
	"fmt"
	"os"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
)

// Planning from the requested roots outward (issue 13) must give the plans
// that planning over the whole groups gave. While the tests of this
// package run (every graph scenario, the conformance suite), each plan of
// delete, chgrp, chown and duplicate is also made over the whole groups
// and compared: processed, severed, deleted, the review, the blockers, the
// fingerprint and what stays. Benchmarks measure one way at a time.

var (
	crossChecked atomic.Int64
	crossMu      sync.Mutex
	crossDiffs   []string
)

func TestMain(m *testing.M) {
	flag.Parse()
	if b := flag.Lookup("test.bench"); b == nil || b.Value.String() == "" {
		inprocess.SetCrossCheckPlans(comparePlans)
	}
	code := m.Run()
	if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "%d plans were made both ways\n", crossChecked.Load())
	}
	if len(crossDiffs) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: %d plans made from the roots outward differ from the whole-group plans:\n", len(crossDiffs))
		for _, d := range crossDiffs {
			fmt.Fprintln(os.Stderr, d)
		}
		code = 1
	}
	os.Exit(code)
}

func comparePlans(req core.GraphRequest, closure, whole inprocess.PlanView) {
	crossChecked.Add(1)
	if d := planDiff(closure, whole); d != "" {
		crossMu.Lock()
		defer crossMu.Unlock()
		crossDiffs = append(crossDiffs, fmt.Sprintf("%s %v:\n%s", req.Op, req.Targets, d))
	}
}

// planDiff describes how two plans differ, or is empty.
func planDiff(closure, whole inprocess.PlanView) string {
	if reflect.DeepEqual(closure, whole) {
		return ""
	}
	c, w := closure.Plan, whole.Plan
	out := ""
	field := func(name string, a, b any) {
		if !reflect.DeepEqual(a, b) {
			out += fmt.Sprintf("  %s: closure %v, whole %v\n", name, a, b)
		}
	}
	field("processed", c.Processed, w.Processed)
	field("severed", c.Severed, w.Severed)
	field("deleted", c.Deleted, w.Deleted)
	field("blockers", c.Blockers, w.Blockers)
	field("review", c.Review, w.Review)
	field("total", c.Total, w.Total)
	field("fingerprint", c.Fingerprint, w.Fingerprint)
	field("stay", closure.Stay, whole.Stay)
	if out == "" {
		out = fmt.Sprintf("  closure %+v\n  whole %+v\n", closure, whole)
	}
	return out
}

// sameBothWays plans req both ways and fails the test when the plans differ.
func (a *actor) sameBothWays(t *testing.T, req core.GraphRequest) core.GraphPlan {
	t.Helper()
	before := crossChecked.Load()
	crossMu.Lock()
	n := len(crossDiffs)
	crossMu.Unlock()
	req.DryRun = true
	res, _ := a.run(req)
	if crossChecked.Load() == before {
		t.Fatalf("%s %v was not planned both ways", req.Op, req.Targets)
	}
	crossMu.Lock()
	defer crossMu.Unlock()
	if len(crossDiffs) > n {
		t.Errorf("the plans differ: %s", crossDiffs[n])
	}
	return res.GraphPlan
}
