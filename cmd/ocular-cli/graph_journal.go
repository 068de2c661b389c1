package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/app/graphreview"
	"github.com/ocular-lab/ocular/app/jobs"
	"github.com/ocular-lab/ocular/core"
)

// recordGraph adds a real run of a graph verb to the repository's journal
// (app/jobs), so that a desktop open on the same repository lists it in
// its activities on refresh. A journal that cannot be written only warns:
// the operation itself is done.
func recordGraph(env *Env, s core.Session, req core.GraphRequest, res core.GraphResult, runErr error) {
	if env.Remote() {
		return // the journal is a local repository's; a server keeps its own jobs
	}
	ctx := context.WithoutCancel(env.Ctx)
	me, err := s.Me(ctx)
	if err != nil {
		return
	}
	var ts []string
	for _, t := range req.Targets {
		ts = append(ts, t.String())
	}
	r := jobs.Record{Time: time.Now(), User: me.User.ID, Op: req.Op, State: jobs.Done,
		Title: "ocular-cli " + string(req.Op) + " " + strings.Join(ts, " "), Into: req.TargetContainer, Group: me.Group.ID}
	if runErr != nil {
		r.State, r.Err = jobs.Failed, core.UserMessage(runErr)
	} else {
		dest := ""
		switch req.Op {
		case core.OpChgrp:
			r.Group = req.Group
			if g, err := s.Group(ctx, fmt.Sprint(req.Group)); err == nil {
				dest = g.Name
			}
		case core.OpChown:
			if u, err := s.User(ctx, fmt.Sprint(req.User)); err == nil {
				dest = u.FullName()
			}
		}
		r.Outcome = graphreview.Outcome(res, dest)
		r.Refs = jobs.Changed(jobs.Info{Result: res})
		if req.NewContainer != "" {
			for _, c := range res.Created {
				if c.Class == req.NewContainer {
					r.Into = c
				}
			}
		}
	}
	if err := jobs.AppendRecord(env.Repo, r); err != nil {
		fmt.Fprintf(env.Stderr, "warning: could not record this in the repository's activities: %s\n", core.UserMessage(err))
	}
}
