package inprocess_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
)

// The scenarios at the boundary of a closure: objects the request reaches
// that are also used by objects it does not reach. Each request is planned
// from the roots outward (with the store's steps and with GraphNeighbours
// alone) and over the whole groups, and the plans must be the same.

// boundary is a group holding one of each boundary case around project P1.
type boundary struct {
	w                       *world
	g, dest, private        core.ID
	alice, bob              *actor
	p1, p2, d1, d2, d3      core.Ref
	a, b1, b2, c, x         core.Ref // images
	fs                      core.Ref
	shared, own, outside    core.Ref // tags
	set, set2               core.Ref // tag sets
	fa, fa2, file           core.Ref
	screen, plate, well     core.Ref
	bobsComment, bobsTag    core.Ref
	bobsMap, roi, bobsRoi   core.Ref
	datasetComment, wellTag core.Ref
	link                    core.Ref // image A in dataset D3
}

func buildBoundary(t *testing.T, level core.Level) *boundary {
	w := newWorld(t)
	b := &boundary{w: w, g: w.group("lab", level), dest: w.group("dest", core.ReadAnnotate), private: w.group("mine", core.Private)}
	b.alice, b.bob = w.user("alice", b.g, b.dest, b.private), w.user("bob", b.g, b.dest)
	al, bo := b.alice, b.bob
	b.p1, b.p2 = al.mk(core.Project), al.mk(core.Project)
	b.d1, b.d2, b.d3 = al.mk(core.Dataset), al.mk(core.Dataset), al.mk(core.Dataset)
	al.link(core.ProjectDatasetLink, b.p1, b.d1)
	al.link(core.ProjectDatasetLink, b.p1, b.d2)
	al.link(core.ProjectDatasetLink, b.p2, b.d3)
	// An image in two datasets of different projects.
	b.a = al.image(b.d1)
	b.link = al.link(core.DatasetImageLink, b.d3, b.a)
	// A fileset split across datasets.
	var ims []core.Ref
	b.fs, ims = al.importImages(2, b.d1)
	b.b1, b.b2 = ims[0], ims[1]
	if l := w.linkBetween(core.DatasetImageLink, b.d1, b.b2); l != nil {
		al.s.RunGraph(w.ctx, core.GraphRequest{Op: core.OpDelete, Targets: []core.Target{{Class: core.DatasetImageLink, IDs: []core.ID{l.ID}}}})
	}
	al.link(core.DatasetImageLink, b.d3, b.b2)
	// ROIs and rendering settings of two users.
	b.c = al.image(b.d2)
	b.roi = al.mk(core.Roi, "image", b.c.String())
	al.mk(core.RenderingDef, "image", b.c.String())
	if level != core.Private { // in a private group nobody else sees alice's data
		b.bobsRoi = bo.mk(core.Roi, "image", b.c.String())
		bo.mk(core.RenderingDef, "image", b.c.String())
	}
	// An image outside the project sharing a tag, a file and a tag set.
	b.x = al.image(b.d3)
	b.shared = al.tag("shared", b.a, b.x)
	b.own = al.tag("own", b.c)
	b.outside = al.tag("outside", b.x)
	b.set = al.mk(core.TagAnnotation, "textValue", "set", "ns", core.TagSetNamespace)
	al.link(core.AnnotationAnnotationLink, b.set, b.own)
	al.link(core.AnnotationAnnotationLink, b.set, b.outside)
	b.set2 = al.mk(core.TagAnnotation, "textValue", "set 2", "ns", core.TagSetNamespace)
	al.link(core.AnnotationAnnotationLink, b.set2, b.shared)
	al.annotate(b.p1, b.set)
	b.fa, b.file = al.attach(b.c, "notes.pdf")
	b.fa2 = al.mk(core.FileAnnotation, "file", b.file.String())
	al.annotate(b.x, b.fa2)
	// Annotations owned by others.
	if level != core.Private {
		b.bobsComment = bo.comment(b.c, "bob was here")
		b.bobsTag = bo.tag("bob's", b.c, b.a)
		b.bobsMap = bo.mk(core.MapAnnotation, "mapValue", "k=v")
		bo.annotate(b.a, b.bobsMap)
	}
	b.datasetComment = al.comment(b.d1, "about d1")
	// A plate with wells, a tag on a well.
	b.screen = al.mk(core.Screen)
	var wells []core.Ref
	b.plate, _, wells = al.importPlate(b.screen)
	b.well = wells[0]
	b.wellTag = al.tag("well tag", b.well, b.x)
	return b
}

func (b *boundary) requests() map[string]core.GraphRequest {
	withOpts := func(r core.GraphRequest, f func(*core.GraphRequest)) core.GraphRequest { f(&r); return r }
	alice := core.Target{Class: core.ClassExperimenter, IDs: []core.ID{b.alice.id}}
	return map[string]core.GraphRequest{
		"chgrp project":                 chgrp(b.dest, b.p1),
		"chgrp project to private":      chgrp(b.private, b.p1),
		"chgrp project include tags":    withOpts(chgrp(b.dest, b.p1), func(r *core.GraphRequest) { r.Include = []core.Class{core.TagAnnotation} }),
		"chgrp project keep":            withOpts(chgrp(b.dest, b.p1), func(r *core.GraphRequest) { r.KeepAnnotations = true }),
		"chgrp project exclude":         withOpts(chgrp(b.dest, b.p1), func(r *core.GraphRequest) { r.Exclude = []core.Class{core.Annotation} }),
		"chgrp dataset":                 chgrp(b.dest, b.d1),
		"chgrp image in two datasets":   chgrp(b.dest, b.a),
		"chgrp part of a fileset":       chgrp(b.dest, b.b1),
		"chgrp fileset add missing":     withOpts(chgrp(b.dest, b.b1), func(r *core.GraphRequest) { r.AddMissingFilesetImages = true }),
		"chgrp fileset":                 chgrp(b.dest, b.fs),
		"chgrp shared tag":              chgrp(b.dest, b.shared),
		"chgrp tag set":                 chgrp(b.dest, b.set),
		"chgrp attachment":              chgrp(b.dest, b.fa),
		"chgrp screen":                  chgrp(b.dest, b.screen),
		"chgrp into dataset":            withOpts(chgrp(b.dest, b.c), func(r *core.GraphRequest) { r.NewContainer, r.NewContainerName = core.Dataset, "new" }),
		"delete project":                del(b.p1),
		"delete project include":        withOpts(del(b.p1), func(r *core.GraphRequest) { r.Include = []core.Class{core.Annotation, core.Image} }),
		"delete dataset":                del(b.d2),
		"delete image in two datasets":  del(b.a),
		"delete shared tag":             del(b.shared),
		"delete tag set":                del(b.set),
		"delete original file":          del(b.file),
		"delete screen":                 del(b.screen),
		"delete plate":                  del(b.plate),
		"delete well":                   del(b.well),
		"delete roi":                    del(b.roi),
		"delete project images":         {Op: core.OpDelete, Targets: []core.Target{{Class: core.Project, SubClass: core.Image, IDs: []core.ID{b.p1.ID}}}},
		"chown project":                 chown(b.bob.id, b.p1),
		"chown tag set":                 chown(b.bob.id, b.set),
		"chown tag set include":         withOpts(chown(b.bob.id, b.set), func(r *core.GraphRequest) { r.Include = []core.Class{core.Annotation} }),
		"chown image in two datasets":   chown(b.bob.id, b.a),
		"chown screen":                  chown(b.bob.id, b.screen),
		"chown all of alice's data":     {Op: core.OpChown, User: b.bob.id, Targets: []core.Target{alice}},
		"duplicate project":             dup(b.p1),
		"duplicate dataset":             dup(b.d2),
		"duplicate image in two":        dup(b.a),
		"duplicate plate":               dup(b.plate),
		"duplicate fileset":             dup(b.fs),
		"duplicate referencing tags":    withOpts(dup(b.d2), func(r *core.GraphRequest) { r.Reference = []core.Class{core.TagAnnotation} }),
		"duplicate ignoring annotation": withOpts(dup(b.p1), func(r *core.GraphRequest) { r.Ignore = []core.Class{core.Annotation} }),
		"delete a link":                 del(b.link),
		"chgrp a link":                  chgrp(b.dest, b.link),
		"chown a link":                  chown(b.bob.id, b.link),
		"duplicate a link":              dup(b.link),
		"delete a link and its image":   del(b.link, b.a),
	}
}

func TestClosure_PlansAtTheBoundaryAreTheWholeGroupPlans(t *testing.T) {
	for _, level := range []core.Level{core.Private, core.ReadAnnotate, core.ReadWrite} {
		t.Run(level.String(), func(t *testing.T) {
			b := buildBoundary(t, level)
			reqs := b.requests()
			names := make([]string, 0, len(reqs))
			for n := range reqs {
				names = append(names, n)
			}
			slices.Sort(names)
			for _, steps := range []string{"steps", "neighbours"} {
				inprocess.SetNoGraphStepper(steps == "neighbours")
				for _, n := range names {
					for _, who := range []*actor{b.alice.in(b.g), b.w.admin(b.g)} {
						t.Run(steps+"/"+n, func(t *testing.T) { who.sameBothWays(t, reqs[n]) })
					}
				}
			}
			inprocess.SetNoGraphStepper(false)
		})
	}
}

// What users see of a move at the boundary: what is used elsewhere stays.
func TestClosure_MovingAProjectLeavesWhatIsUsedOutsideIt(t *testing.T) {
	b := buildBoundary(t, core.ReadAnnotate)
	p := b.alice.in(b.g).sameBothWays(t, chgrp(b.dest, b.p1))
	moved := refsOf(p.Processed)
	for _, r := range []core.Ref{b.p1, b.d1, b.d2, b.c, b.own, b.fa, b.roi, b.datasetComment} {
		if !moved[r] {
			t.Errorf("%s should move with the project", r)
		}
	}
	for _, r := range []core.Ref{b.a, b.shared, b.x, b.d3, b.set2, b.outside} {
		if moved[r] {
			t.Errorf("%s is used outside the project and should stay", r)
		}
	}
	if !slices.Contains(p.Review.NotIncludedTags, "outside") {
		t.Errorf("the review should name the tag of the set that is also on an image outside: %v", p.Review.NotIncludedTags)
	}
	if !slices.ContainsFunc(p.Blockers, func(m string) bool { return strings.Contains(m, b.file.String()+" is shared") }) {
		t.Errorf("the file shared with an attachment outside should refuse the move: %v", p.Blockers)
	}
	if len(p.Review.SplitFilesets) != 1 || p.Review.SplitFilesets[0].Fileset != b.fs {
		t.Errorf("the review should show the fileset split across datasets: %+v", p.Review.SplitFilesets)
	}
}

// A tag on many images outside the moved one is counted, not read: the
// plan reads the moved image, its link to the tag and the tag, and none of
// the other images or their links; it still knows the tag stays.
func TestClosure_ATagOnManyOtherImagesIsCountedNotRead(t *testing.T) {
	w := newWorld(t)
	g1, g2 := w.group("a", core.ReadAnnotate), w.group("b", core.ReadAnnotate)
	alice := w.user("alice", g1, g2)
	ds := alice.mk(core.Dataset)
	im := alice.image(core.Ref{})
	others := make([]core.Ref, 30)
	for i := range others {
		others[i] = alice.mk(core.Image)
		alice.link(core.DatasetImageLink, ds, others[i])
	}
	tag := alice.tag("everywhere", append([]core.Ref{im}, others...)...)
	read, err := inprocess.ClosureOf(w.ctx, w.svc.Store(), core.OpChgrp, targets(im), g1, g2)
	if err != nil {
		t.Fatal(err)
	}
	got := refsOf(read)
	if !got[im] || !got[tag] {
		t.Errorf("the closure should hold the image and its tag: %v", read)
	}
	for _, o := range append(others, ds) {
		if got[o] {
			t.Errorf("%s is only another user of the tag and should not be read: %v", o, read)
		}
	}
	if len(read) > 8 {
		t.Errorf("%d objects read for one image with one tag: %v", len(read), read)
	}
	p := alice.sameBothWays(t, chgrp(g2, im))
	if refsOf(p.Processed)[tag] || !slices.Contains(p.Review.NotIncludedTags, "everywhere") {
		t.Errorf("the tag used elsewhere should stay, and the review say so: %+v", p)
	}
}
