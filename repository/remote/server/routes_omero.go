package server

import (
	"net"
	"net/http"
	"strconv"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/omejson"
)

// routesOMERO registers the OMERO JSON API (spec/omero-json-api.md §1–2;
// docs/server/omero-json-api.md): discovery, the m/ model routes and save.
// Login and the CSRF token are routes_auth.go's.
func (s *Server) routesOMERO() {
	s.handlePublic("GET /api/{$}", apiVersions)
	s.handlePublic("GET /api/v0/{$}", apiStart)
	s.handlePublic("GET /api/v0/servers/{$}", apiServers)

	const m = "/api/v0/m/"
	s.omero("GET "+m+"projects/{$}", func(a *api) error {
		if d, ok, err := a.idParam("dataset"); err != nil || ok {
			return a.containers(err, func() (listing, error) {
				return a.parentsVia(core.ProjectDatasetLink, core.Ref{Class: core.Dataset, ID: d}, core.Project)
			})
		}
		return a.containers(nil, func() (listing, error) { return a.list(core.Project) })
	})
	s.omero("GET "+m+"projects/{project}/{$}", a1(core.Project, (*api).getContainer))
	s.omero("DELETE "+m+"projects/{project}/{$}", a1(core.Project, (*api).deleteContainer))
	s.omero("GET "+m+"projects/{project}/datasets/{$}", a1(core.Project, func(a *api, p core.Ref) error {
		return a.containers(nil, func() (listing, error) { return a.childrenOf(p) })
	}))

	s.omero("GET "+m+"datasets/{$}", (*api).datasets)
	s.omero("GET "+m+"datasets/{dataset}/{$}", a1(core.Dataset, (*api).getContainer))
	s.omero("DELETE "+m+"datasets/{dataset}/{$}", a1(core.Dataset, (*api).deleteContainer))
	s.omero("GET "+m+"datasets/{dataset}/images/{$}", a1(core.Dataset, func(a *api, d core.Ref) error {
		return a.images(func() (listing, error) { return a.childrenOf(d) })
	}))
	s.omero("GET "+m+"datasets/{dataset}/projects/{$}", a1(core.Dataset, func(a *api, d core.Ref) error {
		return a.containers(nil, func() (listing, error) { return a.parentsVia(core.ProjectDatasetLink, d, core.Project) })
	}))

	s.omero("GET "+m+"images/{$}", func(a *api) error {
		d, ok, err := a.idParam("dataset")
		switch {
		case err != nil:
			return err
		case ok:
			return a.images(func() (listing, error) { return a.childrenOf(core.Ref{Class: core.Dataset, ID: d}) })
		case a.opts.orphaned:
			return a.images(func() (listing, error) { return a.orphans(core.Image) })
		}
		return a.images(func() (listing, error) { return a.list(core.Image) })
	})
	s.omero("GET "+m+"images/{image}/{$}", a1(core.Image, (*api).getImage))
	s.omero("DELETE "+m+"images/{image}/{$}", notAllowed)
	s.omero("GET "+m+"images/{image}/datasets/{$}", a1(core.Image, func(a *api, i core.Ref) error {
		return a.containers(nil, func() (listing, error) { return a.parentsVia(core.DatasetImageLink, i, core.Dataset) })
	}))

	s.omero("GET "+m+"screens/{$}", func(a *api) error {
		if p, ok, err := a.idParam("plate"); err != nil || ok {
			return a.containers(err, func() (listing, error) {
				return a.parentsVia(core.ScreenPlateLink, core.Ref{Class: core.Plate, ID: p}, core.Screen)
			})
		}
		return a.containers(nil, func() (listing, error) { return a.list(core.Screen) })
	})
	s.omero("GET "+m+"screens/{screen}/{$}", a1(core.Screen, (*api).getContainer))
	s.omero("DELETE "+m+"screens/{screen}/{$}", a1(core.Screen, (*api).deleteContainer))
	s.omero("GET "+m+"screens/{screen}/plates/{$}", a1(core.Screen, func(a *api, sc core.Ref) error {
		return a.containers(nil, func() (listing, error) { return a.childrenOf(sc) })
	}))

	s.routesOMEROPlates(m)
	s.routesOMEROUsers(m)
	s.routesOMEROSave(m)
}

// a1 adapts a handler of one object named by the route's wildcard.
func a1(c core.Class, h func(a *api, ref core.Ref) error) func(a *api) error {
	return func(a *api) error {
		ref, err := a.pathID(c)
		if err != nil {
			return err
		}
		return h(a, ref)
	}
}

// notAllowed is OMERO's 405 for what its API refuses (deleting an image
// or a plate), after the login check as there.
func notAllowed(a *api) error {
	writeJSON(a.w, http.StatusMethodNotAllowed, omejson.M{"message": "Method " + a.r.Method + " not supported"})
	return nil
}

// containers answers a list of projects, datasets, screens or plates.
func (a *api) containers(err error, read func() (listing, error)) error {
	if err != nil {
		return err
	}
	l, err := read()
	if err != nil {
		return err
	}
	return a.answer(l, func(v core.ObjectView) (omejson.M, error) { return a.enc.Object(v), nil })
}

// datasets is GET m/datasets/ with its filters project=, image= and
// orphaned=true.
func (a *api) datasets() error {
	if p, ok, err := a.idParam("project"); err != nil || ok {
		return a.containers(err, func() (listing, error) { return a.childrenOf(core.Ref{Class: core.Project, ID: p}) })
	}
	if i, ok, err := a.idParam("image"); err != nil || ok {
		return a.containers(err, func() (listing, error) {
			return a.parentsVia(core.DatasetImageLink, core.Ref{Class: core.Image, ID: i}, core.Dataset)
		})
	}
	if a.opts.orphaned {
		return a.containers(nil, func() (listing, error) { return a.orphans(core.Dataset) })
	}
	return a.containers(nil, func() (listing, error) { return a.list(core.Dataset) })
}

// getContainer answers one project, dataset or screen.
func (a *api) getContainer(ref core.Ref) error {
	v, err := a.get(ref)
	if err != nil {
		return err
	}
	one := []core.ObjectView{v}
	if a.opts.childCount {
		if err := a.countChildren(one); err != nil {
			return err
		}
	}
	a.loadOwners(one)
	m := a.enc.Object(one[0])
	if a.opts.childCount {
		m["omero:childCount"] = one[0].ChildCount
	}
	return a.writeOne(http.StatusOK, m)
}

// images answers a list of images, each with its Pixels (OMERO loads
// them for every listed image) read for the page only.
func (a *api) images(read func() (listing, error)) error {
	l, err := read()
	if err != nil {
		return err
	}
	return a.answer(l, func(v core.ObjectView) (omejson.M, error) {
		p, _, err := a.sess.ImageDetails(a.r.Context(), v.Ref)
		switch {
		case core.Is(core.NotFound, err): // an image without pixels yet, or gone since
			return a.enc.Object(v), nil
		case err != nil:
			return nil, err
		}
		return a.enc.Image(v, p, nil), nil
	})
}

// getImage answers one image with its Pixels and Channels.
func (a *api) getImage(ref core.Ref) error {
	v, err := a.get(ref)
	if err != nil {
		return err
	}
	a.loadOwners([]core.ObjectView{v})
	p, chs, err := a.sess.ImageDetails(a.r.Context(), ref)
	switch {
	case core.Is(core.NotFound, err):
		return a.writeOne(http.StatusOK, a.enc.Object(v))
	case err != nil:
		return err
	}
	if chs == nil {
		chs = []core.ChannelInfo{}
	}
	return a.writeOne(http.StatusOK, a.enc.Image(v, p, chs))
}

// apiVersions is GET /api/: the versions this server speaks.
func apiVersions(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, omejson.M{"data": []omejson.M{{"version": "0", "url:base": apiBase(r)}}})
}

// apiStart is GET /api/v0/: where everything starts.
func apiStart(w http.ResponseWriter, r *http.Request) {
	b := apiBase(r)
	out := omejson.M{"url:schema": omejson.Schema}
	for _, k := range []string{"experimenters", "experimentergroups", "projects", "datasets", "images", "screens", "plates", "save"} {
		out["url:"+k] = b + "m/" + k + "/"
	}
	for _, k := range []string{"token", "servers", "login"} {
		out["url:"+k] = b + k + "/"
	}
	writeJSON(w, http.StatusOK, out)
}

// apiServers is GET /api/v0/servers/: one server, this one, as the client
// reached it (OMERO lists the Blitz servers a web server may log in to).
func apiServers(w http.ResponseWriter, r *http.Request) {
	host, port, err := net.SplitHostPort(r.Host)
	if err != nil {
		host, port = r.Host, "443"
		if r.TLS == nil {
			port = "80"
		}
	}
	p, _ := strconv.Atoi(port)
	writeJSON(w, http.StatusOK, omejson.M{"data": []omejson.M{{"id": 1, "host": host, "port": p}}})
}
