package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strconv"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/diskmode"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// Import by upload (docs/server/uploads.md): a client declares the files
// of one import unit with their sizes and checksums, sends each in chunks
// that continue exactly where the server's copy ends (so a cut connection
// resumes, never duplicates), then asks for the import; the server checks
// every checksum and runs Config.Import, all or nothing.

// routesUpload registers the routes of routes_upload.go.
func (s *Server) routesUpload() {
	s.uploads = newUploadStore(s.cfg.UploadDir, s.limits, s.cfg.Now)
	p := wire.OcularPrefix + "uploads"
	s.handle("POST "+p+"/check", s.checkImport)
	s.handle("POST "+p, s.createUpload)
	s.handle("GET "+p+"/{upload}", s.uploadStatus)
	s.handle("PUT "+p+"/{upload}/files/{n}", s.putChunk)
	s.handle("POST "+p+"/{upload}/import", s.importUpload)
	s.handle("DELETE "+p+"/{upload}", s.deleteUpload)
}

// uploadsEnabled refuses uploads on a server not configured for them.
func (s *Server) uploadsEnabled() error {
	if s.cfg.UploadDir == "" || s.cfg.Import == nil {
		return core.Errorf("upload", core.Unsupported, "this server does not accept imports")
	}
	return nil
}

func (s *Server) checkImport(w http.ResponseWriter, r *http.Request, sess core.Session) {
	var opts core.ImportOptions
	err := s.uploadsEnabled()
	if err == nil {
		err = s.decodeJSON(r, &opts)
	}
	if err == nil {
		err = checkOptionsText(opts)
	}
	if err == nil {
		err = checkOptions(r, sess, opts)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// checkOptions refuses, as the local import does before touching any file,
// a target the caller may not see or an unknown owner.
func checkOptions(r *http.Request, sess core.Session, o core.ImportOptions) error {
	ctx := r.Context()
	for _, t := range []struct {
		ref   core.Ref
		class core.Class
		what  string
	}{{o.Dataset, core.Dataset, "dataset"}, {o.Screen, core.Screen, "screen"}} {
		if t.ref.IsZero() {
			continue
		}
		if t.ref.Class != t.class {
			return core.Errorf("import", core.Invalid, "the %s to import into must be a %s, not %s", t.what, t.class, t.ref)
		}
		if _, err := sess.Get(ctx, t.ref); err != nil {
			return err
		}
	}
	if o.Owner != "" {
		if _, err := sess.User(ctx, o.Owner); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) createUpload(w http.ResponseWriter, r *http.Request, sess core.Session) {
	if err := s.uploadsEnabled(); err != nil {
		writeError(w, err)
		return
	}
	var req core.UploadedImport
	if err := s.decodeLimit(r, &req, maxDeclaration); err != nil {
		writeError(w, err)
		return
	}
	if err := checkDeclaration(&req, s.limits); err != nil {
		writeError(w, err)
		return
	}
	if err := checkOptions(r, sess, req.Options); err != nil {
		writeError(w, err)
		return
	}
	if req.Options.SkipExisting {
		done, err := importedBefore(r, sess, req.Files)
		if err != nil {
			writeError(w, err)
			return
		}
		if done {
			writeJSON(w, http.StatusOK, wire.UploadCreated{Skipped: true})
			return
		}
	}
	me, err := sess.Me(r.Context())
	if err != nil {
		writeError(w, err)
		return
	}
	u, err := s.uploads.create(me.User.ID, sess.Key(), req)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, wire.UploadCreated{ID: u.ID, MaxChunk: s.limits.MaxChunk})
}

// importedBefore reports whether every file was imported before from the
// same client path with the same size (--skip-existing), as locally.
func importedBefore(r *http.Request, sess core.Session, files []core.UploadedFile) (bool, error) {
	for _, f := range files {
		if f.ClientPath == "" {
			return false, nil
		}
		prev, err := sess.ImportedFiles(r.Context(), f.ClientPath)
		if err != nil {
			return false, err
		}
		found := false
		for _, e := range prev {
			found = found || e.Size == f.Size
		}
		if !found {
			return false, nil
		}
	}
	return true, nil
}

// decodeLimit is decodeJSON with its own body limit: a declaration lists
// many files, more than other requests need.
func (s *Server) decodeLimit(r *http.Request, v any, max int64) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, max+1))
	if err != nil {
		return core.E("read request", core.Invalid, err)
	}
	if int64(len(b)) > max {
		return errBodyTooLarge
	}
	if err := checkDepth(b, s.limits.MaxJSONDepth); err != nil {
		return err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return core.Errorf("", core.Invalid, "the request is not valid JSON for this route: %v", err)
	}
	return nil
}

// caller is the user ID uploads are checked against.
func caller(r *http.Request, sess core.Session) (core.ID, error) {
	me, err := sess.Me(r.Context())
	if err != nil {
		return 0, err
	}
	return me.User.ID, nil
}

func (s *Server) uploadStatus(w http.ResponseWriter, r *http.Request, sess core.Session) {
	user, err := caller(r, sess)
	if err != nil {
		writeError(w, err)
		return
	}
	st := s.uploads
	st.mu.Lock()
	u, err := st.getLocked(r.PathValue("upload"), user)
	var status wire.UploadStatus
	if err == nil {
		st.receivedLocked(u, -1)
		status = s.statusLocked(u)
	}
	st.mu.Unlock()
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, status)
}

func (s *Server) statusLocked(u *upload) wire.UploadStatus {
	out := wire.UploadStatus{ID: u.ID, State: u.State, Result: u.Result, Error: u.Failure}
	if u.State == stateOpen && s.uploads.importingElsewhere(u.ID) {
		out.State = stateImporting // by another instance
	}
	if u.State == stateOpen || u.State == stateImporting {
		out.Received = append([]int64(nil), u.received...)
		out.MaxChunk = s.limits.MaxChunk
	}
	return out
}

func (s *Server) deleteUpload(w http.ResponseWriter, r *http.Request, sess core.Session) {
	user, err := caller(r, sess)
	if err != nil {
		writeError(w, err)
		return
	}
	st := s.uploads
	st.mu.Lock()
	u, err := st.getLocked(r.PathValue("upload"), user)
	if err == nil && u.State == stateImporting {
		// Stop the import (what it has not registered is rolled back) and
		// wait for it, then delete what is left.
		run := u.run
		st.mu.Unlock()
		run.cancel()
		select {
		case <-run.done:
		case <-r.Context().Done():
			return
		}
		st.mu.Lock()
		if u.State == stateImported {
			err = core.Errorf("upload", core.Conflict, "the upload was imported before it could be stopped (%s)", u.Result.Fileset)
		}
	}
	if err == nil {
		switch {
		case u.State == stateImporting:
			err = core.Errorf("upload", core.Conflict, "the upload is being imported again; delete it once that ends")
		case st.importingElsewhere(u.ID):
			err = core.Errorf("upload", core.Conflict, "the upload is being imported by another instance of the server; delete it once that ends")
		case anyBusy(u):
			// A client that gave up in the middle of a chunk deletes before
			// the server has noticed the cut: the chunk's end removes it.
			// Its manifest goes now, so that no instance finds it again.
			u.deleted = true
			delete(st.m, u.ID)
			os.Remove(st.path(u.ID, "manifest.json"))
		default:
			st.removeLocked(u)
		}
	}
	st.mu.Unlock()
	if err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// putChunk writes one chunk of file n at offset, which must be exactly
// the length received so far. The bytes are written and synced before the
// new length is recorded, so a chunk cut in the middle leaves its received
// prefix recorded and usable.
func (s *Server) putChunk(w http.ResponseWriter, r *http.Request, sess core.Session) {
	user, err := caller(r, sess)
	if err != nil {
		writeError(w, err)
		return
	}
	st := s.uploads
	st.mu.Lock()
	u, err := st.getLocked(r.PathValue("upload"), user)
	var n int
	var offset int64
	if err == nil {
		n, offset, err = s.claimChunk(u, r)
	}
	st.mu.Unlock()
	if err != nil {
		writeError(w, err)
		return
	}
	written, held, werr := s.writeChunk(u, n, offset, r)
	// The data file stays locked until its length is recorded, so no
	// other instance cuts it back meanwhile, and is unlocked before the
	// answer goes, so the client's next chunk finds it free on any instance.
	unlock := func() {
		if held != nil {
			held.Close()
		}
	}
	st.mu.Lock()
	u.busy[n] = false
	if u.deleted {
		if !anyBusy(u) {
			os.RemoveAll(st.path(u.ID))
		}
		st.mu.Unlock()
		unlock()
		writeError(w, errNoUpload)
		return
	}
	var rerr error
	if held != nil { // nothing was written without the lock
		rerr = st.recordLocked(u, n, offset+written)
	}
	st.mu.Unlock()
	unlock()
	switch {
	case werr != nil:
		writeError(w, werr)
	case rerr != nil:
		writeError(w, rerr)
	default:
		writeJSON(w, http.StatusOK, wire.ChunkReceived{Received: offset + written})
	}
}

// claimChunk checks a chunk's place and length before a byte is read, and
// marks the file busy. Called with the store locked.
func (s *Server) claimChunk(u *upload, r *http.Request) (n int, offset int64, err error) {
	n, perr := strconv.Atoi(r.PathValue("n"))
	if perr != nil || n < 0 || n >= len(u.Req.Files) {
		return 0, 0, core.Errorf("upload", core.Invalid, "the upload has no file %q; files are numbered from 0 in the order declared", clip(r.PathValue("n")))
	}
	q := r.URL.Query().Get("offset")
	offset, perr = strconv.ParseInt(q, 10, 64)
	if perr != nil || offset < 0 {
		return 0, 0, core.Errorf("upload", core.Invalid, "give the chunk's place as ?offset=N, N the bytes of the file the server has")
	}
	f := u.Req.Files[n]
	s.uploads.receivedLocked(u, n)
	switch {
	case u.State == stateOpen && s.uploads.importingElsewhere(u.ID):
		return 0, 0, core.Errorf("upload", core.Conflict, "the upload is %s and takes no more chunks", stateImporting)
	case u.State != stateOpen:
		return 0, 0, core.Errorf("upload", core.Conflict, "the upload is %s and takes no more chunks", u.State)
	case r.ContentLength < 0:
		return 0, 0, core.Errorf("upload", core.Invalid, "send the chunk with its Content-Length")
	case r.ContentLength > s.limits.MaxChunk:
		return 0, 0, core.Errorf("upload", core.Invalid, "the chunk has %d bytes, more than the %d this server takes at once; send smaller chunks", r.ContentLength, s.limits.MaxChunk)
	case u.busy[n]:
		return 0, 0, core.Errorf("upload", core.Conflict, "a chunk of %q is still being received; ask for the upload's state and continue where it ends", clip(f.Name))
	case offset != u.received[n]:
		return 0, 0, core.Errorf("upload", core.Conflict, "the server has %d bytes of %q; continue at offset %d", u.received[n], clip(f.Name), u.received[n])
	case offset+r.ContentLength > f.Size:
		return 0, 0, core.Errorf("upload", core.Invalid, "the chunk goes past the %d bytes declared for %q", f.Size, clip(f.Name))
	}
	u.busy[n] = true
	return n, offset, nil
}

// writeChunk appends the request's body to file n at offset and syncs
// it; it returns how many bytes are on disk even when the body was cut,
// and the data file, still open and locked, for the caller to close once
// it has recorded the new length.
func (s *Server) writeChunk(u *upload, n int, offset int64, r *http.Request) (written int64, held *os.File, err error) {
	f, err := os.OpenFile(s.uploads.path(u.ID, "data", strconv.Itoa(n)), os.O_WRONLY|os.O_CREATE, diskmode.File())
	if err != nil {
		return 0, nil, diskErr(err)
	}
	name := clip(u.Req.Files[n].Name)
	if !tryLock(f) {
		f.Close()
		return 0, nil, core.Errorf("upload", core.Conflict, "a chunk of %q is still being received; ask for the upload's state and continue where it ends", name)
	}
	// Another instance may have taken a chunk since this one was claimed.
	if cur := readLen(s.uploads.path(u.ID, "len", strconv.Itoa(n)), u.Req.Files[n].Size); cur != offset {
		f.Close()
		return 0, nil, core.Errorf("upload", core.Conflict, "the server has %d bytes of %q; continue at offset %d", cur, name, cur)
	}
	written, err = s.copyChunk(f, offset, r)
	return written, f, err
}

// copyChunk writes the request's body into f at offset and syncs it.
func (s *Server) copyChunk(f *os.File, offset int64, r *http.Request) (int64, error) {
	// Bytes past the recorded length (a chunk cut before its record, a
	// crash) are not known good: they are written over from here.
	if err := f.Truncate(offset); err != nil {
		return 0, diskErr(err)
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return 0, diskErr(err)
	}
	buf := make([]byte, 256<<10)
	written, cerr := io.CopyBuffer(onlyWriter{f}, io.LimitReader(r.Body, r.ContentLength), buf)
	if serr := f.Sync(); serr != nil {
		// Nothing of this chunk is known to be on disk.
		f.Truncate(offset)
		return 0, diskErr(serr)
	}
	var we *chunkWriteError
	switch {
	case errors.As(cerr, &we):
		return written, diskErr(we.err)
	case cerr != nil || written < r.ContentLength:
		return written, core.Errorf("upload", core.IO, "the chunk was cut after %d of %d bytes; they are kept: continue at offset %d", written, r.ContentLength, offset+written)
	}
	return written, nil
}

// onlyWriter hides *os.File's ReadFrom so that CopyBuffer uses its buffer,
// and tells a failed write from a failed read.
type onlyWriter struct{ f *os.File }

type chunkWriteError struct{ err error }

func (e *chunkWriteError) Error() string { return e.err.Error() }

func (w onlyWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	if err != nil {
		return n, &chunkWriteError{err}
	}
	return n, nil
}
