package inprocess_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

// world is a real SQLite repository with users and groups for the graph
// operation scenarios.
type world struct {
	t    testing.TB
	ctx  context.Context
	svc  *inprocess.Service
	root core.Session
	dir  string
	n    int
}

func newWorld(t testing.TB) *world {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "repo")
	st := testrepo.CreateStore(t, dir)
	svc := inprocess.New(st)
	svc.SetPasswordCost(bcrypt.MinCost)
	t.Cleanup(func() { svc.Close() })
	if err := svc.Initialize(ctx, "rootpw"); err != nil {
		t.Fatal(err)
	}
	root, err := svc.Login(ctx, "root", "rootpw", "")
	if err != nil {
		t.Fatal(err)
	}
	return &world{t: t, ctx: ctx, svc: svc, root: root, dir: dir}
}

func (w *world) group(name string, level core.Level) core.ID {
	w.t.Helper()
	g, err := w.root.CreateGroup(w.ctx, name, level, "")
	if err != nil {
		w.t.Fatal(err)
	}
	return g.ID
}

// user creates a user in groups (the first is the default) and logs in.
func (w *world) user(name string, groups ...core.ID) *actor {
	w.t.Helper()
	e, err := w.root.CreateUser(w.ctx, core.NewUser{Username: name, Password: "pw", Groups: groups})
	if err != nil {
		w.t.Fatal(err)
	}
	s, err := w.svc.Login(w.ctx, name, "pw", "")
	if err != nil {
		w.t.Fatal(err)
	}
	return &actor{w: w, s: s, id: e.ID}
}

// pi makes a user an owner of group.
func (w *world) pi(a *actor, group core.ID) {
	w.t.Helper()
	if err := w.root.AddToGroup(w.ctx, group, []core.ID{a.id}, true); err != nil {
		w.t.Fatal(err)
	}
}

// admin logs root in with its session switched to group.
func (w *world) admin(group core.ID) *actor {
	w.t.Helper()
	s, err := w.svc.Login(w.ctx, "root", "rootpw", "")
	if err != nil {
		w.t.Fatal(err)
	}
	if err := s.SetGroup(w.ctx, group); err != nil {
		w.t.Fatal(err)
	}
	return &actor{w: w, s: s, id: core.RootUserID}
}

type actor struct {
	w  *world
	s  core.Session
	id core.ID
}

func (a *actor) in(group core.ID) *actor {
	a.w.t.Helper()
	if err := a.s.SetGroup(a.w.ctx, group); err != nil {
		a.w.t.Fatal(err)
	}
	return a
}

// mk creates an object from key=value pairs.
func (a *actor) mk(class core.Class, kv ...string) core.Ref {
	a.w.t.Helper()
	f := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		f[kv[i]] = kv[i+1]
	}
	if _, ok := f["name"]; !ok && slices.Contains(class.Info().Fields, "name") && class != core.OriginalFile {
		a.w.n++
		f["name"] = fmt.Sprintf("%s %d", class, a.w.n)
	}
	if class == core.RenderingDef {
		return a.saveRendering(f["image"])
	}
	v, err := a.s.Create(a.w.ctx, class, f)
	if err != nil {
		a.w.t.Fatalf("create %s %v: %v", class, kv, err)
	}
	return v.Ref
}

// saveRendering stores the actor's own settings (the defaults) on an image
// through the rendering use case, the only way rendering settings are made.
func (a *actor) saveRendering(image string) core.Ref {
	a.w.t.Helper()
	img, err := core.ParseRef(image)
	if err != nil {
		a.w.t.Fatal(err)
	}
	v, err := a.s.ViewerRendering(a.w.ctx, img)
	if err != nil {
		a.w.t.Fatalf("rendering settings of %s: %v", img, err)
	}
	saved, err := a.s.SaveRendering(a.w.ctx, img, v.Settings)
	if err != nil {
		a.w.t.Fatalf("save rendering settings on %s: %v", img, err)
	}
	return saved.Def
}

func (a *actor) link(class core.Class, parent, child core.Ref) core.Ref {
	a.w.t.Helper()
	return a.mk(class, "parent", parent.String(), "child", child.String())
}

// tag creates a tag and links it to objs.
func (a *actor) tag(name string, objs ...core.Ref) core.Ref {
	a.w.t.Helper()
	t := a.mk(core.TagAnnotation, "textValue", name)
	for _, o := range objs {
		a.annotate(o, t)
	}
	return t
}

func (a *actor) annotate(obj, ann core.Ref) core.Ref {
	a.w.t.Helper()
	return a.link(obj.Class.Info().AnnotationLink, obj, ann)
}

func (a *actor) comment(obj core.Ref, text string) core.Ref {
	a.w.t.Helper()
	c := a.mk(core.CommentAnnotation, "textValue", text)
	a.annotate(obj, c)
	return c
}

// attach creates a file in the repository, its OriginalFile and a
// FileAnnotation linked to obj.
func (a *actor) attach(obj core.Ref, name string) (fa, file core.Ref) {
	a.w.t.Helper()
	a.w.n++
	up, err := a.s.Upload(a.w.ctx, name, strings.NewReader("attachment "+name))
	if err != nil {
		a.w.t.Fatal(err)
	}
	file = up.Ref
	fa = a.mk(core.FileAnnotation, "file", file.String())
	if !obj.IsZero() {
		a.annotate(obj, fa)
	}
	return fa, file
}

// importImages registers a fileset of n images (one file each) in the
// session's group, in dataset ds when not zero.
func (a *actor) importImages(n int, ds core.Ref) (core.Ref, []core.Ref) {
	a.w.t.Helper()
	a.w.n++
	dir := fmt.Sprintf("u%d/set%d", a.id, a.w.n)
	req := core.FilesetImport{Dataset: ds, Owner: core.AnyID}
	for i := 0; i < n; i++ {
		rel := fmt.Sprintf("%s/img%d.tif", dir, i)
		p := filepath.Join(a.s.ManagedDir(), filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		data := []byte(fmt.Sprintf("pixels of image %d of %s", i, dir))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			a.w.t.Fatal(err)
		}
		req.Files = append(req.Files, core.FilesetEntry{ClientPath: "/data/" + rel, RepoPath: rel, Size: int64(len(data)), Checksum: "x"})
		req.Images = append(req.Images, core.NewImage{Name: fmt.Sprintf("img %d", i),
			Pixels: core.PixelsInfo{SizeX: 4, SizeY: 4, SizeZ: 1, SizeC: 1, SizeT: 1, PixelType: "uint8"}})
	}
	res, err := a.s.RegisterFileset(a.w.ctx, req)
	if err != nil {
		a.w.t.Fatal(err)
	}
	return res.Fileset, res.Images
}

// image imports a single-image fileset.
func (a *actor) image(ds core.Ref) core.Ref {
	a.w.t.Helper()
	_, ims := a.importImages(1, ds)
	return ims[0]
}

func (a *actor) run(req core.GraphRequest) (core.GraphResult, error) {
	return a.s.RunGraph(a.w.ctx, req)
}

func (a *actor) mustRun(req core.GraphRequest) core.GraphResult {
	a.w.t.Helper()
	res, err := a.run(req)
	if err != nil {
		a.w.t.Fatalf("%s: %v", req.Op, err)
	}
	return res
}

func (a *actor) plan(req core.GraphRequest) (core.GraphPlan, error) {
	return a.s.PlanGraph(a.w.ctx, req)
}

func targets(refs ...core.Ref) []core.Target {
	var out []core.Target
	for _, r := range refs {
		out = append(out, core.Target{Class: r.Class, IDs: []core.ID{r.ID}})
	}
	return out
}

func del(refs ...core.Ref) core.GraphRequest {
	return core.GraphRequest{Op: core.OpDelete, Targets: targets(refs...)}
}

func chgrp(group core.ID, refs ...core.Ref) core.GraphRequest {
	return core.GraphRequest{Op: core.OpChgrp, Group: group, Targets: targets(refs...)}
}

func chown(user core.ID, refs ...core.Ref) core.GraphRequest {
	return core.GraphRequest{Op: core.OpChown, User: user, Targets: targets(refs...)}
}

// obj reads an object as root (any group), or nil when it is gone.
func (w *world) obj(r core.Ref) *core.Object {
	w.t.Helper()
	var out *core.Object
	err := w.svc.Store().Read(w.ctx, func(tx core.Tx) error {
		o, err := tx.Object(r.ID)
		if err == nil {
			out = o
		}
		return nil
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return out
}

func (w *world) gone(refs ...core.Ref) {
	w.t.Helper()
	for _, r := range refs {
		if w.obj(r) != nil {
			w.t.Errorf("%s should be gone but exists", r)
		}
	}
}

func (w *world) there(refs ...core.Ref) {
	w.t.Helper()
	for _, r := range refs {
		if w.obj(r) == nil {
			w.t.Errorf("%s should exist but is gone", r)
		}
	}
}

// inGroup asserts the group of objects.
func (w *world) inGroup(g core.ID, refs ...core.Ref) {
	w.t.Helper()
	for _, r := range refs {
		o := w.obj(r)
		switch {
		case o == nil:
			w.t.Errorf("%s is gone, expected in group %d", r, g)
		case o.Group != g:
			w.t.Errorf("%s is in group %d, expected %d", r, o.Group, g)
		}
	}
}

func (w *world) ownedBy(u core.ID, refs ...core.Ref) {
	w.t.Helper()
	for _, r := range refs {
		o := w.obj(r)
		switch {
		case o == nil:
			w.t.Errorf("%s is gone, expected owned by %d", r, u)
		case o.Owner != u:
			w.t.Errorf("%s is owned by %d, expected %d", r, o.Owner, u)
		}
	}
}

// linkBetween returns the link of class between parent and child, or nil.
func (w *world) linkBetween(class core.Class, parent, child core.Ref) *core.Object {
	w.t.Helper()
	var out *core.Object
	w.svc.Store().Read(w.ctx, func(tx core.Tx) error {
		l, err := tx.FindLink(class, parent.ID, child.ID)
		if err == nil {
			out = l
		}
		return nil
	})
	return out
}

// files lists the files of the managed repository and Files/ folder.
func (w *world) files() []string {
	w.t.Helper()
	var out []string
	filepath.WalkDir(w.dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Dir(p) != w.dir {
			rel, _ := filepath.Rel(w.dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func wantKind(t *testing.T, err error, k core.Kind) {
	t.Helper()
	if err == nil {
		t.Fatalf("expected a %s error, got success", k)
	}
	if !core.Is(k, err) {
		t.Fatalf("expected a %s error, got %v", k, err)
	}
}

func refsOf(rs []core.Ref) map[core.Ref]bool {
	m := map[core.Ref]bool{}
	for _, r := range rs {
		m[r] = true
	}
	return m
}

// importPlate registers a 1x2 plate with one run and one field per well.
func (a *actor) importPlate(screen core.Ref) (plate core.Ref, images, wells []core.Ref) {
	a.w.t.Helper()
	a.w.n++
	dir := fmt.Sprintf("u%d/plate%d", a.id, a.w.n)
	rel := dir + "/plate.ome.tif"
	p := filepath.Join(a.s.ManagedDir(), filepath.FromSlash(rel))
	os.MkdirAll(filepath.Dir(p), 0o755)
	os.WriteFile(p, []byte("plate"), 0o644)
	req := core.FilesetImport{Screen: screen, Owner: core.AnyID,
		Files: []core.FilesetEntry{{ClientPath: "/data/" + rel, RepoPath: rel, Size: 5, Checksum: "x"}},
		Plate: &core.NewPlate{Name: "plate", Rows: 1, Columns: 2, Runs: []string{"run"},
			Fields: []core.NewField{{Row: 0, Column: 0, Image: 0, Run: 0}, {Row: 0, Column: 1, Image: 1, Run: 0}}}}
	for i := 0; i < 2; i++ {
		req.Images = append(req.Images, core.NewImage{Name: fmt.Sprintf("field %d", i),
			Pixels: core.PixelsInfo{SizeX: 4, SizeY: 4, SizeZ: 1, SizeC: 1, SizeT: 1, PixelType: "uint8"}})
	}
	res, err := a.s.RegisterFileset(a.w.ctx, req)
	if err != nil {
		a.w.t.Fatal(err)
	}
	return res.Plate, res.Images, res.Wells
}

// find lists objects of class whose column matches (as root).
func (w *world) find(q core.Query) []core.Ref {
	w.t.Helper()
	var out []core.Ref
	w.svc.Store().Read(w.ctx, func(tx core.Tx) error {
		os, err := tx.Find(q)
		if err != nil {
			w.t.Fatal(err)
		}
		for _, o := range os {
			out = append(out, o.Ref)
		}
		return nil
	})
	return out
}
