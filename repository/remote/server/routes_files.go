package server

// Attachments (upload and download, streamed), the files of past imports,
// and import stations' records.

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strconv"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

func (s *Server) routesFiles() {
	s.handle("POST /ocular/v1/files", s.uploadFile)
	s.handle("GET /ocular/v1/files/{file}/content", s.fileContent)
	s.handle("GET /ocular/v1/imported-files", s.importedFiles)
	s.handle("GET /ocular/v1/watch", s.watchRecords)
	s.handle("PUT /ocular/v1/watch", s.saveWatchRecord)
}

// errTooLarge marks a body cut at the attachment limit.
type errTooLarge struct{ max int64 }

func (e errTooLarge) Error() string {
	return fmt.Sprintf("the file is larger than this server accepts (%d MiB)", e.max>>20)
}

// capped reads at most max bytes and fails, instead of reading on, past it.
type capped struct {
	r    io.Reader
	left int64
	max  int64
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// One byte more tells a body of exactly max from a longer one.
		var one [1]byte
		if n, _ := c.r.Read(one[:]); n > 0 {
			return 0, errTooLarge{c.max}
		}
		return 0, io.EOF
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// uploadFile is POST /ocular/v1/files?name=NAME with the file's bytes as the
// body: core.Importer.Upload, streamed to the repository, at most
// Limits.MaxAttachment bytes (a longer body stores nothing).
func (s *Server) uploadFile(w http.ResponseWriter, r *http.Request, sess core.Session) {
	max := s.limits.MaxAttachment
	if r.ContentLength > max {
		writeError(w, core.Errorf("upload", core.Invalid, "%s", errTooLarge{max}.Error()))
		return
	}
	v, err := sess.Upload(r.Context(), r.URL.Query().Get("name"), &capped{r: r.Body, left: max, max: max})
	var tl errTooLarge
	if errors.As(err, &tl) {
		err = core.Errorf("upload", core.Invalid, "%s", tl.Error())
	}
	answer(w, wire.FromView(v), err)
}

// fileContent is GET /ocular/v1/files/{file}/content: core.Annotations'
// OpenFile, streamed, with its length when the repository knows it.
func (s *Server) fileContent(w http.ResponseWriter, r *http.Request, sess core.Session) {
	id, err := pathID(r, "file")
	if err != nil {
		writeError(w, err)
		return
	}
	rc, err := sess.OpenFile(r.Context(), core.Ref{Class: core.OriginalFile, ID: id})
	if err != nil {
		writeError(w, err)
		return
	}
	defer rc.Close()
	if st, ok := rc.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if fi, err := st.Stat(); err == nil && fi.Mode().IsRegular() {
			w.Header().Set("Content-Length", strconv.FormatInt(fi.Size(), 10))
		}
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.WriteHeader(http.StatusOK)
	io.Copy(w, rc)
}

func (s *Server) importedFiles(w http.ResponseWriter, r *http.Request, sess core.Session) {
	fs, err := sess.ImportedFiles(r.Context(), r.URL.Query().Get("clientPath"))
	answer(w, fs, err)
}

func (s *Server) watchRecords(w http.ResponseWriter, r *http.Request, sess core.Session) {
	rs, err := sess.WatchRecords(r.Context(), r.URL.Query().Get("station"))
	var out []wire.WatchRecord
	if rs != nil {
		out = make([]wire.WatchRecord, len(rs))
		for i, rec := range rs {
			out[i] = wire.FromWatchRecord(rec)
		}
	}
	answer(w, out, err)
}

func (s *Server) saveWatchRecord(w http.ResponseWriter, r *http.Request, sess core.Session) {
	var in wire.WatchRecord
	if err := s.decodeJSON(r, &in); err != nil {
		writeError(w, err)
		return
	}
	done(w, sess.SaveWatchRecord(r.Context(), in.Core()))
}
