package demo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/ocular-lab/ocular/app/demo/synth"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/formats/tiff"
)

// masterFile is one file of the written set, with what registration needs.
type masterFile struct {
	path   string // absolute, in the staging folder
	size   int64
	sha256 string
}

// writeSet writes every file of the catalog once into dir, using all cores.
// The files are then hard-linked into each user's fileset folders.
func writeSet(ctx context.Context, dir string, cat []filesetSpec, acquired time.Time) (map[string]masterFile, error) {
	type job struct{ spec imageSpec }
	var jobs []job
	for _, fs := range cat {
		for _, im := range fs.images {
			jobs = append(jobs, job{im})
		}
	}
	plateFS := cat[len(cat)-1]
	fplate, _ := plateLayout(plateFS, acquired)

	out := make(map[string]masterFile, len(jobs))
	var mu sync.Mutex
	var firstErr error
	next := make(chan job)
	var wg sync.WaitGroup
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				mf, err := writeImage(dir, j.spec, fplate, acquired)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				out[j.spec.file] = mf
				mu.Unlock()
			}
		}()
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		next <- j
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if firstErr != nil {
		return nil, firstErr
	}
	for _, fs := range cat {
		if fs.plate {
			mf, err := writeCompanion(dir, fs, acquired)
			if err != nil {
				return nil, fmt.Errorf("writing the plate's companion file: %w", err)
			}
			out[companionName] = mf
		}
	}
	return out, nil
}

// writeImage renders one image and writes it as an OME-TIFF.
func writeImage(dir string, spec imageSpec, plate *formats.Plate, acquired time.Time) (masterFile, error) {
	f, err := synth.New(spec.synthSpec())
	if err != nil {
		return masterFile{}, err
	}
	p := filepath.Join(dir, spec.file)
	var pl *formats.Plate
	if spec.well != nil {
		pl = plate
	}
	// Horizontal differencing halves the size of smooth fluorescence data.
	opts := ome.WriteOptions{Predictor: tiff.PredictorHorizontal, Creator: "Ocular training demo"}
	if err := ome.WriteTIFF(p, spec.series(acquired), pl, f.Plane, opts); err != nil {
		return masterFile{}, fmt.Errorf("writing the training image %s: %w", spec.file, err)
	}
	return hashFile(p)
}

func hashFile(p string) (masterFile, error) {
	fh, err := os.Open(p)
	if err != nil {
		return masterFile{}, err
	}
	defer fh.Close()
	h := sha256.New()
	n, err := io.Copy(h, fh)
	if err != nil {
		return masterFile{}, err
	}
	return masterFile{path: p, size: n, sha256: hex.EncodeToString(h.Sum(nil))}, nil
}
