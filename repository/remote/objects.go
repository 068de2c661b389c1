package remote

// core.Objects over /ocular/v1/objects, /browse, /flags and /delete.

import (
	"context"
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
	var out []wire.Object
	q := url.Values{"owner": {idParam(owner)}, "group": {idParam(group)}}
	if err := s.call(ctx, http.MethodGet, classPath(class)+"?"+q.Encode(), nil, &out); err != nil {
		return nil, err
	}
	return wire.Views(out), nil
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
	var out []wire.Object
	if err := s.call(ctx, http.MethodGet, "/ocular/v1/browse?"+q.Encode(), nil, &out); err != nil {
		return nil, err
	}
	return wire.Views(out), nil
}

// ImageDetails implements core.Objects.
func (s *Session) ImageDetails(ctx context.Context, ref core.Ref) (core.PixelsInfo, []core.ChannelInfo, error) {
	var out wire.ImageDetails
	if err := s.call(ctx, http.MethodGet, objectPath(ref)+"/details", nil, &out); err != nil {
		return core.PixelsInfo{}, nil, err
	}
	return out.Pixels, out.Channels, nil
}
