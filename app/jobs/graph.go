package jobs

import (
	"context"
	"fmt"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

// StartGraph runs a graph operation as a job: progress is rows applied of
// the plan's total, and the recorded result is the core.GraphResult (what
// changed, with the IDs), or the plan for a dry run.
func StartGraph(ctx context.Context, m *Manager, g core.Graph, req core.GraphRequest) *Job {
	return m.Start(ctx, string(req.Op), Title(req), func(ctx context.Context, progress func(done, total int)) (any, error) {
		req.Progress = progress
		res, err := g.RunGraph(ctx, req)
		if err != nil {
			return nil, err
		}
		return res, nil
	})
}

// Title describes a request for the activities list: "Move Dataset:3 to
// group 5", "Delete Image:1,2".
func Title(req core.GraphRequest) string {
	var ts []string
	for _, t := range req.Targets {
		ts = append(ts, t.String())
	}
	what := strings.Join(ts, " ")
	var s string
	switch req.Op {
	case core.OpDelete:
		s = "Delete " + what
	case core.OpChgrp:
		s = fmt.Sprintf("Move %s to group %d", what, req.Group)
	case core.OpChown:
		s = fmt.Sprintf("Give %s to user %d", what, req.User)
	case core.OpDuplicate:
		s = "Duplicate " + what
	case core.OpChmod:
		s = fmt.Sprintf("Change group %d to %s", req.Group, req.Level)
	default:
		s = string(req.Op) + " " + what
	}
	if req.DryRun {
		s += " (review)"
	}
	return s
}

// Changed lists what a finished graph job changed, for the "show" link:
// the processed objects (or the duplicates made) and those created.
func Changed(info Info) []core.Ref {
	if imp, ok := info.Result.(Imported); ok {
		return append(append([]core.Ref(nil), imp.Plates...), imp.Images...)
	}
	res, ok := info.Result.(core.GraphResult)
	if !ok {
		return nil
	}
	var out []core.Ref
	if len(res.Duplicates) > 0 {
		for _, d := range res.Duplicates {
			out = append(out, d.Copy)
		}
	} else {
		out = append(out, res.Processed...)
	}
	return append(out, res.Created...)
}

// Imported is the recorded result of an import job (a desktop import
// queue's entry): the images made, the container they went into (zero for
// Orphaned Images) and the outcome in a sentence.
type Imported struct {
	Images []core.Ref `json:"images,omitempty"`
	Plates []core.Ref `json:"plates,omitempty"`
	Into   core.Ref   `json:"into,omitempty"`
	// Path is Into's path in the data tree ("Project:3/Dataset:5"), for
	// the Show link; "" when unknown.
	Path    string `json:"path,omitempty"`
	Outcome string `json:"outcome"`
}
