package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/ctxio"
	"github.com/ocular-lab/ocular/core/diskmode"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// importWait is how long POST .../import waits for the import before it
// answers 202 "importing" and the client asks again: well inside a
// client's request timeout, so a big import never looks like a dead server.
var importWait = 20 * time.Second

// importRun is one run of an upload's import; those waiting for it keep
// it, so a retry started afterwards does not answer for it.
type importRun struct {
	done   chan struct{}
	err    error
	ctx    context.Context
	cancel context.CancelFunc // DELETE stops the import (it rolls back)
	// lock is <id>/import.lock, held until the outcome is on disk.
	lock *os.File
}

// errImportingElsewhere: another instance imports the upload.
var errImportingElsewhere = core.Errorf("import", core.Conflict, "the upload is being imported by another instance of the server")

// importUpload checks the upload is complete and starts its import (or
// joins the one running), then answers its outcome, or 202 while it runs.
// The import runs under the server's context, not the request's: a client
// whose connection drops while it waits asks again and gets the answer.
func (s *Server) importUpload(w http.ResponseWriter, r *http.Request, sess core.Session) {
	user, err := caller(r, sess)
	if err != nil {
		writeError(w, err)
		return
	}
	st := s.uploads
	st.mu.Lock()
	u, err := st.getLocked(r.PathValue("upload"), user)
	var run *importRun
	if err == nil {
		run, err = s.startImportLocked(u, sess)
	}
	status := wire.UploadStatus{}
	if err == nil && run == nil {
		status = s.statusLocked(u)
	}
	st.mu.Unlock()
	if err == errImportingElsewhere {
		writeJSON(w, http.StatusAccepted, wire.UploadStatus{ID: u.ID, State: stateImporting})
		return
	}
	if err != nil {
		writeError(w, err)
		return
	}
	if run == nil {
		answerFinished(w, status)
		return
	}
	timer := time.NewTimer(importWait)
	defer timer.Stop()
	select {
	case <-run.done:
	case <-timer.C:
		writeJSON(w, http.StatusAccepted, wire.UploadStatus{ID: u.ID, State: stateImporting})
		return
	case <-r.Context().Done():
		return
	}
	if run.err != nil {
		writeError(w, run.err)
		return
	}
	st.mu.Lock()
	status = s.statusLocked(u)
	st.mu.Unlock()
	answerFinished(w, status)
}

// startImportLocked returns the run to wait for: the one running, or a
// new one; nil when the upload is already finished.
func (s *Server) startImportLocked(u *upload, sess core.Session) (*importRun, error) {
	switch u.State {
	case stateImported, stateFailed:
		return nil, nil
	case stateImporting:
		return u.run, nil
	}
	s.uploads.receivedLocked(u, -1)
	missing := 0
	for i, f := range u.Req.Files {
		if u.received[i] != f.Size {
			missing++
		}
	}
	if missing > 0 {
		return nil, core.Errorf("import", core.Invalid, "%d of the %d files of the upload have not all arrived; ask the upload's state and send the rest", missing, len(u.Req.Files))
	}
	if anyBusy(u) {
		return nil, core.Errorf("import", core.Conflict, "a chunk of the upload is still being received; import once it has arrived")
	}
	lock, err := lockPath(s.uploads.path(u.ID, "import.lock"))
	if err != nil {
		return nil, err
	}
	if lock == nil {
		return nil, errImportingElsewhere
	}
	// Another instance may have finished it just before the lock was free.
	if err := s.uploads.refreshLocked(u); err != nil || u.State != stateOpen {
		lock.Close()
		if err != nil {
			return nil, err
		}
		return nil, nil
	}
	u.State = stateImporting
	u.run = &importRun{done: make(chan struct{}), lock: lock}
	u.run.ctx, u.run.cancel = context.WithCancel(s.ctx)
	s.jobsWG.Add(1)
	go s.runImport(u, u.run, sess)
	return u.run, nil
}

// answerFinished answers a finished upload: its result, or the sentence
// of the failure that ended it.
func answerFinished(w http.ResponseWriter, st wire.UploadStatus) {
	if st.State == stateFailed && st.Error != nil {
		writeError(w, &core.Error{Op: st.Error.Op, Kind: wire.ParseKind(st.Error.Kind), Msg: st.Error.Message})
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// runImport checks every checksum, stages the files under their names and
// imports them. A damaged file is reset to nothing received so the client
// sends it again, and the upload stays; files no reader accepts end the
// upload (sending them again would not help); any other failure (the
// server stopping, a target gone) keeps it for another try.
func (s *Server) runImport(u *upload, run *importRun, sess core.Session) {
	defer s.jobsWG.Done()
	defer run.cancel()
	st := s.uploads
	ctx := run.ctx
	bad, err := st.verify(ctx, u)
	var res core.UploadedResult
	if err == nil && len(bad) > 0 {
		names := make([]string, 0, 3)
		for _, i := range bad[:min(3, len(bad))] {
			names = append(names, strconv.Quote(clip(u.Req.Files[i].Name)))
		}
		more := ""
		if len(bad) > 3 {
			more = fmt.Sprintf(" and %d more", len(bad)-3)
		}
		err = core.Errorf("import", core.Conflict, "%s%s arrived damaged (the SHA-256 differs from the one declared); send them again, then import", strings.Join(names, ", "), more)
	}
	if err == nil {
		var req core.UploadedImport
		if req, err = st.stage(u); err == nil {
			res, err = s.cfg.Import(ctx, sess, req)
		}
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	defer close(run.done)
	defer run.lock.Close() // after the outcome is saved: other instances then read it
	run.err = err
	u.Touched = st.now()
	os.RemoveAll(st.path(u.ID, "tree"))
	switch {
	case err == nil:
		u.State, u.Result = stateImported, &res
		st.dropData(u)
	case len(bad) > 0:
		u.State = stateOpen
		for _, i := range bad {
			os.Truncate(st.path(u.ID, "data", strconv.Itoa(i)), 0)
			st.recordLocked(u, i, 0)
		}
	case core.Is(core.Invalid, err):
		body := wire.Body(err)
		u.State, u.Failure = stateFailed, &body
		st.dropData(u)
	default:
		u.State = stateOpen
	}
	if u.State != stateOpen {
		st.saveLocked(u) // a restart answers the same
	}
}

// dropData removes a finished upload's bytes; its manifest stays with the
// answer until it is swept.
func (st *uploadStore) dropData(u *upload) {
	for _, d := range []string{"data", "len", "tree"} {
		os.RemoveAll(st.path(u.ID, d))
	}
}

// verify hashes every file received and returns the indexes of those that
// differ from their declared SHA-256. The upload is importing: no chunk
// changes the files meanwhile.
func (st *uploadStore) verify(ctx context.Context, u *upload) ([]int, error) {
	var bad []int
	buf := make([]byte, 256<<10)
	for i, f := range u.Req.Files {
		fh, err := os.Open(st.path(u.ID, "data", strconv.Itoa(i)))
		if os.IsNotExist(err) && f.Size == 0 {
			// An empty file needs no chunk: it is made now.
			fh, err = os.OpenFile(st.path(u.ID, "data", strconv.Itoa(i)), os.O_RDONLY|os.O_CREATE, diskmode.File())
		}
		if err != nil {
			return nil, diskErr(err)
		}
		h := sha256.New()
		n, err := io.CopyBuffer(h, ctxio.Reader(ctx, io.LimitReader(fh, f.Size+1)), buf)
		fh.Close()
		if err != nil {
			if ctx.Err() != nil {
				return nil, core.Errorf("import", core.Other, "the server is stopping; import again when it is back")
			}
			return nil, diskErr(err)
		}
		if n != f.Size || hex.EncodeToString(h.Sum(nil)) != f.SHA256 {
			bad = append(bad, i)
		}
	}
	return bad, nil
}

// stage links the received files under their declared names in the
// upload's tree folder and returns the request the import function takes.
func (st *uploadStore) stage(u *upload) (core.UploadedImport, error) {
	tree := st.path(u.ID, "tree")
	os.RemoveAll(tree)
	req := u.Req
	req.Dir = tree
	req.Files = append([]core.UploadedFile(nil), u.Req.Files...)
	for i := range req.Files {
		dst := filepath.Join(tree, filepath.FromSlash(req.Files[i].Name))
		if err := os.MkdirAll(filepath.Dir(dst), diskmode.Dir()); err != nil {
			return req, diskErr(err)
		}
		if err := os.Link(st.path(u.ID, "data", strconv.Itoa(i)), dst); err != nil {
			return req, diskErr(err)
		}
		req.Files[i].Path = dst
	}
	return req, nil
}
