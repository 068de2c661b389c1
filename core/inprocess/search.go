package inprocess

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/searchquery"
)

// maxSearchLimit is the largest page, as OMERO's JSON API's maxLimit.
const maxSearchLimit = 500

// Search implements core.Searcher. The readable scope is resolved here from
// the permission engine's rule and handed to the store as SQL, so a page
// holds only what the user may read and nothing is counted beyond it.
func (s *session) Search(ctx context.Context, req core.SearchRequest) (core.SearchResult, error) {
	const op = "search"
	q, err := searchquery.Parse(req.Query)
	if err != nil {
		var qe *searchquery.Error
		if errors.As(err, &qe) {
			return core.SearchResult{}, core.Errorf(op, core.Invalid, "%s", qe.Msg)
		}
		return core.SearchResult{}, core.E(op, core.Invalid, err)
	}
	for _, c := range req.Types {
		if !slices.Contains(core.SearchTypes, c) {
			return core.SearchResult{}, core.Errorf(op, core.Invalid, "%s is not something a search finds; use Project, Dataset, Image, Screen or Plate", c)
		}
	}
	if req.Limit <= 0 {
		req.Limit = 200
	}
	req.Limit = min(req.Limit, maxSearchLimit)
	switch req.DateField {
	case "", "import", "acquisition":
	default:
		return core.SearchResult{}, core.Errorf(op, core.Invalid, "dates are import or acquisition dates, not %q", req.DateField)
	}
	if !req.From.IsZero() && !req.To.IsZero() && req.To.Before(req.From) {
		return core.SearchResult{}, core.Errorf(op, core.Invalid, "the date range ends before it starts")
	}
	var out core.SearchResult
	err = s.read(ctx, func(d *ctxData) error {
		if req.Group != core.AnyID {
			if _, ok := d.groups[req.Group]; !ok || (!d.actor.IsMember(req.Group) && !d.actor.Admin) {
				return core.ErrNotFound(op, core.Ref{Class: core.ClassExperimenterGroup, ID: req.Group})
			}
		}
		spec := core.SearchSpec{Terms: q.Terms, Classes: req.Types, Me: d.actor.UserID, Admin: d.actor.Admin,
			Owner: req.Owner, Group: req.Group, From: req.From, To: req.To, DateField: req.DateField,
			Offset: req.Offset, Limit: req.Limit}
		for id, g := range d.groups {
			switch {
			case !d.actor.IsMember(id):
			case g.Level != core.Private || d.actor.IsOwnerOf(id):
				spec.All = append(spec.All, id)
			default:
				spec.OwnOnly = append(spec.OwnOnly, id)
			}
		}
		slices.Sort(spec.All)
		slices.Sort(spec.OwnOnly)
		objs, err := d.tx.Search(spec)
		if err != nil {
			return err
		}
		if len(objs) > req.Limit {
			objs, out.More = objs[:req.Limit], true
		}
		out.Hits = make([]core.SearchHit, 0, len(objs))
		wc := whereCache{parents: map[core.ID]*core.Object{}, objects: map[core.ID]*core.Object{}, links: map[core.ID][]*core.Object{}}
		d.prefetchWhere(objs, wc)
		for _, o := range objs {
			if !d.actor.CanRead(o.Owner, d.perm(o.Group)) {
				continue // the store's rule and the engine's must agree; the engine decides
			}
			where, path := d.where(o, wc)
			out.Hits = append(out.Hits, core.SearchHit{ObjectView: d.view(o), Where: where, Path: path})
		}
		return nil
	})
	return out, err
}

// whereLinks are the links that put each searchable class in a container.
var whereLinks = map[core.Class]core.Class{core.Image: core.DatasetImageLink, core.Dataset: core.ProjectDatasetLink,
	core.Plate: core.ScreenPlateLink}

// where says where a result lives, as the tree shows it: "Project P /
// Dataset D" (the first readable path), "Orphaned Images", or the group;
// and the same place as the tree's path of refs down to o
// ("Project:3/Dataset:5/Image:9"), for the desktop's "Show in tree".
// wc remembers containers for one page: a page's hits mostly share a few
// datasets, each read and its project looked up once, not once per hit.
func (d *ctxData) where(o *core.Object, wc whereCache) (string, string) {
	var path []string
	refs := []string{o.Ref.String()}
	cur := o
	for depth := 0; depth < 2; depth++ {
		if _, ok := whereLinks[cur.Class]; !ok {
			break
		}
		parent, known := wc.parents[cur.ID]
		if !known {
			parent = d.readableParent(cur, wc)
			if depth > 0 { // a hit is on the page once; its containers may be again
				wc.parents[cur.ID] = parent
			}
		}
		if parent == nil {
			break
		}
		path = append([]string{string(parent.Class) + " " + parent.Name}, path...)
		refs = append([]string{parent.Ref.String()}, refs...)
		cur = parent
	}
	if len(path) == 0 {
		if o.Class == core.Image {
			return "Orphaned Images in " + d.groups[o.Group].Name, string(core.OrphanedImages) + ":0/" + o.Ref.String()
		}
		return d.groups[o.Group].Name, o.Ref.String()
	}
	return strings.Join(path, " / "), strings.Join(refs, "/")
}

// whereCache is what where remembers within one page of results.
type whereCache struct {
	parents map[core.ID]*core.Object   // a container's readable parent, nil for none
	objects map[core.ID]*core.Object   // containers read, nil when unreadable or gone
	links   map[core.ID][]*core.Object // container links to an object, in ID order (prefetchWhere)
}

// readableParent is the first container o is linked into that the user may
// read, or nil.
func (d *ctxData) readableParent(o *core.Object, wc whereCache) *core.Object {
	links, known := wc.links[o.ID]
	if !known {
		q := core.NewQuery(whereLinks[o.Class])
		q.Child = o.ID
		var err error
		if links, err = d.tx.Find(q); err != nil {
			return nil
		}
	}
	for _, l := range links {
		p, known := wc.objects[l.Parent]
		if !known {
			if obj, err := d.tx.Object(l.Parent); err == nil && d.actor.CanRead(obj.Owner, d.perm(obj.Group)) {
				p = obj
			}
			wc.objects[l.Parent] = p
		}
		if p != nil {
			return p
		}
	}
	return nil
}
