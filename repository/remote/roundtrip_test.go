package remote_test

import (
	"context"
	"io"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/repository/remote"
	"github.com/ocular-lab/ocular/repository/remote/server"
)

// pair is one user's session in-process and through the client, on the
// same repository.
type pair struct {
	local, remote core.Session
}

func loginBoth(t *testing.T, svc core.Service, c *remote.Service, user, pw string) pair {
	t.Helper()
	return pair{testrepo.Login(t, svc, user, pw), testrepo.Login(t, c, user, pw)}
}

// same fails the test when the remote answer differs from the in-process one.
func same[T any](t *testing.T, what string, local, remote T, lerr, rerr error) {
	t.Helper()
	if lerr != nil || rerr != nil {
		if core.KindOf(lerr) != core.KindOf(rerr) || core.UserMessage(lerr) != core.UserMessage(rerr) {
			t.Errorf("%s: in-process error %v, remote %v", what, lerr, rerr)
		}
		return
	}
	if !reflect.DeepEqual(local, remote) {
		t.Errorf("%s differs:\n in-process %#v\n remote     %#v", what, local, remote)
	}
}

// TestEveryCoreTypeCrossesTheWireWhole reads the same things in-process and
// through the client and expects equal values: the fields core's JSON
// leaves out (levels, Read flags, empty privilege lists, fileset marks)
// travel too, and times keep their instant and zone.
func TestEveryCoreTypeCrossesTheWireWhole(t *testing.T) {
	ctx := context.Background()
	svc, c, _ := serve(t, server.Config{})
	root := testrepo.Root(t, svc)
	lab, err := root.CreateGroup(ctx, "lab", core.ReadAnnotate, "a lab")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []core.NewUser{
		{Username: "olive", FirstName: "Olive", LastName: "Oyl", Email: "o@example.org", Password: "pw", Groups: []core.ID{lab.ID}},
		{Username: "keeper", Password: "pw", Groups: []core.ID{lab.ID}, Admin: true, Privileges: []core.Privilege{}},
	} {
		if _, err := root.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	o := loginBoth(t, svc, c, "olive", "pw")
	r := loginBoth(t, svc, c, "root", testrepo.RootPassword)

	mk := func(class core.Class, kv ...string) core.ObjectView {
		t.Helper()
		f := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			f[kv[i]] = kv[i+1]
		}
		v, err := o.remote.Create(ctx, class, f)
		if err != nil {
			t.Fatalf("create %s: %v", class, err)
		}
		return v
	}
	ds := mk(core.Dataset, "name", "d", "description", "ünïcode ✓")
	img := mk(core.Image, "name", "a.tif")
	mk(core.DatasetImageLink, "parent", ds.Ref.String(), "child", img.Ref.String())
	tag := mk(core.TagAnnotation, "textValue", "mitosis")
	mk(core.ImageAnnotationLink, "parent", img.Ref.String(), "child", tag.Ref.String())
	file, err := o.remote.Upload(ctx, "notes.txt", strings.NewReader("hello"))
	if err != nil {
		t.Fatal(err)
	}
	fa := mk(core.FileAnnotation, "file", file.Ref.String())
	mk(core.ImageAnnotationLink, "parent", img.Ref.String(), "child", fa.Ref.String())
	mk(core.MapAnnotation, "ns", core.ClientMapNamespace)

	lv, lerr := o.local.Get(ctx, img.Ref)
	rv, rerr := o.remote.Get(ctx, img.Ref)
	same(t, "Get", lv, rv, lerr, rerr)
	if rv.Level != core.ReadAnnotate || !rv.Flags.Read {
		t.Errorf("remote Get lost the level or Read: %+v", rv)
	}
	for _, class := range []core.Class{core.Image, core.TagAnnotation, core.MapAnnotation, core.ImageAnnotationLink} {
		l, lerr := o.local.List(ctx, class, core.AnyID, core.AnyID)
		rm, rerr := o.remote.List(ctx, class, core.AnyID, core.AnyID)
		same(t, "List "+string(class), l, rm, lerr, rerr)
	}
	for _, req := range []core.BrowseRequest{{Group: lab.ID, Owner: core.AnyID}, {Group: lab.ID, Owner: core.AnyID, Parent: ds.Ref}} {
		l, lerr := o.local.Browse(ctx, req)
		rm, rerr := o.remote.Browse(ctx, req)
		same(t, "Browse "+req.Parent.String(), l, rm, lerr, rerr)
	}
	lf, lerr := o.local.Flags(ctx, []core.Ref{img.Ref, ds.Ref})
	rf, rerr := o.remote.Flags(ctx, []core.Ref{img.Ref, ds.Ref})
	same(t, "Flags", lf, rf, lerr, rerr)
	la, lerr := o.local.Annotations(ctx, img.Ref)
	ra, rerr := o.remote.Annotations(ctx, img.Ref)
	same(t, "Annotations", la, ra, lerr, rerr)
	lp, lc, lerr := o.local.ImageDetails(ctx, img.Ref)
	rp, rc, rerr := o.remote.ImageDetails(ctx, img.Ref)
	same(t, "ImageDetails pixels", lp, rp, lerr, rerr)
	same(t, "ImageDetails channels", lc, rc, lerr, rerr)

	lm, lerr := o.local.Me(ctx)
	rmm, rerr := o.remote.Me(ctx)
	if rmm.Repository != c.Address() || rmm.SessionKey != o.remote.Key() {
		t.Errorf("remote Me names repository %q and key %q", rmm.Repository, rmm.SessionKey)
	}
	lm.Repository, rmm.Repository, lm.SessionKey, rmm.SessionKey = "", "", "", ""
	same(t, "Me", lm, rmm, lerr, rerr)
	lu, lerr := r.local.Users(ctx)
	ru, rerr := r.remote.Users(ctx)
	same(t, "Users", lu, ru, lerr, rerr)
	lk, lerr := r.local.User(ctx, "keeper")
	rk, rerr := r.remote.User(ctx, "keeper")
	same(t, "User keeper", lk, rk, lerr, rerr)
	if rk.Privileges == nil {
		t.Errorf("a restricted administrator without privileges reads as a full one: %+v", rk)
	}
	lg, lerr := r.local.Groups(ctx)
	rg, rerr := r.remote.Groups(ctx)
	same(t, "Groups", lg, rg, lerr, rerr)
	lgi, lerr := r.local.Group(ctx, "lab")
	rgi, rerr := r.remote.Group(ctx, "lab")
	same(t, "Group", lgi, rgi, lerr, rerr)

	rec := core.WatchRecord{Station: "scope-1", Path: "/data/a.tif", Size: 42, Status: core.WatchPending, Attempts: 1,
		ModTime: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC), AttemptStarted: time.Date(2026, 3, 4, 5, 7, 0, 0, time.UTC),
		FilesetMark: 17, Crashes: 1, LastError: "boom"}
	if err := o.remote.SaveWatchRecord(ctx, rec); err != nil {
		t.Fatal(err)
	}
	lw, lerr := o.local.WatchRecords(ctx, "scope-1")
	rw, rerr := o.remote.WatchRecords(ctx, "scope-1")
	same(t, "WatchRecords", lw, rw, lerr, rerr)
	if len(rw) != 1 || rw[0].FilesetMark != 17 {
		t.Errorf("watch records %+v, want one with its fileset mark 17", rw)
	}
	li, lerr := o.local.ImportedFiles(ctx, "/nowhere")
	ri, rerr := o.remote.ImportedFiles(ctx, "/nowhere")
	same(t, "ImportedFiles", li, ri, lerr, rerr)
}

// TestAttachmentsStreamBothWays uploads and downloads an attachment; a file
// over the server's limit is refused with a sentence and stores nothing; a
// file another user may not see answers like a missing one.
func TestAttachmentsStreamBothWays(t *testing.T) {
	ctx := context.Background()
	svc, c, _ := serve(t, server.Config{Limits: server.Limits{MaxAttachment: 1 << 20}})
	root := testrepo.Root(t, svc)
	lab, err := root.CreateGroup(ctx, "lab", core.Private, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"olive", "mike"} {
		if _, err := root.CreateUser(ctx, core.NewUser{Username: u, Password: "pw", Groups: []core.ID{lab.ID}}); err != nil {
			t.Fatal(err)
		}
	}
	olive := testrepo.Login(t, c, "olive", "pw")
	mike := testrepo.Login(t, c, "mike", "pw")
	content := strings.Repeat("0123456789", 100000) // 1,000,000 bytes: under the limit
	f, err := olive.Upload(ctx, "results.csv", strings.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	if f.Class != core.OriginalFile || f.Name != "results.csv" {
		t.Errorf("upload made %+v", f)
	}
	rc, err := olive.OpenFile(ctx, f.Ref)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || string(got) != content {
		t.Errorf("downloaded %d bytes (%v), want the %d uploaded", len(got), err, len(content))
	}

	before, _ := root.List(ctx, core.OriginalFile, core.AnyID, core.AnyID)
	_, err = olive.Upload(ctx, "big.bin", io.MultiReader(strings.NewReader(content), strings.NewReader(content)))
	if !core.Is(core.Invalid, err) || !strings.Contains(core.UserMessage(err), "larger than this server accepts") {
		t.Errorf("an upload over the limit: %v, want an Invalid sentence about the size", err)
	}
	after, _ := root.List(ctx, core.OriginalFile, core.AnyID, core.AnyID)
	if len(after) != len(before) {
		t.Errorf("a refused upload left a file: %d files before, %d after", len(before), len(after))
	}

	_, errHidden := mike.OpenFile(ctx, f.Ref)
	_, errMissing := mike.OpenFile(ctx, core.Ref{Class: core.OriginalFile, ID: 999999})
	if !core.Is(core.NotFound, errHidden) || normalise(errHidden) != normalise(errMissing) {
		t.Errorf("another user's file answers %q, a missing one %q", errHidden, errMissing)
	}
}

var digits = regexp.MustCompile(`[0-9]+`)

// normalise is an error's wire form with its numbers hidden: what tells a
// hidden object from a missing one, if anything does.
func normalise(err error) string {
	if err == nil {
		return "<nil>"
	}
	return core.KindOf(err).String() + ": " + digits.ReplaceAllString(err.Error(), "N")
}
