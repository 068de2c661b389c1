// Package labrepo makes, for tests of backups and migrations, an SQLite
// repository the way a lab fills one: users in two groups, a project with a
// dataset of imported TIFFs, tags, comments, key-value pairs, saved
// rendering settings, an uploaded attachment, and an image moved to the
// other group (a graph move).
package labrepo

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// Lab is the repository made.
type Lab struct {
	Svc    *inprocess.Service
	Dir    string
	Ada    core.Session // owner of the data, in groups lab and other
	Images []core.Ref   // imported images, in dataset "plates" of project "screen"
	Moved  core.Ref     // the image moved to group "other"
}

// New makes the repository with images imported TIFFs.
func New(t testing.TB, images int) *Lab {
	t.Helper()
	ctx := context.Background()
	// Always SQLite, whatever engine the other tests run on: this is the
	// local repository a lab moves or backs up.
	dir := filepath.Join(t.TempDir(), "repo")
	st, err := sqlite.Create(ctx, dir)
	must(t, err)
	svc := inprocess.New(st)
	svc.SetPasswordCost(bcrypt.MinCost)
	t.Cleanup(func() { svc.Close() })
	must(t, svc.Initialize(ctx, testrepo.RootPassword))
	root := testrepo.Root(t, svc)
	lab, err := root.CreateGroup(ctx, "lab", core.ReadAnnotate, "the lab's shared data")
	must(t, err)
	other, err := root.CreateGroup(ctx, "other", core.Private, "")
	must(t, err)
	for _, u := range []string{"ada", "bob"} {
		_, err := root.CreateUser(ctx, core.NewUser{Username: u, Password: "pw", FirstName: strings.ToUpper(u[:1]) + u[1:], Groups: []core.ID{lab.ID, other.ID}})
		must(t, err)
	}
	ada, err := svc.Login(ctx, "ada", "pw", "lab")
	must(t, err)
	l := &Lab{Svc: svc, Dir: dir, Ada: ada}
	proj := create(t, ada, core.Project, "name", "screen")
	ds := create(t, ada, core.Dataset, "name", "plates", "description", "plates of the week")
	create(t, ada, core.ProjectDatasetLink, "parent", proj.String(), "child", ds.String())

	src := t.TempDir()
	var paths []string
	for i := 0; i < images; i++ {
		p := filepath.Join(src, fmt.Sprintf("well_%03d.tif", i))
		testrepo.WriteTIFF(t, p, 32, 24, i)
		paths = append(paths, p)
	}
	sum, err := importer.Run(ctx, importer.Config{Session: ada, Open: detect.Open, Supported: detect.Supported},
		paths, importer.Options{Dataset: ds, SkipThumbnails: true}, nil)
	if err != nil || sum.Imported != images {
		t.Fatalf("import: %+v, %v", sum, err)
	}
	for _, r := range sum.Results {
		l.Images = append(l.Images, r.Images...)
	}

	tag := create(t, ada, core.TagAnnotation, "textValue", "mitosis")
	comment := create(t, ada, core.CommentAnnotation, "textValue", "nice cells")
	kv := create(t, ada, core.MapAnnotation, "mapValue", "strain=N2")
	for _, ann := range []core.Ref{tag, comment, kv} {
		create(t, ada, core.ImageAnnotationLink, "parent", l.Images[0].String(), "child", ann.String())
	}
	create(t, ada, core.DatasetAnnotationLink, "parent", ds.String(), "child", tag.String())

	v, err := ada.ViewerRendering(ctx, l.Images[0])
	must(t, err)
	v.Settings.Channels[0].End /= 2
	_, err = ada.SaveRendering(ctx, l.Images[0], v.Settings)
	must(t, err)

	_, err = ada.Upload(ctx, "protocol.txt", strings.NewReader("fix, stain, image\n"))
	must(t, err)

	if images > 1 {
		l.Moved = l.Images[images-1]
		_, err = ada.RunGraph(ctx, core.GraphRequest{Op: core.OpChgrp, Targets: []core.Target{{Class: core.Image, IDs: []core.ID{l.Moved.ID}}}, Group: other.ID})
		must(t, err)
	}
	return l
}

func create(t testing.TB, s core.Session, class core.Class, kv ...string) core.Ref {
	t.Helper()
	f := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		f[kv[i]] = kv[i+1]
	}
	v, err := s.Create(context.Background(), class, f)
	must(t, err)
	return v.Ref
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
