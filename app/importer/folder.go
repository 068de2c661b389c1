package importer

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// expandFiles turns a reader's file list into individual files: a directory
// format (Zarr) contributes every file below it.
//
// What is copied must be what the reader reads, or the repository would
// keep an image whose statistics, thumbnail and settings came from bytes it
// does not hold. Readers follow links, so a folder is refused when a link
// inside it leads out of it (its content belongs to someone else's folder),
// to a folder (which could loop), to nothing, or when it holds anything
// that is not a file or a folder. A link to a file inside the folder is
// copied as that file's content.
func expandFiles(files []string) ([]string, error) {
	var out []string
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return nil, describeStatError(err)
		}
		if !st.IsDir() {
			out = append(out, f)
			continue
		}
		below, err := expandFolder(f)
		if err != nil {
			return nil, err
		}
		out = append(out, below...)
	}
	return out, nil
}

// expandFolder lists the files below dir, in name order, refusing the
// entries described at expandFiles with a sentence that names them.
func expandFolder(dir string) ([]string, error) {
	realDir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, describeStatError(err)
	}
	var out []string
	refuse := func(p, why string) error {
		rel, _ := filepath.Rel(dir, p)
		return errString(fmt.Sprintf("%s in the folder %s %s", filepath.ToSlash(rel), filepath.Base(dir), why))
	}
	var walk func(d string) error
	walk = func(d string) error {
		entries, err := os.ReadDir(d)
		if err != nil {
			return describeStatError(err)
		}
		for _, e := range entries {
			p := filepath.Join(d, e.Name())
			switch t := e.Type(); {
			case t.IsRegular():
				out = append(out, p)
			case t.IsDir():
				if err := walk(p); err != nil {
					return err
				}
			case t&fs.ModeSymlink != 0:
				target, err := filepath.EvalSymlinks(p)
				if err != nil {
					return refuse(p, "is a link to a file that does not exist; remove the link or put the file in its place, and import again")
				}
				if !strings.HasPrefix(target, realDir+string(filepath.Separator)) {
					return refuse(p, fmt.Sprintf("is a link to %s, outside the folder; Ocular imports only what is inside the folder it imports: replace the link with a copy of the file, and import again", target))
				}
				st, err := os.Stat(target)
				if err != nil {
					return describeStatError(err)
				}
				if st.IsDir() {
					return refuse(p, "is a link to a folder; replace the link with the folder itself, and import again")
				}
				if !st.Mode().IsRegular() {
					return refuse(p, "is a link to something that is not a file; remove it, and import again")
				}
				out = append(out, p)
			default:
				return refuse(p, "is not a file or a folder (a pipe, socket or device); remove it, and import again")
			}
		}
		return nil
	}
	if err := walk(dir); err != nil {
		return nil, err
	}
	return out, nil
}
