package inprocess_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/core/render"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

// rdefFixture is a repository for the rendering-settings rules: groups of
// every level, each with ada (the images' owner), bob (a member) and pia
// (the group's owner, PI); root (full admin, member of no data group),
// wanda (restricted admin with WriteOwned) and rita (restricted admin with
// no privileges).
type rdefFixture struct {
	t      *testing.T
	ctx    context.Context
	svc    *inprocess.Service
	root   core.Session
	groups map[core.Level]core.Group
	users  map[string]core.Experimenter
	files  int
}

var levels = []core.Level{core.Private, core.ReadOnly, core.ReadAnnotate, core.ReadWrite}

func newRdefFixture(t *testing.T) *rdefFixture {
	t.Helper()
	ctx := context.Background()
	var err error
	st := testrepo.CreateStore(t, filepath.Join(t.TempDir(), "repo"))
	svc := inprocess.New(st)
	svc.SetPasswordCost(bcrypt.MinCost)
	t.Cleanup(func() { svc.Close() })
	if err := svc.Initialize(ctx, "rootpw"); err != nil {
		t.Fatal(err)
	}
	f := &rdefFixture{t: t, ctx: ctx, svc: svc, groups: map[core.Level]core.Group{}, users: map[string]core.Experimenter{}}
	if f.root, err = svc.Login(ctx, "root", "rootpw", ""); err != nil {
		t.Fatal(err)
	}
	var ids []core.ID
	for _, l := range levels {
		g, err := f.root.CreateGroup(ctx, "g-"+l.String(), l, "")
		f.must(err)
		f.groups[l] = g
		ids = append(ids, g.ID)
	}
	for _, u := range []core.NewUser{
		{Username: "ada", FirstName: "Ada", LastName: "Lovelace"},
		{Username: "bob", FirstName: "Bob", LastName: "Crick"},
		{Username: "pia", FirstName: "Pia", LastName: "Owner"},
		{Username: "wanda", Admin: true, Privileges: []core.Privilege{core.PrivWriteOwned}},
		{Username: "rita", Admin: true, Privileges: []core.Privilege{}},
	} {
		u.Password, u.Groups = "pw", ids
		e, err := f.root.CreateUser(ctx, u)
		f.must(err)
		f.users[u.Username] = e
	}
	for _, g := range ids {
		f.must(f.root.AddToGroup(ctx, g, []core.ID{f.users["pia"].ID}, true))
	}
	return f
}

func (f *rdefFixture) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

// login logs user in, working in the group of level l.
func (f *rdefFixture) login(user string, l core.Level) core.Session {
	f.t.Helper()
	pw := "pw"
	if user == "root" {
		pw = "rootpw"
	}
	s, err := f.svc.Login(f.ctx, user, pw, fmt.Sprint(f.groups[l].ID))
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

// imageSpec describes a test image.
type imageSpec struct {
	name      string
	pixType   string
	z, t      int
	emissions []float64 // one per channel
}

func spec(name string, emissions ...float64) imageSpec {
	return imageSpec{name: name, pixType: "uint16", z: 5, t: 2, emissions: emissions}
}

func (sp imageSpec) newImage() core.NewImage {
	p := core.PixelsInfo{SizeX: 32, SizeY: 24, SizeZ: sp.z, SizeC: len(sp.emissions), SizeT: sp.t, PixelType: sp.pixType}
	chs := make([]core.ChannelInfo, len(sp.emissions))
	for i, w := range sp.emissions {
		chs[i] = core.ChannelInfo{Index: i, Name: fmt.Sprintf("ch%d", i+1), EmissionWavelength: w,
			StatsMin: float64(100 * (i + 1)), StatsMax: float64(1000 * (i + 1)), HasStats: true}
	}
	// The import-time settings, as the import pipeline stores them.
	b, _ := json.Marshal(core.DefaultRendering(p, chs))
	return core.NewImage{Name: sp.name, Pixels: p, Channels: chs, Rendering: b}
}

// importImages registers images as s's user in s's group, optionally into a
// dataset, and returns their refs.
func (f *rdefFixture) importImages(s core.Session, dataset core.Ref, specs ...imageSpec) []core.Ref {
	f.t.Helper()
	req := core.FilesetImport{Files: []core.FilesetEntry{f.placeFile(s)}, Dataset: dataset, Owner: core.AnyID}
	for _, sp := range specs {
		req.Images = append(req.Images, sp.newImage())
	}
	res, err := s.RegisterFileset(f.ctx, req)
	f.must(err)
	return res.Images
}

// importPlate registers a plate of images, each in its own well; runs[i]
// is the run index of image i (-1 for none).
func (f *rdefFixture) importPlate(s core.Session, runs []string, runOf []int, specs ...imageSpec) core.ImportResult {
	f.t.Helper()
	req := core.FilesetImport{Files: []core.FilesetEntry{f.placeFile(s)}, Owner: core.AnyID,
		Plate: &core.NewPlate{Name: "P", Rows: 2, Columns: 6, Runs: runs}}
	for i, sp := range specs {
		req.Images = append(req.Images, sp.newImage())
		req.Plate.Fields = append(req.Plate.Fields, core.NewField{Row: i / 6, Column: i % 6, Image: i, Run: runOf[i]})
	}
	res, err := s.RegisterFileset(f.ctx, req)
	f.must(err)
	return res
}

func (f *rdefFixture) placeFile(s core.Session) core.FilesetEntry {
	f.t.Helper()
	f.files++
	rel := fmt.Sprintf("f/%d/img.tif", f.files)
	p := filepath.Join(s.ManagedDir(), filepath.FromSlash(rel))
	f.must(os.MkdirAll(filepath.Dir(p), 0o755))
	data := []byte("pixels are not read by these tests")
	f.must(os.WriteFile(p, data, 0o644))
	return core.FilesetEntry{ClientPath: "/data/" + rel, RepoPath: rel, Size: int64(len(data)), Checksum: "x"}
}

func (f *rdefFixture) dataset(s core.Session, name string) core.Ref {
	f.t.Helper()
	v, err := s.Create(f.ctx, core.Dataset, map[string]string{"name": name})
	f.must(err)
	return v.Ref
}

// defs returns every user's settings on image, seen by root.
func (f *rdefFixture) defs(image core.Ref) []core.RenderingDefView {
	f.t.Helper()
	vs, err := f.root.RenderingDefs(f.ctx, image)
	f.must(err)
	return vs
}

// defOf returns user's stored settings on image, or nil.
func (f *rdefFixture) defOf(image core.Ref, user string) *render.Settings {
	f.t.Helper()
	for _, v := range f.defs(image) {
		if v.Owner == f.users[user].ID || (user == "root" && v.Owner == core.RootUserID) {
			s := v.Settings
			return &s
		}
	}
	return nil
}

// snapshot is every stored rdef of images, for "nothing changed" checks.
func (f *rdefFixture) snapshot(images ...core.Ref) string {
	f.t.Helper()
	b, err := json.Marshal(func() [][]core.RenderingDefView {
		var out [][]core.RenderingDefView
		for _, im := range images {
			out = append(out, f.defs(im))
		}
		return out
	}())
	f.must(err)
	return string(b)
}

// window sets channel c's window of s.
func window(s render.Settings, c int, start, end float64) render.Settings {
	s = s.Clone()
	s.Channels[c].Start, s.Channels[c].End = start, end
	return s
}

func viewer(t *testing.T, s core.Session, image core.Ref) core.RenderingDefView {
	t.Helper()
	v, err := s.ViewerRendering(context.Background(), image)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func refsEqual(a, b []core.Ref) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func skippedRefs(r core.RenderingResult) []core.Ref {
	out := []core.Ref{}
	for _, s := range r.Skipped {
		out = append(out, s.Image)
	}
	return out
}
