package server

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/omejson"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// The JSON API's paging (omero.web.api.limit and max_limit).
const (
	apiDefaultLimit = 200
	apiMaxLimit     = 500
)

// listOpts are the query parameters every m/ list takes (OMERO's
// ObjectsView.get_opts).
type listOpts struct {
	offset, limit              int
	owner, group               core.ID
	childCount, orphaned, norm bool
}

// api is one JSON API request: the caller's session, its options and the
// encoder writing absolute url:* links for the request's host.
type api struct {
	s    *Server
	w    http.ResponseWriter
	r    *http.Request
	sess core.Session
	opts listOpts
	enc  *omejson.Encoder
}

// apiBase is the absolute URL of /api/v0/ as the client reached it
// (OMERO's build_url uses request.build_absolute_uri the same way).
func apiBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + wire.APIPrefix
}

// omero registers a JSON API route that needs a session: it parses the
// common parameters (answering 400 for bad ones before anything is read)
// and hands the request on as an *api.
func (s *Server) omero(pattern string, h func(a *api) error) {
	s.handle(pattern, func(w http.ResponseWriter, r *http.Request, sess core.Session) {
		a := &api{s: s, w: w, r: r, sess: sess, enc: &omejson.Encoder{Base: apiBase(r), Users: map[core.ID]core.Experimenter{}}}
		var err error
		if a.opts, err = parseListOpts(r); err == nil {
			err = h(a)
		}
		if err != nil {
			writeError(w, err)
		}
	})
}

func parseListOpts(r *http.Request) (listOpts, error) {
	o := listOpts{limit: apiDefaultLimit, owner: core.AnyID, group: core.AnyID}
	q := r.URL.Query()
	var err error
	if o.offset, err = intParam(q.Get("offset"), "offset", 0, 0); err != nil {
		return o, err
	}
	if o.limit, err = intParam(q.Get("limit"), "limit", apiDefaultLimit, 0); err != nil {
		return o, err
	}
	o.limit = min(o.limit, apiMaxLimit)
	for _, p := range []struct {
		name string
		dst  *core.ID
	}{{"owner", &o.owner}, {"group", &o.group}} {
		n, err := intParam(q.Get(p.name), p.name, -1, -1)
		if err != nil {
			return o, err
		}
		*p.dst = core.ID(n)
	}
	for _, p := range []struct {
		name string
		dst  *bool
	}{{"childCount", &o.childCount}, {"orphaned", &o.orphaned}, {"normalize", &o.norm}} {
		if *p.dst, err = boolParam(q.Get(p.name), p.name); err != nil {
			return o, err
		}
	}
	return o, nil
}

// intParam reads a whole-number parameter of at least lowest, or def when
// absent. Values past int's range are refused, not wrapped.
func intParam(s, name string, def, lowest int) (int, error) {
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lowest {
		return 0, core.Errorf("", core.Invalid, "%s must be a whole number of at least %d, not %q", name, lowest, clip(s))
	}
	return n, nil
}

func boolParam(s, name string) (bool, error) {
	switch strings.ToLower(s) {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	return false, core.Errorf("", core.Invalid, "%s must be true or false, not %q", name, clip(s))
}

// clip keeps echoed input short.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// idParam reads an optional ID filter such as dataset=12.
func (a *api) idParam(name string) (core.ID, bool, error) {
	s := a.r.URL.Query().Get(name)
	if s == "" {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, false, core.Errorf("", core.Invalid, "%s must be an object ID (a whole number), not %q", name, clip(s))
	}
	return core.ID(n), true, nil
}

// pathID reads the object ID of a route wildcard ({project}...). A
// non-number names no object, so it answers as a missing one.
func (a *api) pathID(c core.Class) (core.Ref, error) {
	name := strings.ToLower(string(c))
	n, err := strconv.ParseInt(a.r.PathValue(name), 10, 64)
	ref := core.Ref{Class: c, ID: core.ID(n)}
	if err != nil || n < 0 {
		return ref, core.Errorf("", core.NotFound, "%s not found", c)
	}
	return ref, nil
}

// notFound is the one answer for an object that is missing or hidden:
// OMERO.web's sentence without the ID ("Image not found"), so the body is
// the same whichever ID was asked for and whether it exists or is hidden.
func notFound(ref core.Ref) error {
	return core.Errorf("", core.NotFound, "%s not found", ref.Class)
}

// get reads one object, answering a hidden one exactly as a missing one.
func (a *api) get(ref core.Ref) (core.ObjectView, error) {
	v, err := a.sess.Get(a.r.Context(), ref)
	if err != nil {
		if core.Is(core.NotFound, err) {
			return v, notFound(ref)
		}
		return v, err
	}
	if v.Class != ref.Class { // IDs are shared by all classes: Project:7 may be an Image
		return v, notFound(ref)
	}
	return v, nil
}

// keep filters views by the owner and group parameters.
func (a *api) keep(vs []core.ObjectView) []core.ObjectView {
	if a.opts.owner == core.AnyID && a.opts.group == core.AnyID {
		return vs
	}
	out := vs[:0:0]
	for _, v := range vs {
		if (a.opts.owner == core.AnyID || v.Owner == a.opts.owner) && (a.opts.group == core.AnyID || v.Group == a.opts.group) {
			out = append(out, v)
		}
	}
	return out
}

// sortByName orders as OMERO's queries do: lower(name), then id.
func sortByName(vs []core.ObjectView) {
	slices.SortStableFunc(vs, func(x, y core.ObjectView) int {
		if c := strings.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name)); c != 0 {
			return c
		}
		return cmp.Compare(x.ID, y.ID)
	})
}

// page returns the requested slice of vs.
func (a *api) page(vs []core.ObjectView) []core.ObjectView {
	lo := min(a.opts.offset, len(vs))
	hi := min(lo+a.opts.limit, len(vs))
	return vs[lo:hi]
}

// loadOwners reads the owners of the page's objects once each, so the
// details name them as OMERO does. An owner the caller may not read is
// written with its @id alone.
func (a *api) loadOwners(vs []core.ObjectView) {
	for _, v := range vs {
		if _, ok := a.enc.Users[v.Owner]; ok {
			continue
		}
		u, err := a.sess.User(a.r.Context(), strconv.FormatInt(int64(v.Owner), 10))
		if err != nil {
			u.ID = v.Owner
		}
		a.enc.Users[v.Owner] = u.Experimenter
	}
}

// writeList answers the list envelope for objects already encoded.
func (a *api) writeList(data []omejson.M, total int) error {
	if data == nil {
		data = []omejson.M{}
	}
	body := omejson.M{"data": data, "meta": omejson.M{"offset": a.opts.offset, "limit": a.opts.limit, "maxLimit": apiMaxLimit, "totalCount": total}}
	if a.opts.norm {
		body["experimenters"], body["experimenterGroups"] = omejson.Normalize(data)
	}
	writeJSON(a.w, http.StatusOK, body)
	return nil
}

// writeOne answers a single object as {"data": {...}}.
func (a *api) writeOne(status int, m omejson.M) error {
	writeJSON(a.w, status, omejson.M{"data": m})
	return nil
}

// listing is a list of visible objects before paging.
type listing struct {
	views []core.ObjectView
	// counted says Browse filled ChildCount already.
	counted bool
}

// answer pages a listing, then loads only the page's extras (child counts,
// owners, Pixels) and encodes it: the cost of marshalling is bounded by
// the limit whatever the size of the list.
func (a *api) answer(l listing, encode func(v core.ObjectView) (omejson.M, error)) error {
	views := a.keep(l.views)
	pg := a.page(views)
	if a.opts.childCount && !l.counted {
		if err := a.countChildren(pg); err != nil {
			return err
		}
	}
	a.loadOwners(pg)
	data := make([]omejson.M, 0, len(pg))
	for _, v := range pg {
		m, err := encode(v)
		if err != nil {
			return err
		}
		if a.opts.childCount {
			if _, ok := childLinks[v.Class]; ok {
				m["omero:childCount"] = v.ChildCount
			}
		}
		data = append(data, m)
	}
	return a.writeList(data, len(views))
}

// childLinks are the containers omero:childCount counts the children of
// (through ProjectDatasetLink, DatasetImageLink, ScreenPlateLink).
var childLinks = map[core.Class]bool{core.Project: true, core.Dataset: true, core.Screen: true}

// countChildren fills ChildCount of the page's containers by asking core
// for each one's children (core decides what the caller sees of them).
func (a *api) countChildren(vs []core.ObjectView) error {
	for i := range vs {
		if !childLinks[vs[i].Class] {
			continue
		}
		kids, err := a.children(vs[i])
		if err != nil {
			return err
		}
		vs[i].ChildCount = len(kids)
	}
	return nil
}

// children is one level of the tree below v, as the caller sees it.
func (a *api) children(v core.ObjectView) ([]core.ObjectView, error) {
	return a.sess.Browse(a.r.Context(), core.BrowseRequest{Group: v.Group, Owner: core.AnyID, Parent: v.Ref})
}

// childrenOf lists the children of parent (a missing or hidden parent has
// none, as OMERO's filtered queries find none), with their child counts.
func (a *api) childrenOf(parent core.Ref) (listing, error) {
	v, err := a.get(parent)
	if core.Is(core.NotFound, err) {
		return listing{}, nil
	}
	if err != nil {
		return listing{}, err
	}
	kids, err := a.children(v)
	return listing{views: kids, counted: true}, err
}

// readableGroups are the groups whose trees the caller may browse: the one
// asked for, or every group core lists for the caller ("-1 = all groups the
// user can read").
func (a *api) readableGroups() ([]core.ID, error) {
	if a.opts.group != core.AnyID {
		return []core.ID{a.opts.group}, nil
	}
	me, err := a.sess.Me(a.r.Context())
	if err != nil {
		return nil, err
	}
	groups := me.Groups
	if me.Admin { // an administrator reads every group, as List answers them
		if groups, err = a.sess.Groups(a.r.Context()); err != nil {
			return nil, err
		}
	}
	var out []core.ID
	for _, g := range groups {
		if g.ID != core.UserGroupID {
			out = append(out, g.ID)
		}
	}
	return out, nil
}

// orphans lists the top-level objects of class (orphaned datasets or
// plates) or the Orphaned Images of the readable groups: core's Browse
// decides what is orphaned, the same answer the tree gives.
func (a *api) orphans(class core.Class) (listing, error) {
	groups, err := a.readableGroups()
	if err != nil {
		return listing{}, err
	}
	var out []core.ObjectView
	for _, g := range groups {
		req := core.BrowseRequest{Group: g, Owner: a.opts.owner}
		if class == core.Image {
			req.Parent = core.Ref{Class: core.OrphanedImages}
		}
		vs, err := a.sess.Browse(a.r.Context(), req)
		if core.Is(core.NotFound, err) { // a group the caller is not in has no orphans for them
			continue
		}
		if err != nil {
			return listing{}, err
		}
		for _, v := range vs {
			if v.Class == class {
				out = append(out, v)
			}
		}
	}
	sortByName(out)
	return listing{views: out, counted: true}, nil
}

// list lists the visible objects of class in the owner and group asked.
func (a *api) list(class core.Class) (listing, error) {
	vs, err := a.sess.List(a.r.Context(), class, a.opts.owner, a.opts.group)
	sortByName(vs)
	return listing{views: vs}, err
}

// parentsVia lists the visible parents, through links of class link, of
// the object child. Links never cross groups, so only the child's group's
// links are read.
func (a *api) parentsVia(link core.Class, child core.Ref, parent core.Class) (listing, error) {
	c, err := a.get(child)
	if core.Is(core.NotFound, err) {
		return listing{}, nil
	}
	if err != nil {
		return listing{}, err
	}
	links, err := a.sess.List(a.r.Context(), link, core.AnyID, c.Group)
	if err != nil {
		return listing{}, err
	}
	var out []core.ObjectView
	seen := map[core.ID]bool{}
	for _, l := range links {
		if l.Child != c.ID || seen[l.Parent] {
			continue
		}
		seen[l.Parent] = true
		p, err := a.get(core.Ref{Class: parent, ID: l.Parent})
		if core.Is(core.NotFound, err) {
			continue
		}
		if err != nil {
			return listing{}, err
		}
		out = append(out, p)
	}
	sortByName(out)
	return listing{views: out}, nil
}
