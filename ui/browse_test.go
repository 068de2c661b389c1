package ui_test

import (
	"reflect"
	"testing"

	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/ui"
)

// browseAs logs user in through the login screen and shows group with the
// user switcher on owner ("" keeps the default: the user's own data).
func browseAs(t *testing.T, f *fixture, user string, level core.Level, owner string) *ui.UI {
	t.Helper()
	u := newUI(t, f, ui.Options{Username: user, Password: password, AutoLogin: true})
	if u.Browser == nil {
		t.Fatalf("%s could not log in: %s", user, u.Login.Error.Text)
	}
	u.Browser.Groups.SetSelected(browse.GroupLabel(f.groups[level]))
	if got := u.Browser.Group(); got != f.groups[level].ID {
		t.Fatalf("%s: the group switcher did not switch to %s", user, groupName(level))
	}
	if owner != "" {
		u.Browser.Members.SetSelected(owner)
		if u.Browser.Members.Selected != owner {
			t.Fatalf("%s: the user switcher has no %q (options %q)", user, owner, u.Browser.Members.Options)
		}
	}
	return u
}

func treeShows(u *ui.UI) []string { return shown(u.Browser.Tree) }

func TestTreeShowsEachRoleWhatTheGroupLevelAllows(t *testing.T) {
	f := newFixture(t)
	// "All members" is grouped by owner: what each owner's node shows.
	everything := map[string][]string{
		"Olive Owner":      {"Olive project (1)", "Orphaned Images (1)"},
		"Mike Member":      {"Mike project (0)", "Orphaned Images (0)"},
		"Pia Investigator": {"Orphaned Images (0)"},
	}
	ra := map[string][]string{
		"Olive Owner":      {"Olive project (1)", "Olive screen (1)", "Orphaned Images (1)"},
		"Mike Member":      everything["Mike Member"],
		"Pia Investigator": everything["Pia Investigator"],
	}
	want := map[string]map[core.Level]map[string][]string{
		"olive": {core.Private: {"Olive Owner": everything["Olive Owner"], "Mike Member": {"Orphaned Images (0)"}, "Pia Investigator": {"Orphaned Images (0)"}}},
		"mike":  {core.Private: {"Olive Owner": {"Orphaned Images (0)"}, "Mike Member": everything["Mike Member"], "Pia Investigator": {"Orphaned Images (0)"}}},
	}
	for _, role := range roles {
		for _, level := range levels {
			t.Run(role+"/"+level.String(), func(t *testing.T) {
				u := browseAs(t, f, role, level, browse.AllMembers.Label)
				exp, ok := want[role][level]
				if !ok {
					exp = everything
				}
				if level == core.ReadAnnotate {
					exp = ra
				}
				for owner, rows := range exp {
					uid := f.userRef(t, owner)
					u.Browser.Tree.OpenBranch(uid)
					if got := childLabels(u, uid); !reflect.DeepEqual(got, rows) {
						t.Errorf("with All members, %s's node shows %q, want %q", owner, got, rows)
					}
				}
			})
		}
	}
}

func TestTreeOpensOnTheUsersOwnData(t *testing.T) {
	f := newFixture(t)
	for role, exp := range map[string][]string{
		"olive": {"Olive project (1)", "Orphaned Images (1)"},
		"mike":  {"Mike project (0)", "Orphaned Images (0)"},
		"pia":   {"Orphaned Images (0)"},
		// An administrator who is not a member sees everyone's data, by owner.
		"ada": {"Mike Member", "Olive Owner", "Pia Investigator"},
	} {
		u := browseAs(t, f, role, core.ReadWrite, "")
		if got := treeShows(u); !reflect.DeepEqual(got, exp) {
			t.Errorf("%s: the tree shows %q, want %q", role, got, exp)
		}
	}
	u := browseAs(t, f, "mike", core.ReadWrite, "Olive Owner")
	if got, exp := treeShows(u), []string{"Olive project (1)", "Orphaned Images (1)"}; !reflect.DeepEqual(got, exp) {
		t.Errorf("mike choosing Olive Owner sees %q, want %q", got, exp)
	}
}

// flagsShown reads the six flags off the details panel.
func flagsShown(t *testing.T, u *ui.UI) [6]string {
	t.Helper()
	texts := shown(u.Browser.Details())
	var out [6]string
	for i, label := range []string{"Can edit", "Can annotate", "Can delete", "Can link", "Can move to another group", "Can change owner"} {
		v, ok := after(texts, label)
		if !ok {
			t.Fatalf("the details panel does not show %q: %q", label, texts)
		}
		out[i] = v
	}
	return out
}

func TestDetailsShowTheFlagsOfEachRoleOnTheOwnersProject(t *testing.T) {
	f := newFixture(t)
	const y, n = "yes", "no"
	// Edit, Annotate, Delete, Link, Chgrp, Chown on Olive's project: spec
	// §1.3 (readers) and the owner row below it.
	want := map[string]map[core.Level][6]string{
		"olive": {core.Private: {y, y, y, y, y, n}, core.ReadOnly: {y, y, y, y, y, n}, core.ReadAnnotate: {y, y, y, y, y, n}, core.ReadWrite: {y, y, y, y, y, n}},
		"mike":  {core.ReadOnly: {n, n, n, n, n, n}, core.ReadAnnotate: {n, y, n, n, n, n}, core.ReadWrite: {y, y, y, y, n, n}},
		"pia":   {core.Private: {y, n, y, n, n, y}, core.ReadOnly: {y, y, y, y, n, y}, core.ReadAnnotate: {y, y, y, y, n, y}, core.ReadWrite: {y, y, y, y, n, y}},
		"ada":   {core.Private: {y, n, y, n, y, y}, core.ReadOnly: {y, y, y, y, y, y}, core.ReadAnnotate: {y, y, y, y, y, y}, core.ReadWrite: {y, y, y, y, y, y}},
	}
	for _, role := range roles {
		for _, level := range levels {
			exp, ok := want[role][level]
			if !ok {
				continue // mike cannot see Olive's project in a private group (tested above)
			}
			t.Run(role+"/"+level.String(), func(t *testing.T) {
				u := browseAs(t, f, role, level, browse.AllMembers.Label)
				olive := f.userRef(t, "Olive Owner")
				u.Browser.SelectPath(olive + "/" + f.oliveProject[level].String())
				if got := flagsShown(t, u); got != exp {
					t.Errorf("flags shown %q, want %q", got, exp)
				}
			})
		}
	}
}

func TestTreeLoadsChildrenWhenOpenedAndDetailsDescribeTheImage(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "mike", core.ReadAnnotate, browse.AllMembers.Label)
	tree := u.Browser.Tree
	p, d, img := f.oliveProject[core.ReadAnnotate], f.oliveDataset[core.ReadAnnotate], f.oliveImage[core.ReadAnnotate]
	olive := f.userRef(t, "Olive Owner")
	tree.OpenBranch(olive)
	pu := olive + "/" + p.String()
	tree.OpenBranch(pu)
	if got := treeShows(u); !contains(got, "Olive dataset (2)") {
		t.Fatalf("opening the project shows %q", got)
	}
	tree.OpenBranch(pu + "/" + d.String())
	got := treeShows(u)
	if !contains(got, "olive-1.tif") || !contains(got, "olive-2.tif") {
		t.Fatalf("opening the dataset shows %q", got)
	}
	tree.Select(pu + "/" + d.String() + "/" + img.String())
	texts := shown(u.Browser.Details())
	for label, exp := range map[string]string{
		"ID": img.String(), "Owner": "Olive Owner", "Group": groupName(core.ReadAnnotate),
		"Permissions": "read-annotate (rwra--)", "Can annotate": "yes", "Can edit": "no",
	} {
		if v, _ := after(texts, label); v != exp {
			t.Errorf("details: %s shows %q, want %q (panel: %q)", label, v, exp, texts)
		}
	}
	if texts[0] != "olive-2.tif" {
		t.Errorf("details title = %q", texts[0])
	}
}

func TestTreeWalksScreensPlatesAndWells(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	var screen string
	for _, uid := range u.Browser.Tree.ChildUIDs(widget.TreeNodeID(browse.Root)) {
		if r, _ := browse.Ref(uid); r.Class == core.Screen {
			screen = uid
		}
	}
	if screen == "" {
		t.Fatal("no screen at the top level")
	}
	u.Browser.SelectPath(screen + "/" + f.plate.String() + "/" + f.well.String() + "/" + f.wellImage.String())
	got := treeShows(u)
	for _, s := range []string{"Olive screen (1)", "Olive plate (1)", "B3 (1)", "B3 field 1"} {
		if !contains(got, s) {
			t.Errorf("the opened screen does not show %q: %q", s, got)
		}
	}
	if title := shown(u.Browser.Details())[0]; title != "B3 field 1" {
		t.Errorf("selected %q, want the well's field image", title)
	}
}

func TestSwitchers(t *testing.T) {
	f := newFixture(t)
	ada := browseAs(t, f, "ada", core.Private, "")
	for _, l := range levels {
		if !contains(ada.Browser.Groups.Options, browse.GroupLabel(f.groups[l])) {
			t.Errorf("the administrator's group switcher lacks %s: %q", groupName(l), ada.Browser.Groups.Options)
		}
	}
	if ada.Browser.Members.Selected != browse.AllMembers.Label {
		t.Errorf("an administrator outside the group starts on %q", ada.Browser.Members.Selected)
	}
	mike := browseAs(t, f, "mike", core.ReadOnly, "")
	if got := mike.Browser.Groups.Options; len(got) != 4 || contains(got, "Facility (read-only)") {
		t.Errorf("mike's group switcher offers %q, want his four groups", got)
	}
	exp := []string{"All members", "Mike Member", "Olive Owner", "Pia Investigator (owner)"}
	if got := mike.Browser.Members.Options; !reflect.DeepEqual(got, exp) {
		t.Errorf("user switcher offers %q, want %q", got, exp)
	}
	if mike.Browser.Members.Selected != "Mike Member" {
		t.Errorf("a member starts on %q, want his own data", mike.Browser.Members.Selected)
	}
}
