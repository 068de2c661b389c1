package importer

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ocular-lab/ocular/core/formats"
)

// Set is one entry of a desktop import queue: what the user picked or
// dropped, grouped as the CLI groups it. A folder that is not itself an
// image is one set holding the units found in it; a directory image (an
// OME-Zarr) is one set; files that one reader reads together (the
// companions of a multi-file OME-TIFF) are one set, whichever of them the
// user named.
type Set struct {
	// Paths are what to hand Run: the folder, or the file(s) named.
	Paths []string
	// Folder is set for a folder imported unit by unit.
	Folder bool
	// Units is how many import units the set holds (1 for a file).
	Units int
	// Bytes is the size of the set's files (0 when unknown), for progress.
	Bytes int64
}

// Name is the set's label: the base name of its first path.
func (s Set) Name() string {
	if len(s.Paths) == 0 {
		return ""
	}
	return filepath.Base(s.Paths[0])
}

// Sets groups paths into queue entries. A folder with nothing importable in
// it is an error that names it (and is not a set). Files are opened (their
// headers only) to learn which of them belong together; a file that cannot
// be opened is still its own set, so that importing it reports why.
func Sets(paths []string, open func(string) (formats.Reader, error), supported func(string) bool) ([]Set, []error) {
	var sets []Set
	var errs []error
	owner := map[string]int{} // a file -> the set whose reader reads it
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			errs = append(errs, &fileError{path: p, err: err})
			continue
		}
		st, err := os.Stat(abs)
		if err != nil {
			errs = append(errs, &fileError{path: p, err: describeStatError(err)})
			continue
		}
		if st.IsDir() && !isDirImage(abs) {
			units, uerrs := discover([]string{abs}, supported)
			errs = append(errs, uerrs...)
			if len(units) == 0 {
				errs = append(errs, &fileError{path: abs, err: errString(fmt.Sprintf(
					"the folder %s holds nothing Ocular can import (no OME-TIFF, TIFF, OME-Zarr, PNG or JPEG files); choose another folder", filepath.Base(abs)))})
				continue
			}
			var n int64
			for _, u := range units {
				if fi, err := os.Stat(u.path); err == nil && !fi.IsDir() {
					n += fi.Size()
				}
			}
			sets = append(sets, Set{Paths: []string{abs}, Folder: true, Units: len(units), Bytes: n})
			continue
		}
		if _, ok := owner[abs]; ok {
			continue // an earlier set's reader reads it
		}
		set := Set{Paths: []string{abs}, Units: 1}
		files := []string{abs}
		if r, err := open(abs); err == nil {
			files = r.Files()
			r.Close()
		}
		idx := len(sets)
		// A set named earlier whose file this reader reads joins this one.
		for _, f := range files {
			if j, ok := owner[f]; ok && j != idx && j >= 0 {
				set.Paths = append(set.Paths, sets[j].Paths...)
				sets[j].Units = 0 // merged; dropped below
				for k, v := range owner {
					if v == j {
						owner[k] = idx
					}
				}
			}
			owner[f] = idx
		}
		owner[abs] = idx
		if !st.IsDir() {
			set.Bytes = filesSize(files)
			if set.Bytes < 0 {
				set.Bytes = st.Size()
			}
		}
		sets = append(sets, set)
	}
	out := sets[:0]
	for _, s := range sets {
		if s.Units > 0 {
			out = append(out, s)
		}
	}
	return out, errs
}

// SetError splits an error of Sets into the path it names and the
// sentence saying what is wrong with it.
func SetError(err error) (path, sentence string) {
	if fe, ok := err.(*fileError); ok {
		return fe.path, fe.err.Error()
	}
	return "", err.Error()
}
