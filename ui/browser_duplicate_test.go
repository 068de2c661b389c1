package ui_test

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/jobs"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/ui/browser"
)

// Duplicate and Duplicate to Group driven as a user would: presets, the
// review compared with the planner's dry run, the target container.

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
