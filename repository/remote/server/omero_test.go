package server_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core/omejson"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

func TestOMERODiscovery(t *testing.T) {
	l := newLab(t)
	st, m, resp := l.do("", "GET", "/api/", "")
	if st != 200 || path(m, "data", 0, "version") != "0" || path(m, "data", 0, "url:base") != l.ts.URL+"/api/v0/" {
		t.Errorf("GET /api/: %d %v", st, m)
	}
	if v := resp.Header.Get(wire.OMEROVersionHeader); v != "0.2" {
		t.Errorf("X-OMERO-ApiVersion = %q", v)
	}
	m = l.get("", "/api/v0/")
	if m["url:projects"] != l.ts.URL+"/api/v0/m/projects/" || m["url:save"] != l.ts.URL+"/api/v0/m/save/" || m["url:schema"] != omejson.Schema {
		t.Errorf("GET /api/v0/: %v", m)
	}
	m = l.get("", "/api/v0/servers/")
	if path(m, "data", 0, "id") != 1.0 || path(m, "data", 0, "host") != "127.0.0.1" || path(m, "data", 0, "port") == 0.0 {
		t.Errorf("servers: %v", m)
	}
}

func TestOMERONotLoggedIn(t *testing.T) {
	l := newLab(t)
	st, m, resp := l.do("", "GET", "/api/v0/m/projects/", "")
	if st != http.StatusForbidden || m["message"] != "Not logged in" || resp.Header.Get(wire.OMEROVersionHeader) != "0.2" {
		t.Errorf("not logged in: %d %v %v", st, m, resp.Header)
	}
}

func TestOMEROProjectsShapeAndPaging(t *testing.T) {
	l := newLab(t)
	m := l.get("ada", "/api/v0/m/projects/?childCount=true")
	if got := names(m); !slices.Equal(got, []string{"Alpha", "Beta"}) {
		t.Fatalf("ada's projects = %v (carol's private project must not show)", got)
	}
	meta := m["meta"].(map[string]any)
	if meta["offset"] != 0.0 || meta["limit"] != 200.0 || meta["maxLimit"] != 500.0 || meta["totalCount"] != 2.0 {
		t.Errorf("meta = %v", meta)
	}
	p := path(m, "data", 0).(map[string]any)
	if p["@type"] != omejson.Schema+"#Project" || p["Description"] != "first" || p["omero:childCount"] != 1.0 ||
		p["url:project"] != l.ts.URL+"/api/v0/m/projects/"+l.id("Alpha")+"/" || p["url:datasets"] != l.ts.URL+"/api/v0/m/projects/"+l.id("Alpha")+"/datasets/" {
		t.Errorf("project = %v", p)
	}
	if path(m, "data", 1, "omero:childCount") != 0.0 {
		t.Errorf("Beta's childCount = %v", path(m, "data", 1, "omero:childCount"))
	}
	d := p["omero:details"]
	if path(d, "owner", "UserName") != "ada" || path(d, "owner", "LastName") != "Lovelace" || path(d, "group", "Name") != "lab" ||
		path(d, "permissions", "perm") != "rwra--" || path(d, "permissions", "canEdit") != true || path(d, "permissions", "canChgrp") != nil {
		t.Errorf("details = %v", d)
	}
	// bob sees ada's project in the read-annotate group and may annotate, not edit.
	bd := path(l.get("bob", "/api/v0/m/projects/"+l.id("Alpha")+"/"), "data", "omero:details", "permissions")
	if path(bd, "canEdit") != false || path(bd, "canAnnotate") != true || path(bd, "canDelete") != false {
		t.Errorf("bob's permissions on ada's project = %v", bd)
	}

	m = l.get("ada", "/api/v0/m/projects/?limit=1&offset=1")
	if got := names(m); !slices.Equal(got, []string{"Beta"}) || path(m, "meta", "totalCount") != 2.0 || path(m, "meta", "limit") != 1.0 {
		t.Errorf("second page = %v %v", got, m["meta"])
	}
	if m := l.get("ada", "/api/v0/m/projects/?limit=100000"); path(m, "meta", "limit") != 500.0 {
		t.Errorf("limit is not capped at 500: %v", m["meta"])
	}
	if m := l.get("ada", "/api/v0/m/projects/?offset=10"); len(names(m)) != 0 || path(m, "meta", "totalCount") != 2.0 {
		t.Errorf("past the end: %v", m)
	}
	for _, q := range []string{"limit=abc", "offset=-1", "owner=x", "childCount=maybe", "dataset=D"} {
		st, m, _ := l.do("ada", "GET", "/api/v0/m/projects/?"+q, "")
		if st != http.StatusBadRequest || m["message"] == "" {
			t.Errorf("?%s: %d %v, want 400 with a message", q, st, m)
		}
	}
	if got := names(l.get("ada", "/api/v0/m/projects/?owner="+itoa(int64(l.users["bob"])))); len(got) != 0 {
		t.Errorf("owner=bob = %v", got)
	}
	if got := names(l.get("ada", "/api/v0/m/projects/?dataset="+l.id("cells"))); !slices.Equal(got, []string{"Alpha"}) {
		t.Errorf("projects of dataset cells = %v", got)
	}
	// normalize=true: owners and groups listed once, details reduced to @id.
	m = l.get("ada", "/api/v0/m/projects/?normalize=true")
	if us := m["experimenters"].([]any); len(us) != 1 || path(us, 0, "UserName") != "ada" || len(m["experimenterGroups"].([]any)) != 1 {
		t.Errorf("normalize: %v %v", m["experimenters"], m["experimenterGroups"])
	}
	if o := path(m, "data", 0, "omero:details", "owner").(map[string]any); len(o) != 1 || o["@id"] != float64(l.users["ada"]) {
		t.Errorf("normalized owner = %v", o)
	}
}

func TestOMERODatasetsAndImages(t *testing.T) {
	l := newLab(t)
	if got := names(l.get("ada", "/api/v0/m/datasets/?orphaned=true")); !slices.Equal(got, []string{"loose"}) {
		t.Errorf("orphaned datasets = %v", got)
	}
	m := l.get("ada", "/api/v0/m/projects/"+l.id("Alpha")+"/datasets/?childCount=true")
	if got := names(m); !slices.Equal(got, []string{"cells"}) || path(m, "data", 0, "omero:childCount") != 2.0 {
		t.Errorf("datasets of Alpha = %v %v", got, m["data"])
	}
	if got := names(l.get("ada", "/api/v0/m/datasets/?project="+l.id("Alpha"))); !slices.Equal(got, []string{"cells"}) {
		t.Errorf("datasets?project = %v", got)
	}
	if got := names(l.get("ada", "/api/v0/m/images/"+l.id("a1")+"/datasets/")); !slices.Equal(got, []string{"cells"}) {
		t.Errorf("datasets of a1 = %v", got)
	}
	if got := names(l.get("ada", "/api/v0/m/datasets/"+l.id("cells")+"/projects/")); !slices.Equal(got, []string{"Alpha"}) {
		t.Errorf("projects of cells = %v", got)
	}
	m = l.get("ada", "/api/v0/m/datasets/"+l.id("cells")+"/images/")
	if got := names(m); !slices.Equal(got, []string{"a1", "a2"}) {
		t.Fatalf("images of cells = %v", got)
	}
	if path(m, "data", 0, "Pixels", "SizeX") != 512.0 || path(m, "data", 0, "Pixels", "Channels") != nil {
		t.Errorf("listed images carry Pixels without Channels: %v", path(m, "data", 0))
	}
	// Orphaned images: in no dataset and no well.
	if got := names(l.get("ada", "/api/v0/m/images/?orphaned=true")); !slices.Equal(got, []string{"stray"}) {
		t.Errorf("orphaned images = %v", got)
	}
	if m := l.get("ada", "/api/v0/m/images/?limit=2"); path(m, "meta", "totalCount") != 5.0 || len(names(m)) != 2 {
		t.Errorf("images: %v", m["meta"])
	}

	img := l.get("ada", "/api/v0/m/images/"+l.id("a1")+"/")["data"]
	px := path(img, "Pixels")
	if path(img, "@type") != omejson.Schema+"#Image" || path(img, "AcquisitionDate") != 1577934245000.0 {
		t.Errorf("image = %v", img)
	}
	if path(px, "SizeY") != 256.0 || path(px, "SizeZ") != 3.0 || path(px, "SizeC") != 2.0 || path(px, "SizeT") != 1.0 ||
		path(px, "Type", "value") != "uint16" || path(px, "Type", "@type") != "TBD#PixelsType" || path(px, "DimensionOrder") != "XYZCT" {
		t.Errorf("pixels = %v", px)
	}
	if u := path(px, "PhysicalSizeX"); path(u, "@type") != "TBD#LengthI" || path(u, "Unit") != "MICROMETER" || path(u, "Symbol") != "µm" || path(u, "Value") != 0.25 {
		t.Errorf("PhysicalSizeX = %v", u)
	}
	if path(px, "Channels", 0, "Name") != "DAPI" || path(px, "Channels", 0, "Color") != 65535.0 || path(px, "Channels", 1, "Color") != -16776961.0 ||
		path(px, "Channels", 0, "EmissionWavelength", "Value") != 461.0 {
		t.Errorf("channels = %v", path(px, "Channels"))
	}
	// An image without pixels yet still answers.
	if v := l.get("ada", "/api/v0/m/images/"+l.id("a2")+"/")["data"]; path(v, "Name") != "a2" {
		t.Errorf("a2 = %v", v)
	}
}

// TestOMEROHiddenIsMissing: an object in a group the caller is not in
// answers exactly as an ID that names nothing, on single routes; lists
// filtered by it are empty, as for a missing one.
func TestOMEROHiddenIsMissing(t *testing.T) {
	l := newLab(t)
	missing := "987654"
	for _, route := range []struct{ method, hidden, missing string }{
		{"GET", "/api/v0/m/projects/" + l.id("Hidden") + "/", "/api/v0/m/projects/" + missing + "/"},
		{"GET", "/api/v0/m/images/" + l.id("c1") + "/", "/api/v0/m/images/" + missing + "/"},
		{"DELETE", "/api/v0/m/projects/" + l.id("Hidden") + "/", "/api/v0/m/projects/" + missing + "/"},
		{"GET", "/api/v0/m/experimenters/" + itoa(int64(l.users["carol"])) + "/", "/api/v0/m/experimenters/" + missing + "/"},
		{"GET", "/api/v0/m/projects/" + l.id("Hidden") + "/datasets/", "/api/v0/m/projects/" + missing + "/datasets/"},
		{"GET", "/api/v0/m/datasets/?project=" + l.id("Hidden"), "/api/v0/m/datasets/?project=" + missing},
		{"GET", "/api/v0/m/images/" + l.id("c1") + "/datasets/", "/api/v0/m/images/" + missing + "/datasets/"},
		// An ID of another class answers as missing too.
		{"GET", "/api/v0/m/projects/" + l.id("a1") + "/", "/api/v0/m/projects/" + missing + "/"},
	} {
		hs, hb, _ := l.do("ada", route.method, route.hidden, "")
		ms, mb, _ := l.do("ada", route.method, route.missing, "")
		if hs != ms || !mapsEqual(hb, mb) {
			t.Errorf("%s %s answers %d %v, a missing ID %d %v", route.method, route.hidden, hs, hb, ms, mb)
		}
	}
	st, m, _ := l.do("ada", "GET", "/api/v0/m/projects/"+l.id("Hidden")+"/", "")
	if st != http.StatusNotFound || m["message"] != "Project not found" {
		t.Errorf("hidden project: %d %v", st, m)
	}
	// carol still sees her own.
	if v := l.get("carol", "/api/v0/m/projects/"+l.id("Hidden")+"/"); path(v, "data", "Name") != "Hidden" {
		t.Errorf("carol's project = %v", v)
	}
}

// mapsEqual compares two decoded bodies exactly.
func mapsEqual(a, b map[string]any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func TestOMEROSaveAndDelete(t *testing.T) {
	l := newLab(t)
	st, m, _ := l.do("ada", "POST", "/api/v0/m/save/?group="+l.id("lab"), `{"@type":"`+omejson.Schema+`#Dataset","Name":"new one","Description":"d"}`)
	if st != http.StatusCreated || path(m, "data", "Name") != "new one" || path(m, "data", "@id") == nil {
		t.Fatalf("create: %d %v", st, m)
	}
	id := itoa(int64(path(m, "data", "@id").(float64)))
	st, m, _ = l.do("ada", "PUT", "/api/v0/m/save/", `{"@id":`+id+`,"@type":"`+omejson.Schema+`#Dataset","Name":"renamed"}`)
	if st != http.StatusOK || path(m, "data", "Name") != "renamed" || path(m, "data", "Description") != nil {
		t.Errorf("update: %d %v", st, m)
	}
	if v := l.get("ada", "/api/v0/m/datasets/"+id+"/"); path(v, "data", "Name") != "renamed" {
		t.Errorf("after update: %v", v)
	}
	for _, bad := range []struct{ method, body string }{
		{"POST", `{"@type":"Image","Name":"x"}`},
		{"POST", `{"Name":"x"}`},
		{"POST", `{"@id":1,"@type":"Project","Name":"x"}`},
		{"PUT", `{"@type":"Project","Name":"x"}`},
		{"POST", `{"@type":"Project","Name":3}`},
		{"POST", `[1,2]`},
		{"POST", `{"@type":`},
	} {
		st, m, _ := l.do("ada", bad.method, "/api/v0/m/save/", bad.body)
		if st != http.StatusBadRequest || m["message"] == "" {
			t.Errorf("%s %s: %d %v, want 400 with a message", bad.method, bad.body, st, m)
		}
	}
	// Updating carol's project: as missing.
	hs, hb, _ := l.do("ada", "PUT", "/api/v0/m/save/", `{"@id":`+l.id("Hidden")+`,"@type":"Project","Name":"mine"}`)
	ms, mb, _ := l.do("ada", "PUT", "/api/v0/m/save/", `{"@id":987654,"@type":"Project","Name":"mine"}`)
	if hs != http.StatusNotFound || hs != ms || hb["message"] != mb["message"] {
		t.Errorf("update hidden: %d %v, missing: %d %v", hs, hb, ms, mb)
	}
	// bob may not rename ada's project in a read-annotate group.
	if st, m, _ := l.do("bob", "PUT", "/api/v0/m/save/", `{"@id":`+l.id("Alpha")+`,"@type":"Project","Name":"bob's"}`); st != http.StatusForbidden {
		t.Errorf("bob renames ada's project: %d %v", st, m)
	}

	for _, p := range []string{"/api/v0/m/images/" + l.id("a1") + "/", "/api/v0/m/plates/" + l.id("PL") + "/"} {
		if st, m, _ := l.do("ada", "DELETE", p, ""); st != http.StatusMethodNotAllowed || m["message"] == "" {
			t.Errorf("DELETE %s: %d %v, want 405", p, st, m)
		}
	}
	st, m, _ = l.do("ada", "DELETE", "/api/v0/m/projects/"+l.id("Beta")+"/", "")
	if st != http.StatusOK || path(m, "data", "Name") != "Beta" {
		t.Errorf("delete Beta: %d %v", st, m)
	}
	if st, _, _ := l.do("ada", "GET", "/api/v0/m/projects/"+l.id("Beta")+"/", ""); st != http.StatusNotFound {
		t.Errorf("Beta after delete: %d", st)
	}
	if st, _, _ := l.do("bob", "DELETE", "/api/v0/m/projects/"+l.id("Alpha")+"/", ""); st != http.StatusForbidden {
		t.Errorf("bob deletes ada's project: %d", st)
	}
}

func TestOMEROPlatesAndWells(t *testing.T) {
	l := newLab(t)
	if got := names(l.get("ada", "/api/v0/m/screens/"+l.id("S")+"/plates/")); !slices.Equal(got, []string{"PL"}) {
		t.Errorf("plates of S = %v", got)
	}
	if got := names(l.get("ada", "/api/v0/m/screens/?plate="+l.id("PL"))); !slices.Equal(got, []string{"S"}) {
		t.Errorf("screens of PL = %v", got)
	}
	if got := names(l.get("ada", "/api/v0/m/plates/?orphaned=true")); len(got) != 0 {
		t.Errorf("orphaned plates = %v", got)
	}
	p := l.get("ada", "/api/v0/m/plates/"+l.id("PL")+"/")["data"]
	if path(p, "Rows") != 8.0 || path(p, "Columns") != 12.0 || path(p, "omero:wellsampleIndex", 0) != 0.0 || path(p, "omero:wellsampleIndex", 1) != 0.0 ||
		path(p, "url:wellsampleindex_wells", 0) != l.ts.URL+"/api/v0/m/plates/"+l.id("PL")+"/wellsampleindex/0/wells/" {
		t.Errorf("plate = %v", p)
	}
	m := l.get("ada", "/api/v0/m/plates/"+l.id("PL")+"/wells/")
	// Ordered by column, then row: B1 (column 0) before A2 (column 1).
	if path(m, "data", 0, "@id") != float64(l.ids["B1"]) || path(m, "data", 1, "@id") != float64(l.ids["A2"]) || path(m, "meta", "totalCount") != 2.0 {
		t.Fatalf("wells = %v", m["data"])
	}
	ws := path(m, "data", 0, "WellSamples", 0)
	if path(ws, "Image", "Name") != "f1" || path(ws, "Image", "url:image") == nil || path(ws, "PlateAcquisition", "Name") != "run1" ||
		path(ws, "PositionX", "Value") != 1.5 || path(m, "data", 0, "Row") != 1.0 || path(m, "data", 0, "Column") != 0.0 {
		t.Errorf("well sample = %v", ws)
	}
	m = l.get("ada", "/api/v0/m/plateacquisitions/"+l.id("run")+"/wells/")
	if path(m, "meta", "totalCount") != 1.0 || path(m, "data", 0, "@id") != float64(l.ids["B1"]) {
		t.Errorf("wells of the run = %v", m)
	}
	if m := l.get("ada", "/api/v0/m/plates/"+l.id("PL")+"/wellsampleindex/1/wells/"); path(m, "meta", "totalCount") != 0.0 {
		t.Errorf("field 1 wells = %v", m)
	}
	if got := names(l.get("ada", "/api/v0/m/plates/"+l.id("PL")+"/plateacquisitions/")); !slices.Equal(got, []string{"run1"}) {
		t.Errorf("runs = %v", got)
	}
	w := l.get("ada", "/api/v0/m/wells/"+l.id("A2")+"/")["data"]
	if path(w, "WellSamples", 0, "Image", "Name") != "f2" {
		t.Errorf("well = %v", w)
	}
	if got := names(l.get("ada", "/api/v0/m/wells/"+l.id("A2")+"/plates/")); !slices.Equal(got, []string{"PL"}) {
		t.Errorf("plates of A2 = %v", got)
	}
	if m := l.get("ada", "/api/v0/m/wells/?plate="+l.id("PL")); path(m, "meta", "totalCount") != 2.0 {
		t.Errorf("wells?plate = %v", m["meta"])
	}
	if m := l.get("ada", "/api/v0/m/wells/"); path(m, "meta", "totalCount") != 2.0 || path(m, "data", 1, "WellSamples", 0, "Image", "Name") != "f2" {
		t.Errorf("wells = %v", m)
	}
	// carol sees none of it.
	if m := l.get("carol", "/api/v0/m/plates/"+l.id("PL")+"/wells/"); path(m, "meta", "totalCount") != 0.0 {
		t.Errorf("carol's view of ada's wells = %v", m)
	}
}

func TestOMEROUsersAndGroups(t *testing.T) {
	l := newLab(t)
	// Ordered by last name: Crick, Lovelace; carol shares no group with ada.
	if got := names(l.get("ada", "/api/v0/m/experimenters/")); !slices.Equal(got, []string{"bob", "ada"}) {
		t.Errorf("ada's experimenters = %v", got)
	}
	if got := names(l.get("carol", "/api/v0/m/experimenters/")); !slices.Equal(got, []string{"carol"}) {
		t.Errorf("carol's experimenters = %v", got)
	}
	u := l.get("ada", "/api/v0/m/experimenters/"+itoa(int64(l.users["bob"]))+"/")["data"]
	if path(u, "@type") != omejson.Schema+"#Experimenter" || path(u, "FirstName") != "Francis" ||
		path(u, "url:experimentergroups") != l.ts.URL+"/api/v0/m/experimenters/"+itoa(int64(l.users["bob"]))+"/experimentergroups/" {
		t.Errorf("bob = %v", u)
	}
	if got := names(l.get("ada", "/api/v0/m/experimenters/"+itoa(int64(l.users["bob"]))+"/experimentergroups/")); !slices.Contains(got, "lab") || slices.Contains(got, "secret") {
		t.Errorf("bob's groups = %v", got)
	}
	g := l.get("ada", "/api/v0/m/experimentergroups/"+l.id("lab")+"/")["data"]
	if path(g, "@type") != omejson.Schema+"#ExperimenterGroup" || path(g, "omero:details", "permissions", "perm") != "rwra--" {
		t.Errorf("lab = %v", g)
	}
	if got := names(l.get("ada", "/api/v0/m/experimentergroups/"+l.id("lab")+"/experimenters/")); !slices.Equal(got, []string{"bob", "ada"}) {
		t.Errorf("lab's members = %v", got)
	}
	if got := names(l.get("ada", "/api/v0/m/experimentergroups/"+l.id("secret")+"/experimenters/")); len(got) != 0 {
		t.Errorf("secret's members as ada = %v", got)
	}
	if got := names(l.get("ada", "/api/v0/m/experimenters/?experimentergroup="+l.id("lab"))); !slices.Equal(got, []string{"bob", "ada"}) {
		t.Errorf("experimenters?experimentergroup = %v", got)
	}
	if m := l.get("ada", "/api/v0/m/experimentergroups/?limit=1"); len(names(m)) != 1 || path(m, "meta", "totalCount").(float64) < 2 {
		t.Errorf("groups page = %v", m)
	}
}

func TestOMEROSaveInGroupAndGroupFilter(t *testing.T) {
	l := newLab(t)
	// ada may not create in a group she is not in: refused, nothing made.
	st, m, _ := l.do("ada", "POST", "/api/v0/m/save/?group="+l.id("secret"), `{"@type":"Project","Name":"sneaky"}`)
	if st < 400 || st >= 500 || m["message"] == "" {
		t.Errorf("create in another's group: %d %v", st, m)
	}
	if got := names(l.get("carol", "/api/v0/m/projects/")); !slices.Equal(got, []string{"Hidden"}) {
		t.Errorf("carol's projects after ada's refused create = %v", got)
	}
	if st, _, _ := l.do("ada", "POST", "/api/v0/m/save/?group=x", `{"@type":"Project","Name":"p"}`); st != http.StatusBadRequest {
		t.Errorf("group=x: %d", st)
	}
	if got := names(l.get("ada", "/api/v0/m/projects/?group="+l.id("secret"))); len(got) != 0 {
		t.Errorf("ada's projects in secret = %v", got)
	}
	if got := names(l.get("ada", "/api/v0/m/projects/?group="+l.id("lab"))); !slices.Equal(got, []string{"Alpha", "Beta"}) {
		t.Errorf("ada's projects in lab = %v", got)
	}
	if got := names(l.get("ada", "/api/v0/m/images/?orphaned=true&group="+l.id("secret"))); len(got) != 0 {
		t.Errorf("orphans of a group ada is not in = %v", got)
	}
	// Screens are created like projects.
	st, m, _ = l.do("ada", "POST", "/api/v0/m/save/", `{"@type":"Screen","Name":"S2"}`)
	if st != http.StatusCreated || path(m, "data", "@type") != omejson.Schema+"#Screen" {
		t.Errorf("create screen: %d %v", st, m)
	}
}

// TestOMEROEveryRouteHidesLikeMissing probes every JSON API route that
// names an object with the ID of carol's object (in a private group ada is
// not in) and with an ID that names nothing: ada gets the same status and
// the same body.
func TestOMEROEveryRouteHidesLikeMissing(t *testing.T) {
	l := newLab(t)
	hidden := map[string]string{
		"project": l.id("Hidden"), "dataset": l.id("cd"), "image": l.id("c1"), "screen": l.id("cs"), "plate": l.id("cp"),
		"well": l.id("cw"), "plateacquisition": l.id("cr"), "experimenter": itoa(int64(l.users["carol"])), "index": "0",
	}
	probed := 0
	for _, r := range l.srv.Routes() {
		method, pattern, _ := strings.Cut(r.Pattern, " ")
		if !strings.HasPrefix(pattern, "/api/v0/m/") || !strings.Contains(strings.TrimSuffix(pattern, "{$}"), "{") || strings.Contains(pattern, "{experimentergroup}") {
			continue // groups are listed to everyone by core
		}
		fill := func(ids map[string]string) string {
			p := strings.TrimSuffix(pattern, "{$}")
			for name, id := range ids {
				p = strings.ReplaceAll(p, "{"+name+"}", id)
			}
			return p
		}
		missing := map[string]string{}
		for k := range hidden {
			missing[k] = "987654"
		}
		missing["index"] = "0"
		hp, mp := fill(hidden), fill(missing)
		hs, hb, _ := l.do("ada", method, hp, "")
		ms, mb, _ := l.do("ada", method, mp, "")
		if hs != ms || !mapsEqual(hb, mb) {
			t.Errorf("%s %s answers %d %v; a missing ID: %d %v", method, hp, hs, hb, ms, mb)
		}
		// The IDs are carol's: she reads them.
		if cs, cb, _ := l.do("carol", method, hp, ""); method == "GET" && cs != 200 {
			t.Errorf("%s %s as carol: %d %v", method, hp, cs, cb)
		}
		probed++
	}
	if probed < 25 {
		t.Errorf("only %d routes probed", probed)
	}
}

// TestOMEROAdminSeesEveryGroup: root, in none of the lab groups, lists
// everyone's orphans and users.
func TestOMEROAdminSeesEveryGroup(t *testing.T) {
	l := newLab(t)
	l.keys["root"] = l.rootKey
	got := names(l.get("root", "/api/v0/m/images/?orphaned=true"))
	if !slices.Contains(got, "stray") {
		t.Errorf("root's orphaned images = %v", got)
	}
	if got := names(l.get("root", "/api/v0/m/experimenters/")); !slices.Contains(got, "carol") || !slices.Contains(got, "ada") {
		t.Errorf("root's experimenters = %v", got)
	}
}
