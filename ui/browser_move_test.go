package ui_test

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/jobs"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/ui/browser"
)

// Move to Group driven as a user would: select a tree row, choose the item,
// go through the dialog's steps, compare the review with the planner's dry
// run, then check what the job did in the repository.

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
