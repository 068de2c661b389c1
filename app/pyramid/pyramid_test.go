package pyramid

import (
	"context"
	"errors"
	"image"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/core/render"
)

func TestLevelSizesHalveUntilSmallestSide(t *testing.T) {
	got := LevelSizes(5000, 4000)
	want := [][2]int{{5000, 4000}, {2500, 2000}, {1250, 1000}, {625, 500}, {313, 250}}
	if len(got) != len(want) {
		t.Fatalf("levels %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("levels %v, want %v", got, want)
		}
	}
	if n := len(LevelSizes(40000, 40000)); n != 8 { // 40000 → 313
		t.Errorf("a 40000² plane has %d levels, want 8", n)
	}
}

// TestBuiltLevelsEqualDownsampledReference builds the pyramid of a stripped
// 5000×4000 plane and checks every level, and a level-2 region rendered
// through the viewport renderer, against ome.Downsample of the full plane.
func TestBuiltLevelsEqualDownsampledReference(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "big.tif")
	writeStripped(t, path, 5000, 4000)
	r := &counting{Reader: open(t, path)}
	cache := New(filepath.Join(dir, "cache"))
	src, err := cache.Open(7, r, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if !src.Built() {
		t.Fatal("a 5000×4000 plane without pyramid is not served from a built pyramid")
	}
	sizes := LevelSizes(5000, 4000)
	if len(src.Levels()) != len(sizes) {
		t.Fatalf("%d levels, want %d", len(src.Levels()), len(sizes))
	}

	ref := patternPlane(5000, 4000, 0)
	for level := 0; level < len(sizes); level++ {
		if level > 0 {
			ref = ome.Downsample(ref)
		}
		l := src.Levels()[level]
		if l.SizeX != ref.Width || l.SizeY != ref.Height {
			t.Fatalf("level %d is %dx%d, want %dx%d", level, l.SizeX, l.SizeY, ref.Width, ref.Height)
		}
		rect := image.Rect(l.SizeX/3, l.SizeY/4, l.SizeX, l.SizeY) // touches the right and bottom edges
		got, err := src.ReadRegion(level, 0, 0, 0, rect)
		if err != nil {
			t.Fatalf("level %d: %v", level, err)
		}
		samePlane(t, "level "+string(rune('0'+level)), got, crop(ref, rect))

		if level == 2 {
			// The same region rendered through render.ViewportRenderer
			// equals the reference plane rendered with the same settings.
			vr := image.Rect(333, 250, 333+600, 250+500)
			s := render.Defaults(pixel.Uint16, 1, 1, []render.ChannelInfo{{StatsMin: 0, StatsMax: 40000, HasStats: true}})
			dst := image.NewRGBA(image.Rect(0, 0, vr.Dx(), vr.Dy()))
			if err := render.NewViewportRenderer(src, nil).Render(context.Background(), dst, render.Viewport{Level: 2, Rect: vr}, &s); err != nil {
				t.Fatal(err)
			}
			want := image.NewRGBA(dst.Rect)
			if err := render.NewRenderer().Render(want, []*pixel.Plane{crop(ref, vr)}, &s); err != nil {
				t.Fatal(err)
			}
			for i := range want.Pix {
				if dst.Pix[i] != want.Pix[i] {
					t.Fatalf("rendered level-2 viewport differs from the reference at byte %d", i)
				}
			}
		}
	}
	if n := r.planes.Load(); n != 0 {
		t.Errorf("building read %d whole planes; it must read by regions", n)
	}
	// The strip-stored source gets a tiled copy of full resolution.
	if _, err := os.Stat(filepath.Join(cache.Dir(), "7", "z0-c0-t0.tif")); err != nil {
		t.Fatal(err)
	}
}

// TestViewportReadsOnlyItsTiles renders a viewport of a tiled OME-TIFF with
// its own pyramid and counts what the source was asked for.
func TestViewportReadsOnlyItsTiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pyr.ome.tif")
	writeOMETiled(t, path, 4000, 3000, 2, 2)
	r := &counting{Reader: open(t, path)}
	src, err := New(filepath.Join(dir, "cache")).Open(1, r, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if src.Built() || len(src.Levels()) != 3 {
		t.Fatalf("the file's own 3 levels should be served, got %d (built %v)", len(src.Levels()), src.Built())
	}
	if l := src.Levels()[1]; l.SizeX != 2000 || l.TileW != 256 {
		t.Fatalf("level 1 is %+v, want 2000 wide in 256 tiles", l)
	}
	s := render.Defaults(pixel.Uint16, 1, 1, []render.ChannelInfo{{}, {}})
	dst := image.NewRGBA(image.Rect(0, 0, 512, 512))
	vp := render.Viewport{Level: 1, Rect: image.Rect(512, 256, 1024, 768)} // exactly 2×2 tiles
	if err := render.NewViewportRenderer(src, nil).Render(context.Background(), dst, vp, &s); err != nil {
		t.Fatal(err)
	}
	// Two active channels × 4 tiles, each a 256×256 region.
	if got := r.regions.Load(); got != 8 {
		t.Errorf("%d regions read, want 8 (4 tiles × 2 channels)", got)
	}
	if got := r.pixels.Load(); got != 8*256*256 {
		t.Errorf("%d pixels read, want %d", got, 8*256*256)
	}
	if r.planes.Load() != 0 {
		t.Error("a viewport read a whole plane")
	}
	if _, err := os.Stat(filepath.Join(dir, "cache")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("a file with its own pyramid got a cache pyramid")
	}
}

// TestDeletedCacheIsRebuiltByFirstViewport stages and commits a pyramid as
// import does, deletes the cache, and renders: the pyramid comes back.
func TestDeletedCacheIsRebuiltByFirstViewport(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tiled.ome.tif")
	writeOMETiled(t, path, 4100, 3300, 1, 0)
	r := open(t, path)
	cacheDir := filepath.Join(dir, "repo", "cache")
	cache := New(filepath.Join(cacheDir, "pyramids"))
	st, err := cache.Stage(context.Background(), r, 0)
	if err != nil {
		t.Fatal(err)
	}
	if st.Min[0] > st.Max[0] || st.Max[0] == 0 {
		t.Errorf("stats %v..%v", st.Min[0], st.Max[0])
	}
	small, err := st.ReadSmallest(0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if small.Width != 257 || small.Height != 207 {
		t.Errorf("smallest level %dx%d, want 257x207", small.Width, small.Height)
	}
	if err := st.Commit(42); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(cache.Dir())
	if len(ents) != 1 || ents[0].Name() != "42" {
		t.Fatalf("cache holds %v, want only 42", ents)
	}

	if err := os.RemoveAll(cacheDir); err != nil {
		t.Fatal(err)
	}
	cr := &counting{Reader: r}
	src, err := Open(cacheDir, 42, cr, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if src.Levels()[0].TileW != 256 {
		t.Errorf("a tiled source's level 0 should be served in its own tiles, got %+v", src.Levels()[0])
	}
	s := render.Defaults(pixel.Uint16, 1, 1, []render.ChannelInfo{{}})
	vr := image.Rect(0, 0, 400, 300)
	dst := image.NewRGBA(vr)
	if err := render.NewViewportRenderer(src, nil).Render(context.Background(), dst, render.Viewport{Level: 3, Rect: vr}, &s); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(cacheDir, "pyramids", "42", "z0-c0-t0.tif")); err != nil {
		t.Fatalf("the pyramid was not rebuilt: %v", err)
	}
	// The viewport's tiles were fetched in parallel; the plane was built
	// once: 4 bands of 1024 rows (the source's 256-row tiles, 4 per band).
	if n := cr.regions.Load(); n != 4 {
		t.Errorf("the rebuild read %d regions of the source, want 4 bands", n)
	}
	if l := src.LevelAtLeast(256); l != 4 {
		t.Errorf("LevelAtLeast(256) = %d, want 4 (257×207)", l)
	}
	ref := patternPlane(4100, 3300, 0)
	for i := 0; i < 3; i++ {
		ref = ome.Downsample(ref)
	}
	got, err := src.ReadRegion(3, 0, 0, 0, vr.Intersect(image.Rect(0, 0, ref.Width, ref.Height)))
	if err != nil {
		t.Fatal(err)
	}
	samePlane(t, "rebuilt level 3", got, crop(ref, image.Rect(0, 0, got.Width, got.Height)))

	// A stale file (another image's pyramid under this ID) is rebuilt too.
	src.Close()
	other := filepath.Join(dir, "other.ome.tif")
	writeOMETiled(t, other, 3500, 3500, 1, 0)
	ro := open(t, other)
	src2, err := Open(cacheDir, 42, ro, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer src2.Close()
	if _, err := src2.ReadTile(1, 0, 0, 0, 0, 0); err != nil {
		t.Fatal(err)
	}
	f, fh, err := openPlaneFile(filepath.Join(cacheDir, "pyramids", "42", "z0-c0-t0.tif"), src2.desc)
	if err != nil {
		t.Fatalf("the stale pyramid was not replaced: %v", err)
	}
	fh.Close()
	if f.IFDs()[0].Width != 1750 {
		t.Errorf("rebuilt level 1 is %d wide, want 1750", f.IFDs()[0].Width)
	}
}

// TestTruncatedSourceLeavesNoPyramid truncates the source after it was
// opened, as a damaged managed file would be: the build fails with an
// error naming the plane and the rows, and no pyramid file is left.
func TestTruncatedSourceLeavesNoPyramid(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "big.tif")
	writeStripped(t, path, 5000, 4000)
	r := open(t, path)
	st, _ := os.Stat(path)
	if err := os.Truncate(path, st.Size()/2); err != nil {
		t.Fatal(err)
	}
	cacheDir := filepath.Join(dir, "cache")
	src, err := Open(cacheDir, 9, r, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	_, err = src.ReadTile(2, 0, 0, 0, 0, 0)
	if err == nil {
		t.Fatal("a truncated source built a pyramid")
	}
	msg := err.Error()
	if !strings.Contains(msg, "plane z=0 c=0 t=0") || !strings.Contains(msg, "reading rows") {
		t.Errorf("error %q does not say which plane and rows failed", msg)
	}
	t.Log(msg)
	// Asking again gives the same error without re-reading the file.
	if _, err2 := src.ReadTile(1, 0, 0, 0, 1, 1); err2 == nil || err2.Error() != msg {
		t.Errorf("second request: %v", err2)
	}
	ents, _ := os.ReadDir(filepath.Join(cacheDir, "pyramids", "9"))
	if len(ents) != 0 {
		t.Errorf("a failed build left %v behind", ents)
	}

	// Staging at import fails the same way and leaves no staging folder.
	if _, err := New(filepath.Join(cacheDir, "pyramids")).Stage(context.Background(), r, 0); err == nil {
		t.Fatal("staging a truncated source succeeded")
	}
	ents, _ = os.ReadDir(filepath.Join(cacheDir, "pyramids"))
	for _, e := range ents {
		if e.Name() != "9" {
			t.Errorf("a failed stage left %s behind", e.Name())
		}
	}
}

func TestHalveRowsMatchesOMEDownsample(t *testing.T) {
	for _, typ := range []pixel.Type{pixel.Uint8, pixel.Int8, pixel.Uint16, pixel.Int16, pixel.Uint32, pixel.Int32, pixel.Float32, pixel.Float64} {
		for _, size := range [][2]int{{7, 5}, {8, 4}, {1, 1}, {2, 3}} {
			w, h := size[0], size[1]
			p, _ := pixel.NewPlane(typ, w, h)
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					v := float64(pattern(x, y, 0)%251) - 60
					if typ.IsFloat() {
						v += 0.3
					}
					p.Set(x, y, v)
				}
			}
			want := ome.Downsample(p)
			got, _ := pixel.NewPlane(typ, want.Width, want.Height)
			row := w * typ.Size()
			for y := 0; y < h; y += 2 {
				var b []byte
				if y+1 < h {
					b = p.Data[(y+1)*row:][:row]
				}
				halveRows(typ, w, p.Data[y*row:][:row], b, got.Data[(y/2)*want.Width*typ.Size():])
			}
			samePlane(t, typ.String(), got, want)
		}
	}
}
