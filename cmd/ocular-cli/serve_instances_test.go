package main

// Two `serve` processes over one repository behave as one server: a
// client's requests alternate between them, a graph job started on one is
// followed and cancelled on the other, a change made through one is what
// the other renders, and when one is killed in the middle of a job the
// other reports the job failed with nothing of it applied, and every write
// either acknowledged is there exactly once.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/pgtest"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/repository/local"
	"github.com/ocular-lab/ocular/repository/remote"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// instance is one `serve` process.
type instance struct {
	cmd    *exec.Cmd
	url    string
	stderr *lines
}

func startInstance(t *testing.T, repo string) *instance {
	t.Helper()
	cmd := exec.Command(os.Args[0], "--repo", repo, "serve", "--listen", "http://127.0.0.1:0")
	cmd.Env = cliProcessEnv()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	in := &instance{cmd: cmd, stderr: newLines()}
	cmd.Stderr = in.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	})
	_, in.url, _ = startLines(t, readLines(stdout), false)
	return in
}

// seedBigDataset writes, in one transaction, a dataset of ada's with n
// images, each with a comment: enough rows that deleting it takes a while.
func seedBigDataset(t *testing.T, repo, name string, n int) core.ID {
	t.Helper()
	ctx := context.Background()
	svc, err := local.Open(ctx, repo)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	var ds core.ID
	err = svc.Store().Write(ctx, func(tx core.Tx) error {
		ada, err := tx.ExperimenterByName("ada")
		if err != nil {
			return err
		}
		lab, err := tx.GroupByName("lab")
		if err != nil {
			return err
		}
		mk := func(c core.Class, parent, child core.ID, set func(*core.Object)) (*core.Object, error) {
			o := &core.Object{Ref: core.Ref{Class: c}, Details: core.Details{Owner: ada.ID, Group: lab.ID}, Parent: parent, Child: child}
			if set != nil {
				set(o)
			}
			return o, tx.CreateObject(o)
		}
		d, err := mk(core.Dataset, 0, 0, func(o *core.Object) { o.Name = name })
		if err != nil {
			return err
		}
		ds = d.ID
		for i := range n {
			im, err := mk(core.Image, 0, 0, func(o *core.Object) { o.Name = fmt.Sprintf("%s %d", name, i) })
			if err != nil {
				return err
			}
			if _, err := mk(core.DatasetImageLink, d.ID, im.ID, nil); err != nil {
				return err
			}
			c, err := mk(core.CommentAnnotation, 0, 0, func(o *core.Object) { o.TextValue = "seeded" })
			if err != nil {
				return err
			}
			if _, err := mk(core.ImageAnnotationLink, im.ID, c.ID, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// rawCall sends one request with the session key to base and decodes a
// JSON answer into out (when not nil).
func rawCall(t *testing.T, method, url, key string, body, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set(wire.SessionHeader, key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil {
		if p, ok := out.(*[]byte); ok {
			*p = b
		} else if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s answered %s, not JSON: %.200s", method, url, resp.Status, b)
		}
	}
	return resp.StatusCode
}

func startDelete(t *testing.T, base, key string, ds core.ID) wire.JobStatus {
	t.Helper()
	var st wire.JobStatus
	req := core.GraphRequest{Op: core.OpDelete, Targets: []core.Target{{Class: core.Dataset, IDs: []core.ID{ds}}}}
	if code := rawCall(t, "POST", base+"/ocular/v1/jobs", key, req, &st); code != http.StatusAccepted {
		t.Fatalf("start delete on %s: %d %+v", base, code, st)
	}
	return st
}

// counts reads the repository directly (a third process beside the
// servers): the images linked into dataset ds, and the comments the seed
// wrote on every image.
func counts(t *testing.T, repo string, ds core.ID) (images, comments int) {
	t.Helper()
	ctx := context.Background()
	svc, err := local.Open(ctx, repo)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	err = svc.Store().Read(ctx, func(tx core.Tx) error {
		q := core.NewQuery(core.DatasetImageLink)
		q.Parent = ds
		if images, err = tx.Count(q); err != nil {
			return err
		}
		q = core.NewQuery(core.CommentAnnotation)
		q.TextValue = "seeded"
		comments, err = tx.Count(q)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return images, comments
}

func TestTwoInstancesBehaveAsOne(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two servers and seeds thousands of rows")
	}
	t.Run("sqlite", func(t *testing.T) { twoInstances(t, newLab(t)) })
	t.Run("postgres", func(t *testing.T) { twoInstances(t, newPostgresLab(t)) })
}

// newPostgresLab is newLab's repository with its rows in a fresh
// PostgreSQL database (skipped without OCULAR_TEST_PG: scripts/with-postgres.sh).
func newPostgresLab(t *testing.T) *testCLI {
	t.Helper()
	dsn := pgtest.DSN(t)
	c := newCLI(t)
	c.ok("--db", dsn, "init", "--root-password", "omero")
	c.ok("login", "-u", "root", "-w", "omero")
	c.ok("group", "add", "lab", "--type", "read-annotate")
	c.ok("user", "add", "ada", "Ada", "Lovelace", "--group-name", "lab", "-P", "pw")
	c.ok("user", "add", "bob", "Bob", "Crick", "--group-name", "lab", "-P", "pw")
	return c
}

func twoInstances(t *testing.T, c *testCLI) {
	const big = 6000
	doomed := seedBigDataset(t, c.repo, "doomed", big)
	kept := seedBigDataset(t, c.repo, "kept", big)
	a, b := startInstance(t, c.repo), startInstance(t, c.repo)
	ctx := context.Background()
	svcA, err := remote.Dial(ctx, a.url, remote.Options{})
	if err != nil {
		t.Fatal(err)
	}
	svcB, err := remote.Dial(ctx, b.url, remote.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Log in on one instance, carry on with the same session on the other.
	sessA, err := svcA.Login(ctx, "ada", "pw", "")
	if err != nil {
		t.Fatal(err)
	}
	key := sessA.Key()
	sessB, err := svcB.Resume(ctx, key)
	if err != nil {
		t.Fatalf("the session made on A is unknown to B: %v", err)
	}
	sess := []core.Session{sessA, sessB}
	bases := []string{a.url, b.url}

	// Create and annotate, alternately; each write is read back at once
	// through the other instance.
	const writes = 20
	var made []core.Ref
	var group core.ID
	for i := range writes {
		s, other := sess[i%2], sess[(i+1)%2]
		d, err := s.Create(ctx, core.Dataset, map[string]string{"name": fmt.Sprintf("w%d", i)})
		if err != nil {
			t.Fatalf("create on %s: %v", bases[i%2], err)
		}
		ann, err := other.Create(ctx, core.CommentAnnotation, map[string]string{"textValue": fmt.Sprintf("note %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Create(ctx, core.DatasetAnnotationLink, map[string]string{"parent": d.Ref.String(), "child": ann.Ref.String()}); err != nil {
			t.Fatal(err)
		}
		if _, err := other.Get(ctx, d.Ref); err != nil {
			t.Fatalf("%s made on one instance is not seen on the other: %v", d.Ref, err)
		}
		made, group = append(made, d.Ref), d.Group
	}

	// An import by upload (on A: an upload stays with the instance that
	// took it), then rendered through B before and after a change of
	// settings made through A.
	src := t.TempDir()
	tif := filepath.Join(src, "cells.tif")
	testrepo.WriteTIFF(t, tif, 64, 48, 3)
	sum, err := importer.Run(ctx, importer.Config{Session: sessA}, []string{tif}, importer.Options{Dataset: made[0]}, nil)
	if err == nil {
		err = sum.Err()
	}
	if err != nil {
		t.Fatalf("import by upload: %v", err)
	}
	kids, err := sessB.Browse(ctx, core.BrowseRequest{Group: group, Owner: core.AnyID, Parent: made[0]})
	if err != nil || len(kids) != 1 {
		t.Fatalf("B sees %d images in the dataset imported into through A (%v), want 1", len(kids), err)
	}
	img := kids[0].Ref

	// An upload declared on B, sent half to B and half to A, imported on B.
	tif2 := filepath.Join(src, "more.tif")
	testrepo.WriteTIFF(t, tif2, 64, 48, 4)
	data, err := os.ReadFile(tif2)
	if err != nil {
		t.Fatal(err)
	}
	sha := sha256.Sum256(data)
	decl := core.UploadedImport{Main: "more.tif", Options: core.ImportOptions{Dataset: made[1]},
		Files: []core.UploadedFile{{Name: "more.tif", Size: int64(len(data)), SHA256: hex.EncodeToString(sha[:])}}}
	var created wire.UploadCreated
	if code := rawCall(t, "POST", b.url+wire.OcularPrefix+"uploads", key, decl, &created); code != http.StatusCreated {
		t.Fatalf("declare an upload on B: %d", code)
	}
	half := len(data) / 2
	for i, part := range []struct {
		base string
		from int
		b    []byte
	}{{b.url, 0, data[:half]}, {a.url, half, data[half:]}} {
		req, _ := http.NewRequest("PUT", fmt.Sprintf("%s%suploads/%s/files/0?offset=%d", part.base, wire.OcularPrefix, created.ID, part.from), bytes.NewReader(part.b))
		req.Header.Set(wire.SessionHeader, key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("chunk %d of the upload: %s", i, resp.Status)
		}
	}
	var imported wire.UploadStatus
	if code := rawCall(t, "POST", b.url+wire.OcularPrefix+"uploads/"+created.ID+"/import", key, nil, &imported); code != http.StatusOK || imported.State != wire.UploadImported {
		t.Fatalf("import on B of an upload half sent to A: %d %+v", code, imported)
	}
	if kids, err := sessA.Browse(ctx, core.BrowseRequest{Group: group, Owner: core.AnyID, Parent: made[1]}); err != nil || len(kids) != 1 {
		t.Fatalf("A sees %d images imported through B (%v), want 1", len(kids), err)
	}
	thumb := func(base string) []byte {
		var jpeg []byte
		if code := rawCall(t, "GET", fmt.Sprintf("%s%srender_thumbnail/%d/", base, wire.GatewayPrefix, img.ID), key, nil, &jpeg); code != http.StatusOK {
			t.Fatalf("thumbnail on %s: %d %s", base, code, jpeg)
		}
		return jpeg
	}
	before := thumb(b.url)
	thumb(b.url) // now in B's memory
	v, err := sessA.ViewerRendering(ctx, img)
	if err != nil {
		t.Fatal(err)
	}
	st := v.Settings
	st.Channels[0].End = st.Channels[0].Start + (st.Channels[0].End-st.Channels[0].Start)/4
	if _, err := sessA.SaveRendering(ctx, img, st); err != nil {
		t.Fatal(err)
	}
	if after := thumb(b.url); bytes.Equal(before, after) {
		t.Error("B still shows the thumbnail of the settings A replaced")
	}

	// A small job started on B runs there; A follows it to its end.
	small := startDelete(t, b.url, key, made[writes-1].ID)
	var end wire.JobStatus
	deadline := time.Now().Add(liveness)
	for end.State == "" || end.State == wire.JobRunning {
		if time.Now().After(deadline) {
			t.Fatalf("the job started on B is still %q on A", end.State)
		}
		rawCall(t, "GET", a.url+"/ocular/v1/jobs/"+small.ID+"?wait=5s", key, nil, &end)
	}
	if end.State != wire.JobFinished {
		t.Fatalf("the small delete followed on A ended %q: %+v", end.State, end.Error)
	}
	if _, err := sessA.Get(ctx, made[writes-1]); !core.Is(core.NotFound, err) {
		t.Errorf("%s deleted by a finished job is still there (%v)", made[writes-1], err)
	}

	// A job started on A is cancelled through B: nothing of it applied.
	job := startDelete(t, a.url, key, kept)
	var cancelled wire.JobStatus
	code := rawCall(t, "DELETE", b.url+"/ocular/v1/jobs/"+job.ID, key, nil, &cancelled)
	if code != http.StatusOK {
		t.Fatalf("cancel on B of A's job: %d %+v", code, cancelled)
	}
	if n, cm := counts(t, c.repo, kept); cancelled.State == wire.JobCancelled && (n != big || cm != 2*big) {
		t.Errorf("after a cancel, the dataset holds %d images and the seeds %d comments, want %d and %d", n, cm, big, 2*big)
	}
	t.Logf("the delete cancelled through B ended %s", cancelled.State)

	// A job started on A, and A killed while it runs.
	job = startDelete(t, a.url, key, doomed)
	if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	a.cmd.Wait()
	var last wire.JobStatus
	deadline = time.Now().Add(liveness)
	for last.State == "" || last.State == wire.JobRunning {
		if time.Now().After(deadline) {
			t.Fatalf("the job of the killed instance is still %q on B", last.State)
		}
		if code := rawCall(t, "GET", b.url+"/ocular/v1/jobs/"+job.ID+"?wait=5s", key, nil, &last); code != http.StatusOK {
			t.Fatalf("B answers %d for the job of the killed instance", code)
		}
	}
	t.Logf("the job of the killed instance ended %s", last.State)
	n, cm := counts(t, c.repo, doomed)
	wantComments := 2 * big
	if cancelled.State == wire.JobFinished {
		wantComments -= big
	}
	switch last.State {
	case wire.JobFailed:
		if last.Error == nil || !strings.Contains(last.Error.Message, "nothing was changed") {
			t.Errorf("the failed job says %+v, want that nothing was changed", last.Error)
		}
		if n != big || cm != wantComments {
			t.Errorf("the failed delete left %d images of %d and %d comments of %d: half applied", n, big, cm, wantComments)
		}
	case wire.JobFinished:
		if _, err := sessB.Get(ctx, core.Ref{Class: core.Dataset, ID: doomed}); !core.Is(core.NotFound, err) {
			t.Errorf("the finished delete left its dataset (%v)", err)
		}
		if n != 0 || cm != wantComments-big {
			t.Errorf("the finished delete left %d images and %d comments, want 0 and %d", n, cm, wantComments-big)
		}
	default:
		t.Errorf("the job of the killed instance ended %q", last.State)
	}

	// Every acknowledged write is there, exactly once.
	all, err := sessB.List(ctx, core.Dataset, core.AnyID, core.AnyID)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]int{}
	for _, d := range all {
		names[d.Name]++
	}
	for i := range writes - 1 {
		if names[fmt.Sprintf("w%d", i)] != 1 {
			t.Errorf("dataset w%d is there %d times, want once", i, names[fmt.Sprintf("w%d", i)])
		}
		anns, err := sessB.Annotations(ctx, made[i])
		if err != nil {
			t.Fatal(err)
		}
		if len(anns) != 1 {
			t.Errorf("%s has %d annotations, want the 1 added", made[i], len(anns))
		}
	}
	// The survivor still writes.
	if _, err := sessB.Create(ctx, core.Dataset, map[string]string{"name": "after"}); err != nil {
		t.Errorf("B cannot write after A was killed: %v", err)
	}
}
