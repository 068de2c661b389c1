package ui_test

import (
	"context"
	"image"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/crypto/bcrypt"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/app/demo"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/repository/sqlite"
	"github.com/ocular-lab/ocular/ui"
	"github.com/ocular-lab/ocular/ui/async"
)

// On the training demo, whose images have real pixels, selecting an image
// shows its dimensions and channels and a thumbnail drawn at the size shown.
func TestDemoImageShowsPixelsAndThumbnail(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "repo")
	st, err := sqlite.Create(ctx, dir)
	must(t, err)
	svc := inprocess.New(st)
	svc.SetPasswordCost(bcrypt.MinCost)
	must(t, svc.Initialize(ctx, demo.DefaultPassword))
	if _, err := demo.Build(ctx, svc, demo.Options{Users: 1}); err != nil {
		t.Fatal(err)
	}
	must(t, svc.Close())

	u := ui.New(ui.Options{App: test.NewTempApp(t), Run: async.Immediate, Open: open, Dir: dir,
		Username: "user-1", Password: demo.DefaultPassword, AutoLogin: true})
	t.Cleanup(u.Close)
	u.Window.Resize(ui.DefaultSize)
	if u.Browser == nil {
		t.Fatalf("login failed: %s", u.Login.Error.Text)
	}
	// Open the first project and its first dataset, select the first image.
	tree := u.Browser.Tree
	uid := firstOf(t, tree, browse.Root, core.Project)
	tree.OpenBranch(uid)
	uid = firstOf(t, tree, uid, core.Dataset)
	tree.OpenBranch(uid)
	tree.Select(firstOf(t, tree, uid, core.Image))

	texts := shown(u.Browser.Details())
	if dims, _ := after(texts, "Dimensions"); !strings.Contains(dims, "pixels") {
		t.Errorf("no dimensions in the details: %q", texts)
	}
	if chs, _ := after(texts, "Channels"); chs == "" {
		t.Errorf("no channels in the details: %q", texts)
	}
	img := thumbnail(u.Browser.Details())
	if img == nil {
		t.Fatalf("no thumbnail shown: %q", texts)
	}
	side := int(240 * u.Window.Canvas().Scale())
	if b := img.Bounds(); max(b.Dx(), b.Dy()) != side {
		t.Errorf("thumbnail is %v, want its longest side drawn at the %d pixels shown", b, side)
	}
}

func firstOf(t *testing.T, tree *widget.Tree, parent string, class core.Class) string {
	t.Helper()
	for _, uid := range tree.ChildUIDs(parent) {
		if r, err := browse.Ref(uid); err == nil && r.Class == class {
			return uid
		}
	}
	t.Fatalf("no %s under %q", class, parent)
	return ""
}

// thumbnail finds the visible image drawn from pixels (not an icon).
func thumbnail(o fyne.CanvasObject) image.Image {
	var found image.Image
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if found != nil || o == nil || !o.Visible() {
			return
		}
		switch w := o.(type) {
		case *canvas.Image:
			if w.Image != nil && w.Resource == nil { // icons come from resources
				found = w.Image
			}
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
	walk(o)
	return found
}
