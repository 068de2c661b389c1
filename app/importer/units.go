package importer

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// unit is one thing to import: a file, or a directory-format image such as
// an OME-Zarr. Files that another unit's reader claims (the other parts of a
// multi-file OME-TIFF) are skipped when met later.
type unit struct {
	path string // absolute
	// folder is the directory the unit was found in, for --folder-as-dataset.
	folder string
}

// isDirImage reports whether dir is itself an image (an OME-Zarr).
func isDirImage(dir string) bool {
	if strings.HasSuffix(strings.ToLower(strings.TrimRight(dir, "/")), ".zarr") {
		return true
	}
	for _, marker := range []string{".zattrs", ".zgroup", "zarr.json"} {
		if _, err := os.Stat(filepath.Join(dir, marker)); err == nil {
			return true
		}
	}
	return false
}

// discover expands the user's paths into import units, in a stable order.
// Hidden files and files the supported() check rejects inside folders are
// skipped (a folder of TIFFs may hold notes and spreadsheets); a file named
// explicitly is always tried, so an unsupported one gets a clear error.
func discover(paths []string, supported func(string) bool) ([]unit, []error) {
	var units []unit
	var errs []error
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
		if !st.IsDir() || isDirImage(abs) {
			units = append(units, unit{path: abs, folder: filepath.Dir(abs)})
			continue
		}
		var found []unit
		err = filepath.WalkDir(abs, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, &fileError{path: path, err: describeStatError(err)})
				return nil
			}
			name := d.Name()
			if path != abs && strings.HasPrefix(name, ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if path != abs && isDirImage(path) {
					found = append(found, unit{path: path, folder: filepath.Dir(path)})
					return filepath.SkipDir
				}
				return nil
			}
			if supported == nil || supported(path) {
				found = append(found, unit{path: path, folder: filepath.Dir(path)})
			}
			return nil
		})
		if err != nil {
			errs = append(errs, &fileError{path: p, err: err})
		}
		sort.Slice(found, func(i, j int) bool { return found[i].path < found[j].path })
		units = append(units, found...)
	}
	return units, errs
}

func describeStatError(err error) error {
	switch {
	case os.IsNotExist(err):
		return errString("the file does not exist; check the path")
	case os.IsPermission(err):
		return errString("the file cannot be read (permission denied); check its permissions")
	}
	return err
}

type errString string

func (e errString) Error() string { return string(e) }

// fileError is a failure of one file of a batch.
type fileError struct {
	path string
	err  error
}

func (e *fileError) Error() string { return e.path + ": " + e.err.Error() }
func (e *fileError) Unwrap() error { return e.err }
