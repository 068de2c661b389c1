package remote

// core.Objects over /ocular/v1/objects, /browse, /flags and /delete.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// classPath is the path of a class's objects. A class is sent as given:
// the server's core judges it, with the same sentence as in-process.
func classPath(c core.Class) string {
	if c == "" {
		c = "-" // an empty segment would name another route
	}
	return "/ocular/v1/objects/" + url.PathEscape(string(c))
}

func objectPath(r core.Ref) string {
	return classPath(r.Class) + "/" + strconv.FormatInt(int64(r.ID), 10)
}

func idParam(id core.ID) string { return strconv.FormatInt(int64(id), 10) }

// Create implements core.Objects.
func (s *Session) Create(ctx context.Context, class core.Class, fields map[string]string) (core.ObjectView, error) {
	var out wire.Object
	if fields == nil {
		fields = map[string]string{}
	}
	if err := s.call(ctx, http.MethodPost, classPath(class), fields, &out); err != nil {
		return core.ObjectView{}, err
	}
	return out.View(), nil
}

// Update implements core.Objects.
func (s *Session) Update(ctx context.Context, ref core.Ref, fields map[string]string) (core.ObjectView, error) {
	var out wire.Object
	if fields == nil {
		fields = map[string]string{}
	}
	if err := s.call(ctx, http.MethodPatch, objectPath(ref), fields, &out); err != nil {
		return core.ObjectView{}, err
	}
	return out.View(), nil
}

// Get implements core.Objects.
func (s *Session) Get(ctx context.Context, ref core.Ref) (core.ObjectView, error) {
	var out wire.Object
	if err := s.call(ctx, http.MethodGet, objectPath(ref), nil, &out); err != nil {
		return core.ObjectView{}, err
	}
	return out.View(), nil
}

// List implements core.Objects.
func (s *Session) List(ctx context.Context, class core.Class, owner, group core.ID) ([]core.ObjectView, error) {
	q := url.Values{"owner": {idParam(owner)}, "group": {idParam(group)}}
	return s.objects(ctx, classPath(class)+"?"+q.Encode())
}

// Delete implements core.Objects: all the refs in one request, so in one
// transaction on the server.
func (s *Session) Delete(ctx context.Context, refs ...core.Ref) error {
	return s.call(ctx, http.MethodPost, "/ocular/v1/delete", wire.Refs{Refs: wire.FormatRefs(refs)}, nil)
}

// Flags implements core.Objects.
func (s *Session) Flags(ctx context.Context, refs []core.Ref) ([]core.ObjectFlags, error) {
	var out []wire.ObjectFlags
	if err := s.call(ctx, http.MethodPost, "/ocular/v1/flags", wire.Refs{Refs: wire.FormatRefs(refs)}, &out); err != nil {
		return nil, err
	}
	if out == nil {
		return nil, nil
	}
	fs := make([]core.ObjectFlags, len(out))
	for i, f := range out {
		fs[i] = f.ObjectFlags
		fs[i].Read = f.Read
	}
	return fs, nil
}

// Browse implements core.Objects.
func (s *Session) Browse(ctx context.Context, req core.BrowseRequest) ([]core.ObjectView, error) {
	q := url.Values{"group": {idParam(req.Group)}, "owner": {idParam(req.Owner)}}
	if !req.Parent.IsZero() {
		q.Set("parent", wire.FormatRef(req.Parent))
	}
	if req.Fields {
		q.Set("fields", "true")
	}
	return s.objects(ctx, "/ocular/v1/browse?"+q.Encode())
}

// ImageDetails implements core.Objects.
func (s *Session) ImageDetails(ctx context.Context, ref core.Ref) (core.PixelsInfo, []core.ChannelInfo, error) {
	var out wire.ImageDetails
	if err := s.call(ctx, http.MethodGet, objectPath(ref)+"/details", nil, &out); err != nil {
		return core.PixelsInfo{}, nil, err
	}
	return out.Pixels, out.Channels, nil
}

// objects GETs a list of objects in the compact encoding (wire.ObjectsType),
// which a large dataset needs to come close to in-process speed.
func (s *Session) objects(ctx context.Context, path string) ([]core.ObjectView, error) {
	resp, err := s.send(ctx, s.svc.hc, http.MethodGet, path, nil, wire.ObjectsType)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Type") != wire.ObjectsType {
		// A server that answers JSON all the same.
		var out []wire.Object
		if err := decodeBody(resp.Body, &out); err != nil {
			return nil, err
		}
		return wire.Views(out), nil
	}
	// The length announced bounds the buffer; a server that announces none
	// is read up to the same bound as JSON answers are not: 1 GiB.
	const limit = 1 << 30
	if resp.ContentLength > limit {
		return nil, core.Errorf(path, core.IO, "the server's answer is too large (%d bytes)", resp.ContentLength)
	}
	var b []byte
	if resp.ContentLength >= 0 {
		b = make([]byte, resp.ContentLength)
		_, err = io.ReadFull(resp.Body, b)
	} else {
		b, err = io.ReadAll(io.LimitReader(resp.Body, limit))
	}
	if err != nil {
		return nil, s.svc.netError(path, err)
	}
	vs, err := wire.DecodeObjects(b)
	if err != nil {
		return nil, core.E(path, core.IO, fmt.Errorf("the server's answer could not be read: %w", err))
	}
	return vs, nil
}
