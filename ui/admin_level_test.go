package ui_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/ocular-lab/ocular/core"
)

// crossOwnerData gives Lab read-write what a downgrade to private must
// delete: mike's dataset holding olive's image and mike's comment on it.
func crossOwnerData(t *testing.T, f *fixture) (comment core.Ref) {
	t.Helper()
	mike := f.login(t, "mike")
	must(t, mike.SetGroup(context.Background(), f.groups[core.ReadWrite].ID))
	img := f.oliveImage[core.ReadWrite]
	d := create(t, mike, core.Dataset, "name", "Mike dataset")
	create(t, mike, core.DatasetImageLink, "parent", d.String(), "child", img.String())
	comment = create(t, mike, core.CommentAnnotation, "textValue", "seen by mike")
	create(t, mike, core.ImageAnnotationLink, "parent", img.String(), "child", comment.String())
	return comment
}

// cliDryRun is what `group perms GROUP --type private --dry-run` lists: the
// same request to the same planner, its refs in the CLI's order.
func cliDryRun(t *testing.T, s core.Session, g core.ID) []string {
	t.Helper()
	plan, err := s.PlanGraph(context.Background(), core.GraphRequest{Op: core.OpChmod, Group: g, Level: core.Private, DryRun: true})
	must(t, err)
	var out []string
	for _, r := range append(plan.Deleted, plan.Severed...) {
		out = append(out, r.String())
	}
	return out
}

func TestDowngradePreviewListsWhatTheDryRunListsThenRunsIt(t *testing.T) {
	f := newFixture(t)
	comment := crossOwnerData(t, f)
	g := f.groups[core.ReadWrite]
	u := loggedIn(t, f, "pia")
	p := u.Admin.OpenGroup(g.ID)
	if p.ChangeLevel.Disabled() {
		t.Fatalf("pia, owner, cannot change the level: %q", p.LevelReason.Text)
	}
	p.Level.SetSelected("private")
	test.Tap(p.ChangeLevel)
	c := p.LevelDialog
	if c == nil || !strings.Contains(c.Warning.Text, "Downgrading to private removes every link") {
		t.Fatalf("no downgrade warning: %+v", c)
	}
	want := cliDryRun(t, f.login(t, "pia"), g.ID)
	if len(want) < 3 {
		t.Fatalf("the fixture gives the dry run too little to delete: %q", want)
	}
	var got []string
	for _, l := range c.Lines() {
		got = append(got, strings.Fields(l)[0])
	}
	slices.Sort(got)
	sorted := slices.Clone(want)
	slices.Sort(sorted)
	if !reflect.DeepEqual(got, sorted) {
		t.Errorf("the preview lists %q, the CLI's dry run %q", got, sorted)
	}
	head := fmt.Sprintf("Changing group Lab read-write from read-write to private would delete")
	if !strings.HasPrefix(c.Summary.Text, head) {
		t.Errorf("the headline is %q", c.Summary.Text)
	}
	var owners []string
	for _, o := range c.Losses.Objects {
		owners = append(owners, texts(o)...)
	}
	if !slices.ContainsFunc(owners, func(s string) bool { return strings.HasPrefix(s, "Mike Member would lose ") }) {
		t.Errorf("the preview does not name mike as an owner losing data: %q", owners)
	}
	if c.Confirm.Disabled() {
		t.Fatal("Change to private is disabled after the preview")
	}

	// The data changes between review and confirm: the change is refused
	// and nothing is deleted.
	mike := f.login(t, "mike")
	must(t, mike.SetGroup(context.Background(), g.ID))
	img := f.oliveImage[core.ReadWrite]
	c2 := create(t, mike, core.CommentAnnotation, "textValue", "added after the review")
	create(t, mike, core.ImageAnnotationLink, "parent", img.String(), "child", c2.String())
	test.Tap(c.Confirm)
	if !c.Error.Visible() || !strings.Contains(c.Error.Text, "changed since the review") {
		t.Errorf("confirming a stale review says %q", c.Error.Text)
	}
	root := rootSession(t, f)
	if gi, err := root.Group(context.Background(), fmt.Sprint(g.ID)); err != nil || gi.Level != core.ReadWrite {
		t.Fatalf("a refused change changed the group: %v %v", gi.Level, err)
	}
	if _, err := root.Get(context.Background(), comment); err != nil {
		t.Fatalf("a refused change deleted mike's comment: %v", err)
	}

	// Review again, confirm: the group is private and the comments gone.
	c.Hide()
	test.Tap(p.ChangeLevel)
	c = p.LevelDialog
	test.Tap(c.Confirm)
	if c.Error.Visible() {
		t.Fatalf("the change failed: %q", c.Error.Text)
	}
	gi, err := root.Group(context.Background(), fmt.Sprint(g.ID))
	must(t, err)
	if gi.Level != core.Private || p.Level.Selected != "private" {
		t.Errorf("after the change the group is %s, the panel shows %q", gi.Level, p.Level.Selected)
	}
	for _, r := range []core.Ref{comment, c2} {
		if _, err := root.Get(context.Background(), r); err == nil {
			t.Errorf("%s survived the downgrade", r)
		}
	}
}

func TestDowngradeThatWouldFailSaysWhyAndCannotBeConfirmed(t *testing.T) {
	f := newFixture(t)
	g := f.groups[core.ReadAnnotate]
	// A field of mike's showing olive's image: the downgrade must fail.
	root := rootSession(t, f)
	must(t, root.SetGroup(context.Background(), g.ID))
	mike := f.login(t, "mike")
	must(t, mike.SetGroup(context.Background(), g.ID))
	plate := create(t, mike, core.Plate, "name", "Mike plate")
	well := create(t, mike, core.Well, "plate", plate.String(), "row", "0", "column", "0")
	if _, err := root.Create(context.Background(), core.WellSample, map[string]string{"well": well.String(),
		"image": f.oliveImage[core.ReadAnnotate].String(), "owner": "mike"}); err != nil {
		t.Skipf("the fixture cannot make a cross-owner field: %v", err)
	}
	u := loggedIn(t, f, "pia")
	p := u.Admin.OpenGroup(g.ID)
	p.Level.SetSelected("private")
	test.Tap(p.ChangeLevel)
	c := p.LevelDialog
	if !strings.HasSuffix(c.Summary.Text, "would fail:") || !strings.Contains(c.Error.Text, "give one of them to the other user first") {
		t.Errorf("the preview says %q / %q", c.Summary.Text, c.Error.Text)
	}
	if !c.Confirm.Disabled() {
		t.Error("a change that would fail can be confirmed")
	}
}

func TestAdminCreatesUserWhoCanLogInAndBadInputChangesNothing(t *testing.T) {
	f := newFixture(t)
	u := loggedIn(t, f, "ada")
	p := u.Admin.OpenPages()
	if p.NewUser.Disabled() || p.NewGroup.Disabled() {
		t.Fatalf("ada cannot create users or groups: %q %q", p.UsersReason.Text, p.GroupsReason.Text)
	}
	users := len(p.UserRows())
	test.Tap(p.NewUser)
	form := p.UserForm
	fill := func(username, first, pw, repeat string) {
		form.Username.SetText(username)
		form.FirstName.SetText(first)
		form.LastName.SetText("Newcomer")
		form.Email.SetText("nina@example.org")
		form.Password.SetText(pw)
		form.Repeat.SetText(repeat)
	}
	form.Groups["Lab read-only"].SetChecked(true)
	form.Groups["Lab read-write"].SetChecked(true)
	form.Default.SetSelected("Lab read-write")
	for _, c := range []struct{ username, first, pw, repeat, want string }{
		{"olive", "Nina", "pw", "pw", `A user named "olive" already exists.`},
		{"nina", "", "pw", "pw", "Type the user's first and last name."},
		{"", "Nina", "pw", "pw", "Type a username."},
		{"nina", "Nina", "pw", "wp", "The two new passwords differ: type the same one twice."},
	} {
		fill(c.username, c.first, c.pw, c.repeat)
		test.Tap(form.Save)
		if !form.Error.Visible() || form.Error.Text != c.want {
			t.Errorf("%q/%q: the form says %q, want %q", c.username, c.first, form.Error.Text, c.want)
		}
	}
	all, err := rootSession(t, f).Users(context.Background())
	must(t, err)
	if len(all) != users+1 { // + guest, not listed
		t.Fatalf("refused forms changed the users: %d, want %d", len(all), users+1)
	}
	fill("nina", "Nina", "welcome", "welcome")
	test.Tap(form.Save)
	if form.Error.Visible() {
		t.Fatalf("creating nina failed: %q", form.Error.Text)
	}
	s, err := f.svc.Login(context.Background(), "nina", "welcome", "")
	if err != nil {
		t.Fatalf("nina cannot log in: %v", err)
	}
	me, err := s.Me(context.Background())
	must(t, err)
	if me.Group.Name != "Lab read-write" || me.User.Email != "nina@example.org" || me.Admin {
		t.Errorf("nina logs into %q, email %q, admin %v", me.Group.Name, me.User.Email, me.Admin)
	}
	if !slices.Contains(p.UserRows(), "Nina Newcomer (nina) — User — Lab read-only, Lab read-write") {
		t.Errorf("the users page lists %q", p.UserRows())
	}

	// Edit: make nina a restricted administrator with Sudo, leave read-only.
	p.SelectUser("nina")
	test.Tap(p.EditUser)
	form = p.UserForm
	form.Groups["Lab read-only"].SetChecked(false)
	form.Role.SetSelected("Restricted administrator")
	form.Privileges[core.PrivSudo].SetChecked(true)
	form.LastName.SetText("Newman")
	form.Email.SetText("nina@lab.example.org")
	test.Tap(form.Save)
	if form.Error.Visible() {
		t.Fatalf("editing nina failed: %q", form.Error.Text)
	}
	nina, err := rootSession(t, f).User(context.Background(), "nina")
	must(t, err)
	if !nina.Admin || !reflect.DeepEqual(nina.Privileges, []core.Privilege{core.PrivSudo}) ||
		slices.Contains(nina.GroupNames, "Lab read-only") || nina.FullName() != "Nina Newman" || nina.Email != "nina@lab.example.org" {
		t.Errorf("after editing nina (%s, %s) is admin %v with %v in %q", nina.FullName(), nina.Email, nina.Admin, nina.Privileges, nina.GroupNames)
	}

	// Reset her password.
	p.SelectUser("nina")
	test.Tap(p.Reset)
	pf := p.PasswordForm
	pf.New.SetText("again")
	pf.Repeat.SetText("agian")
	test.Tap(pf.Save)
	if pf.Error.Text != "The two new passwords differ: type the same one twice." || !canLogIn(f, "nina", "welcome") {
		t.Errorf("a mismatched reset says %q", pf.Error.Text)
	}
	pf.Repeat.SetText("again")
	test.Tap(pf.Save)
	if !canLogIn(f, "nina", "again") {
		t.Errorf("the reset password does not log in: %q", pf.Error.Text)
	}

	// New group: an empty name and a taken one are refused.
	test.Tap(p.NewGroup)
	gf := p.GroupForm
	test.Tap(gf.Save)
	if gf.Error.Text != "Type a name for the group." {
		t.Errorf("an empty group name says %q", gf.Error.Text)
	}
	gf.Name.SetText("Lab private")
	test.Tap(gf.Save)
	if gf.Error.Text != `A group named "Lab private" already exists.` {
		t.Errorf("a taken group name says %q", gf.Error.Text)
	}
	gf.Name.SetText("Imaging course")
	gf.Level.SetSelected("read-annotate")
	test.Tap(gf.Save)
	gi, err := rootSession(t, f).Group(context.Background(), "Imaging course")
	if err != nil || gi.Level != core.ReadAnnotate {
		t.Fatalf("the new group: %v %v", gi.Level, err)
	}

	// Edit it: a taken name is refused, then it is renamed.
	if !p.SelectGroup("Imaging course") {
		t.Fatal("the groups page does not list the new group")
	}
	test.Tap(p.EditGroup)
	gf = p.GroupForm
	if !gf.Level.Disabled() || gf.Name.Text != "Imaging course" {
		t.Errorf("the edit form shows %q, level enabled %v", gf.Name.Text, !gf.Level.Disabled())
	}
	gf.Name.SetText("Lab read-only")
	test.Tap(gf.Save)
	if gf.Error.Text != `A group named "Lab read-only" already exists.` {
		t.Errorf("renaming to a taken name says %q", gf.Error.Text)
	}
	gf.Name.SetText("Imaging course 2026")
	gf.Description.SetText("Spring course")
	test.Tap(gf.Save)
	gi, err = rootSession(t, f).Group(context.Background(), fmt.Sprint(gi.ID))
	if err != nil || gi.Name != "Imaging course 2026" || gi.Description != "Spring course" || gi.Level != core.ReadAnnotate {
		t.Errorf("after editing the group is %q %q %s (%v)", gi.Name, gi.Description, gi.Level, err)
	}
}

func TestMemberSeesUsersPagesReadOnly(t *testing.T) {
	f := newFixture(t)
	u := loggedIn(t, f, "mike")
	p := u.Admin.OpenPages()
	if !p.NewUser.Disabled() || p.UsersReason.Text != "Only administrators can create and edit users." ||
		!p.NewGroup.Disabled() || p.GroupsReason.Text != "Only administrators can create groups." {
		t.Errorf("mike: New User disabled %v (%q), New Group disabled %v (%q)", p.NewUser.Disabled(), p.UsersReason.Text,
			p.NewGroup.Disabled(), p.GroupsReason.Text)
	}
	p.SelectUser("olive")
	if !p.EditUser.Disabled() || !p.Reset.Disabled() {
		t.Error("mike can edit olive or reset her password")
	}
	p.SelectGroup("Lab read-only")
	if !p.EditGroup.Disabled() || p.GroupsReason.Text != "Only the group's owners and administrators can edit it." {
		t.Errorf("mike: Edit group disabled %v (%q)", p.EditGroup.Disabled(), p.GroupsReason.Text)
	}
	pia := loggedIn(t, f, "pia").Admin.OpenPages()
	pia.SelectGroup("Lab read-only")
	if pia.EditGroup.Disabled() || !pia.NewGroup.Disabled() {
		t.Errorf("pia, owner: Edit disabled %v, New Group enabled %v", pia.EditGroup.Disabled(), !pia.NewGroup.Disabled())
	}
}
