package remote

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/ctxio"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// Import by upload (docs/server/uploads.md): the session declares a unit's
// files with their checksums, sends them in chunks, continues where the
// server's copy ends after a cut connection, and asks for the import.

var _ core.UploadImporter = (*Session)(nil)

// uploadChunk is the largest chunk this client sends (less when the server
// takes less): small enough to cross a slow link inside one request's
// timeout, big enough that requests cost little.
const uploadChunk = 4 << 20

// uploadRetries is how many times in a row a request may fail for want of
// the server before the unit is given up; a request that gets bytes across
// starts the count again.
const uploadRetries = 8

// uploadBackoff is the wait before retry n (1, 2, ...): 250 ms doubling up
// to 8 s, so a server restarting or a network coming back is waited for
// about half a minute. Tests shorten it.
var uploadBackoff = func(n int) time.Duration {
	return min(250*time.Millisecond<<(n-1), 8*time.Second)
}

func uploadsPath(parts ...string) string {
	p := wire.OcularPrefix + "uploads"
	for _, s := range parts {
		p += "/" + s
	}
	return p
}

// CheckImport asks the server whether the options would be refused for
// every file (a target the caller may not see, an unknown owner).
func (s *Session) CheckImport(ctx context.Context, opts core.ImportOptions) error {
	return s.call(ctx, http.MethodPost, uploadsPath("check"), opts, nil)
}

// ImportUploaded sends req's files (read from their Path) and imports them
// on the server. Checksums missing from req are computed first. Any failure,
// a cancelled ctx included, deletes the upload on the server (an import
// already running is stopped and rolled back).
func (s *Session) ImportUploaded(ctx context.Context, req core.UploadedImport, progress func(int64)) (res core.UploadedResult, err error) {
	const op = "import"
	if progress == nil {
		progress = func(int64) {}
	}
	for i := range req.Files {
		f := &req.Files[i]
		if f.SHA256 != "" {
			continue
		}
		if f.Size, f.SHA256, err = hashLocal(ctx, f.Path); err != nil {
			return res, err
		}
	}
	var created wire.UploadCreated
	if err := s.call(ctx, http.MethodPost, uploadsPath(), req, &created); err != nil {
		return res, err
	}
	if created.Skipped {
		return core.UploadedResult{Skipped: true}, nil
	}
	id := created.ID
	defer func() {
		if err != nil {
			// Best effort with a context of its own: the caller's may be
			// the one that ended. The server sweeps what this misses.
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			s.call(dctx, http.MethodDelete, uploadsPath(id), nil, nil)
			if ctx.Err() != nil {
				err = core.E(op, core.Other, ctx.Err())
			}
		}
	}()
	up := &sender{s: s, id: id, files: req.Files, chunk: min(uploadChunk, max(created.MaxChunk, 1)),
		received: make([]int64, len(req.Files)), reported: make([]int64, len(req.Files)), progress: progress}
	if created.MaxChunk <= 0 {
		up.chunk = uploadChunk
	}
	return up.run(ctx)
}

// sender is one upload's sending state.
type sender struct {
	s        *Session
	id       string
	files    []core.UploadedFile
	chunk    int64
	received []int64 // the server's length of each file, as last known
	reported []int64 // the bytes of each file counted in progress
	progress func(int64)
	failures int // requests failed in a row for want of the server
	buf      []byte
}

// run sends every file, then imports; a damaged file or a chunk still
// arriving makes it send what is missing and import again (at most 3 times).
func (u *sender) run(ctx context.Context) (core.UploadedResult, error) {
	for round := 0; ; round++ {
		if err := u.sendAll(ctx); err != nil {
			return core.UploadedResult{}, err
		}
		res, err := u.importOnce(ctx)
		if err == nil {
			return res, nil
		}
		if !core.Is(core.Conflict, err) || round == 2 {
			return res, err
		}
		if err := u.refresh(ctx); err != nil {
			return res, err
		}
	}
}

// retry decides, after err, whether to try again: only for a server that
// cannot be reached or is busy (IO, Conflict), at most uploadRetries times
// in a row, after a wait; it then asks the server what it holds.
func (u *sender) retry(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if !core.Is(core.IO, err) && !core.Is(core.Conflict, err) {
		return err
	}
	u.failures++
	if u.failures > uploadRetries {
		return err
	}
	t := time.NewTimer(uploadBackoff(u.failures))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
	}
	if rerr := u.refresh(ctx); rerr != nil && !core.Is(core.IO, rerr) {
		return rerr
	}
	return nil
}

// refresh asks the server how much of each file it holds.
func (u *sender) refresh(ctx context.Context) error {
	var st wire.UploadStatus
	if err := u.s.call(ctx, http.MethodGet, uploadsPath(u.id), nil, &st); err != nil {
		return err
	}
	if len(st.Received) == len(u.received) {
		copy(u.received, st.Received)
	}
	return nil
}

// sendAll sends what the server lacks of every file, retrying after cuts.
func (u *sender) sendAll(ctx context.Context) error {
	for i := range u.files {
		for u.received[i] < u.files[i].Size {
			err := u.sendChunk(ctx, i)
			if err == nil {
				u.failures = 0
				continue
			}
			if err := u.retry(ctx, err); err != nil {
				return err
			}
		}
	}
	return nil
}

// sendChunk sends the next chunk of file i from where the server's copy
// ends. The chunk is read into memory so the request carries its length.
func (u *sender) sendChunk(ctx context.Context, i int) error {
	f := u.files[i]
	off := u.received[i]
	n := min(u.chunk, f.Size-off)
	if int64(cap(u.buf)) < n {
		u.buf = make([]byte, n)
	}
	b := u.buf[:n]
	fh, err := os.Open(f.Path)
	if err != nil {
		return core.Errorf("import", core.IO, "%s cannot be read: %v", f.Name, err)
	}
	_, err = fh.ReadAt(b, off)
	fh.Close()
	if err != nil {
		return core.Errorf("import", core.Invalid, "%s changed while it was being sent (it is shorter than %d bytes now); import it again once it is complete", f.Name, f.Size)
	}
	path := fmt.Sprintf("%s?offset=%d", uploadsPath(u.id, "files", fmt.Sprint(i)), off)
	resp, err := u.s.svc.Do(ctx, http.MethodPut, path, u.s.currentKey(), u.s.group, bytes.NewReader(b), "application/octet-stream")
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	u.received[i] = off + n
	if d := u.received[i] - u.reported[i]; d > 0 {
		u.reported[i] = u.received[i]
		u.progress(d)
	}
	return nil
}

// importOnce asks for the import and waits for it: the server answers 202
// while it runs and the client asks again; a dropped connection is retried
// (asking again joins the import running or gets its stored answer).
func (u *sender) importOnce(ctx context.Context) (core.UploadedResult, error) {
	for {
		var st wire.UploadStatus
		err := u.s.call(ctx, http.MethodPost, uploadsPath(u.id, "import"), nil, &st)
		switch {
		case err == nil && st.State == wire.UploadImported && st.Result != nil:
			return *st.Result, nil
		case err == nil:
			u.failures = 0 // still importing
			continue
		case core.Is(core.IO, err):
			if rerr := u.retry(ctx, err); rerr != nil {
				return core.UploadedResult{}, rerr
			}
		default:
			return core.UploadedResult{}, err
		}
	}
}

// hashLocal returns a file's size and SHA-256.
func hashLocal(ctx context.Context, path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", core.Errorf("import", core.IO, "%s cannot be read: %v", path, errors.Unwrap(err))
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, ctxio.Reader(ctx, f))
	if err != nil {
		return 0, "", core.E("import", core.IO, err)
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}
