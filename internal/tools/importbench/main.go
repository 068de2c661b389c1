// Command importbench measures the import pipeline against its anchors, side
// by side in one run (issue 3 §4):
//
//   - importing a folder of N uncompressed 2048x2048 uint16 single-plane TIFFs
//     (copy transfer, statistics, 96 px thumbnails) against `cp -r` of the same
//     folder, and against `vipsthumbnail` making 96 px thumbnails of the same files;
//   - the peak memory (max RSS) of importing one large multi-plane OME-TIFF.
//
// The data is generated with Ocular's own TIFF writer. Run it with
// `make bench-import` (it builds ocular-cli first).
//
//	go run ./internal/tools/importbench -cli bin/ocular-cli [-n 100] [-big-gb 2] [-dir /tmp/x]
package main

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/formats/tiff"
	"github.com/ocular-lab/ocular/core/pixel"
)

func main() {
	cli := flag.String("cli", "bin/ocular-cli", "the ocular-cli binary")
	n := flag.Int("n", 100, "number of 2048x2048 uint16 TIFFs")
	bigGB := flag.Float64("big-gb", 2, "size of the multi-plane OME-TIFF for the memory test (0 to skip)")
	dir := flag.String("dir", "", "work folder (default: a temporary one, removed afterwards)")
	runs := flag.Int("runs", 3, "repetitions; the best time of each is reported")
	flag.Parse()
	work := *dir
	if work == "" {
		var err error
		if work, err = os.MkdirTemp("", "importbench-"); err != nil {
			fail(err)
		}
		defer os.RemoveAll(work)
	}
	src := filepath.Join(work, "tiffs")
	fmt.Printf("generating %d uncompressed 2048x2048 uint16 TIFFs in %s\n", *n, src)
	if err := generateTIFFs(src, *n); err != nil {
		fail(err)
	}

	var cp, vips, imp time.Duration
	var impRSS int64
	for r := 0; r < *runs; r++ {
		os.RemoveAll(filepath.Join(work, "cp"))
		os.RemoveAll(filepath.Join(work, "thumbs"))
		os.RemoveAll(filepath.Join(work, "repo"))
		dropCaches(src)
		d, _ := timed("cp", "-r", src, filepath.Join(work, "cp"))
		cp = best(cp, d)
		os.MkdirAll(filepath.Join(work, "thumbs"), 0o755)
		files, _ := filepath.Glob(filepath.Join(src, "*.tif"))
		d, _ = timed("vipsthumbnail", append([]string{"--size", "96", "-o", filepath.Join(work, "thumbs", "%s.png")}, files...)...)
		vips = best(vips, d)
		repo := filepath.Join(work, "repo")
		must(exec.Command(*cli, "--repo", repo, "init", "--root-password", "bench").Run())
		d, rss := timed(*cli, "--repo", repo, "-u", "root", "-w", "bench", "import", "--transfer", "copy", src)
		imp, impRSS = best(imp, d), rss
	}
	fmt.Printf("\n%-44s %10s %8s\n", "", "best of "+fmt.Sprint(*runs), "ratio")
	fmt.Printf("%-44s %10s %8s\n", "cp -r (anchor)", ms(cp), "1.00")
	fmt.Printf("%-44s %10s %8.2f\n", "vipsthumbnail --size 96 (anchor)", ms(vips), float64(vips)/float64(cp))
	fmt.Printf("%-44s %10s %8.2f  (target <= 2.5x cp; vs vips %.2f, target <= 0.6)\n", "ocular-cli import (copy, stats, thumbnails)", ms(imp), float64(imp)/float64(cp), float64(imp)/float64(vips))
	fmt.Printf("ocular-cli import max RSS: %d MB\n", impRSS/1024)

	if *bigGB > 0 {
		big := filepath.Join(work, "big.ome.tiff")
		planes := int(*bigGB * (1 << 30) / (2048 * 2048 * 2))
		fmt.Printf("\ngenerating a %.1f GB OME-TIFF (%d planes of 2048x2048 uint16)\n", *bigGB, planes)
		if err := generateBig(big, planes); err != nil {
			fail(err)
		}
		repo := filepath.Join(work, "repo-big")
		os.RemoveAll(repo)
		must(exec.Command(*cli, "--repo", repo, "init", "--root-password", "bench").Run())
		d, rss := timed(*cli, "--repo", repo, "-u", "root", "-w", "bench", "import", big)
		fmt.Printf("import of the %.1f GB OME-TIFF: %s, max RSS %d MB (target < 300 MB)\n", *bigGB, ms(d), rss/1024)
	}
}

func generateTIFFs(dir string, n int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	rng := rand.New(rand.NewSource(1))
	p, _ := pixel.NewPlane(pixel.Uint16, 2048, 2048)
	for i := range p.Data {
		p.Data[i] = byte(rng.Intn(256) & 0x3f)
	}
	for i := 0; i < n; i++ {
		path := filepath.Join(dir, fmt.Sprintf("plate1_%03d.tif", i))
		if _, err := os.Stat(path); err == nil {
			continue
		}
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		w, err := tiff.NewWriter(f, tiff.WriterOptions{})
		if err != nil {
			return err
		}
		p.Data[0] = byte(i)
		if err := w.WriteIFD(p, "", nil); err != nil {
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

func generateBig(path string, planes int) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	s := formats.Series{Name: "big", SizeX: 2048, SizeY: 2048, SizeZ: planes, SizeC: 1, SizeT: 1, PixelType: pixel.Uint16, DimensionOrder: "XYZCT"}
	p, _ := pixel.NewPlane(pixel.Uint16, 2048, 2048)
	for i := range p.Data {
		p.Data[i] = byte(i * 7)
	}
	return ome.WriteTIFF(path, s, nil, func(z, c, t int) (*pixel.Plane, error) { p.Data[0] = byte(z); return p, nil },
		ome.WriteOptions{Compression: tiff.CompressionNone, BigTIFF: true})
}

// dropCaches evicts nothing (that needs root and disturbs the machine); it
// warms the page cache instead by reading the sources once, so every
// contender starts from the same state.
func dropCaches(dir string) {
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && info.Mode().IsRegular() {
			b, _ := os.ReadFile(p)
			_ = b
		}
		return nil
	})
}

// timed runs a command and returns its wall time and max RSS (KB).
func timed(name string, args ...string) (time.Duration, int64) {
	cmd := exec.Command(name, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		fail(fmt.Errorf("%s failed: %v\n%s", name, err, stderr.String()))
	}
	d := time.Since(start)
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss
	}
	return d, rss
}

func best(a, b time.Duration) time.Duration {
	if a == 0 || b < a {
		return b
	}
	return a
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/1e6) }

func must(err error) {
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "importbench:", err)
	os.Exit(1)
}
