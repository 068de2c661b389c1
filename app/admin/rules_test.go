package admin

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

func TestDecisionsPerRole(t *testing.T) {
	lab := core.Group{ID: 7, Name: "Lab", Level: core.ReadAnnotate}
	member := core.Me{MemberGroups: []core.ID{7}}
	owner := core.Me{MemberGroups: []core.ID{7}, OwnedGroups: []core.ID{7}}
	full := core.Me{Admin: true, FullAdmin: true}
	users := core.Me{Admin: true, Privileges: []core.Privilege{core.PrivModifyUser}}
	groups := core.Me{Admin: true, Privileges: []core.Privilege{core.PrivModifyGroup, core.PrivModifyGroupMembership}}
	for _, c := range []struct {
		name                                string
		me                                  core.Me
		members, level, newGroup, editUsers bool
	}{
		{"member", member, false, false, false, false},
		{"owner", owner, true, true, false, false},
		{"full admin", full, true, true, true, true},
		{"restricted ModifyUser", users, false, false, false, true},
		{"restricted ModifyGroup+Membership", groups, true, true, true, false},
	} {
		got := []bool{ManageMembers(c.me, lab).Allowed, ChangeLevel(c.me, lab).Allowed, CreateGroup(c.me).Allowed, EditUsers(c.me).Allowed}
		want := []bool{c.members, c.level, c.newGroup, c.editUsers}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: members/level/new group/edit users = %v, want %v", c.name, got, want)
		}
	}
	if EditGroup(member, lab).Allowed || !EditGroup(owner, lab).Allowed || EditGroup(users, lab).Allowed || !EditGroup(groups, lab).Allowed {
		t.Error("EditGroup: only owners and ModifyGroup may edit a group")
	}
	if r := ManageMembers(member, lab).Reason; r != "Only the group's owners and administrators can add members." {
		t.Errorf("a member is told %q", r)
	}
	if r := ManageMembers(users, lab).Reason; !strings.Contains(r, "ModifyGroupMembership") {
		t.Errorf("a restricted admin is told %q", r)
	}
	if d := ChangeLevel(full, core.Group{ID: core.UserGroupID, Name: "user"}); d.Allowed {
		t.Error("the user group's level may change")
	}
	fullTarget := core.UserInfo{Admin: true}
	if ResetPassword(users, fullTarget).Allowed || !ResetPassword(full, fullTarget).Allowed {
		t.Error("a restricted admin may reset a full admin's password, or a full admin may not")
	}
	if got := Grantable(users); !reflect.DeepEqual(got, []core.Privilege{core.PrivModifyUser}) {
		t.Errorf("a restricted admin may grant %v", got)
	}
	for _, p := range Grantable(full) {
		if p == core.PrivReadSession {
			t.Error("ReadSession is offered")
		}
	}
}

func TestDefaultGroupChoicesNeverTheUserGroup(t *testing.T) {
	u := core.UserInfo{Groups: []core.Membership{{Group: core.UserGroupID}, {Group: core.SystemGroupID}, {Group: 5}}}
	gs := []core.GroupInfo{{Group: core.Group{ID: core.SystemGroupID, Name: "system"}}, {Group: core.Group{ID: core.UserGroupID, Name: "user"}},
		{Group: core.Group{ID: 5, Name: "Lab"}}, {Group: core.Group{ID: 6, Name: "Other"}}}
	got := DefaultGroupChoices(u, gs)
	if len(got) != 1 || got[0].Name != "Lab" {
		t.Errorf("choices %v, want only Lab", got)
	}
}

func TestUserFormRefusesBadInput(t *testing.T) {
	ok := UserForm{Username: "nina", FirstName: "Nina", LastName: "N", Password: "pw", Repeat: "pw", Groups: []core.ID{5, 6}, Default: 6}
	nu, err := ok.NewUser()
	if err != nil || !reflect.DeepEqual(nu.Groups, []core.ID{6, 5}) || nu.Admin {
		t.Fatalf("a good form gives %+v, %v (default group first)", nu, err)
	}
	for name, mutate := range map[string]func(*UserForm){
		"empty username":  func(f *UserForm) { f.Username = " " },
		"space":           func(f *UserForm) { f.Username = "ni na" },
		"no last name":    func(f *UserForm) { f.LastName = "" },
		"no group":        func(f *UserForm) { f.Groups = nil; f.Default = 0 },
		"mismatch":        func(f *UserForm) { f.Repeat = "wp" },
		"long":            func(f *UserForm) { f.FirstName = strings.Repeat("x", MaxName+1) },
		"default outside": func(f *UserForm) { f.Default = 9 },
	} {
		f := ok
		mutate(&f)
		if _, err := f.NewUser(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	r := ok
	r.Role, r.Privileges = RoleRestricted, nil
	if nu, _ := r.NewUser(); !nu.Admin || nu.Privileges == nil {
		t.Errorf("a restricted admin with no privileges becomes %+v (nil privileges would make a full admin)", nu)
	}
}

func TestLossByOwnerGroupsThePlan(t *testing.T) {
	c := core.Ref{Class: core.CommentAnnotation, ID: 3}
	l := core.Ref{Class: core.ImageAnnotationLink, ID: 4}
	d := core.Ref{Class: core.DatasetImageLink, ID: 5}
	plan := core.GraphPlan{Deleted: []core.Ref{c}, Severed: []core.Ref{l, d}}
	got := LossByOwner(plan, map[core.Ref]Owned{c: {Owner: "Mike", Name: "hi"}, l: {Owner: "Mike"}, d: {Owner: "Ada"}})
	want := []Loss{{Owner: "Ada", Lines: []string{d.String()}}, {Owner: "Mike", Lines: []string{c.String() + " hi", l.String()}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if s := LossSummary("Lab", core.ReadWrite, core.Private, plan); s != "Changing group Lab from read-write to private would delete 1 objects and 2 links of different owners:" {
		t.Errorf("summary %q", s)
	}
}
