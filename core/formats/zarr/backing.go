package zarr

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Zarr lets an array omit chunks that hold only the fill value, so three
// small JSON files can claim an image of any size. An image Ocular imports
// is read whole (statistics, thumbnail, pyramid), so an array is accepted
// only when its stored chunks back what it claims:
//   - the chunks it leaves out may add up to maxFillBytes (and
//     maxFreeMissingChunks), or it must store at least one chunk in
//     minStoredFraction: sparse arrays written without their empty chunks
//     pass, a shape that no chunk backs does not;
//   - its chunk files must hold at least 1/maxExpansion of what it claims
//     beyond maxFillBytes, so a few tiny chunks that inflate enormously
//     (compression bombs) cannot stand for terabytes either.
//
// Both are checked at Open, in the time it takes to list the chunks until
// enough are found.
const (
	maxFillBytes      = 256 << 20
	minStoredFraction = 16
	// maxFreeMissingChunks bounds the missing chunks allowed without the
	// fraction rule: each costs a file lookup per read, so tiny chunks of a
	// big fill-value image would take minutes to read even if small.
	maxFreeMissingChunks = 1 << 16
	// maxExpansion is well above what compressors reach on images (LZ4 and
	// blosc stop at 255, zlib at 1032); only chunks of nothing but one value
	// compressed with zstd go beyond it.
	maxExpansion = 4096
	// maxChannels bounds the channel axis: every channel becomes rows,
	// rendering settings and statistics in the repository.
	maxChannels = 1 << 14
)

// gridChunks is the number of chunks of the array's chunk grid, saturating
// at 1<<62.
func (a *Array) gridChunks() int64 {
	n := int64(1)
	for d := range a.Shape {
		k := int64((a.Shape[d] + a.Chunks[d] - 1) / a.Chunks[d])
		if k == 0 {
			return 0
		}
		if n > (1<<62)/k {
			return 1 << 62
		}
		n *= k
	}
	return n
}

// checkBacked refuses an array that its stored chunks do not back (see
// the rules above). It lists chunk files only until enough are found, so a
// dense array is accepted after a fraction of its listing.
func (a *Array) checkBacked() error {
	grid := a.gridChunks()
	chunk := int64(a.ChunkBytes())
	claimed := float64(grid) * float64(chunk)
	freeMissing := min(int64(maxFillBytes)/chunk, maxFreeMissingChunks)
	needFiles := min(grid-freeMissing, (grid+minStoredFraction-1)/minStoredFraction)
	needBytes := int64(0)
	if claimed > maxFillBytes {
		needBytes = int64(min((claimed-maxFillBytes)/maxExpansion+1, 1<<62))
	}
	if needFiles <= 0 && needBytes <= 0 {
		return nil
	}
	files, size, err := countChunkFiles(a.Dir, needFiles, needBytes)
	if err != nil {
		return err
	}
	switch {
	case files < needFiles:
		return fmt.Errorf("its shape %v claims %s of pixels but only %d of its %d chunks are stored, so almost all of it would be the fill value; Ocular does not import images made of missing chunks beyond %d MiB: give the array its real shape, or write its empty chunks",
			a.Shape, byteSize(claimed), files, grid, maxFillBytes>>20)
	case size < needBytes:
		return fmt.Errorf("its shape %v claims %s of pixels but its chunk files hold only %s, so they would expand more than %d times; Ocular does not import such images: give the array its real shape, or store it with lighter compression",
			a.Shape, byteSize(claimed), byteSize(float64(size)), maxExpansion)
	}
	return nil
}

// countChunkFiles counts the non-metadata entries below dir that are not
// directories and adds up their sizes, stopping once both reach their
// limits. Directories are read a batch at a time, so a folder of a million
// chunks is never listed in memory at once.
func countChunkFiles(dir string, needFiles, needBytes int64) (files, size int64, err error) {
	enough := func() bool { return files >= needFiles && size >= needBytes }
	var walk func(d string, depth int) error
	walk = func(d string, depth int) error {
		if depth > maxDims+2 {
			return nil
		}
		f, err := os.Open(d)
		if err != nil {
			return err
		}
		defer f.Close()
		for !enough() {
			ents, err := f.ReadDir(1024)
			for _, e := range ents {
				if enough() {
					return nil
				}
				switch name := e.Name(); {
				case name == "zarr.json" || name == ".zarray" || name == ".zattrs" || name == ".zgroup":
				case e.IsDir():
					if err := walk(filepath.Join(d, name), depth+1); err != nil {
						return err
					}
				default:
					files++
					if needBytes > 0 {
						// A link (an in-place import keeps links to the
						// original chunks) counts as the file it leads to.
						info, err := e.Info()
						if err == nil && info.Mode()&fs.ModeSymlink != 0 {
							info, err = os.Stat(filepath.Join(d, name))
						}
						if err == nil {
							size += info.Size()
						}
					}
				}
			}
			if err == io.EOF || len(ents) == 0 {
				break
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
	err = walk(dir, 0)
	return files, size, err
}

// byteSize renders a byte count for messages ("3.2 TiB").
func byteSize(b float64) string {
	units := []string{"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	i := 0
	for b >= 1024 && i < len(units)-1 {
		b /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%.0f bytes", b)
	}
	if i == len(units)-1 && b >= 1024 {
		return "more than 1024 EiB"
	}
	return fmt.Sprintf("%.1f %s", b, units[i])
}
