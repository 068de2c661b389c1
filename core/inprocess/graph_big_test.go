package inprocess_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// bigProject is the project of the benchmarks and the crash test (issue
// §7): n images in ten datasets, each image with its own fileset (one file
// on disk), a shared tag, a comment, a rating, a key-value annotation, a ROI
// and two users' rendering settings.
type bigProject struct {
	w          *world
	g1, g2     core.ID
	alice, bob *actor
	project    core.Ref
	datasets   []core.Ref
	images     []core.Ref
	tag        core.Ref // the tag on every image
}

// buildBigProject writes the project in one transaction (the Session API
// would take a transaction per object, which is not what is measured).
func buildBigProject(tb testing.TB, n int) *bigProject {
	tb.Helper()
	w := newWorld(tb)
	bp := &bigProject{w: w, g1: w.group("lab", core.ReadAnnotate), g2: w.group("dest", core.ReadAnnotate)}
	bp.alice, bp.bob = w.user("alice", bp.g1, bp.g2), w.user("bob", bp.g1)
	managed := bp.alice.s.ManagedDir()
	err := w.svc.Store().Write(w.ctx, func(tx core.Tx) error {
		mk := func(c core.Class, owner core.ID, parent, child core.ID, set func(o *core.Object)) (*core.Object, error) {
			o := &core.Object{Ref: core.Ref{Class: c}, Details: core.Details{Owner: owner, Group: bp.g1}, Parent: parent, Child: child}
			if set != nil {
				set(o)
			}
			return o, tx.CreateObject(o)
		}
		a, b := bp.alice.id, bp.bob.id
		p, err := mk(core.Project, a, 0, 0, func(o *core.Object) { o.Name = "Big project" })
		if err != nil {
			return err
		}
		bp.project = p.Ref
		var dss []*core.Object
		for i := 0; i < 10; i++ {
			d, err := mk(core.Dataset, a, 0, 0, func(o *core.Object) { o.Name = fmt.Sprintf("Dataset %d", i) })
			if err != nil {
				return err
			}
			if _, err := mk(core.ProjectDatasetLink, a, p.ID, d.ID, nil); err != nil {
				return err
			}
			dss = append(dss, d)
			bp.datasets = append(bp.datasets, d.Ref)
		}
		tag, err := mk(core.TagAnnotation, a, 0, 0, func(o *core.Object) { o.TextValue = "shared" })
		if err != nil {
			return err
		}
		bp.tag = tag.Ref
		for i := 0; i < n; i++ {
			dir := fmt.Sprintf("alice_%d/2026-11/24/%06d", a, i)
			rel := dir + "/image.tif"
			data := []byte(fmt.Sprintf("pixels %d", i))
			fp := filepath.Join(managed, filepath.FromSlash(rel))
			if err := os.MkdirAll(filepath.Dir(fp), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(fp, data, 0o644); err != nil {
				return err
			}
			fs, err := mk(core.Fileset, a, 0, 0, func(o *core.Object) { o.Name = "image.tif"; o.SetAttr("templatePrefix", dir) })
			if err != nil {
				return err
			}
			if err := tx.AddFilesetEntry(core.FilesetEntry{Fileset: fs.ID, ClientPath: "/data/" + rel, RepoPath: rel, Size: int64(len(data)), Checksum: "x", Transfer: "copy"}); err != nil {
				return err
			}
			im, err := mk(core.Image, a, fs.ID, 0, func(o *core.Object) { o.Name = fmt.Sprintf("image %d", i); o.SetAttr("series", 0) })
			if err != nil {
				return err
			}
			bp.images = append(bp.images, im.Ref)
			if err := tx.SetPixels(core.PixelsInfo{Image: im.ID, SizeX: 512, SizeY: 512, SizeZ: 1, SizeC: 1, SizeT: 1, PixelType: "uint16", DimensionOrder: "XYZCT"}); err != nil {
				return err
			}
			if err := tx.SetChannels(im.ID, []core.ChannelInfo{{Name: "DAPI"}}); err != nil {
				return err
			}
			if _, err := mk(core.DatasetImageLink, a, dss[i%10].ID, im.ID, nil); err != nil {
				return err
			}
			anns := []func(o *core.Object){
				func(o *core.Object) { o.Class = core.CommentAnnotation; o.TextValue = "a comment" },
				func(o *core.Object) { o.Class = core.LongAnnotation; o.Ns = core.RatingNamespace; o.LongValue = 3 },
				func(o *core.Object) {
					o.Class = core.MapAnnotation
					o.SetAttr("mapValue", []core.KeyValue{{Key: "strain", Value: "N2"}})
				},
			}
			for _, set := range anns {
				ann, err := mk(core.CommentAnnotation, a, 0, 0, set)
				if err != nil {
					return err
				}
				if _, err := mk(core.ImageAnnotationLink, a, im.ID, ann.ID, nil); err != nil {
					return err
				}
			}
			if _, err := mk(core.ImageAnnotationLink, a, im.ID, tag.ID, nil); err != nil {
				return err
			}
			if _, err := mk(core.Roi, a, im.ID, 0, func(o *core.Object) { o.SetAttr("shapes", `[{"type":"rectangle","x":1,"y":2,"w":3,"h":4}]`) }); err != nil {
				return err
			}
			for _, u := range []core.ID{a, b} {
				if _, err := mk(core.RenderingDef, u, im.ID, 0, func(o *core.Object) {
					o.SetAttr("settings", `{"model":"greyscale","channels":[{"start":0,"end":4095,"color":"FFFFFF","active":true}]}`)
				}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return bp
}
