package ui_test

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/jobs"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/ui/browser"
)

// Change Owner driven as a user would, as a group owner and as an
// administrator, with the review compared with the planner's dry run.

func TestChangeOwnerAsPIToAMemberOnly(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "pia", core.ReadAnnotate, "Olive Owner")
	selectRow(t, u, f.oliveProject[core.ReadAnnotate])
	graphItem(t, u, browser.ChangeOwner)
	list := find(t, u, func(*widget.List) bool { return true })
	if n := list.Length(); n != 2 {
		t.Errorf("the chooser lists %d recipients, want mike and pia (not olive, the owner)", n)
	}
	test.Type(find(t, u, func(e *widget.Entry) bool { return e.PlaceHolder == "Search by name" }), "mik")
	if n := list.Length(); n != 1 {
		t.Fatalf("searching mik lists %d", n)
	}
	list.Select(0)
	tapButton(t, u, "Next")
	pia := testrepo.Login(t, f.svc, "pia", password)
	mike := testrepo.Login(t, f.svc, "mike", password)
	mikeMe, err := mike.Me(context.Background())
	must(t, err)
	want := reviewLines(t, pia, core.GraphRequest{Op: core.OpChown, User: mikeMe.User.ID,
		Targets: []core.Target{{Class: core.Project, IDs: []core.ID{f.oliveProject[core.ReadAnnotate].ID}}}})
	if !contains(want, "Change owner of") {
		t.Errorf("the planner's review: %q", want)
	}
	if m := missingLines(u, want); len(m) > 0 {
		t.Fatalf("the review lacks %q; it shows %q", m, dialogTexts(u))
	}
	tapButton(t, u, "Change Owner")
	if i := waitJobs(t, u)[0]; i.State != jobs.Done {
		t.Fatalf("job: %+v", i)
	}
	p, err := pia.Get(context.Background(), f.oliveProject[core.ReadAnnotate])
	must(t, err)
	if p.Owner != mikeMe.User.ID {
		t.Errorf("the project's owner is %d, want mike", p.Owner)
	}
}

// An administrator gives all of a user's data, in every group, to another
// user (the CLI's `chown USER Experimenter:ID`).
func TestAdminGivesAllDataOfAUser(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "ada", core.ReadAnnotate, "")
	selectRow(t, u, f.oliveProject[core.ReadAnnotate])
	graphItem(t, u, browser.ChangeOwner)
	list := find(t, u, func(*widget.List) bool { return true })
	if n := list.Length(); n < 3 {
		t.Errorf("an admin may give to anyone; the chooser lists %d", n)
	}
	test.Tap(find(t, u, func(c *widget.Check) bool { return c.Text == "All data of Olive Owner, in every group" }))
	test.Type(find(t, u, func(e *widget.Entry) bool { return e.PlaceHolder == "Search by name" }), "mike")
	list.Select(0)
	tapButton(t, u, "Next")
	ada := testrepo.Login(t, f.svc, "ada", password)
	mike := testrepo.Login(t, f.svc, "mike", password)
	me, err := mike.Me(context.Background())
	must(t, err)
	olive := testrepo.Login(t, f.svc, "olive", password)
	oliveMe, err := olive.Me(context.Background())
	must(t, err)
	want := reviewLines(t, ada, core.GraphRequest{Op: core.OpChown, User: me.User.ID,
		Targets: []core.Target{{Class: core.ClassExperimenter, IDs: []core.ID{oliveMe.User.ID}}}})
	if !contains(want, "4 projects") {
		t.Errorf("the planner's review of all of olive's data: %q", want)
	}
	if m := missingLines(u, want); len(m) > 0 {
		t.Fatalf("the review lacks %q; it shows %q", m, dialogTexts(u))
	}
	tapButton(t, u, "Change Owner")
	if i := waitJobs(t, u)[0]; i.State != jobs.Done {
		t.Fatalf("job: %+v", i)
	}
	for _, l := range levels {
		p, err := ada.Get(context.Background(), f.oliveProject[l])
		must(t, err)
		if p.Owner != me.User.ID {
			t.Errorf("olive's project in %s belongs to %d, want mike", groupName(l), p.Owner)
		}
	}
}
