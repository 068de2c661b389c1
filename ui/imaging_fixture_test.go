package ui_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/ui"
	"github.com/ocular-lab/ocular/ui/async"
	"github.com/ocular-lab/ocular/ui/viewer"
)

// imaging is a repository with real pixels: OME-TIFFs written by
// ome.WriteTIFF and imported by olive through the import pipeline (so they
// have statistics, import settings and thumbnails) into a dataset "Cells" of
// a project, in a private and in a read-annotate group. mike is a member of
// both; pia is both groups' owner (PI), who sees olive's images even in the
// private group.
type imaging struct {
	dir     string
	svc     core.Service
	groups  map[core.Level]core.Group
	images  map[core.Level][]core.Ref // olive's, in name order
	dataset map[core.Level]core.Ref
}

var imagingLevels = []core.Level{core.Private, core.ReadAnnotate}

func newImaging(t *testing.T, sizeX, sizeY, sizeC, sizeZ int) *imaging {
	t.Helper()
	return buildImaging(t, imagingLevels, 2, sizeX, sizeY, sizeC, sizeZ)
}

// buildImaging makes the repository with perDataset images in each group of
// levels (benchmarks want one big image, tests two small ones per group).
func buildImaging(t testing.TB, levels []core.Level, perDataset, sizeX, sizeY, sizeC, sizeZ int) *imaging {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	create := func(s core.Session, class core.Class, kv ...string) core.Ref {
		t.Helper()
		fields := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			fields[kv[i]] = kv[i+1]
		}
		v, err := s.Create(context.Background(), class, fields)
		must(err)
		return v.Ref
	}
	ctx := context.Background()
	svc, dir := testrepo.New(t)
	root := testrepo.Root(t, svc)
	f := &imaging{dir: dir, svc: svc, groups: map[core.Level]core.Group{}, images: map[core.Level][]core.Ref{},
		dataset: map[core.Level]core.Ref{}}
	var ids []core.ID
	for _, l := range levels {
		g, err := root.CreateGroup(ctx, "Imaging "+l.String(), l, "")
		must(err)
		f.groups[l] = g
		ids = append(ids, g.ID)
	}
	for _, name := range []string{"olive", "mike", "pia"} {
		_, err := root.CreateUser(ctx, core.NewUser{Username: name, FirstName: name[:1], LastName: name, Password: password, Groups: ids})
		must(err)
	}
	pia, err := root.User(ctx, "pia")
	must(err)
	for _, g := range ids {
		must(root.AddToGroup(ctx, g, []core.ID{pia.ID}, true))
	}
	olive := testrepo.Login(t, svc, "olive", password)
	files := t.TempDir()
	for _, l := range levels {
		must(olive.SetGroup(ctx, f.groups[l].ID))
		p := create(olive, core.Project, "name", "Olive project")
		d := create(olive, core.Dataset, "name", "Cells")
		create(olive, core.ProjectDatasetLink, "parent", p.String(), "child", d.String())
		f.dataset[l] = d
		var paths []string
		for i := 1; i <= perDataset; i++ {
			path := filepath.Join(files, fmt.Sprintf("%s-cells-%d.ome.tiff", l, i))
			writeCells(t, path, sizeX, sizeY, sizeC, sizeZ)
			paths = append(paths, path)
		}
		cfg := importer.Config{Session: olive, Thumbs: thumbcache.ForRepository(dir),
			Open: func(p string) (formats.Reader, error) { return ome.Open(p) }}
		sum, err := importer.Run(ctx, cfg, paths, importer.Options{Dataset: d}, nil)
		must(err)
		must(sum.Err())
		for _, r := range sum.Results {
			f.images[l] = append(f.images[l], r.Images...)
		}
	}
	return f
}

// writeCells writes a uint16 image whose value at (x, y) of channel c,
// plane z is 1000·c + 300·z + 20·x + y: each channel, each plane and each
// window shows a different picture.
func writeCells(t testing.TB, path string, sx, sy, sc, sz int) {
	t.Helper()
	s := formats.Series{Name: filepath.Base(path), SizeX: sx, SizeY: sy, SizeZ: sz, SizeC: sc, SizeT: 1,
		PixelType: pixel.Uint16, DimensionOrder: "XYZCT", PhysicalSizeX: 0.5, PhysicalSizeY: 0.5}
	for c := 0; c < sc; c++ {
		s.Channels = append(s.Channels, formats.Channel{Name: []string{"DAPI", "GFP", "mCherry", "Cy5"}[c%4],
			EmissionWavelength: []float64{457, 528, 617, 685}[c%4]})
	}
	err := ome.WriteTIFF(path, s, nil, func(z, c, _ int) (*pixel.Plane, error) {
		p, err := pixel.NewPlane(pixel.Uint16, sx, sy)
		if err != nil {
			return nil, err
		}
		for y := 0; y < sy; y++ {
			for x := 0; x < sx; x++ {
				p.Set(x, y, float64((1000*c+300*z+20*x+y)%65536))
			}
		}
		return p, nil
	}, ome.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
}

// browseImaging logs user in and opens the Cells dataset of level's group
// with Olive's data shown: the grid lists its images.
func browseImaging(t *testing.T, f *imaging, user string, level core.Level) *ui.UI {
	t.Helper()
	u := ui.New(ui.Options{App: test.NewTempApp(t), Run: async.Immediate, Open: open, Dir: f.dir,
		Username: user, Password: password, AutoLogin: true})
	t.Cleanup(u.Close)
	u.Window.Resize(ui.DefaultSize)
	if u.Browser == nil {
		t.Fatalf("%s could not log in: %s", user, u.Login.Error.Text)
	}
	u.Browser.Groups.SetSelected(browse.GroupLabel(f.groups[level]))
	u.Browser.Members.SetSelected("o olive")
	tree := u.Browser.Tree
	p := firstOf(t, tree, browse.Root, core.Project)
	tree.OpenBranch(p)
	tree.Select(firstOf(t, tree, p, core.Dataset))
	return u
}

// openViewer double-taps the n-th thumbnail of the grid and returns the
// viewer window that opened.
func openViewer(t *testing.T, u *ui.UI, n int) *viewer.View {
	t.Helper()
	cells := gridCells(u.Browser.Grid.Grid)
	if len(cells) <= n {
		t.Fatalf("the grid shows %d cells, want more than %d", len(cells), n)
	}
	before := len(u.Viewers())
	test.DoubleTap(cells[n])
	if len(u.Viewers()) != before+1 {
		t.Fatal("double-tapping a thumbnail opened no viewer")
	}
	v := u.Viewers()[before]
	if v.Model() == nil {
		t.Fatalf("the viewer did not load: %s", v.Status())
	}
	return v
}

// gridCells are the grid's visible cells, in order.
func gridCells(g *widget.GridWrap) []fyne.DoubleTappable {
	var out []fyne.DoubleTappable
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		if d, ok := o.(fyne.DoubleTappable); ok {
			out = append(out, d)
			return
		}
		switch w := o.(type) {
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
		}
	}
	walk(g)
	return out
}
