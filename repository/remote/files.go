package remote

// Attachments, annotations, the files of past imports and import stations'
// records over /ocular/v1/ (repository/remote/server/routes_files.go).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// Annotations implements core.Annotations.
func (s *Session) Annotations(ctx context.Context, target core.Ref) ([]core.AnnotationOn, error) {
	var out []wire.AnnotationOn
	if err := s.call(ctx, http.MethodGet, objectPath(target)+"/annotations", nil, &out); err != nil {
		return nil, err
	}
	return wire.Annotations(out), nil
}

// send sends one request with hc, the session's key and group, and
// returns a 2xx response (its body to be closed by the caller); any other
// status is the server's core error. accept, when not empty, is the media
// type asked for.
func (s *Session) send(ctx context.Context, hc *http.Client, method, path string, body io.Reader, accept string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, s.svc.url(path), body)
	if err != nil {
		return nil, core.E(path, core.Invalid, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/octet-stream")
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	req.Header.Set(wire.SessionHeader, s.currentKey())
	if s.inGroup && s.group != 0 {
		req.Header.Set(wire.GroupHeader, strconv.FormatInt(int64(s.group), 10))
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, s.svc.netError(path, err)
	}
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		return nil, wire.Decode(resp.StatusCode, b)
	}
	return resp, nil
}

// stream is send for a body or an answer that may take longer than the
// Service's per-request timeout (a large attachment): ctx bounds it.
func (s *Session) stream(ctx context.Context, method, path string, body io.Reader) (*http.Response, error) {
	return s.send(ctx, &http.Client{Transport: s.svc.hc.Transport}, method, path, body, "")
}

// OpenFile implements core.Annotations: the file is streamed, never held
// whole, and no more bytes are read than the server announced. As
// in-process, the ID names an OriginalFile whatever the ref's class.
func (s *Session) OpenFile(ctx context.Context, file core.Ref) (io.ReadCloser, error) {
	resp, err := s.stream(ctx, http.MethodGet, "/ocular/v1/files/"+strconv.FormatInt(int64(file.ID), 10)+"/content", nil)
	if err != nil {
		return nil, err
	}
	if resp.ContentLength < 0 {
		return resp.Body, nil
	}
	return &sized{ReadCloser: resp.Body, left: resp.ContentLength}, nil
}

// sized ends a download at its announced length and says when the
// connection ended before it.
type sized struct {
	io.ReadCloser
	left int64
}

func (r *sized) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	n, err := r.ReadCloser.Read(p)
	r.left -= int64(n)
	if errors.Is(err, io.EOF) && r.left > 0 || errors.Is(err, io.ErrUnexpectedEOF) {
		return n, core.Errorf("open file", core.IO, "the connection to the server ended %d bytes before the end of the file; try again", r.left)
	}
	return n, err
}

// Upload implements core.Importer: the content is streamed to the server,
// which refuses files over its limit with a sentence and stores nothing.
func (s *Session) Upload(ctx context.Context, name string, content io.Reader) (core.ObjectView, error) {
	resp, err := s.stream(ctx, http.MethodPost, "/ocular/v1/files?"+url.Values{"name": {name}}.Encode(), content)
	if err != nil {
		return core.ObjectView{}, err
	}
	defer resp.Body.Close()
	var out wire.Object
	if err := decodeBody(resp.Body, &out); err != nil {
		return core.ObjectView{}, err
	}
	return out.View(), nil
}

// RegisterFileset implements core.Importer: a client cannot register files
// it placed itself, the server places them.
func (s *Session) RegisterFileset(_ context.Context, _ core.FilesetImport) (core.ImportResult, error) {
	return core.ImportResult{}, core.Errorf("import", core.Unsupported,
		"a server registers only files uploaded to it: import through the server's upload, not by registering a fileset")
}

// ManagedDir implements core.Importer: the server keeps the files.
func (s *Session) ManagedDir() string { return "" }

// ImportedFiles implements core.Importer.
func (s *Session) ImportedFiles(ctx context.Context, clientPath string) ([]core.FilesetEntry, error) {
	var out []core.FilesetEntry
	err := s.call(ctx, http.MethodGet, "/ocular/v1/imported-files?"+url.Values{"clientPath": {clientPath}}.Encode(), nil, &out)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// WatchRecords implements core.WatchState.
func (s *Session) WatchRecords(ctx context.Context, station string) ([]core.WatchRecord, error) {
	var out []wire.WatchRecord
	if err := s.call(ctx, http.MethodGet, "/ocular/v1/watch?"+url.Values{"station": {station}}.Encode(), nil, &out); err != nil {
		return nil, err
	}
	if out == nil {
		return nil, nil
	}
	rs := make([]core.WatchRecord, len(out))
	for i, r := range out {
		rs[i] = r.Core()
	}
	return rs, nil
}

// SaveWatchRecord implements core.WatchState.
func (s *Session) SaveWatchRecord(ctx context.Context, r core.WatchRecord) error {
	return s.call(ctx, http.MethodPut, "/ocular/v1/watch", wire.FromWatchRecord(r), nil)
}

func decodeBody(r io.Reader, v any) error {
	if err := json.NewDecoder(r).Decode(v); err != nil {
		return core.E("read answer", core.IO, fmt.Errorf("the server's answer could not be read: %w", err))
	}
	return nil
}

// AnnotationsOf implements core.AnnotationsBatch: the annotations of many
// objects in one request per 500 (the grid's filters).
func (s *Session) AnnotationsOf(ctx context.Context, targets []core.Ref) ([][]core.AnnotationOn, error) {
	out := make([][]core.AnnotationOn, 0, len(targets))
	for start := 0; start < len(targets); start += 500 {
		batch := targets[start:min(start+500, len(targets))]
		var got [][]wire.AnnotationOn
		if err := s.call(ctx, http.MethodPost, "/ocular/v1/annotations", wire.Refs{Refs: wire.FormatRefs(batch)}, &got); err != nil {
			return nil, err
		}
		if len(got) != len(batch) {
			return nil, core.Errorf("annotations", core.IO, "the server answered %d lists for %d objects", len(got), len(batch))
		}
		for _, as := range got {
			out = append(out, wire.Annotations(as))
		}
	}
	return out, nil
}
