package importer

import (
	"context"
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
	"github.com/ocular-lab/ocular/core/checksum"
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
	// kept holds the file's bytes as they were copied and hashed when the
	// transfer was asked to keep them (see keeper); nil otherwise.
	kept []byte
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
// makes them durable (syncFS) before registering them. With keep set, each
// file's bytes are read into a buffer from keep and stay there (placed.kept)
// for the statistics pass; the caller gives them back.
func transfer(ctx context.Context, files []string, managed, dir, mode string, syncEach bool, keep *keeper, progress func(int64)) (out []placed, err error) {
	defer func() {
		if err != nil {
			for _, p := range out {
				os.Remove(p.abs)
				keep.put(p.kept)
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
		pl := placer{ctx: ctx, syncEach: syncEach, keep: keep, progress: progress}
		used, err := pl.place(from, dst, mode)
		if err != nil {
			return out, err
		}
		repoRel, _ := filepath.Rel(managed, dst)
		out = append(out, placed{abs: dst, kept: pl.kept, entry: core.FilesetEntry{ClientPath: src, RepoPath: filepath.ToSlash(repoRel),
			Size: pl.size, Checksum: pl.sum, Transfer: used}})
	}
	return out, nil
}

// placer puts one file into the repository and reads it once on the way:
// its size and checksum, and with keep its bytes.
type placer struct {
	ctx      context.Context
	syncEach bool
	keep     *keeper
	progress func(int64)
	// results
	size int64
	sum  string
	kept []byte
}

// place puts src at dst and returns the transfer actually used (a hard
// link across file systems becomes a copy).
func (pl *placer) place(src, dst, mode string) (string, error) {
	switch mode {
	case Hardlink:
		if lerr := os.Link(src, dst); lerr != nil {
			// Another file system: fall back to a copy rather than fail.
			if !errors.Is(lerr, syscall.EXDEV) {
				return "", diskError(lerr)
			}
			return Copy, pl.copyFile(src, dst)
		}
		return mode, pl.hashFile(src)
	case Symlink:
		if lerr := os.Symlink(src, dst); lerr != nil {
			return "", diskError(lerr)
		}
		return mode, pl.hashFile(src)
	}
	return Copy, pl.copyFile(src, dst)
}

// copyBufSize is the chunk a transfer reads at once: big enough that the
// system calls cost little next to the bytes (a 32 KiB io.Copy spends a
// third of an import of uncompressed TIFFs on a fast disk in read and
// write calls), small enough to stay in the CPU's cache while it is
// written and hashed.
const copyBufSize = 1 << 20

var copyBufs = sync.Pool{New: func() any { b := make([]byte, copyBufSize); return &b }}

// stream reads src to its end in copyBufSize chunks, passing each to the
// checksum, to out when not nil, and to progress; it stops at the next
// chunk once ctx has ended. The chunks are read into keep while it has
// room (keep is the file's size, from a keeper): then keep[:n] holds the
// bytes exactly as hashed and copied, and is returned; a file that grew
// past keep is streamed on and nothing is kept.
func stream(ctx context.Context, src io.Reader, out io.Writer, keep []byte, progress func(int64)) (int64, string, []byte, error) {
	bp := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(bp)
	h := checksum.New(checksum.Default)
	var n int64
	grew := false
	for {
		if err := ctx.Err(); err != nil {
			return n, "", nil, err
		}
		buf := *bp
		if n < int64(len(keep)) {
			buf = keep[n:min(int64(len(keep)), n+copyBufSize)]
		}
		k, rerr := io.ReadFull(src, buf)
		if k > 0 {
			if keep != nil && !grew && n >= int64(len(keep)) {
				// Past what keep holds: hash what it holds, then stream on.
				grew = true
				h.Write(keep[:n])
			}
			if out != nil {
				if _, err := out.Write(buf[:k]); err != nil {
					return n, "", nil, err
				}
			}
			// Kept bytes are hashed once at the end, where they lie
			// (checksum.Of), rather than copied into the hasher's block
			// buffer chunk by chunk.
			if keep == nil || grew {
				h.Write(buf[:k])
			}
			n += int64(k)
			if progress != nil {
				progress(int64(k))
			}
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			if keep != nil && !grew {
				return n, checksum.Of(checksum.Default, keep[:n]), keep[:n], nil
			}
			return n, h.Sum(), nil, nil
		}
		if rerr != nil {
			return n, "", nil, rerr
		}
	}
}

// open opens src and, when the placer keeps bytes, takes a buffer of its
// size from the keeper.
func (pl *placer) open(src string) (*os.File, []byte, error) {
	in, err := os.Open(src)
	if err != nil {
		return nil, nil, describeStatError(err)
	}
	if pl.keep == nil {
		return in, nil, nil
	}
	st, err := in.Stat()
	if err != nil || st.Size() > keepMax {
		return in, nil, nil
	}
	return in, pl.keep.get(int(st.Size())), nil
}

// done records what stream read, giving back a buffer it did not keep.
func (pl *placer) done(n int64, sum string, buf, kept []byte) {
	pl.size, pl.sum, pl.kept = n, sum, kept
	if kept == nil {
		pl.keep.put(buf)
	}
}

func (pl *placer) copyFile(src, dst string) error {
	in, buf, err := pl.open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, diskmode.File())
	if err != nil {
		pl.keep.put(buf)
		return diskError(err)
	}
	n, sum, kept, err := stream(pl.ctx, in, out, buf, pl.progress)
	if err == nil && pl.syncEach {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		pl.keep.put(buf)
		os.Remove(dst)
		if pl.ctx.Err() != nil {
			return pl.ctx.Err()
		}
		return diskError(err)
	}
	pl.done(n, sum, buf, kept)
	return nil
}

func (pl *placer) hashFile(path string) error {
	in, buf, err := pl.open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	n, sum, kept, err := stream(pl.ctx, in, nil, buf, pl.progress)
	if err != nil {
		pl.keep.put(buf)
		return err
	}
	pl.done(n, sum, buf, kept)
	return nil
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
