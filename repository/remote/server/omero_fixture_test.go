package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/repository/remote/server"
	"github.com/ocular-lab/ocular/repository/remote/wire"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// lab is the fixture of the JSON API tests: ada and bob share the
// read-annotate group "lab"; carol is alone in the private group "secret".
// ada's data: project Alpha (dataset cells: images a1 with pixels and
// channels, a2), project Beta (empty), dataset loose (orphaned), image
// stray (orphaned), screen S with plate PL (two wells, one field each, a
// run); carol's: project Hidden with image c1.
type lab struct {
	t       testing.TB
	ctx     context.Context
	ts      *httptest.Server
	srv     *server.Server
	rootKey string
	keys    map[string]string
	ids     map[string]core.ID
	users   map[string]core.ID
}

func newLab(t testing.TB) *lab {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Create(ctx, filepath.Join(t.TempDir(), "repo"))
	if err != nil {
		t.Fatal(err)
	}
	svc := inprocess.New(st)
	svc.SetPasswordCost(bcrypt.MinCost)
	t.Cleanup(func() { svc.Close() })
	if err := svc.Initialize(ctx, "rootpw"); err != nil {
		t.Fatal(err)
	}
	root, err := svc.Login(ctx, "root", "rootpw", "")
	if err != nil {
		t.Fatal(err)
	}
	l := &lab{t: t, ctx: ctx, keys: map[string]string{}, ids: map[string]core.ID{}, users: map[string]core.ID{}, rootKey: root.Key()}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	labG, err := root.CreateGroup(ctx, "lab", core.ReadAnnotate, "the lab")
	must(err)
	secret, err := root.CreateGroup(ctx, "secret", core.Private, "")
	must(err)
	for _, u := range []struct {
		name, first, last string
		g                 core.ID
	}{{"ada", "Ada", "Lovelace", labG.ID}, {"bob", "Francis", "Crick", labG.ID}, {"carol", "Marie", "Curie", secret.ID}} {
		e, err := root.CreateUser(ctx, core.NewUser{Username: u.name, FirstName: u.first, LastName: u.last, Password: "pw", Groups: []core.ID{u.g}})
		must(err)
		l.users[u.name] = e.ID
		s, err := svc.Login(ctx, u.name, "pw", "")
		must(err)
		l.keys[u.name] = s.Key()
	}
	l.ids["lab"], l.ids["secret"] = labG.ID, secret.ID
	as := func(user string) core.Session {
		s, err := svc.Resume(ctx, l.keys[user])
		must(err)
		return s
	}
	mk := func(user, name string, c core.Class, fields ...string) core.ID {
		t.Helper()
		f := map[string]string{}
		for _, kv := range fields {
			k, v, _ := strings.Cut(kv, "=")
			f[k] = v
		}
		v, err := as(user).Create(ctx, c, f)
		must(err)
		if name != "" {
			l.ids[name] = v.ID
		}
		return v.ID
	}
	ref := func(c core.Class, name string) string { return core.Ref{Class: c, ID: l.ids[name]}.String() }
	mk("ada", "Alpha", core.Project, "name=Alpha", "description=first")
	mk("ada", "Beta", core.Project, "name=Beta")
	mk("ada", "cells", core.Dataset, "name=cells")
	mk("ada", "loose", core.Dataset, "name=loose")
	mk("ada", "a1", core.Image, "name=a1", "acquisitionDate=2020-01-02T03:04:05Z")
	mk("ada", "a2", core.Image, "name=a2")
	mk("ada", "stray", core.Image, "name=stray")
	mk("ada", "", core.ProjectDatasetLink, "parent="+ref(core.Project, "Alpha"), "child="+ref(core.Dataset, "cells"))
	mk("ada", "", core.DatasetImageLink, "parent="+ref(core.Dataset, "cells"), "child="+ref(core.Image, "a1"))
	mk("ada", "", core.DatasetImageLink, "parent="+ref(core.Dataset, "cells"), "child="+ref(core.Image, "a2"))
	mk("ada", "S", core.Screen, "name=S")
	mk("ada", "PL", core.Plate, "name=PL", "rows=8", "columns=12")
	mk("ada", "", core.ScreenPlateLink, "parent="+ref(core.Screen, "S"), "child="+ref(core.Plate, "PL"))
	mk("ada", "run", core.PlateAcquisition, "plate="+ref(core.Plate, "PL"), "name=run1")
	mk("ada", "B1", core.Well, "plate="+ref(core.Plate, "PL"), "row=1", "column=0")
	mk("ada", "A2", core.Well, "plate="+ref(core.Plate, "PL"), "row=0", "column=1")
	mk("ada", "f1", core.Image, "name=f1")
	mk("ada", "f2", core.Image, "name=f2")
	mk("ada", "", core.WellSample, "well="+ref(core.Well, "B1"), "image="+ref(core.Image, "f1"), "plateAcquisition="+ref(core.PlateAcquisition, "run"), "positionX=1.5")
	mk("ada", "", core.WellSample, "well="+ref(core.Well, "A2"), "image="+ref(core.Image, "f2"))
	mk("carol", "Hidden", core.Project, "name=Hidden")
	mk("carol", "c1", core.Image, "name=c1")
	mk("carol", "cd", core.Dataset, "name=cd")
	mk("carol", "cs", core.Screen, "name=cs")
	mk("carol", "cp", core.Plate, "name=cp")
	mk("carol", "cw", core.Well, "plate="+ref(core.Plate, "cp"), "row=0", "column=0")
	mk("carol", "cr", core.PlateAcquisition, "plate="+ref(core.Plate, "cp"), "name=cr")
	mk("carol", "", core.WellSample, "well="+ref(core.Well, "cw"), "image="+ref(core.Image, "c1"), "plateAcquisition="+ref(core.PlateAcquisition, "cr"))
	must(st.Write(ctx, func(tx core.Tx) error {
		if err := tx.SetPixels(core.PixelsInfo{Image: l.ids["a1"], SizeX: 512, SizeY: 256, SizeZ: 3, SizeC: 2, SizeT: 1,
			PixelType: "uint16", DimensionOrder: "XYZCT", PhysicalSizeX: 0.25, PhysicalSizeY: 0.25, PhysicalSizeZ: 1}); err != nil {
			return err
		}
		return tx.SetChannels(l.ids["a1"], []core.ChannelInfo{
			{Index: 0, Name: "DAPI", Color: [4]uint8{0, 0, 255, 255}, HasColor: true, EmissionWavelength: 461},
			{Index: 1, Name: "mCherry", Color: [4]uint8{255, 0, 0, 255}, HasColor: true}})
	}))
	l.srv = server.New(server.Config{Service: svc})
	l.ts = httptest.NewTLSServer(l.srv.Handler())
	t.Cleanup(l.ts.Close)
	return l
}

// id is a fixture object's ID as the path segment a route takes.
func (l *lab) id(name string) string { return itoa(int64(l.ids[name])) }

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// do sends a request as user ("" = no session) and returns the status, the
// decoded body and the response.
func (l *lab) do(user, method, path, body string) (int, map[string]any, *http.Response) {
	l.t.Helper()
	req, err := http.NewRequest(method, l.ts.URL+path, strings.NewReader(body))
	if err != nil {
		l.t.Fatal(err)
	}
	if user != "" {
		req.Header.Set(wire.SessionHeader, l.keys[user])
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := l.ts.Client().Do(req)
	if err != nil {
		l.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		l.t.Fatalf("%s %s: not JSON (%d): %s", method, path, resp.StatusCode, b)
	}
	return resp.StatusCode, m, resp
}

// get is a GET that must answer 200.
func (l *lab) get(user, path string) map[string]any {
	l.t.Helper()
	st, m, _ := l.do(user, "GET", path, "")
	if st != http.StatusOK {
		l.t.Fatalf("GET %s as %s: %d %v", path, user, st, m)
	}
	return m
}

// names lists the Name (or @id) of a list's data, in order.
func names(m map[string]any) []string {
	var out []string
	for _, o := range m["data"].([]any) {
		om := o.(map[string]any)
		if n, ok := om["Name"].(string); ok {
			out = append(out, n)
		} else if n, ok := om["UserName"].(string); ok {
			out = append(out, n)
		} else {
			out = append(out, itoa(int64(om["@id"].(float64))))
		}
	}
	return out
}

// path walks nested maps and lists: path(m, "data", 0, "Pixels", "SizeX").
func path(v any, keys ...any) any {
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			a, _ := v.([]any)
			if k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}
