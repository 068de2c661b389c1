package importer_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/pyramid"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/internal/hostile"
)

// stopOnCopy cancels the import as soon as a file's bytes are copied: the
// hostile files below must be refused before that, and a regression then
// ends with "canceled" instead of building a pyramid of 10^12 pixels.
type stopOnCopy struct {
	once   sync.Once
	cancel context.CancelFunc
}

func (s *stopOnCopy) Report(e importer.Event) {
	if e.Type == importer.EventBytes {
		s.once.Do(s.cancel)
	}
}

func TestHostileFilesAreRefusedBeforeImportInBoundedMemory(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		data       []byte
		opts       importer.Options
		want       string
	}{
		// 10^6 × 10^6 pixels in sparse strips: a few KB of file.
		{"huge sparse TIFF", "huge.tif", hostile.HugeSparseTIFF(1_000_000, 1_000_000, 4096), importer.Options{}, "larger than the 2147483648 pixels"},
		{"huge sparse TIFF, no statistics", "huge.tif", hostile.HugeSparseTIFF(1_000_000, 1_000_000, 4096), importer.Options{SkipMinMax: true}, "larger than the 2147483648 pixels"},
		// 20000 × 20000 pixels (under the plane limit) in sparse strips:
		// more pixels than a few KB of file can hold.
		{"sparse TIFF", "sparse.tif", hostile.HugeSparseTIFF(20000, 20000, 1024), importer.Options{}, "pixels per byte"},
		// A 32 KB zstd strip inflating to 1 GiB.
		{"zstd bomb", "bomb.tif", hostile.ZstdBombTIFF(32768, 32768), importer.Options{}, "smaller strips or tiles"},
		// images=2^63-1 in a one-page ImageJ file.
		{"ImageJ images=2^63-1", "stack.tif", hostile.ImageJTIFF("9223372036854775807"), importer.Options{SkipMinMax: true}, "holds 1 IFDs"},
		{"OME-TIFF of 2^28 channels", "claims.ome.tif", hostile.OMEChannelsTIFF(1, 1<<28), importer.Options{}, "channels"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			path := hostile.Write(t, tc.file, tc.data)
			cfg := f.config()
			cfg.Open = detect.Open
			cfg.Pyramids = pyramid.ForRepository(f.repoDir)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var sum importer.Summary
			alloc := hostile.Allocated(func() {
				sum, _ = importer.Run(ctx, cfg, []string{path}, tc.opts, &stopOnCopy{cancel: cancel})
			})
			if len(sum.Results) != 1 || !strings.Contains(sum.Results[0].Error, tc.want) {
				t.Fatalf("results = %+v, want one failure saying %q", sum.Results, tc.want)
			}
			if alloc > 128<<20 {
				t.Errorf("refusing the file allocated %d MiB", alloc>>20)
			}
			imgs, err := f.sess.List(context.Background(), core.Image, core.AnyID, core.AnyID)
			if err != nil || len(imgs) != 0 {
				t.Errorf("images after a refused import: %v (%v)", imgs, err)
			}
		})
	}
}

// The refusals are sentences that say what to do, and tell a file over the
// budget from a damaged one.
func TestRefusalOfAHugePlaneIsAClearSentence(t *testing.T) {
	err := formats.CheckStreamedPlane(1_000_000, 1_000_000, 1)
	if !errors.Is(err, formats.ErrTooLarge) {
		t.Fatalf("error = %v, want ErrTooLarge", err)
	}
	msg := err.Error()
	if strings.Contains(strings.ReplaceAll(msg, "e.g. ", ""), ". ") || !strings.Contains(msg, "convert the file") || strings.Contains(msg, "\n") {
		t.Errorf("refusal %q is not one sentence saying what to do", msg)
	}
}
