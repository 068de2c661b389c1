package ome

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/tiff"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/internal/realdata"
)

// writeSynthetic writes a small OME-TIFF whose planes encode (z+seed, c, t)
// and returns the UUID its root element carries.
func writeSynthetic(t *testing.T, path string, z, c, seed int) string {
	t.Helper()
	s := formats.Series{Name: "renamed", SizeX: 20, SizeY: 10, SizeZ: z, SizeC: c, SizeT: 1, PixelType: pixel.Uint16}
	err := WriteTIFF(path, s, nil, func(z, c, tt int) (*pixel.Plane, error) {
		return synth(pixel.Uint16, 20, 10, z+seed, c, tt), nil
	}, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	u := probeUUID(path)
	if u == "" {
		t.Fatalf("%s carries no UUID", path)
	}
	return u
}

// A single-file OME-TIFF renamed after it was written still names its old
// file in every TiffData; its own UUID says the planes are here.
func TestOpenRenamedOMETIFF(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "written.ome.tif")
	writeSynthetic(t, old, 2, 3, 0)
	renamed := filepath.Join(dir, "renamed by the user.ome.tif")
	if err := os.Rename(old, renamed); err != nil {
		t.Fatal(err)
	}
	r, err := Open(renamed)
	if err != nil {
		t.Fatalf("a renamed OME-TIFF must open: %v", err)
	}
	defer r.Close()
	s := r.Series()[0]
	if s.SizeZ != 2 || s.SizeC != 3 || s.SizeX != 20 || s.SizeY != 10 {
		t.Fatalf("got %dx%d z%d c%d", s.SizeX, s.SizeY, s.SizeZ, s.SizeC)
	}
	if got := r.Files(); len(got) != 1 || got[0] != renamed {
		t.Fatalf("files %v, want only the renamed file", got)
	}
	p, err := r.ReadPlane(0, 0, 1, 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !samePlane(p, synth(pixel.Uint16, 20, 10, 1, 2, 0)) {
		t.Fatal("plane z=1 c=2 holds other pixels")
	}
}

// A file under the old name that carries another UUID is not the one meant:
// the UUID wins over the FileName.
func TestOpenRenamedOMETIFFBesideFileOfOldName(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "a.ome.tif")
	writeSynthetic(t, old, 2, 1, 0)
	renamed := filepath.Join(dir, "b.ome.tif")
	if err := os.Rename(old, renamed); err != nil {
		t.Fatal(err)
	}
	writeSynthetic(t, old, 1, 1, 0) // a different image now under the old name
	r, err := Open(renamed)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if s := r.Series()[0]; s.SizeZ != 2 {
		t.Fatalf("SizeZ %d, want 2", s.SizeZ)
	}
	if got := r.Files(); len(got) != 1 || got[0] != renamed {
		t.Fatalf("files %v, want only %s", got, renamed)
	}
}

// A multi-file set whose TIFFs were renamed: the companion's FileNames are
// stale, the UUIDs inside the files find them in the folder.
func TestOpenCompanionWithRenamedTIFFs(t *testing.T) {
	dir := t.TempDir()
	var tds strings.Builder
	for z := 0; z < 3; z++ {
		name := fmt.Sprintf("set-Z%d.ome.tif", z)
		u := writeSynthetic(t, filepath.Join(dir, name), 1, 1, z)
		fmt.Fprintf(&tds, `<TiffData FirstZ="%d" IFD="0" PlaneCount="1"><UUID FileName="%s">%s</UUID></TiffData>`, z, name, u)
	}
	// Rename every TIFF, swapping two names so that a stale FileName
	// points at an existing file holding another plane.
	mv := func(a, b string) {
		if err := os.Rename(filepath.Join(dir, a), filepath.Join(dir, b)); err != nil {
			t.Fatal(err)
		}
	}
	mv("set-Z0.ome.tif", "tmp.ome.tif")
	mv("set-Z2.ome.tif", "set-Z0.ome.tif")
	mv("tmp.ome.tif", "set-Z2.ome.tif")
	mv("set-Z1.ome.tif", "middle.ome.tif")
	companion := filepath.Join(dir, "set.companion.ome")
	xml := `<?xml version="1.0"?><OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06" UUID="urn:uuid:00000000-0000-0000-0000-000000000001">` +
		`<Image ID="Image:0" Name="set"><Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint16" SizeX="20" SizeY="10" SizeZ="3" SizeC="1" SizeT="1">` +
		`<Channel ID="Channel:0:0" SamplesPerPixel="1"/>` + tds.String() + `</Pixels></Image></OME>`
	if err := os.WriteFile(companion, []byte(xml), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := Open(companion)
	if err != nil {
		t.Fatalf("a set with renamed TIFFs must open: %v", err)
	}
	defer r.Close()
	if len(r.Files()) != 4 {
		t.Fatalf("files %v, want the companion and 3 TIFFs", r.Files())
	}
	for z := 0; z < 3; z++ {
		p, err := r.ReadPlane(0, 0, z, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !samePlane(p, synth(pixel.Uint16, 20, 10, z, 0, 0)) {
			t.Fatalf("plane z=%d does not come from the file carrying its UUID", z)
		}
	}
}

// A file of the set that is truly gone is still a clear error.
func TestOpenCompanionMissingTIFF(t *testing.T) {
	dir := t.TempDir()
	u := writeSynthetic(t, filepath.Join(dir, "one.ome.tif"), 1, 1, 0)
	xml := `<OME UUID="urn:uuid:00000000-0000-0000-0000-000000000002"><Image ID="Image:0"><Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint16" SizeX="20" SizeY="10" SizeZ="2" SizeC="1" SizeT="1">` +
		`<TiffData FirstZ="0" PlaneCount="1"><UUID FileName="one.ome.tif">` + u + `</UUID></TiffData>` +
		`<TiffData FirstZ="1" PlaneCount="1"><UUID FileName="two.ome.tif">urn:uuid:00000000-0000-0000-0000-0000000000ff</UUID></TiffData>` +
		`</Pixels></Image></OME>`
	companion := filepath.Join(dir, "x.companion.ome")
	if err := os.WriteFile(companion, []byte(xml), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(companion)
	if err == nil || !strings.Contains(err.Error(), `"two.ome.tif" of the set is missing`) {
		t.Fatalf("want a missing-file error, got %v", err)
	}
}

// copyFile copies a real file into a test's temporary folder under a new
// name (the real data is never modified or copied into the repository).
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// Real Bio-Formats OME-TIFFs renamed: the dimensions are those the data's
// README gives for the files under their original names.
func TestOpenRealOMETIFFRenamed(t *testing.T) {
	src := filepath.Join(realdata.Dir(t), "ome-tiff")
	cases := []struct {
		rel            string
		x, y, z, c, tt int
	}{
		{"ome-artificial/multi-channel-z-series.ome.tif", 439, 167, 5, 3, 1},
		{"ome-artificial/4D-series.ome.tif", 439, 167, 5, 1, 7},
		{"aicsimageio/s_1_t_1_c_1_z_1.ome.tiff", 475, 325, 1, 1, 1},
	}
	for _, tc := range cases {
		dst := filepath.Join(t.TempDir(), "renamed.ome.tif")
		copyFile(t, filepath.Join(src, tc.rel), dst)
		r, err := Open(dst)
		if err != nil {
			t.Errorf("%s renamed: %v", tc.rel, err)
			continue
		}
		s := r.Series()[0]
		if s.SizeX != tc.x || s.SizeY != tc.y || s.SizeZ != tc.z || s.SizeC != tc.c || s.SizeT != tc.tt {
			t.Errorf("%s renamed: got %dx%d z%d c%d t%d", tc.rel, s.SizeX, s.SizeY, s.SizeZ, s.SizeC, s.SizeT)
		}
		if _, err := r.ReadPlane(0, 0, s.SizeZ-1, s.SizeC-1, s.SizeT-1); err != nil {
			t.Errorf("%s renamed: last plane: %v", tc.rel, err)
		}
		r.Close()
	}
}

// The OME multi-file sample with two TIFFs' names swapped and its companion
// renamed: every Z plane still comes from the file carrying its UUID.
func TestOpenRealMultifileRenamed(t *testing.T) {
	src := filepath.Join(realdata.Dir(t), "ome-tiff", "ome-multifile")
	dir := t.TempDir()
	names := map[string]string{
		"multifile-Z1.ome.tiff":   "multifile-Z1.ome.tiff",
		"multifile-Z2.ome.tiff":   "multifile-Z4.ome.tiff", // swapped
		"multifile-Z4.ome.tiff":   "multifile-Z2.ome.tiff",
		"multifile-Z3.ome.tiff":   "third plane.ome.tiff",
		"multifile-Z5.ome.tiff":   "multifile-Z5.ome.tiff",
		"multifile.companion.ome": "renamed.companion.ome",
	}
	for from, to := range names {
		copyFile(t, filepath.Join(src, from), filepath.Join(dir, to))
	}
	for _, open := range []string{"renamed.companion.ome", "third plane.ome.tiff"} {
		r, err := Open(filepath.Join(dir, open))
		if err != nil {
			t.Fatalf("open %s: %v", open, err)
		}
		s := r.Series()[0]
		if s.SizeX != 18 || s.SizeY != 24 || s.SizeZ != 5 || s.SizeC != 1 || s.SizeT != 1 {
			t.Fatalf("%s: got %dx%d z%d c%d t%d, want 18x24 z5", open, s.SizeX, s.SizeY, s.SizeZ, s.SizeC, s.SizeT)
		}
		if len(r.Files()) != 6 {
			t.Fatalf("%s: files %v", open, r.Files())
		}
		orig, err := Open(filepath.Join(src, "multifile.companion.ome"))
		if err != nil {
			t.Fatal(err)
		}
		for z := 0; z < 5; z++ {
			got, err := r.ReadPlane(0, 0, z, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			want, err := orig.ReadPlane(0, 0, z, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if !samePlane(got, want) {
				t.Errorf("%s: plane z=%d differs from the original set's", open, z)
			}
		}
		orig.Close()
		r.Close()
	}
}

// A renamed OME-TIFF whose root element carries no UUID (some writers give
// UUIDs only in TiffData): its stale FileName means the file itself.
func TestOpenRenamedOMETIFFWithoutRootUUID(t *testing.T) {
	path := filepath.Join(t.TempDir(), "renamed.ome.tif")
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := tiff.NewWriter(fh, tiff.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	desc := `<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06"><Image ID="Image:0"><Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint16" SizeX="20" SizeY="10" SizeZ="2" SizeC="1" SizeT="1">` +
		`<TiffData IFD="0" PlaneCount="2"><UUID FileName="original.ome.tif">urn:uuid:6b1d3c0e-0000-4000-8000-000000000042</UUID></TiffData></Pixels></Image></OME>`
	for z := 0; z < 2; z++ {
		d := ""
		if z == 0 {
			d = desc
		}
		if err := w.WriteIFD(synth(pixel.Uint16, 20, 10, z, 0, 0), d, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	fh.Close()
	r, err := Open(path)
	if err != nil {
		t.Fatalf("a renamed OME-TIFF without a root UUID must open: %v", err)
	}
	defer r.Close()
	p, err := r.ReadPlane(0, 0, 1, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !samePlane(p, synth(pixel.Uint16, 20, 10, 1, 0, 0)) {
		t.Fatal("plane z=1 holds other pixels")
	}
}

// An OME-TIFF without a root UUID whose XML names a second, missing file is
// an error, not planes read from the wrong file.
func TestOpenOMETIFFWithoutRootUUIDMissingOtherFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "first.ome.tif")
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := tiff.NewWriter(fh, tiff.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	desc := `<OME><Image ID="Image:0"><Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint16" SizeX="20" SizeY="10" SizeZ="2" SizeC="1" SizeT="1">` +
		`<TiffData FirstZ="0" IFD="0" PlaneCount="1"><UUID FileName="first.ome.tif">urn:uuid:6b1d3c0e-0000-4000-8000-000000000001</UUID></TiffData>` +
		`<TiffData FirstZ="1" IFD="0" PlaneCount="1"><UUID FileName="second.ome.tif">urn:uuid:6b1d3c0e-0000-4000-8000-000000000002</UUID></TiffData></Pixels></Image></OME>`
	if err := w.WriteIFD(synth(pixel.Uint16, 20, 10, 0, 0, 0), desc, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	fh.Close()
	_, err = Open(path)
	if err == nil || !strings.Contains(err.Error(), `"second.ome.tif" of the set is missing`) {
		t.Fatalf("want a missing-file error, got %v", err)
	}
}
