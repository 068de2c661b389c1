package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/diskmode"
)

// Transfer modes, as in OMERO's in-place import.
const (
	Copy     = "copy"
	Hardlink = "hardlink"
	Symlink  = "symlink" // the data stays where it is; the repository links to it
)

// placed is one file put into the managed repository.
type placed struct {
	entry core.FilesetEntry
	abs   string // absolute path in the managed repository
}

// commonRoot is the deepest directory holding every file.
func commonRoot(files []string) string {
	root := filepath.Dir(files[0])
	for _, f := range files[1:] {
		for !strings.HasPrefix(f, root+string(filepath.Separator)) && root != "/" {
			root = filepath.Dir(root)
		}
	}
	return root
}

// transfer places files into dir (absolute, inside the managed repository)
// keeping their layout relative to their common root, and returns the
// fileset entries with checksums. On error it removes what it placed.
// Copies are fsynced one by one when syncEach is set; otherwise the caller
// makes them durable (syncFS) before registering them.
func transfer(ctx context.Context, files []string, managed, dir, mode string, syncEach bool, progress func(int64)) (out []placed, err error) {
	defer func() {
		if err != nil {
			for _, p := range out {
				os.Remove(p.abs)
			}
			removeEmptyParents(dir, managed)
		}
	}()
	root := commonRoot(files)
	if len(files) == 1 {
		root = filepath.Dir(files[0])
	}
	for _, src := range files {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		rel, err := filepath.Rel(root, src)
		if err != nil || strings.HasPrefix(rel, "..") {
			return out, fmt.Errorf("cannot place %s relative to %s", src, root)
		}
		dst := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), diskmode.Dir()); err != nil {
			return out, diskError(err)
		}
		// A link (to a file inside the folder, see expandFiles) is placed
		// as the file it leads to: a hard link or a symlink to a relative
		// link would lead elsewhere once in the repository.
		from := src
		if st, err := os.Lstat(src); err == nil && st.Mode()&fs.ModeSymlink != 0 {
			if from, err = filepath.EvalSymlinks(src); err != nil {
				return out, describeStatError(err)
			}
		}
		size, sum, used, err := place(ctx, from, dst, mode, syncEach, progress)
		if err != nil {
			return out, err
		}
		repoRel, _ := filepath.Rel(managed, dst)
		out = append(out, placed{abs: dst, entry: core.FilesetEntry{ClientPath: src, RepoPath: filepath.ToSlash(repoRel),
			Size: size, SHA256: sum, Transfer: used}})
	}
	return out, nil
}

// place puts one file at dst and returns its size, checksum and the
// transfer actually used (a hard link across file systems becomes a copy).
func place(ctx context.Context, src, dst, mode string, syncEach bool, progress func(int64)) (int64, string, string, error) {
	var size int64
	var sum string
	var err error
	switch mode {
	case Hardlink:
		if lerr := os.Link(src, dst); lerr != nil {
			// Another file system: fall back to a copy rather than fail.
			if !errors.Is(lerr, syscall.EXDEV) {
				return 0, "", "", diskError(lerr)
			}
			size, sum, err = copyFile(ctx, src, dst, syncEach, progress)
			return size, sum, Copy, err
		}
		size, sum, err = hashFile(ctx, src, progress)
	case Symlink:
		if lerr := os.Symlink(src, dst); lerr != nil {
			return 0, "", "", diskError(lerr)
		}
		size, sum, err = hashFile(ctx, src, progress)
	default:
		size, sum, err = copyFile(ctx, src, dst, syncEach, progress)
		mode = Copy
	}
	return size, sum, mode, err
}

// copyBufSize is the chunk a transfer reads at once: big enough that the
// system calls cost little next to the bytes (a 32 KiB io.Copy spends a
// third of an import of uncompressed TIFFs on a fast disk in read and
// write calls), small enough to stay in the CPU's cache while it is
// written and hashed.
const copyBufSize = 1 << 20

var copyBufs = sync.Pool{New: func() any { b := make([]byte, copyBufSize); return &b }}

// stream reads src to its end in copyBufSize chunks, passing each to the
// SHA-256, to out when not nil, and to progress; it stops at the next
// chunk once ctx has ended.
func stream(ctx context.Context, src io.Reader, out io.Writer, progress func(int64)) (int64, string, error) {
	bp := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(bp)
	buf := *bp
	h := sha256.New()
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return n, "", err
		}
		k, rerr := io.ReadFull(src, buf)
		if k > 0 {
			if out != nil {
				if _, err := out.Write(buf[:k]); err != nil {
					return n, "", err
				}
			}
			h.Write(buf[:k])
			n += int64(k)
			if progress != nil {
				progress(int64(k))
			}
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			return n, hex.EncodeToString(h.Sum(nil)), nil
		}
		if rerr != nil {
			return n, "", rerr
		}
	}
}

func copyFile(ctx context.Context, src, dst string, syncEach bool, progress func(int64)) (int64, string, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, "", describeStatError(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, diskmode.File())
	if err != nil {
		return 0, "", diskError(err)
	}
	n, sum, err := stream(ctx, in, out, progress)
	if err == nil && syncEach {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
		if ctx.Err() != nil {
			return 0, "", ctx.Err()
		}
		return 0, "", diskError(err)
	}
	return n, sum, nil
}

func hashFile(ctx context.Context, path string, progress func(int64)) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", describeStatError(err)
	}
	defer f.Close()
	n, sum, err := stream(ctx, f, nil, progress)
	if err != nil {
		return 0, "", err
	}
	return n, sum, nil
}

// diskError explains the failures users can fix.
func diskError(err error) error {
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return errString("the disk holding the repository is full; free some space and import again")
	case errors.Is(err, syscall.EROFS):
		return errString("the repository is on a read-only file system")
	case os.IsPermission(err):
		return errString("the repository folder cannot be written (permission denied)")
	}
	return err
}

// removeEmptyParents removes dir and its empty parents up to (not including) stop.
func removeEmptyParents(dir, stop string) {
	os.RemoveAll(dir)
	for p := filepath.Dir(dir); strings.HasPrefix(p, stop+string(filepath.Separator)); p = filepath.Dir(p) {
		if os.Remove(p) != nil {
			return
		}
	}
}
