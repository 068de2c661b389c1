package inprocess_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

// importFixture is a repository with a read-annotate group "lab" (alice and
// bob), a private group "solo" (carol), a restricted admin without WriteOwned
// and the root session.
type importFixture struct {
	ctx              context.Context
	svc              *inprocess.Service
	root             core.Session
	lab, solo        core.Group
	alice, bob, carl core.Experimenter
}

func newImportFixture(t *testing.T) *importFixture {
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
	f := &importFixture{ctx: ctx, svc: svc}
	if f.root, err = svc.Login(ctx, "root", "rootpw", ""); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	f.lab, err = f.root.CreateGroup(ctx, "lab", core.ReadAnnotate, "")
	must(err)
	f.solo, err = f.root.CreateGroup(ctx, "solo", core.Private, "")
	must(err)
	f.alice, err = f.root.CreateUser(ctx, core.NewUser{Username: "alice", Password: "pw", Groups: []core.ID{f.lab.ID}})
	must(err)
	f.bob, err = f.root.CreateUser(ctx, core.NewUser{Username: "bob", Password: "pw", Groups: []core.ID{f.lab.ID}})
	must(err)
	f.carl, err = f.root.CreateUser(ctx, core.NewUser{Username: "carl", Password: "pw", Groups: []core.ID{f.solo.ID}})
	must(err)
	_, err = f.root.CreateUser(ctx, core.NewUser{Username: "helper", Password: "pw", Groups: []core.ID{f.lab.ID},
		Admin: true, Privileges: []core.Privilege{core.PrivChgrp}})
	must(err)
	return f
}

func (f *importFixture) login(t *testing.T, user string) core.Session {
	t.Helper()
	s, err := f.svc.Login(f.ctx, user, "pw", "")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// placeFile writes a file into the managed repository, as the app layer does
// before registering it.
func placeFile(t *testing.T, s core.Session, rel string) core.FilesetEntry {
	t.Helper()
	p := filepath.Join(s.ManagedDir(), filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	data := []byte("not really a TIFF: " + rel)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return core.FilesetEntry{ClientPath: "/data/" + filepath.Base(rel), RepoPath: rel, Size: int64(len(data)), Checksum: "x"}
}

func newImage(name string, c int) core.NewImage {
	chs := make([]core.ChannelInfo, c)
	for i := range chs {
		chs[i].Name = []string{"457", "528", "617", "685"}[i%4]
	}
	return core.NewImage{Name: name, AcquisitionDate: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC),
		Pixels:   core.PixelsInfo{SizeX: 64, SizeY: 48, SizeZ: 3, SizeC: c, SizeT: 2, PixelType: "uint16", DimensionOrder: "XYZCT"},
		Channels: chs, Attrs: map[string]any{"objective": "60x"}}
}

func count(t *testing.T, s core.Session, class core.Class) int {
	t.Helper()
	vs, err := s.List(context.Background(), class, core.AnyID, core.AnyID)
	if err != nil {
		t.Fatal(err)
	}
	return len(vs)
}

func TestRegisterFilesetIntoDataset(t *testing.T) {
	f := newImportFixture(t)
	alice := f.login(t, "alice")
	ds, err := alice.Create(f.ctx, core.Dataset, map[string]string{"name": "D"})
	if err != nil {
		t.Fatal(err)
	}
	file := placeFile(t, alice, "alice_2/2026-11/24/10-00-00.000/a.ome.tiff")
	res, err := alice.RegisterFileset(f.ctx, core.FilesetImport{Files: []core.FilesetEntry{file},
		Images: []core.NewImage{newImage("a [0]", 2), newImage("a [1]", 3)}, Dataset: ds.Ref, Owner: core.AnyID})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Images) != 2 || res.Fileset.Class != core.Fileset {
		t.Fatalf("result %+v", res)
	}
	kids, err := alice.Browse(f.ctx, core.BrowseRequest{Group: f.lab.ID, Owner: core.AnyID, Parent: ds.Ref})
	if err != nil {
		t.Fatal(err)
	}
	if len(kids) != 2 || kids[0].Name != "a [0]" || kids[0].Owner != f.alice.ID || kids[0].Group != f.lab.ID {
		t.Fatalf("dataset shows %+v", kids)
	}
	if kids[0].Parent != res.Fileset.ID || kids[0].Attr("acquisitionDate") != "2026-11-24T10:00:00Z" || kids[0].Attr("objective") != "60x" {
		t.Fatalf("image object %+v", kids[0].Object)
	}
	p, chs, err := alice.ImageDetails(f.ctx, res.Images[1])
	if err != nil {
		t.Fatal(err)
	}
	if p.SizeX != 64 || p.SizeC != 3 || p.SizeT != 2 || len(chs) != 3 || chs[2].Name != "617" || chs[2].Index != 2 {
		t.Fatalf("pixels %+v channels %+v", p, chs)
	}
	fs, err := alice.Get(f.ctx, res.Fileset)
	if err != nil {
		t.Fatal(err)
	}
	if fs.Attr("templatePrefix") != "alice_2/2026-11/24/10-00-00.000/" {
		t.Fatalf("fileset %+v", fs.Object)
	}
	// bob, a member of the read-annotate group, browses it but cannot edit it.
	fl, err := f.login(t, "bob").Flags(f.ctx, []core.Ref{res.Images[0]})
	if err != nil {
		t.Fatal(err)
	}
	if !fl[0].CanAnnotate || fl[0].CanEdit {
		t.Fatalf("bob's flags on alice's image: %+v", fl[0].Flags)
	}
}

func TestRegisterPlateIntoScreen(t *testing.T) {
	f := newImportFixture(t)
	alice := f.login(t, "alice")
	scr, err := alice.Create(f.ctx, core.Screen, map[string]string{"name": "S"})
	if err != nil {
		t.Fatal(err)
	}
	var files []core.FilesetEntry
	var imgs []core.NewImage
	var fields []core.NewField
	for i := 0; i < 6; i++ {
		files = append(files, placeFile(t, alice, "p/"+string(rune('a'+i))+".ome.tiff"))
		imgs = append(imgs, newImage("field", 1))
		fields = append(fields, core.NewField{Row: i / 4, Column: (i / 2) % 2, Image: i, Run: 0, PositionX: float64(i)})
	}
	res, err := alice.RegisterFileset(f.ctx, core.FilesetImport{Files: files, Images: imgs, Screen: scr.Ref, Owner: core.AnyID,
		Plate: &core.NewPlate{Name: "P1", Rows: 2, Columns: 3, Runs: []string{"Run 1"}, Fields: fields}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Wells) != 3 || res.Plate.IsZero() {
		t.Fatalf("result %+v", res)
	}
	plates, _ := alice.Browse(f.ctx, core.BrowseRequest{Group: f.lab.ID, Owner: core.AnyID, Parent: scr.Ref})
	if len(plates) != 1 || plates[0].Name != "P1" || plates[0].AttrInt("columns") != 3 {
		t.Fatalf("screen shows %+v", plates)
	}
	wells, _ := alice.Browse(f.ctx, core.BrowseRequest{Group: f.lab.ID, Owner: core.AnyID, Parent: res.Plate})
	if len(wells) != 3 || wells[0].DisplayName() != "A1" || wells[2].DisplayName() != "B1" {
		t.Fatalf("wells %+v", wells)
	}
	fieldsOf, _ := alice.Browse(f.ctx, core.BrowseRequest{Group: f.lab.ID, Owner: core.AnyID, Parent: wells[1].Ref})
	if len(fieldsOf) != 2 {
		t.Fatalf("well A2 has %d fields, want 2", len(fieldsOf))
	}
	samples, _ := alice.List(f.ctx, core.WellSample, core.AnyID, core.AnyID)
	runs, _ := alice.List(f.ctx, core.PlateAcquisition, core.AnyID, core.AnyID)
	if len(samples) != 6 || len(runs) != 1 || samples[0].Ref2 != runs[0].ID || runs[0].Parent != res.Plate.ID {
		t.Fatalf("samples %d runs %+v", len(samples), runs)
	}
	// Plate images are not orphans.
	orph, _ := alice.Browse(f.ctx, core.BrowseRequest{Group: f.lab.ID, Owner: core.AnyID, Parent: core.Ref{Class: core.OrphanedImages}})
	if len(orph) != 0 {
		t.Fatalf("orphans %+v", orph)
	}
}

func TestRegisterOnBehalf(t *testing.T) {
	f := newImportFixture(t)
	if err := f.root.SetGroup(f.ctx, f.lab.ID); err != nil {
		t.Fatal(err)
	}
	file := placeFile(t, f.root, "alice_2/x/a.tif")
	res, err := f.root.RegisterFileset(f.ctx, core.FilesetImport{Files: []core.FilesetEntry{file},
		Images: []core.NewImage{newImage("a", 1)}, Owner: f.alice.ID})
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.login(t, "alice").Get(f.ctx, res.Images[0])
	if err != nil || v.Owner != f.alice.ID || !v.Flags.CanEdit {
		t.Fatalf("alice's imported image: %+v %v", v, err)
	}
	// Into alice's dataset in her name: fine; in bob's name: bob may not link to it.
	ds, err := f.login(t, "alice").Create(f.ctx, core.Dataset, map[string]string{"name": "D"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.root.RegisterFileset(f.ctx, core.FilesetImport{Files: []core.FilesetEntry{file},
		Images: []core.NewImage{newImage("a2", 1)}, Owner: f.alice.ID, Dataset: ds.Ref}); err != nil {
		t.Fatal(err)
	}
	_, err = f.root.RegisterFileset(f.ctx, core.FilesetImport{Files: []core.FilesetEntry{file},
		Images: []core.NewImage{newImage("b", 1)}, Owner: f.bob.ID, Dataset: ds.Ref})
	if !core.Is(core.Permission, err) {
		t.Fatalf("import for bob into alice's dataset: %v", err)
	}
	// carl is not in "lab": refused with a sentence naming the group.
	_, err = f.root.RegisterFileset(f.ctx, core.FilesetImport{Files: []core.FilesetEntry{file},
		Images: []core.NewImage{newImage("c", 1)}, Owner: f.carl.ID})
	if !core.Is(core.Invalid, err) || !strings.Contains(core.UserMessage(err), `not a member of "lab"`) {
		t.Fatalf("import for a non-member: %v", err)
	}
}

func TestRegisterRefusals(t *testing.T) {
	f := newImportFixture(t)
	alice, bob, helper := f.login(t, "alice"), f.login(t, "bob"), f.login(t, "helper")
	ds, _ := alice.Create(f.ctx, core.Dataset, map[string]string{"name": "D"})
	carl := f.login(t, "carl")
	carlDS, _ := carl.Create(f.ctx, core.Dataset, map[string]string{"name": "mine"})
	file := placeFile(t, alice, "f/a.tif")
	req := func(mod func(*core.FilesetImport)) core.FilesetImport {
		r := core.FilesetImport{Files: []core.FilesetEntry{file}, Images: []core.NewImage{newImage("a", 1)}, Owner: core.AnyID}
		mod(&r)
		return r
	}
	guest, err := f.svc.Login(f.ctx, "guest", "", "")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		s    core.Session
		req  core.FilesetImport
		kind core.Kind
		msg  string
	}{
		{"guest", guest, req(func(*core.FilesetImport) {}), core.Permission, "guest"},
		{"bob into alice's dataset (read-annotate)", bob, req(func(r *core.FilesetImport) { r.Dataset = ds.Ref }), core.Permission, "may not link"},
		{"alice for bob", alice, req(func(r *core.FilesetImport) { r.Owner = f.bob.ID }), core.Permission, "WriteOwned"},
		{"alice for root by a zero Owner", alice, req(func(r *core.FilesetImport) { r.Owner = 0 }), core.Permission, "core.AnyID"},
		{"restricted admin without WriteOwned", helper, req(func(r *core.FilesetImport) { r.Owner = f.alice.ID }), core.Permission, "WriteOwned"},
		{"dataset in another group", alice, req(func(r *core.FilesetImport) { r.Dataset = carlDS.Ref }), core.NotFound, ""},
		{"missing file", alice, req(func(r *core.FilesetImport) { r.Files[0].RepoPath = "f/none.tif" }), core.Invalid, "not in the managed repository"},
		{"escaping path", alice, req(func(r *core.FilesetImport) { r.Files[0].RepoPath = "../ocular.db" }), core.Invalid, "not a clean path"},
		{"short file", alice, req(func(r *core.FilesetImport) { r.Files[0].Size = 1 }), core.Invalid, "incomplete"},
		{"bad dimensions", alice, req(func(r *core.FilesetImport) { r.Images[0].Pixels.SizeZ = 0 }), core.Invalid, "Z=0"},
		{"plate into dataset", alice, req(func(r *core.FilesetImport) {
			r.Dataset = ds.Ref
			r.Plate = &core.NewPlate{Rows: 1, Columns: 1}
		}), core.Invalid, "screen"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.req
			r.Files = append([]core.FilesetEntry(nil), r.Files...)
			_, err := c.s.RegisterFileset(f.ctx, r)
			if !core.Is(c.kind, err) || !strings.Contains(core.UserMessage(err), c.msg) {
				t.Fatalf("got %v (%s), want %s containing %q", err, core.UserMessage(err), c.kind, c.msg)
			}
		})
	}
	if n := count(t, f.root, core.Image) + count(t, f.root, core.Fileset); n != 0 {
		t.Fatalf("refused imports left %d objects", n)
	}
	// carl in his private group has no one else to import into his dataset.
	if _, err := carl.RegisterFileset(f.ctx, req(func(r *core.FilesetImport) { r.Dataset = carlDS.Ref })); err != nil {
		t.Fatalf("carl into his own dataset: %v", err)
	}
}

func TestRegisterIsAtomic(t *testing.T) {
	f := newImportFixture(t)
	alice := f.login(t, "alice")
	ds, _ := alice.Create(f.ctx, core.Dataset, map[string]string{"name": "D"})
	file := placeFile(t, alice, "f/a.tif")
	bad := newImage("b", 1)
	// Passes the up-front checks but cannot be stored: the second image
	// fails after the fileset, its entries and the first image are written.
	bad.Attrs = map[string]any{"exposure": math.NaN()}
	_, err := alice.RegisterFileset(f.ctx, core.FilesetImport{Files: []core.FilesetEntry{file},
		Images: []core.NewImage{newImage("a", 2), bad}, Dataset: ds.Ref, Owner: core.AnyID})
	if err == nil {
		t.Fatal("an image whose attributes cannot be stored was registered")
	}
	for _, c := range []core.Class{core.Fileset, core.Image, core.DatasetImageLink} {
		if n := count(t, alice, c); n != 0 {
			t.Errorf("%d %s left after a failed import", n, c)
		}
	}
	// Plates too: a failing run name is impossible, so break the last field's image instead.
	var files []core.FilesetEntry
	files = append(files, file)
	imgs := []core.NewImage{newImage("x", 1), bad}
	scr, _ := alice.Create(f.ctx, core.Screen, map[string]string{"name": "S"})
	_, err = alice.RegisterFileset(f.ctx, core.FilesetImport{Files: files, Images: imgs, Screen: scr.Ref, Owner: core.AnyID,
		Plate: &core.NewPlate{Name: "P", Rows: 1, Columns: 1, Fields: []core.NewField{{Image: 0, Run: -1}, {Image: 1, Run: -1}}}})
	if err == nil {
		t.Fatal("broken plate registered")
	}
	for _, c := range []core.Class{core.Plate, core.Well, core.WellSample, core.Image, core.ScreenPlateLink} {
		if n := count(t, alice, c); n != 0 {
			t.Errorf("%d %s left after a failed plate import", n, c)
		}
	}
}

// Imports register beside each other (on PostgreSQL they share the write
// lock, core.WriteHint.Shared), never beside the delete of their target:
// each import either lands whole in the dataset or, once the dataset is
// gone, is refused as not found, and no link is left pointing at it.
func TestRegisterBesideOtherImportsAndADeleteOfTheTarget(t *testing.T) {
	f := newImportFixture(t)
	alice := f.login(t, "alice")
	ds, err := alice.Create(f.ctx, core.Dataset, map[string]string{"name": "D"})
	if err != nil {
		t.Fatal(err)
	}
	const imports = 8
	files := make([]core.FilesetEntry, imports)
	for i := range files {
		files[i] = placeFile(t, alice, fmt.Sprintf("alice_2/2026-12/04/%02d/a.tif", i))
	}
	errs := make(chan error, imports+1)
	landed := make(chan []core.Ref, imports)
	start := make(chan struct{})
	for i := range files {
		go func() {
			<-start
			res, err := alice.RegisterFileset(f.ctx, core.FilesetImport{Files: files[i : i+1],
				Images: []core.NewImage{newImage(fmt.Sprintf("i%d", i), 1)}, Dataset: ds.Ref, Owner: core.AnyID})
			if err == nil {
				landed <- res.Images
			} else if !core.Is(core.NotFound, err) {
				errs <- fmt.Errorf("import %d: %v, want success or NotFound", i, err)
			}
			errs <- nil
		}()
	}
	go func() {
		<-start
		_, err := alice.RunGraph(f.ctx, core.GraphRequest{Op: core.OpDelete, Targets: targets(ds.Ref)})
		errs <- err
	}()
	close(start)
	for range imports + 1 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	close(landed)
	if _, err := alice.Get(f.ctx, ds.Ref); !core.Is(core.NotFound, err) {
		t.Fatalf("the deleted dataset: %v", err)
	}
	links, err := alice.List(f.ctx, core.DatasetImageLink, core.AnyID, core.AnyID)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range links {
		if l.Parent == ds.ID {
			t.Errorf("%s still links an image to the deleted dataset", l.Ref)
		}
	}
	// An image that landed before the delete went with its dataset; one
	// that landed after could not have (its target was gone).
	for imgs := range landed {
		for _, img := range imgs {
			if _, err := alice.Get(f.ctx, img); !core.Is(core.NotFound, err) {
				t.Errorf("%s, imported into the dataset, outlived its delete: %v", img, err)
			}
		}
	}
}
