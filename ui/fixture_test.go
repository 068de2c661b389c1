package ui_test

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/repository/sqlite"
	"github.com/ocular-lab/ocular/ui/login"
)

// The fixture is a real repository on disk: four groups, one per permission
// level, each with the same people in it, and data made through
// core.Session as users would make it. The UI under test never sees the
// repository packages: it gets a core.Service through an opener, like the app.
const password = "secret"

// Roles: olive owns the data, mike is another member, pia is the PI (owner)
// of every group, ada a full administrator who is in none of them.
var roles = []string{"olive", "mike", "pia", "ada"}

var levels = []core.Level{core.Private, core.ReadOnly, core.ReadAnnotate, core.ReadWrite}

type fixture struct {
	dir    string
	svc    *inprocess.Service
	groups map[core.Level]core.Group
	// oliveProject is Olive's project in each group; oliveImage an image in
	// its dataset; plate Olive's plate in the read-annotate group.
	oliveProject, oliveDataset, oliveImage map[core.Level]core.Ref
	plate, well, wellImage                 core.Ref
}

func groupName(l core.Level) string { return "Lab " + l.String() }

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{dir: filepath.Join(t.TempDir(), "repo"), groups: map[core.Level]core.Group{},
		oliveProject: map[core.Level]core.Ref{}, oliveDataset: map[core.Level]core.Ref{}, oliveImage: map[core.Level]core.Ref{}}
	st, err := sqlite.Create(ctx, f.dir)
	must(t, err)
	f.svc = inprocess.New(st)
	f.svc.SetPasswordCost(bcrypt.MinCost)
	t.Cleanup(func() { f.svc.Close() })
	must(t, f.svc.Initialize(ctx, "rootpw"))
	root, err := f.svc.Login(ctx, "root", "rootpw", "")
	must(t, err)

	var ids []core.ID
	for _, l := range levels {
		g, err := root.CreateGroup(ctx, groupName(l), l, "")
		must(t, err)
		f.groups[l] = g
		ids = append(ids, g.ID)
	}
	facility, err := root.CreateGroup(ctx, "Facility", core.ReadOnly, "")
	must(t, err)
	people := map[string]core.NewUser{
		"olive": {FirstName: "Olive", LastName: "Owner", Groups: ids},
		"mike":  {FirstName: "Mike", LastName: "Member", Groups: ids},
		"pia":   {FirstName: "Pia", LastName: "Investigator", Groups: ids},
		"ada":   {FirstName: "Ada", LastName: "Admin", Groups: []core.ID{facility.ID}, Admin: true},
	}
	users := map[string]core.ID{}
	for _, name := range roles {
		nu := people[name]
		nu.Username, nu.Password = name, password
		u, err := root.CreateUser(ctx, nu)
		must(t, err)
		users[name] = u.ID
	}
	for _, g := range ids {
		must(t, root.AddToGroup(ctx, g, []core.ID{users["pia"]}, true))
	}

	olive := f.login(t, "olive")
	mike := f.login(t, "mike")
	for _, l := range levels {
		g := f.groups[l].ID
		must(t, olive.SetGroup(ctx, g))
		p := create(t, olive, core.Project, "name", "Olive project")
		d := create(t, olive, core.Dataset, "name", "Olive dataset")
		create(t, olive, core.ProjectDatasetLink, "parent", p.String(), "child", d.String())
		for i := 1; i <= 2; i++ {
			img := create(t, olive, core.Image, "name", "olive-"+strconv.Itoa(i)+".tif")
			create(t, olive, core.DatasetImageLink, "parent", d.String(), "child", img.String())
			f.oliveImage[l] = img
		}
		create(t, olive, core.Image, "name", "olive-orphan.tif")
		f.oliveProject[l], f.oliveDataset[l] = p, d
		must(t, mike.SetGroup(ctx, g))
		create(t, mike, core.Project, "name", "Mike project")
	}
	// A screen with a plate, one well and one field, in read-annotate.
	must(t, olive.SetGroup(ctx, f.groups[core.ReadAnnotate].ID))
	s := create(t, olive, core.Screen, "name", "Olive screen")
	f.plate = create(t, olive, core.Plate, "name", "Olive plate")
	create(t, olive, core.ScreenPlateLink, "parent", s.String(), "child", f.plate.String())
	f.well = create(t, olive, core.Well, "plate", f.plate.String(), "row", "1", "column", "2")
	f.wellImage = create(t, olive, core.Image, "name", "B3 field 1")
	create(t, olive, core.WellSample, "well", f.well.String(), "image", f.wellImage.String())
	return f
}

func (f *fixture) login(t *testing.T, user string) core.Session {
	t.Helper()
	s, err := f.svc.Login(context.Background(), user, password, "")
	must(t, err)
	return s
}

// open is the UI's opener over the fixture's folder: a second, independent
// service on the same repository, as the app would open it.
func open(ctx context.Context, at login.Location) (core.Service, error) {
	st, err := sqlite.Open(ctx, at.Dir)
	if err != nil {
		return nil, err
	}
	svc := inprocess.New(st)
	svc.SetPasswordCost(bcrypt.MinCost)
	return svc, nil
}

func create(t *testing.T, s core.Session, class core.Class, kv ...string) core.Ref {
	t.Helper()
	fields := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		fields[kv[i]] = kv[i+1]
	}
	v, err := s.Create(context.Background(), class, fields)
	must(t, err)
	return v.Ref
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
