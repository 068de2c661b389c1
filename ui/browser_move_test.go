package ui_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/graphreview"
	"github.com/ocular-lab/ocular/app/jobs"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/ui"
	"github.com/ocular-lab/ocular/ui/browser"
)

// Move to Group, Change Owner and Duplicate driven as a user would: select
// a tree row, choose the item, go through the dialog's steps, and compare
// what the review says with the planner's own dry run (the one the CLI's
// --dry-run --report prints), then what the job did in the repository.

// selectRow selects the tree row of ref at the top level.
func selectRow(t *testing.T, u *ui.UI, ref core.Ref) {
	t.Helper()
	u.Browser.Tree.Select(ref.String())
}

// graphItem runs the graph menu's item label; it fails the test when the
// item is disabled.
func graphItem(t *testing.T, u *ui.UI, label string) {
	t.Helper()
	for _, mi := range u.Browser.GraphItems() {
		if mi.Label == label {
			if mi.Disabled {
				t.Fatalf("%q is disabled: %s", label, u.Browser.GraphWhy(label))
			}
			mi.Action()
			return
		}
	}
	t.Fatalf("no item %q", label)
}

func graphDisabled(t *testing.T, u *ui.UI, label string) bool {
	t.Helper()
	for _, mi := range u.Browser.GraphItems() {
		if mi.Label == label {
			return mi.Disabled
		}
	}
	t.Fatalf("no item %q", label)
	return false
}

// find returns the first visible object of type T on top of the window
// for which ok says yes.
func find[T fyne.CanvasObject](t *testing.T, u *ui.UI, ok func(T) bool) T {
	t.Helper()
	var found T
	hit := false
	walkObjects(u.Window.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		if w, is := o.(T); is && ok(w) {
			found, hit = w, true
			return false
		}
		return true
	})
	if !hit {
		t.Fatalf("the dialog has no such %T; it shows %q", found, dialogTexts(u))
	}
	return found
}

func tapButton(t *testing.T, u *ui.UI, text string) {
	t.Helper()
	b := find(t, u, func(b *widget.Button) bool { return b.Text == text })
	if b.Disabled() {
		t.Fatalf("button %q is disabled; the dialog shows %q", text, dialogTexts(u))
	}
	test.Tap(b)
}

// waitJobs waits until every job of the session has ended.
func waitJobs(t *testing.T, u *ui.UI) []jobs.Info {
	t.Helper()
	m := u.Browser.Jobs()
	for _, i := range m.List() {
		j, _ := m.Get(i.ID)
		<-j.Done()
	}
	return m.List()
}

// reviewLines are the lines the planner's review has for req, as the
// dialogs word them.
func reviewLines(t *testing.T, s core.Session, req core.GraphRequest) []string {
	t.Helper()
	req.DryRun = true
	plan, err := s.PlanGraph(context.Background(), req)
	must(t, err)
	var out []string
	for _, sec := range graphreview.Sections(plan, nil) {
		out = append(out, sec.Title)
		for _, l := range sec.Lines {
			out = append(out, l.Text)
		}
	}
	return out
}

// dialogHas reports the lines of want the dialog does not show (bullets
// and accordion titles alike).
func missingLines(u *ui.UI, want []string) []string {
	got := dialogTexts(u)
	var missing []string
	for _, w := range want {
		if !contains(got, w) && !contains(got, "• "+w) {
			missing = append(missing, w)
		}
	}
	return missing
}

func TestMoveProjectToAnotherGroupReviewsThenMovesAndShowsIt(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	selectRow(t, u, f.oliveProject[core.ReadAnnotate])
	graphItem(t, u, browser.MoveToGroup)

	radio := find(t, u, func(*widget.RadioGroup) bool { return true })
	dest := groupName(core.ReadWrite) + " (read-write)"
	if contains(radio.Options, groupName(core.ReadAnnotate)+" (read-annotate)") || !contains(radio.Options, dest) {
		t.Fatalf("step 1 offers %q: want the other groups with their levels, not the source", radio.Options)
	}
	radio.SetSelected(dest)
	tapButton(t, u, "Next")

	olive := testrepo.Login(t, f.svc, "olive", password)
	req := core.GraphRequest{Op: core.OpChgrp, Group: f.groups[core.ReadWrite].ID,
		Targets: []core.Target{{Class: core.Project, IDs: []core.ID{f.oliveProject[core.ReadAnnotate].ID}}}}
	want := reviewLines(t, olive, req)
	if m := missingLines(u, want); len(m) > 0 {
		t.Fatalf("the review lacks %q of the planner's %q; it shows %q", m, want, dialogTexts(u))
	}
	for _, w := range []string{"Move", "1 project", "1 dataset", "2 images"} {
		if !contains(want, w) {
			t.Errorf("the planner's review has no %q: %q", w, want)
		}
	}
	tapButton(t, u, "Move")
	infos := waitJobs(t, u)
	if len(infos) != 1 || infos[0].State != jobs.Done {
		t.Fatalf("jobs: %+v", infos)
	}
	p, err := olive.Get(context.Background(), f.oliveProject[core.ReadAnnotate])
	must(t, err)
	if p.Group != f.groups[core.ReadWrite].ID {
		t.Errorf("the project is in group %d, want %d", p.Group, f.groups[core.ReadWrite].ID)
	}
	if contains(treeShows(u), "Olive project (1)") {
		t.Errorf("the source group's tree still shows the project: %q", treeShows(u))
	}

	u.Browser.ShowActivities()
	sentence := "Moved 1 project, 1 dataset, 2 images to " + groupName(core.ReadWrite) + "."
	if !contains(dialogTexts(u), sentence) {
		t.Fatalf("the activities list does not say %q: %q", sentence, dialogTexts(u))
	}
	tapButton(t, u, "Show")
	if u.Browser.Group() != f.groups[core.ReadWrite].ID {
		t.Fatalf("Show did not switch to the destination group")
	}
	if head := u.Browser.RenderingMenu().Items[0].Label; head != "Rendering of project “Olive project”" {
		t.Errorf("after Show the selection is %q", head)
	}
}

func TestMoveIsOfferedToOwnersAndAdminsNeverToAPIOnOthersData(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "pia", core.ReadWrite, "Olive Owner")
	selectRow(t, u, f.oliveProject[core.ReadWrite])
	if !graphDisabled(t, u, browser.MoveToGroup) {
		t.Fatal("a PI may move another user's project")
	}
	if why := u.Browser.GraphWhy(browser.MoveToGroup); !strings.Contains(why, "as the group's owner you may change its owner instead") {
		t.Errorf("the reason is %q", why)
	}
	if graphDisabled(t, u, browser.ChangeOwner) {
		t.Errorf("a PI may not change the owner of their member's project: %s", u.Browser.GraphWhy(browser.ChangeOwner))
	}

	o := browseAs(t, f, "olive", core.ReadWrite, "")
	selectRow(t, o, f.oliveProject[core.ReadWrite])
	if graphDisabled(t, o, browser.MoveToGroup) || !graphDisabled(t, o, browser.ChangeOwner) {
		t.Errorf("the owner: move %v, change owner %v; want move only", o.Browser.GraphWhy(browser.MoveToGroup), o.Browser.GraphWhy(browser.ChangeOwner))
	}

	a := browseAs(t, f, "ada", core.ReadWrite, "")
	selectRow(t, a, f.oliveProject[core.ReadWrite])
	if graphDisabled(t, a, browser.MoveToGroup) {
		t.Errorf("an admin may not move: %s", a.Browser.GraphWhy(browser.MoveToGroup))
	}
}

// The data changed between the review and OK: the job refuses, says so,
// offers to review again, and nothing moved.
func TestMoveRefusesWhenTheDataChangedSinceTheReview(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	selectRow(t, u, f.oliveProject[core.ReadAnnotate])
	graphItem(t, u, browser.MoveToGroup)
	find(t, u, func(*widget.RadioGroup) bool { return true }).SetSelected(groupName(core.ReadWrite) + " (read-write)")
	tapButton(t, u, "Next")

	olive := testrepo.Login(t, f.svc, "olive", password)
	must(t, olive.SetGroup(context.Background(), f.groups[core.ReadAnnotate].ID))
	img := create(t, olive, core.Image, "name", "late.tif")
	create(t, olive, core.DatasetImageLink, "parent", f.oliveDataset[core.ReadAnnotate].String(), "child", img.String())

	tapButton(t, u, "Move")
	infos := waitJobs(t, u)
	if infos[0].State != jobs.Failed || !strings.Contains(infos[0].Err, "the data changed since the review") {
		t.Fatalf("the job: %+v", infos[0])
	}
	p, err := olive.Get(context.Background(), f.oliveProject[core.ReadAnnotate])
	must(t, err)
	if p.Group != f.groups[core.ReadAnnotate].ID {
		t.Error("the project moved although the review was out of date")
	}
	u.Browser.ShowActivities()
	if want := "The data changed since you reviewed it (another window or the command line changed it), so nothing was done. Review again to see what it would do now."; !contains(dialogTexts(u), want) {
		t.Errorf("the activities say %q", dialogTexts(u))
	}
	tapButton(t, u, "Review again")
	if !contains(dialogTexts(u), browser.MoveDialogTitle) {
		t.Errorf("Review again did not reopen the move: %q", dialogTexts(u))
	}
}

func TestMoveIntoANewDatasetNeedsItsName(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	u.Browser.SelectPath("Project:" + idStr(f.oliveProject[core.ReadAnnotate]) + "/" + f.oliveDataset[core.ReadAnnotate].String() + "/" + f.oliveImage[core.ReadAnnotate].String())
	graphItem(t, u, browser.MoveToGroup)
	find(t, u, func(*widget.RadioGroup) bool { return true }).SetSelected(groupName(core.ReadWrite) + " (read-write)")
	tapButton(t, u, "Next")
	sel := find(t, u, func(s *widget.Select) bool { return len(s.Options) > 0 && s.Options[0] == "None (orphaned)" })
	sel.SetSelected(sel.Options[len(sel.Options)-1])
	tapButton(t, u, "Move")
	if !contains(dialogTexts(u), "Name the new dataset, or choose another place.") || len(u.Browser.Jobs().List()) != 0 {
		t.Fatalf("an unnamed new dataset: %q", dialogTexts(u))
	}
	test.Type(find(t, u, func(e *widget.Entry) bool { return e.PlaceHolder == "Name of the new dataset" }), "Arrivals")
	tapButton(t, u, "Move")
	infos := waitJobs(t, u)
	if infos[0].State != jobs.Done {
		t.Fatalf("job: %+v", infos[0])
	}
	res := infos[0].Result.(core.GraphResult)
	olive := testrepo.Login(t, f.svc, "olive", password)
	var made core.Ref
	for _, r := range res.Created {
		if r.Class == core.Dataset {
			made = r
		}
	}
	d, err := olive.Get(context.Background(), made)
	must(t, err)
	if d.Name != "Arrivals" || d.Group != f.groups[core.ReadWrite].ID {
		t.Errorf("the new dataset: %+v", d.Object)
	}
}

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

func TestDuplicateProjectWithAPreset(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	selectRow(t, u, f.oliveProject[core.ReadAnnotate])
	graphItem(t, u, browser.DuplicateItem)
	radio := find(t, u, func(r *widget.RadioGroup) bool { return contains(r.Options, "Everything") })
	if radio.Selected != "Everything" {
		t.Errorf("the preset is %q, want Everything", radio.Selected)
	}
	radio.SetSelected("Without annotations and ROIs")
	tapButton(t, u, "Review")
	olive := testrepo.Login(t, f.svc, "olive", password)
	must(t, olive.SetGroup(context.Background(), f.groups[core.ReadAnnotate].ID))
	want := reviewLines(t, olive, core.GraphRequest{Op: core.OpDuplicate,
		Targets:          []core.Target{{Class: core.Project, IDs: []core.ID{f.oliveProject[core.ReadAnnotate].ID}}},
		DuplicateOptions: core.DuplicateOptions{Ignore: []core.Class{core.IAnnotationLink, core.Roi}}})
	if m := missingLines(u, want); len(m) > 0 {
		t.Fatalf("the review lacks %q; it shows %q", m, dialogTexts(u))
	}
	tapButton(t, u, "Duplicate")
	i := waitJobs(t, u)[0]
	if i.State != jobs.Done {
		t.Fatalf("job: %+v", i)
	}
	ps, err := olive.List(context.Background(), core.Project, core.AnyID, f.groups[core.ReadAnnotate].ID)
	must(t, err)
	n := 0
	for _, p := range ps {
		if p.Name == "Olive project" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d projects named Olive project, want the original and its copy", n)
	}
}

func idStr(r core.Ref) string { return strings.TrimPrefix(r.String(), string(r.Class)+":") }

// What the CLI ran on the same repository while the desktop is open joins
// the activities on refresh, with its Show link.
func TestActivitiesListTheCommandLinesMovesOnRefresh(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	u.Browser.ShowActivities()
	if !contains(dialogTexts(u), "No activities in this session yet: moves, changes of owner and duplicates you start show here.") {
		t.Errorf("an empty list says %q", dialogTexts(u))
	}
	olive := testrepo.Login(t, f.svc, "olive", password)
	ctx := context.Background()
	must(t, olive.SetGroup(ctx, f.groups[core.ReadAnnotate].ID))
	req := core.GraphRequest{Op: core.OpChgrp, Group: f.groups[core.ReadWrite].ID,
		Targets: []core.Target{{Class: core.Project, IDs: []core.ID{f.oliveProject[core.ReadAnnotate].ID}}}}
	res, err := olive.RunGraph(ctx, req)
	must(t, err)
	me, err := olive.Me(ctx)
	must(t, err)
	// As cmd/ocular-cli's recordGraph writes it.
	must(t, jobs.AppendRecord(f.dir, jobs.Record{Time: time.Now(), User: me.User.ID, Op: core.OpChgrp, State: jobs.Done,
		Title: "ocular-cli chgrp " + req.Targets[0].String(), Outcome: graphreview.Outcome(res, groupName(core.ReadWrite)),
		Refs: jobs.Changed(jobs.Info{Result: res}), Group: req.Group}))
	tapButton(t, u, "Refresh")
	if want := "Moved 1 project, 1 dataset, 2 images to " + groupName(core.ReadWrite) + "."; !contains(dialogTexts(u), want) {
		t.Fatalf("after Refresh the activities say %q, want %q", dialogTexts(u), want)
	}
	tapButton(t, u, "Show")
	if u.Browser.Group() != f.groups[core.ReadWrite].ID {
		t.Errorf("Show did not switch to the destination group")
	}
}

// The badge counts running jobs; a running job shows its progress and
// Cancel, and a cancelled one says nothing changed.
func TestActivitiesBadgeProgressAndCancel(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	started := make(chan struct{})
	j := u.Browser.Jobs().Start(context.Background(), "graph", "Move things", func(ctx context.Context, progress func(int, int)) (any, error) {
		progress(3, 10)
		close(started)
		<-ctx.Done()
		return nil, ctx.Err()
	})
	<-started
	if got := u.Browser.ActivitiesBadge(); got != "1" {
		t.Errorf("the badge shows %q while a job runs, want 1", got)
	}
	u.Browser.ShowActivities()
	if !contains(dialogTexts(u), "3 of 10 objects processed") {
		t.Errorf("the running job shows %q", dialogTexts(u))
	}
	tapButton(t, u, "Cancel")
	<-j.Done()
	if got := u.Browser.ActivitiesBadge(); got != "" {
		t.Errorf("the badge shows %q after the job ended", got)
	}
	if !contains(dialogTexts(u), "Cancelled: nothing changed.") {
		t.Errorf("the cancelled job shows %q", dialogTexts(u))
	}
}

// An administrator moving a user's dataset into a new project of another
// group: the project belongs to the data's owner (spec §4.3).
func TestAdminMovesIntoANewProjectOwnedByTheDataOwner(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "ada", core.ReadAnnotate, "")
	u.Browser.SelectPath(f.oliveProject[core.ReadAnnotate].String() + "/" + f.oliveDataset[core.ReadAnnotate].String())
	graphItem(t, u, browser.MoveToGroup)
	radio := find(t, u, func(*widget.RadioGroup) bool { return true })
	if !contains(radio.Options, "Facility (read-only)") {
		t.Errorf("an admin may move to any group, even one the owner is not in: %q", radio.Options)
	}
	radio.SetSelected(groupName(core.ReadWrite) + " (read-write)")
	tapButton(t, u, "Next")
	if !contains(dialogTexts(u), "A new project belongs to Olive Owner, who owns the data.") {
		t.Errorf("the dialog does not say who will own the new project: %q", dialogTexts(u))
	}
	sel := find(t, u, func(s *widget.Select) bool { return len(s.Options) > 0 && s.Options[0] == "None (orphaned)" })
	sel.SetSelected(sel.Options[len(sel.Options)-1])
	test.Type(find(t, u, func(e *widget.Entry) bool { return e.PlaceHolder == "Name of the new project" }), "Moved in")
	tapButton(t, u, "Move")
	i := waitJobs(t, u)[0]
	if i.State != jobs.Done {
		t.Fatalf("job: %+v", i)
	}
	olive := testrepo.Login(t, f.svc, "olive", password)
	me, err := olive.Me(context.Background())
	must(t, err)
	for _, r := range i.Result.(core.GraphResult).Created {
		if r.Class != core.Project {
			continue
		}
		p, err := olive.Get(context.Background(), r)
		must(t, err)
		if p.Owner != me.User.ID || p.Name != "Moved in" || p.Group != f.groups[core.ReadWrite].ID {
			t.Errorf("the new project: %+v", p.Object)
		}
		return
	}
	t.Error("no project was created")
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

// Duplicate to Group copies the project and moves the copy in one job; the
// original stays.
func TestDuplicateToGroupInOneStep(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	selectRow(t, u, f.oliveProject[core.ReadAnnotate])
	graphItem(t, u, browser.DuplicateToGroup)
	tapButton(t, u, "Review")
	if got := u.Browser.Status(); got != "Duplicate to Group: choose the group the copies go to." {
		t.Errorf("Review without a group: the status says %q", got)
	}
	find(t, u, func(s *widget.Select) bool { return s.PlaceHolder == "Choose the group" }).SetSelected(groupName(core.ReadWrite) + " (read-write)")
	tapButton(t, u, "Review")
	if !contains(dialogTexts(u), "Then the copies move to "+groupName(core.ReadWrite)+" (read-write).") {
		t.Errorf("the review does not say where the copies go: %q", dialogTexts(u))
	}
	tapButton(t, u, "Duplicate")
	i := waitJobs(t, u)[0]
	if i.State != jobs.Done {
		t.Fatalf("job: %+v", i)
	}
	olive := testrepo.Login(t, f.svc, "olive", password)
	ps, err := olive.List(context.Background(), core.Project, core.AnyID, f.groups[core.ReadWrite].ID)
	must(t, err)
	n := 0
	for _, p := range ps {
		if p.Name == "Olive project" {
			n++
		}
	}
	if n != 2 { // olive's own project there, and the copy
		t.Errorf("%d projects named Olive project in %s, want 2", n, groupName(core.ReadWrite))
	}
	orig, err := olive.Get(context.Background(), f.oliveProject[core.ReadAnnotate])
	must(t, err)
	if orig.Group != f.groups[core.ReadAnnotate].ID {
		t.Error("the original moved")
	}
	u.Browser.ShowActivities()
	if want := "Duplicated 1 project, 1 dataset, 2 images into " + groupName(core.ReadWrite) + "."; !contains(dialogTexts(u), want) {
		t.Errorf("activities: %q, want %q", dialogTexts(u), want)
	}
}

// One image of a two-image fileset: the review says the fileset would be
// split and the move is refused until "Move all images of the fileset" is
// checked; then both images move.
func TestMoveOneImageOfAFilesetOffersToMoveTheWholeFileset(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	olive := testrepo.Login(t, f.svc, "olive", password)
	me, err := olive.Me(ctx)
	must(t, err)
	g := f.groups[core.ReadAnnotate].ID
	var imgs []core.Ref
	must(t, f.svc.Store().Write(ctx, func(tx core.Tx) error {
		fs := &core.Object{Ref: core.Ref{Class: core.Fileset}, Details: core.Details{Owner: me.User.ID, Group: g}, Name: "plate.ome.tiff"}
		if err := tx.CreateObject(fs); err != nil {
			return err
		}
		for i := 1; i <= 2; i++ {
			im := &core.Object{Ref: core.Ref{Class: core.Image}, Details: core.Details{Owner: me.User.ID, Group: g}, Parent: fs.ID, Name: "series-" + idStr(core.Ref{ID: core.ID(i)})}
			if err := tx.CreateObject(im); err != nil {
				return err
			}
			imgs = append(imgs, im.Ref)
		}
		return nil
	}))
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	u.Browser.SelectPath("OrphanedImages:0/" + imgs[0].String())
	graphItem(t, u, browser.MoveToGroup)
	find(t, u, func(*widget.RadioGroup) bool { return true }).SetSelected(groupName(core.ReadWrite) + " (read-write)")
	tapButton(t, u, "Next")
	if b := find(t, u, func(b *widget.Button) bool { return b.Text == "Move" }); !b.Disabled() {
		t.Errorf("Move is enabled although the fileset would be split: %q", dialogTexts(u))
	}
	split := false
	for _, s := range dialogTexts(u) {
		split = split || strings.Contains(s, "holds 1 other image that is not selected; images of one fileset move together.")
	}
	if !split {
		t.Errorf("the review does not explain the split: %q", dialogTexts(u))
	}
	test.Tap(find(t, u, func(c *widget.Check) bool { return c.Text == "Move all images of the fileset" }))
	if !contains(dialogTexts(u), "2 images") {
		t.Errorf("with the whole fileset the review says %q", dialogTexts(u))
	}
	tapButton(t, u, "Move")
	if i := waitJobs(t, u)[0]; i.State != jobs.Done {
		t.Fatalf("job: %+v", i)
	}
	for _, r := range imgs {
		o, err := olive.Get(ctx, r)
		must(t, err)
		if o.Group != f.groups[core.ReadWrite].ID {
			t.Errorf("%s stayed in group %d", r, o.Group)
		}
	}
}

// Closing the window while a job runs stops it and waits for its end, so
// the session never closes under a half-applied operation.
func TestClosingTheWindowEndsRunningJobsFirst(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	started := make(chan struct{})
	j := u.Browser.Jobs().Start(context.Background(), "graph", "Move things", func(ctx context.Context, _ func(int, int)) (any, error) {
		close(started)
		<-ctx.Done()
		return nil, ctx.Err()
	})
	<-started
	u.Close()
	select {
	case <-j.Done():
	default:
		t.Fatal("Close returned while the job still ran")
	}
	if s := j.Info().State; s != jobs.Cancelled {
		t.Errorf("the job ended %s", s)
	}
}

// A tag the dataset shares with its project stays behind, its link
// removed (Not included: Tags); with "Keep tags, files and key-value
// pairs" the review says the same-named tag of the destination is reused,
// and after the move the dataset carries it.
func TestMoveKeepingTagsReusesTheDestinationsTag(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	olive := testrepo.Login(t, f.svc, "olive", password)
	must(t, olive.SetGroup(ctx, f.groups[core.ReadAnnotate].ID))
	tag := create(t, olive, core.TagAnnotation, "textValue", "Mitosis")
	create(t, olive, core.DatasetAnnotationLink, "parent", f.oliveDataset[core.ReadAnnotate].String(), "child", tag.String())
	create(t, olive, core.ProjectAnnotationLink, "parent", f.oliveProject[core.ReadAnnotate].String(), "child", tag.String())
	must(t, olive.SetGroup(ctx, f.groups[core.ReadWrite].ID))
	there := create(t, olive, core.TagAnnotation, "textValue", "Mitosis")

	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	u.Browser.SelectPath(f.oliveProject[core.ReadAnnotate].String() + "/" + f.oliveDataset[core.ReadAnnotate].String())
	graphItem(t, u, browser.MoveToGroup)
	find(t, u, func(*widget.RadioGroup) bool { return true }).SetSelected(groupName(core.ReadWrite) + " (read-write)")
	tapButton(t, u, "Next")
	if got := dialogTexts(u); !contains(got, "• Tags: Mitosis") || !contains(got, "Not included") {
		t.Fatalf("the review does not list the tag left behind: %q", got)
	}
	test.Tap(find(t, u, func(c *widget.Check) bool { return c.Text == "Keep tags, files and key-value pairs" }))
	want := "• Reused: tag “Mitosis” (already there as " + there.String() + ")"
	if !contains(dialogTexts(u), want) {
		t.Fatalf("with Keep the review says %q, want %q", dialogTexts(u), want)
	}
	tapButton(t, u, "Move")
	if i := waitJobs(t, u)[0]; i.State != jobs.Done {
		t.Fatalf("job: %+v", i)
	}
	links, err := olive.List(ctx, core.DatasetAnnotationLink, core.AnyID, f.groups[core.ReadWrite].ID)
	must(t, err)
	found := false
	for _, l := range links {
		found = found || (l.Parent == f.oliveDataset[core.ReadAnnotate].ID && l.Child == there.ID)
	}
	if !found {
		t.Error("the moved dataset does not carry the destination's tag")
	}
}

// A copy of an image put into a dataset chosen in the dialog.
func TestDuplicateAnImageIntoADataset(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	u.Browser.SelectPath(f.oliveProject[core.ReadAnnotate].String() + "/" + f.oliveDataset[core.ReadAnnotate].String() + "/" + f.oliveImage[core.ReadAnnotate].String())
	graphItem(t, u, browser.DuplicateItem)
	sel := find(t, u, func(s *widget.Select) bool { return len(s.Options) > 0 && s.Options[0] == "None (orphaned)" })
	if sel.Selected != "None (orphaned)" || !contains(sel.Options, "dataset “Olive dataset”") {
		t.Fatalf("the target choice: %q of %q", sel.Selected, sel.Options)
	}
	sel.SetSelected("dataset “Olive dataset”")
	tapButton(t, u, "Review")
	tapButton(t, u, "Duplicate")
	i := waitJobs(t, u)[0]
	if i.State != jobs.Done {
		t.Fatalf("job: %+v", i)
	}
	copyRef := i.Result.(core.GraphResult).Duplicates[0].Copy
	olive := testrepo.Login(t, f.svc, "olive", password)
	links, err := olive.List(context.Background(), core.DatasetImageLink, core.AnyID, f.groups[core.ReadAnnotate].ID)
	must(t, err)
	in := false
	for _, l := range links {
		in = in || (l.Parent == f.oliveDataset[core.ReadAnnotate].ID && l.Child == copyRef.ID)
	}
	if !in {
		t.Errorf("the copy %s is not in the dataset", copyRef)
	}
	u.Browser.ShowActivities()
	if want := "Duplicated 1 image into Olive dataset."; !contains(dialogTexts(u), want) {
		t.Errorf("activities: %q, want %q", dialogTexts(u), want)
	}
}
