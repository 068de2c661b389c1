package remote

// Graph operations (core.Graph) over the wire. A dry run is one request; a
// real run is a server job that this client follows by long polls (the
// server answers when the progress moves or the job ends, so there is no
// busy loop), reporting progress to req.Progress and cancelling the job
// when the caller's context ends: a cancelled job rolls back on the server.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// jobPoll is how long one long poll may wait on the server; it stays well
// under the client's request timeout.
const jobPoll = 20 * time.Second

// maxJobPollFailures is how many polls in a row may fail (about a minute
// with the backoff) before RunGraph says it lost contact.
const maxJobPollFailures = 15

func (s *Session) PlanGraph(ctx context.Context, req core.GraphRequest) (core.GraphPlan, error) {
	req.DryRun = true
	resp, err := s.rawRequest(ctx, http.MethodPost, "/ocular/v1/graph/plan", req)
	if err != nil {
		return core.GraphPlan{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return core.GraphPlan{}, core.E("plan", core.IO, err)
	}
	if resp.StatusCode/100 != 2 {
		// A refused plan comes with its Blockers and review, as in-process.
		var pe wire.PlanError
		var plan core.GraphPlan
		if json.Unmarshal(b, &pe) == nil && pe.Plan != nil {
			plan = *pe.Plan
		}
		return plan, wire.Decode(resp.StatusCode, b)
	}
	var p core.GraphPlan
	if err := json.Unmarshal(b, &p); err != nil {
		return core.GraphPlan{}, core.E("plan", core.IO, fmt.Errorf("the server's answer could not be read: %w", err))
	}
	return p, nil
}

// rawRequest sends one JSON request of this session and returns the
// response whatever its status (the caller reads and closes the body).
func (s *Session) rawRequest(ctx context.Context, method, path string, in any) (*http.Response, error) {
	b, err := json.Marshal(in)
	if err != nil {
		return nil, core.E(path, core.Internal, err)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.svc.url(path), bytes.NewReader(b))
	if err != nil {
		return nil, core.E(path, core.Invalid, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if k := s.currentKey(); k != "" {
		req.Header.Set(wire.SessionHeader, k)
	}
	if s.group != 0 {
		req.Header.Set(wire.GroupHeader, strconv.FormatInt(int64(s.group), 10))
	}
	resp, err := s.svc.hc.Do(req)
	if err != nil {
		return nil, s.svc.netError(path, err)
	}
	return resp, nil
}

func (s *Session) RunGraph(ctx context.Context, req core.GraphRequest) (core.GraphResult, error) {
	if req.DryRun {
		p, err := s.PlanGraph(ctx, req)
		return core.GraphResult{GraphPlan: p}, err
	}
	var st wire.JobStatus
	if err := s.call(ctx, http.MethodPost, "/ocular/v1/jobs", req, &st); err != nil {
		return core.GraphResult{}, err
	}
	path := "/ocular/v1/jobs/" + url.PathEscape(st.ID)
	// A long poll stays well inside the client's own request timeout.
	poll := jobPoll
	if t := s.svc.hc.Timeout; t > 0 && t/2 < poll {
		poll = t / 2
	}
	reported, failures := -1, 0
	backoff := 100 * time.Millisecond
	for {
		if req.Progress != nil && st.Total > 0 && st.Done != reported {
			reported = st.Done
			req.Progress(st.Done, st.Total)
		}
		switch st.State {
		case wire.JobFinished:
			if st.Result == nil {
				return core.GraphResult{}, core.Errorf(string(req.Op), core.IO, "the server finished the %s but sent no result", req.Op)
			}
			return *st.Result, nil
		case wire.JobFailed, wire.JobCancelled:
			return core.GraphResult{}, jobError(st)
		}
		q := fmt.Sprintf("%s?wait=%s&done=%d", path, poll, st.Done)
		next := wire.JobStatus{}
		err := s.call(ctx, http.MethodGet, q, nil, &next)
		switch {
		case ctx.Err() != nil:
			return core.GraphResult{}, s.cancelJob(path, req.Op, ctx.Err())
		case err != nil && core.Is(core.IO, err) && failures < maxJobPollFailures:
			// The connection dropped: the job goes on; ask again, a little
			// later each time, for a while.
			failures++
			t := time.NewTimer(backoff)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return core.GraphResult{}, s.cancelJob(path, req.Op, ctx.Err())
			}
			backoff = min(2*backoff, 5*time.Second)
			continue
		case err != nil && core.Is(core.IO, err):
			return core.GraphResult{}, core.E(string(req.Op), core.IO,
				fmt.Sprintf("lost contact with the server during the %s; it may still finish there: look again once the server answers", req.Op), err)
		case err != nil:
			return core.GraphResult{}, err
		}
		failures, backoff = 0, 100*time.Millisecond
		st = next
	}
}

// cancelJob asks the server to cancel a job whose caller gave up, and waits
// (briefly) for its rollback, so that when RunGraph returns nothing is
// half-applied. cause is the caller's context error.
func (s *Session) cancelJob(path string, op core.GraphOp, cause error) error {
	ctx, stop := context.WithTimeout(context.Background(), 30*time.Second)
	defer stop()
	var st wire.JobStatus
	err := s.call(ctx, http.MethodDelete, path, nil, &st)
	if err == nil && st.State == wire.JobFinished {
		// It finished before the cancel arrived: it is done, but the caller
		// no longer waits for the result.
		return core.E(string(op), core.Other, fmt.Sprintf("the %s finished before it could be cancelled", op), cause)
	}
	return core.E(string(op), core.Other, fmt.Sprintf("the %s was cancelled; nothing was changed", op), cause)
}

// jobError rebuilds a failed job's error.
func jobError(st wire.JobStatus) error {
	if st.Error == nil {
		return core.Errorf(st.Op, core.Other, "the %s failed", st.Op)
	}
	kind := wire.ParseKind(st.Error.Kind)
	if st.State == wire.JobCancelled {
		return &core.Error{Op: st.Error.Op, Kind: kind, Msg: st.Error.Message, Err: context.Canceled}
	}
	return &core.Error{Op: st.Error.Op, Kind: kind, Msg: st.Error.Message}
}

func (s *Session) RepairFiles(ctx context.Context, minAgeSeconds int) (core.RepairReport, error) {
	var rep core.RepairReport
	err := s.call(ctx, http.MethodPost, "/ocular/v1/repair-files", wire.RepairRequest{MinAgeSeconds: minAgeSeconds}, &rep)
	return rep, err
}
