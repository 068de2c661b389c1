package ui_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/ui"
)

// The account menu's dialogs over the fixture's real repository: what each
// role is offered, what it changes, and that refusals change nothing.

func loggedIn(t *testing.T, f *fixture, user string) *ui.UI {
	t.Helper()
	u := newUI(t, f, ui.Options{Username: user, Password: password, AutoLogin: true})
	if u.Browser == nil || u.Admin == nil {
		t.Fatalf("%s could not log in: %s", user, u.Login.Error.Text)
	}
	return u
}

func rootSession(t *testing.T, f *fixture) core.Session {
	t.Helper()
	s, err := f.svc.Login(context.Background(), "root", "rootpw", "")
	must(t, err)
	return s
}

func canLogIn(f *fixture, user, pw string) bool {
	_, err := f.svc.Login(context.Background(), user, pw, "")
	return err == nil
}

func TestUserSettingsChangePasswordRefusesMismatchAndWrongPassword(t *testing.T) {
	f := newFixture(t)
	u := loggedIn(t, f, "olive")
	s := u.Admin.OpenSettings()

	for _, c := range []struct{ old, new, repeat, want string }{
		{password, "n3w", "other", "The two new passwords differ: type the same one twice."},
		{password, "", "", "Type a new password."},
		{"", "n3w", "n3w", "Type your current password."},
		{"wrong", "n3w", "n3w", "The current password is wrong."},
	} {
		s.Old.SetText(c.old)
		s.New.SetText(c.new)
		s.Repeat.SetText(c.repeat)
		test.Tap(s.ChangePassword)
		if !s.PasswordMessage.Visible() || s.PasswordMessage.Text != c.want {
			t.Errorf("old %q new %q repeat %q: the dialog says %q, want %q", c.old, c.new, c.repeat, s.PasswordMessage.Text, c.want)
		}
		if !canLogIn(f, "olive", password) {
			t.Fatalf("a refused change changed the password")
		}
	}
	s.Old.SetText(password)
	s.New.SetText("n3w-secret")
	s.Repeat.SetText("n3w-secret")
	test.Tap(s.ChangePassword)
	if s.PasswordMessage.Text != "Password changed." {
		t.Fatalf("after a valid change the dialog says %q", s.PasswordMessage.Text)
	}
	if !canLogIn(f, "olive", "n3w-secret") || canLogIn(f, "olive", password) {
		t.Errorf("the new password does not log in, or the old one still does")
	}
}

func TestUserSettingsDefaultGroupAndMemberships(t *testing.T) {
	f := newFixture(t)
	u := loggedIn(t, f, "pia")
	s := u.Admin.OpenSettings()
	want := []string{"Lab private", "Lab read-only", "Lab read-annotate", "Lab read-write"}
	if !reflect.DeepEqual(s.Default.Options, want) {
		t.Fatalf("the default group offers %q, want %q (never the user group)", s.Default.Options, want)
	}
	if s.Default.Selected != "Lab private" {
		t.Errorf("the current default shown is %q, want Lab private", s.Default.Selected)
	}
	var lines []string
	for _, o := range s.Memberships.Objects {
		lines = append(lines, texts(o)...)
	}
	if !slices.Contains(lines, "Lab read-annotate — read-annotate (rwra--) — owner") ||
		!slices.Contains(lines, "Lab private — private (rw----) — owner, default") {
		t.Errorf("memberships show %q", lines)
	}
	if s.Role.Text != "User; owner (PI) of 4 groups" {
		t.Errorf("pia's role shows %q", s.Role.Text)
	}
	s.Default.SetSelected("Lab read-write")
	test.Tap(s.SaveDefault)
	if s.DefaultMessage.Text != "Your default group is now Lab read-write." {
		t.Fatalf("after saving the dialog says %q", s.DefaultMessage.Text)
	}
	pia, err := rootSession(t, f).User(context.Background(), "pia")
	must(t, err)
	if pia.DefaultGroup != f.groups[core.ReadWrite].ID {
		t.Errorf("the repository's default group is %d, want Lab read-write", pia.DefaultGroup)
	}

	a := loggedIn(t, f, "ada")
	if role := a.Admin.OpenSettings().Role.Text; role != "Full administrator" {
		t.Errorf("ada's role shows %q", role)
	}
}

// extraGroup is a group pia owns and mike is not in.
func extraGroup(t *testing.T, f *fixture) core.Group {
	t.Helper()
	root := rootSession(t, f)
	ctx := context.Background()
	g, err := root.CreateGroup(ctx, "Extra", core.ReadOnly, "")
	must(t, err)
	pia, err := root.User(ctx, "pia")
	must(t, err)
	must(t, root.AddToGroup(ctx, g.ID, []core.ID{pia.ID}, true))
	return g
}

func members(t *testing.T, f *fixture, g core.ID) []string {
	t.Helper()
	gi, err := rootSession(t, f).Group(context.Background(), fmt.Sprint(g))
	must(t, err)
	var out []string
	for _, m := range gi.Members {
		s := m.Username
		if m.Owner {
			s += "*"
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

func TestGroupPanelOwnerAddsMemberMemberCannot(t *testing.T) {
	f := newFixture(t)
	extra := extraGroup(t, f)

	m := loggedIn(t, f, "mike")
	p := m.Admin.OpenGroup(f.groups[core.ReadOnly].ID)
	if p.Shown().Name != "Lab read-only" {
		t.Fatalf("mike's panel shows %q", p.Shown().Name)
	}
	if !p.Add.Disabled() || !p.ChangeLevel.Disabled() ||
		p.MembersReason.Text != "Only the group's owners and administrators can add members." ||
		p.LevelReason.Text != "Only the group's owners and administrators can change its permissions." {
		t.Errorf("for a member: Add disabled %v (%q), Change disabled %v (%q)", p.Add.Disabled(), p.MembersReason.Text,
			p.ChangeLevel.Disabled(), p.LevelReason.Text)
	}
	p.SelectMember("olive")
	if !p.Remove.Disabled() || !p.MakeOwner.Disabled() {
		t.Errorf("a member can remove or promote others")
	}
	if rows := p.Rows(); !slices.Contains(rows, "Pia Investigator (pia) — owner") || !slices.Contains(rows, "Olive Owner (olive) — member") {
		t.Errorf("the panel lists %q", rows)
	}

	u := loggedIn(t, f, "pia")
	p = u.Admin.OpenGroup(extra.ID)
	if p.Add.Disabled() || p.MembersReason.Visible() {
		t.Fatalf("pia, owner of Extra, cannot add members: %q", p.MembersReason.Text)
	}
	test.Tap(p.Add)
	c := p.Chooser
	test.Type(c.Search, "mik")
	if got := c.Shown(); !reflect.DeepEqual(got, []string{"mike"}) {
		t.Fatalf("searching \"mik\" lists %q", got)
	}
	if !c.Pick("mike") {
		t.Fatal("mike cannot be picked")
	}
	test.Tap(c.AddNow)
	if got := members(t, f, extra.ID); !reflect.DeepEqual(got, []string{"mike", "pia*"}) {
		t.Fatalf("after adding, Extra has %q", got)
	}
	if !slices.Contains(p.Rows(), "Mike Member (mike) — member") {
		t.Errorf("the panel does not list mike: %q", p.Rows())
	}
	p.SelectMember("mike")
	test.Tap(p.MakeOwner)
	if got := members(t, f, extra.ID); !reflect.DeepEqual(got, []string{"mike*", "pia*"}) {
		t.Fatalf("after Make Owner, Extra has %q", got)
	}
	p.SelectMember("mike")
	test.Tap(p.Unmake)
	p.SelectMember("mike")
	test.Tap(p.Remove)
	if got := members(t, f, extra.ID); !reflect.DeepEqual(got, []string{"pia*"}) {
		t.Fatalf("after Remove as Owner and Remove, Extra has %q", got)
	}
}

func TestGroupPanelRemovingSomeoneRemovedMeanwhileSaysSoAndChangesNothing(t *testing.T) {
	f := newFixture(t)
	g := f.groups[core.ReadWrite].ID
	u := loggedIn(t, f, "pia")
	p := u.Admin.OpenGroup(g)
	p.SelectMember("mike")
	root := rootSession(t, f)
	mike, err := root.User(context.Background(), "mike")
	must(t, err)
	must(t, root.RemoveFromGroup(context.Background(), g, []core.ID{mike.ID}, false))
	before := members(t, f, g)
	test.Tap(p.Remove)
	if !p.Message.Visible() || p.Message.Text != `Mike is not a member of "Lab read-write".` {
		t.Errorf("the panel says %q", p.Message.Text)
	}
	if got := members(t, f, g); !reflect.DeepEqual(got, before) {
		t.Errorf("the refusal changed the members: %q, was %q", got, before)
	}
}

func TestRestrictedAdminWithoutMembershipPrivilegeSeesWhy(t *testing.T) {
	f := newFixture(t)
	root := rootSession(t, f)
	_, err := root.CreateUser(context.Background(), core.NewUser{Username: "rita", FirstName: "Rita", LastName: "Restricted",
		Password: password, Groups: []core.ID{f.groups[core.ReadOnly].ID}, Admin: true, Privileges: []core.Privilege{core.PrivModifyUser}})
	must(t, err)
	u := loggedIn(t, f, "rita")
	p := u.Admin.OpenGroup(f.groups[core.ReadWrite].ID)
	if !p.Add.Disabled() || !strings.Contains(p.MembersReason.Text, "ModifyGroupMembership") {
		t.Errorf("rita: Add disabled %v, reason %q", p.Add.Disabled(), p.MembersReason.Text)
	}
	if !p.ChangeLevel.Disabled() || !strings.Contains(p.LevelReason.Text, "ModifyGroup)") {
		t.Errorf("rita: Change disabled %v, reason %q", p.ChangeLevel.Disabled(), p.LevelReason.Text)
	}
	pages := u.Admin.OpenPages()
	if pages.NewUser.Disabled() || !pages.NewGroup.Disabled() || !strings.Contains(pages.GroupsReason.Text, "ModifyGroup") {
		t.Errorf("rita's pages: New User disabled %v, New Group disabled %v (%q)", pages.NewUser.Disabled(), pages.NewGroup.Disabled(), pages.GroupsReason.Text)
	}
	test.Tap(pages.NewUser)
	form := pages.UserForm
	for p, c := range form.Privileges {
		if c.Disabled() != (p != core.PrivModifyUser) {
			t.Errorf("rita may grant %s: %v", p, !c.Disabled())
		}
	}
}

func TestAccountMenuIsInTheToolbar(t *testing.T) {
	f := newFixture(t)
	u := loggedIn(t, f, "mike")
	found := false
	walkObjects(u.Window.Content(), func(o fyne.CanvasObject) bool {
		if o == u.Admin.Button {
			found = true
		}
		return !found
	})
	if !found || u.Admin.Button.Text != "Account" {
		t.Fatal("the toolbar has no Account entry")
	}
	test.Tap(u.Admin.Button)
	if u.Window.Canvas().Overlays().Top() == nil {
		t.Error("tapping Account opens no menu")
	}
}
