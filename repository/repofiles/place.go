package repofiles

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

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/checksum"
	"github.com/ocular-lab/ocular/core/ctxio"
	"github.com/ocular-lab/ocular/core/diskmode"
)

// Placed says how a file reached its destination.
type Placed struct {
	Size     int64
	Checksum string // of the content, read while placing, in How.Algorithm
	Linked   bool   // a hard link (no bytes copied)
	Copied   bool   // bytes copied
	// Symlink is the target of an in-place import's symbolic link, placed
	// as a link again: its bytes live outside the repository.
	Symlink string
	// Existed: the destination already held this file (a run resumed).
	Existed bool
}

// ErrMissing is the cause when the source file does not exist.
var ErrMissing = errors.New("the file is missing")

// How chooses how Place works.
type How struct {
	// Link makes hard links where the file system allows (else copies).
	Link bool
	// Hash reads every file to give its checksum, and compares an existing
	// destination byte for byte by checksum; without it an existing
	// destination of the right size is taken as placed (a later check
	// reads it) and only copies are hashed.
	Hash bool
	// Algorithm is the checksum's (checksum.Default when empty): the
	// recorded checksum's, to compare with it.
	Algorithm checksum.Algorithm
}

// Place puts the file rel (slash-separated, below srcRoot) at the same
// place below dstRoot: a hard link where allowed (link true, same file
// system), else a copy written beside the destination and renamed into
// place once synced, so a destination is always either absent or whole. A
// destination that already holds the same bytes is kept (an interrupted run
// resumed); one holding other bytes is a Conflict. The content is hashed
// in every case, so the caller can check it.
func Place(ctx context.Context, srcRoot, dstRoot, rel string, how How) (Placed, error) {
	src := filepath.Join(srcRoot, filepath.FromSlash(rel))
	dst := filepath.Join(dstRoot, filepath.FromSlash(rel))
	var p Placed
	sst, err := os.Lstat(src)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return p, ErrMissing
		}
		return p, err
	}
	if sst.Mode()&fs.ModeSymlink != 0 {
		return placeSymlink(ctx, src, dst, how)
	}
	if !sst.Mode().IsRegular() {
		return p, fmt.Errorf("%s is not a regular file", src)
	}
	if dst == src {
		p.Existed = true
		p.Size = sst.Size()
		if how.Hash {
			p.Size, p.Checksum, err = checksum.File(ctx, src, how.Algorithm)
		}
		return p, err
	}
	if dstat, err := os.Lstat(dst); err == nil {
		p.Size = sst.Size()
		if os.SameFile(sst, dstat) || (!how.Hash && dstat.Size() == p.Size) {
			p.Existed = true
			if how.Hash {
				p.Size, p.Checksum, err = checksum.File(ctx, src, how.Algorithm)
			}
			return p, err
		}
		if how.Hash {
			if p.Size, p.Checksum, err = checksum.File(ctx, src, how.Algorithm); err != nil {
				return p, err
			}
		}
		if how.Hash && dstat.Size() == p.Size {
			if _, sum, err := checksum.File(ctx, dst, how.Algorithm); err == nil && sum == p.Checksum {
				p.Existed = true
				return p, nil
			}
		}
		return p, core.Errorf("copy file", core.Conflict, "%s already exists with other content; it is not a copy of %s", dst, src)
	}
	// The folder is made only when the first link or copy into it finds
	// it missing: most files share their folder with the one before.
	if how.Link {
		err := os.Link(src, dst)
		if errors.Is(err, fs.ErrNotExist) {
			if err := os.MkdirAll(filepath.Dir(dst), diskmode.Dir()); err != nil {
				return p, err
			}
			err = os.Link(src, dst)
		}
		if err == nil {
			p.Linked = true
			p.Size = sst.Size()
			if how.Hash {
				p.Size, p.Checksum, err = checksum.File(ctx, dst, how.Algorithm)
			}
			return p, err
		}
	}
	if err := os.MkdirAll(filepath.Dir(dst), diskmode.Dir()); err != nil {
		return p, err
	}
	p.Size, p.Checksum, err = copyFile(ctx, src, dst, how.Algorithm)
	p.Copied = err == nil
	return p, err
}

func placeSymlink(ctx context.Context, src, dst string, how How) (Placed, error) {
	p := Placed{}
	target, err := os.Readlink(src)
	if err != nil {
		return p, err
	}
	p.Symlink = target
	if have, err := os.Readlink(dst); err == nil && have == target {
		p.Existed = true
	} else {
		if err := os.MkdirAll(filepath.Dir(dst), diskmode.Dir()); err != nil {
			return p, err
		}
		if err := os.Symlink(target, dst); err != nil {
			return p, err
		}
	}
	// The bytes are checked where they are; an in-place import whose
	// original was moved away is reported missing, as for any file.
	if !how.Hash {
		st, err := os.Stat(src)
		if err != nil {
			return p, ErrMissing
		}
		p.Size = st.Size()
		return p, nil
	}
	p.Size, p.Checksum, err = checksum.File(ctx, src, how.Algorithm)
	if errors.Is(err, fs.ErrNotExist) {
		err = ErrMissing
	}
	return p, err
}

// copyFile copies src to a partial file beside dst, syncs it and renames it
// to dst, hashing the bytes on the way.
func copyFile(ctx context.Context, src, dst string, algo checksum.Algorithm) (int64, string, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, "", err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".partial-*")
	if err != nil {
		return 0, "", err
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(diskmode.File()); err != nil {
		return 0, "", err
	}
	h := checksum.New(algo)
	n, err := io.Copy(io.MultiWriter(tmp, h), ctxio.Reader(ctx, in))
	if err != nil {
		return n, "", err
	}
	if err := tmp.Sync(); err != nil {
		return n, "", err
	}
	if err := tmp.Close(); err != nil {
		return n, "", err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return n, "", err
	}
	ok = true
	return n, h.Sum(), nil
}

// HashFile returns the size and hex SHA-256 of the file at path (following
// symbolic links): a backup's database file is checked with it. The
// repository's files are checked with their recorded checksum's algorithm
// (core/checksum).
func HashFile(ctx context.Context, path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, ctxio.Reader(ctx, f))
	if err != nil {
		return n, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// SyncDir makes a rename or a new file in dir durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
