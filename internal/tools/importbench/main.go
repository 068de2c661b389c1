// Command importbench measures the import pipeline against its anchors, side
// by side in one run (issue 3 §4, issue 12 §3):
//
//   - importing a folder of N uncompressed 2048x2048 uint16 single-plane TIFFs
//     (copy transfer, statistics, 96 px thumbnails) against `cp -r` of the same
//     folder followed by a sync, and against `vipsthumbnail` making 96 px
//     thumbnails of the same files, on a tmpfs by default so that the disk
//     costs nothing and what the import itself costs shows;
//   - the peak memory (max RSS) of importing one large multi-plane OME-TIFF.
//
// The data is generated with Ocular's own TIFF writer. Run it with
// `make bench-import` (it builds ocular-cli first).
//
//	go run ./internal/tools/importbench -cli bin/ocular-cli [-n 100] [-runs 5] [-big-gb 2] [-dir /tmp/x]
package main

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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
	dir := flag.String("dir", "", "work folder (default: a temporary one on the tmpfs /dev/shm when there is one, removed afterwards)")
	runs := flag.Int("runs", 5, "repetitions; the median of each is reported")
	flag.Parse()
	work := *dir
	if work == "" {
		var err error
		if work, err = os.MkdirTemp(tmpfsDir(), "importbench-"); err != nil {
			fail(err)
		}
		defer os.RemoveAll(work)
	}
	src := filepath.Join(work, "tiffs")
	fmt.Printf("generating %d uncompressed 2048x2048 uint16 TIFFs in %s\n", *n, src)
	if err := generateTIFFs(src, *n); err != nil {
		fail(err)
	}

	var cp, vips, imp []time.Duration
	var cpCPU, vipsCPU, impCPU []time.Duration // user + system time: what the load of a shared machine changes least
	var impRSS int64
	for r := 0; r < *runs; r++ {
		os.RemoveAll(filepath.Join(work, "cp"))
		os.RemoveAll(filepath.Join(work, "thumbs"))
		os.RemoveAll(filepath.Join(work, "repo"))
		dropCaches(src)
		// The anchor is a copy made durable: cp -r, then a sync of the
		// file system holding the copy (sync -f), as the import fsyncs
		// what it places before registering it.
		d, _ := timed("sh", "-c", `cp -r "$1" "$2" && sync -f "$2"`, "sh", src, filepath.Join(work, "cp"))
		cp, cpCPU = append(cp, d), append(cpCPU, lastCPU)
		os.MkdirAll(filepath.Join(work, "thumbs"), 0o755)
		files, _ := filepath.Glob(filepath.Join(src, "*.tif"))
		d, _ = timed("vipsthumbnail", append([]string{"--size", "96", "-o", filepath.Join(work, "thumbs", "%s.png")}, files...)...)
		vips, vipsCPU = append(vips, d), append(vipsCPU, lastCPU)
		repo := filepath.Join(work, "repo")
		must(exec.Command(*cli, "--repo", repo, "init", "--root-password", "bench").Run())
		d, rss := timed(*cli, "--repo", repo, "-u", "root", "-w", "bench", "import", "--transfer", "copy", src)
		imp, impRSS, impCPU = append(imp, d), max(impRSS, rss), append(impCPU, lastCPU)
		fmt.Printf("run %d: cp -r + sync %s, vipsthumbnail %s, import %s (%.2fx cp, %.2fx vips)\n", r+1, ms(d2(cp)), ms(d2(vips)), ms(d),
			float64(d)/float64(d2(cp)), float64(d)/float64(d2(vips)))
	}
	mcp, mvips, mimp := median(cp), median(vips), median(imp)
	fmt.Printf("\nwork folder %s (%s), %d runs, load average before: %s\n", work, fsName(work), *runs, loadAvg())
	fmt.Printf("%-44s %10s %8s\n", "", "median", "ratio")
	fmt.Printf("%-44s %10s %8s\n", "cp -r + sync (anchor)", ms(mcp), "1.00")
	fmt.Printf("%-44s %10s %8.2f\n", "vipsthumbnail --size 96 (anchor)", ms(mvips), float64(mvips)/float64(mcp))
	fmt.Printf("%-44s %10s %8.2f\n", "ocular-cli import (copy, stats, thumbnails)", ms(mimp), float64(mimp)/float64(mcp))
	fmt.Printf("import / (cp -r + sync) = %.2f (target <= 2); import / vipsthumbnail = %.2f (target <= 0.3)\n",
		float64(mimp)/float64(mcp), float64(mimp)/float64(mvips))
	ccp, cvips, cimp := median(cpCPU), median(vipsCPU), median(impCPU)
	fmt.Printf("CPU time (user + system), medians: cp -r + sync %s, vipsthumbnail %s, import %s: import / cp %.2f, import / vips %.2f\n",
		ms(ccp), ms(cvips), ms(cimp), float64(cimp)/float64(ccp), float64(cimp)/float64(cvips))
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

// d2 is the last duration measured.
func d2(ds []time.Duration) time.Duration { return ds[len(ds)-1] }

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// tmpfsDir is /dev/shm when it is a tmpfs, where the disk costs nothing
// and the import's own work shows; else the default temporary folder.
func tmpfsDir() string {
	if fsName("/dev/shm") == "tmpfs" {
		return "/dev/shm"
	}
	return ""
}

// fsName names the file system type holding dir (tmpfs, ext4, ...).
func fsName(dir string) string {
	var st syscall.Statfs_t
	if syscall.Statfs(dir, &st) != nil {
		return "unknown"
	}
	switch st.Type {
	case 0x01021994:
		return "tmpfs"
	case 0xef53:
		return "ext4"
	case 0x58465342:
		return "xfs"
	case 0x9123683e:
		return "btrfs"
	}
	return fmt.Sprintf("file system 0x%x", st.Type)
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
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

// lastCPU is the user + system time of the last command timed.
var lastCPU time.Duration

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
	lastCPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss
	}
	return d, rss
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
