// Package conformance is the behaviour every implementation of core.Service
// must show, written once as tests that use only the core.Service and
// core.Session interfaces. The in-process implementation over SQLite runs it
// (core/inprocess/conformance_test.go); a remote client over an httptest
// server runs the same suite, so a rule tested here holds everywhere.
//
// The rules are OMERO's, as docs/rules.md tells users; the § numbers cite
// the sections of the project's semantics specification: the permission
// model (§1), the roles and administration rules (§3), and the "Bad input"
// list of issue 2.
package conformance

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// NewService returns a fresh, initialised, empty repository service whose
// root account has rootPassword. It is called once per subtest; register
// clean-up with t.Cleanup.
type NewService func(t *testing.T) (svc core.Service, rootPassword string)

// Run runs the whole suite against the implementation newService builds.
func Run(t *testing.T, newService NewService) {
	t.Run("Login", func(t *testing.T) { testLogin(t, newService) })
	t.Run("Sudo", func(t *testing.T) { testSudo(t, newService) })
	t.Run("Admin", func(t *testing.T) { testAdmin(t, newService) })
	t.Run("AdminEdit", func(t *testing.T) { testAdminEdit(t, newService) })
	t.Run("GroupLevels", func(t *testing.T) { testGroupLevels(t, newService) })
	t.Run("Visibility", func(t *testing.T) { testVisibility(t, newService) })
	t.Run("PermissionMatrix", func(t *testing.T) { testMatrix(t, newService) })
	t.Run("Browse", func(t *testing.T) { testBrowse(t, newService) })
	t.Run("Links", func(t *testing.T) { testLinks(t, newService) })
	t.Run("BadInput", func(t *testing.T) { testBadInput(t, newService) })
	t.Run("Graph", func(t *testing.T) { testGraph(t, newService) })
	t.Run("Rendering", func(t *testing.T) { testRendering(t, newService) })
	t.Run("Search", func(t *testing.T) { testSearch(t, newService) })
	t.Run("Annotations", func(t *testing.T) { testAnnotations(t, newService) })
}

// RunSearch runs the suite's search part alone, for a repository whose
// search is its own code (the PostgreSQL repository's full-text index)
// while the rest of its behaviour is tested elsewhere.
func RunSearch(t *testing.T, newService NewService) {
	t.Run("Search", func(t *testing.T) { testSearch(t, newService) })
}

// The fixture: four groups, one per level, in which alice and bob are
// members and pi is the owner; carol belongs only to another group; writer
// and viewer are restricted administrators (WriteOwned, and no privilege at
// all) who belong to none of the four; root is the full administrator.
var levels = []core.Level{core.Private, core.ReadOnly, core.ReadAnnotate, core.ReadWrite}

const otherLab = "other-lab"

func labName(l core.Level) string { return l.String() + "-lab" }

func password(user string) string { return "pw-" + user }

// containers is the data one user owns in one group.
type containers struct {
	project, dataset, image, orphan, tag core.ObjectView
}

type world struct {
	t        *testing.T
	ctx      context.Context
	svc      core.Service
	rootPW   string
	root     core.Session
	groups   map[string]core.Group
	users    map[string]core.Experimenter
	sessions map[string]core.Session
	// data[user][level] for alice and bob.
	data map[string]map[core.Level]containers
}

func newWorld(t *testing.T, newService NewService) *world {
	t.Helper()
	svc, rootPW := newService(t)
	w := &world{t: t, ctx: context.Background(), svc: svc, rootPW: rootPW,
		groups: map[string]core.Group{}, users: map[string]core.Experimenter{},
		sessions: map[string]core.Session{}, data: map[string]map[core.Level]containers{}}
	root, err := svc.Login(w.ctx, "root", rootPW, "")
	if err != nil {
		t.Fatalf("root cannot log in: %v", err)
	}
	w.root, w.sessions["root"] = root, root
	for _, l := range levels {
		w.mustGroup(labName(l), l)
	}
	w.mustGroup(otherLab, core.ReadAnnotate)
	all := []core.ID{w.gid(labName(core.Private)), w.gid(labName(core.ReadOnly)), w.gid(labName(core.ReadAnnotate)), w.gid(labName(core.ReadWrite))}
	w.mustUser(core.NewUser{Username: "alice", FirstName: "Ada", LastName: "Lovelace", Groups: all})
	w.mustUser(core.NewUser{Username: "bob", FirstName: "Francis", LastName: "Crick", Groups: all})
	w.mustUser(core.NewUser{Username: "pi", FirstName: "Rosalind", LastName: "Franklin", Groups: all})
	w.mustUser(core.NewUser{Username: "carol", FirstName: "Marie", LastName: "Curie", Groups: []core.ID{w.gid(otherLab)}})
	w.mustUser(core.NewUser{Username: "writer", FirstName: "Lise", LastName: "Meitner", Groups: []core.ID{w.gid(otherLab)},
		Admin: true, Privileges: []core.Privilege{core.PrivWriteOwned}})
	w.mustUser(core.NewUser{Username: "viewer", FirstName: "Emmy", LastName: "Noether", Groups: []core.ID{w.gid(otherLab)},
		Admin: true, Privileges: []core.Privilege{}})
	for _, l := range levels {
		if err := root.AddToGroup(w.ctx, w.gid(labName(l)), []core.ID{w.uid("pi")}, true); err != nil {
			t.Fatalf("make pi an owner of %s: %v", labName(l), err)
		}
	}
	for _, u := range []string{"alice", "bob", "pi", "carol", "writer", "viewer"} {
		w.sessions[u] = w.login(u)
	}
	for _, u := range []string{"alice", "bob"} {
		w.data[u] = map[core.Level]containers{}
		for _, l := range levels {
			w.data[u][l] = w.makeContainers(u, l)
		}
	}
	return w
}

// on returns the world bound to subtest t, so that fixture helpers report
// failures on the test that is running.
func (w *world) on(t *testing.T) *world {
	c := *w
	c.t = t
	return &c
}

func (w *world) mustGroup(name string, l core.Level) {
	w.t.Helper()
	g, err := w.root.CreateGroup(w.ctx, name, l, "")
	if err != nil {
		w.t.Fatalf("create group %s: %v", name, err)
	}
	w.groups[name] = g
}

func (w *world) mustUser(nu core.NewUser) {
	w.t.Helper()
	nu.Password = password(nu.Username)
	e, err := w.root.CreateUser(w.ctx, nu)
	if err != nil {
		w.t.Fatalf("create user %s: %v", nu.Username, err)
	}
	w.users[nu.Username] = e
}

func (w *world) login(user string) core.Session {
	w.t.Helper()
	s, err := w.svc.Login(w.ctx, user, password(user), "")
	if err != nil {
		w.t.Fatalf("%s cannot log in: %v", user, err)
	}
	return s
}

func (w *world) gid(name string) core.ID {
	g, ok := w.groups[name]
	if !ok {
		w.t.Fatalf("no group %s in the fixture", name)
	}
	return g.ID
}

func (w *world) uid(name string) core.ID {
	if name == "root" {
		return core.RootUserID
	}
	u, ok := w.users[name]
	if !ok {
		w.t.Fatalf("no user %s in the fixture", name)
	}
	return u.ID
}

func (w *world) as(user string) core.Session {
	s, ok := w.sessions[user]
	if !ok {
		w.t.Fatalf("no session for %s", user)
	}
	return s
}

// create makes an object as user in the group of level l and fails the test
// when that is refused.
func (w *world) create(user string, l core.Level, class core.Class, fields map[string]string) core.ObjectView {
	w.t.Helper()
	v, err := w.tryCreate(user, l, class, fields)
	if err != nil {
		w.t.Fatalf("%s: create %s in %s: %v", user, class, labName(l), err)
	}
	return v
}

func (w *world) tryCreate(user string, l core.Level, class core.Class, fields map[string]string) (core.ObjectView, error) {
	f := map[string]string{"group": labName(l)}
	for k, v := range fields {
		f[k] = v
	}
	return w.as(user).Create(w.ctx, class, f)
}

func link(parent, child core.Ref) map[string]string {
	return map[string]string{"parent": parent.String(), "child": child.String()}
}

func named(name string) map[string]string { return map[string]string{"name": name} }

// makeContainers gives user, in the group of level l, a project holding a
// dataset holding an image, an orphaned image and a tag.
func (w *world) makeContainers(user string, l core.Level) containers {
	w.t.Helper()
	var c containers
	c.project = w.create(user, l, core.Project, named("P-"+user))
	c.dataset = w.create(user, l, core.Dataset, named("D-"+user))
	c.image = w.create(user, l, core.Image, named("I-"+user))
	c.orphan = w.create(user, l, core.Image, named("O-"+user))
	c.tag = w.create(user, l, core.TagAnnotation, map[string]string{"textValue": "T-" + user})
	w.create(user, l, core.ProjectDatasetLink, link(c.project.Ref, c.dataset.Ref))
	w.create(user, l, core.DatasetImageLink, link(c.dataset.Ref, c.image.Ref))
	return c
}

// snapshotClasses are the classes the snapshot lists.
var snapshotClasses = []core.Class{core.Project, core.Dataset, core.Image, core.Screen, core.Plate,
	core.TagAnnotation, core.CommentAnnotation, core.Roi, core.ProjectDatasetLink, core.DatasetImageLink,
	core.ImageAnnotationLink, core.ProjectAnnotationLink, core.AnnotationAnnotationLink}

// snapshot describes, as root sees it, every user, group, membership and
// object with its owner, group, names and update time, so that two
// snapshots differ if and only if a request changed something a user can see.
func (w *world) snapshot() string {
	w.t.Helper()
	var lines []string
	users, err := w.root.Users(w.ctx)
	if err != nil {
		w.t.Fatalf("list users: %v", err)
	}
	for _, u := range users {
		var gs []string
		for _, m := range u.Groups {
			gs = append(gs, fmt.Sprintf("%d/%v", m.Group, m.Owner))
		}
		sort.Strings(gs)
		lines = append(lines, fmt.Sprintf("user %d %s %q %q default=%d admin=%v privs=%v groups=%v",
			u.ID, u.Username, u.FirstName, u.LastName, u.DefaultGroup, u.Admin, u.Privileges, gs))
	}
	groups, err := w.root.Groups(w.ctx)
	if err != nil {
		w.t.Fatalf("list groups: %v", err)
	}
	for _, g := range groups {
		var ms []string
		for _, m := range g.Members {
			ms = append(ms, fmt.Sprintf("%s/%v", m.Username, m.Owner))
		}
		sort.Strings(ms)
		lines = append(lines, fmt.Sprintf("group %d %s %s %q members=%v", g.ID, g.Name, g.Level.Perms(), g.Description, ms))
	}
	for _, c := range snapshotClasses {
		objs, err := w.root.List(w.ctx, c, core.AnyID, core.AnyID)
		if err != nil {
			w.t.Fatalf("list %s: %v", c, err)
		}
		for _, o := range objs {
			lines = append(lines, fmt.Sprintf("%s owner=%d group=%d name=%q desc=%q text=%q parent=%d child=%d updated=%s",
				o.Ref, o.Owner, o.Group, o.Name, o.Description, o.TextValue, o.Parent, o.Child, o.Updated.UTC().Format("15:04:05.000000000")))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// refused runs a request that must fail with one of kinds (any kind when
// none is given) and checks that it changed nothing. It returns the error.
func (w *world) refused(t *testing.T, what string, fn func() error, kinds ...core.Kind) error {
	t.Helper()
	w = w.on(t)
	before := w.snapshot()
	err := fn()
	if err == nil {
		t.Errorf("%s: allowed, want refused", what)
		return nil
	}
	if len(kinds) > 0 && !slices.Contains(kinds, core.KindOf(err)) {
		t.Errorf("%s: error %q is %s, want one of %v", what, err, core.KindOf(err), kinds)
	}
	if strings.TrimSpace(core.UserMessage(err)) == "" {
		t.Errorf("%s: the error has no message for the user: %#v", what, err)
	}
	if after := w.snapshot(); after != before {
		t.Errorf("%s: refused, but the repository changed:\n%s", what, diff(before, after))
	}
	return err
}

// ok runs a request that must succeed.
func ok(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Errorf("%s: refused: %v", what, err)
	}
}

func diff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for _, l := range al {
		if !slices.Contains(bl, l) {
			out = append(out, "- "+l)
		}
	}
	for _, l := range bl {
		if !slices.Contains(al, l) {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}

var digits = regexp.MustCompile(`[0-9]+`)

// normalise replaces every number in an error message so that messages about
// different IDs can be compared.
func normalise(err error) string {
	if err == nil {
		return "<nil>"
	}
	return digits.ReplaceAllString(err.Error(), "N")
}

// missing is an ID no fixture object has.
const missing core.ID = 987654321
