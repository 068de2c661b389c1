package importer_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats/detect"
)

// writeSparseZarrPlate writes an NGFF 0.4 plate whose only well is B3 (one
// row "B", one column "03", so rowIndex and columnIndex 0) with one field
// translated to (x 250, y 40) µm.
func writeSparseZarrPlate(t *testing.T) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "sparse.zarr")
	files := map[string]string{
		".zgroup":          `{"zarr_format":2}`,
		".zattrs":          `{"plate":{"version":"0.4","name":"sparse","rows":[{"name":"B"}],"columns":[{"name":"03"}],"wells":[{"path":"B/03","rowIndex":0,"columnIndex":0}],"field_count":1}}`,
		"B/03/.zattrs":     `{"well":{"version":"0.4","images":[{"path":"0"}]}}`,
		"B/03/0/.zattrs":   `{"multiscales":[{"version":"0.4","axes":[{"name":"y","type":"space","unit":"micrometer"},{"name":"x","type":"space","unit":"micrometer"}],"datasets":[{"path":"0","coordinateTransformations":[{"type":"scale","scale":[1,1]},{"type":"translation","translation":[40,250]}]}]}]}`,
		"B/03/0/0/.zarray": `{"zarr_format":2,"shape":[4,4],"chunks":[4,4],"dtype":"|u1","compressor":null,"fill_value":0,"order":"C","filters":null}`,
		"B/03/0/0/0.0":     string([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}),
	}
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// The plate's only well is B3 in the tree (it was A1), and its field keeps
// its position.
func TestSparseZarrPlateImportsItsWellAtB3(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cfg := f.config()
	cfg.Open, cfg.Supported = detect.Open, detect.Supported
	sum, err := importer.Run(ctx, cfg, []string{writeSparseZarrPlate(t)}, importer.Options{}, nil)
	if err != nil || len(sum.Results) != 1 || sum.Results[0].Error != "" {
		t.Fatalf("import: %v %+v", err, sum.Results)
	}
	plates, err := f.sess.List(ctx, core.Plate, core.AnyID, core.AnyID)
	if err != nil || len(plates) != 1 {
		t.Fatalf("plates %v %v", plates, err)
	}
	wells, err := f.sess.Browse(ctx, core.BrowseRequest{Group: f.group, Owner: core.AnyID, Parent: plates[0].Ref})
	if err != nil || len(wells) != 1 {
		t.Fatalf("wells %v %v", wells, err)
	}
	if name := wells[0].DisplayName(); name != "B3" {
		t.Errorf("the only well is named %q, want B3", name)
	}
	if r, c := plates[0].AttrInt("rows"), plates[0].AttrInt("columns"); r < 2 || c < 3 {
		t.Errorf("the plate is %d×%d, too small to hold B3", r, c)
	}
	samples, err := f.sess.List(ctx, core.WellSample, core.AnyID, core.AnyID)
	if err != nil || len(samples) != 1 {
		t.Fatalf("well samples %v %v", samples, err)
	}
	if x, y := samples[0].Attrs["positionX"], samples[0].Attrs["positionY"]; x != 250.0 || y != 40.0 {
		t.Errorf("the field's position is (%v, %v), want (250, 40) µm", x, y)
	}
}
