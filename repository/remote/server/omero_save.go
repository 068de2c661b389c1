package server

import (
	"net/http"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

// routesOMEROSave registers m/save/ (create with POST, update with PUT).
func (s *Server) routesOMEROSave(m string) {
	s.omero("POST "+m+"save/{$}", (*api).create)
	s.omero("PUT "+m+"save/{$}", (*api).update)
}

// savable are the classes the JSON API creates and updates.
var savable = map[string]core.Class{"Project": core.Project, "Dataset": core.Dataset, "Screen": core.Screen}

// saveBody reads an omero-marshal object: its class from "@type" (the
// schema URL or the bare class name) and the fields Ocular stores (Name,
// Description). Other keys (omero:details, url:*, Screen's protocol
// fields) are read and ignored, as OMERO ignores the ones it cannot set.
func (a *api) saveBody(verb string) (core.Class, map[string]any, error) {
	var body map[string]any
	if err := a.s.decodeJSON(a.r, &body); err != nil {
		return "", nil, err
	}
	if body == nil {
		return "", nil, core.Errorf("", core.Invalid, "the body must be a JSON object with \"@type\"")
	}
	t, ok := body["@type"].(string)
	if !ok || t == "" {
		return "", nil, core.Errorf("", core.Invalid, "Need to specify '@type' attribute")
	}
	name := t[strings.LastIndex(t, "#")+1:]
	c, ok := savable[name]
	if !ok {
		return "", nil, core.Errorf("", core.Invalid, "%s of %s not supported: only Project, Dataset and Screen", verb, clip(name))
	}
	for _, k := range []string{"Name", "Description"} {
		if v, ok := body[k]; ok && v != nil {
			if _, isStr := v.(string); !isStr {
				return "", nil, core.Errorf("", core.Invalid, "%s must be a string", k)
			}
		}
	}
	return c, body, nil
}

func str(body map[string]any, k string) string { s, _ := body[k].(string); return s }

// create is POST m/save/?group=: a new Project, Dataset or Screen in the
// group asked (the session's group by default), answered with 201.
func (a *api) create() error {
	c, body, err := a.saveBody("Creation")
	if err != nil {
		return err
	}
	if _, has := body["@id"]; has {
		return core.Errorf("", core.Invalid, "Object has '@id' attribute. Use PUT to update objects")
	}
	sess := a.sess
	if g, ok, err := a.idParam("group"); err != nil {
		return err
	} else if ok {
		if sess, err = sess.InGroup(a.r.Context(), g); err != nil {
			return err
		}
	}
	fields := map[string]string{"name": str(body, "Name")}
	if d := str(body, "Description"); d != "" {
		fields["description"] = d
	}
	v, err := sess.Create(a.r.Context(), c, fields)
	if err != nil {
		return err
	}
	a.loadOwners([]core.ObjectView{v})
	return a.writeOne(http.StatusCreated, a.enc.Object(v))
}

// update is PUT m/save/: the object's Name and Description become the
// body's, as OMERO saves the object sent (a Description left out is
// cleared).
func (a *api) update() error {
	c, body, err := a.saveBody("Update")
	if err != nil {
		return err
	}
	idf, ok := body["@id"].(float64)
	if !ok {
		return core.Errorf("", core.Invalid, "No '@id' attribute. Use POST to create new objects")
	}
	ref := core.Ref{Class: c, ID: core.ID(idf)}
	if idf < 0 || float64(ref.ID) != idf {
		return notFound(ref)
	}
	if _, err := a.get(ref); err != nil {
		return err
	}
	v, err := a.sess.Update(a.r.Context(), ref, map[string]string{"name": str(body, "Name"), "description": str(body, "Description")})
	if core.Is(core.NotFound, err) {
		return notFound(ref)
	}
	if err != nil {
		return err
	}
	a.loadOwners([]core.ObjectView{v})
	return a.writeOne(http.StatusOK, a.enc.Object(v))
}

// deleteContainer is DELETE m/projects|datasets|screens/{id}/: OMERO's
// delete of the object with what it contains and nothing else holds (a
// graph delete, core's rules and all-or-nothing), answering the object as
// it was.
func (a *api) deleteContainer(ref core.Ref) error {
	v, err := a.get(ref)
	if err != nil {
		return err
	}
	a.loadOwners([]core.ObjectView{v})
	m := a.enc.Object(v)
	_, err = a.sess.RunGraph(a.r.Context(), core.GraphRequest{Op: core.OpDelete, Targets: []core.Target{{Class: ref.Class, IDs: []core.ID{ref.ID}}}})
	if core.Is(core.NotFound, err) {
		return notFound(ref)
	}
	if err != nil {
		return err
	}
	return a.writeOne(http.StatusOK, m)
}
