package inprocess

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

// maxAnnotationsShown bounds what one object's panel loads: an object with
// more links than this (a script gone wrong) shows the first ones.
const maxAnnotationsShown = 5000

// Annotations implements core.Annotations.
func (s *session) Annotations(ctx context.Context, target core.Ref) ([]core.AnnotationOn, error) {
	var out []core.AnnotationOn
	err := s.read(ctx, func(d *ctxData) error {
		var err error
		out, err = d.annotationsOn(target)
		return err
	})
	return out, err
}

// maxAnnotationsBatch bounds the targets of one AnnotationsOf call, so one
// read transaction stays short however big the grid is.
const maxAnnotationsBatch = 1000

// AnnotationsOf implements core.AnnotationsBatch: the annotations of many
// objects in one read transaction (the grid's filters read a dataset's
// images in batches this way instead of one transaction per image).
func (s *session) AnnotationsOf(ctx context.Context, targets []core.Ref) ([][]core.AnnotationOn, error) {
	if len(targets) > maxAnnotationsBatch {
		return nil, core.Errorf("annotations", core.Invalid, "at most %d objects at once (asked for %d)", maxAnnotationsBatch, len(targets))
	}
	var out [][]core.AnnotationOn
	err := s.read(ctx, func(d *ctxData) error {
		var err error
		out, err = d.annotationsOfMany(ctx, targets)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// annotationsOfMany is annotationsOn for many targets in a few queries: the
// targets at once, then per link class the links of up to linkBatch of
// them and their annotations. A target the caller may not see, or that
// cannot be annotated, gets nothing.
func (d *ctxData) annotationsOfMany(ctx context.Context, targets []core.Ref) ([][]core.AnnotationOn, error) {
	const linkBatch = 500
	out := make([][]core.AnnotationOn, len(targets))
	ids := make([]core.ID, len(targets))
	for i, t := range targets {
		ids[i] = t.ID
	}
	objs, err := d.tx.Objects(ids)
	if err != nil {
		return nil, err
	}
	byLink := map[core.Class][]core.ID{}
	at := map[core.ID][]int{} // a target's places in targets
	for i, t := range targets {
		o := objs[t.ID]
		if o == nil || !o.Class.Matches(t.Class) || !d.actor.CanRead(o.Owner, d.perm(o.Group)) {
			continue
		}
		lc := o.Class.Info().AnnotationLink
		if lc == "" {
			continue
		}
		if len(at[o.ID]) == 0 {
			byLink[lc] = append(byLink[lc], o.ID)
		}
		at[o.ID] = append(at[o.ID], i)
	}
	tagSets := map[core.ID][]string{}
	shown := map[core.ID]int{} // links kept per target, bounded as for one
	for lc, parents := range byLink {
		for start := 0; start < len(parents); start += linkBatch {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			q := core.NewQuery(lc)
			q.Parents = parents[start:min(start+linkBatch, len(parents))]
			links, err := d.tx.Find(q)
			if err != nil {
				return nil, err
			}
			children := make([]core.ID, 0, len(links))
			for _, l := range links {
				children = append(children, l.Child)
			}
			anns, err := d.tx.Objects(children)
			if err != nil {
				return nil, err
			}
			for _, l := range links {
				a := anns[l.Child]
				if a == nil || shown[l.Parent] >= maxAnnotationsShown ||
					!d.actor.CanRead(l.Owner, d.perm(l.Group)) || !d.actor.CanRead(a.Owner, d.perm(a.Group)) {
					continue
				}
				shown[l.Parent]++
				on := core.AnnotationOn{Link: d.view(l), Annotation: d.view(a)}
				switch a.Class {
				case core.TagAnnotation:
					sets, ok := tagSets[a.ID]
					if !ok {
						if sets, err = d.tagSetsOf(a.ID); err != nil {
							return nil, err
						}
						tagSets[a.ID] = sets
					}
					on.TagSets = sets
				case core.FileAnnotation:
					if f, err := d.tx.Object(a.Ref2); err == nil && d.actor.CanRead(f.Owner, d.perm(f.Group)) {
						v := d.view(f)
						on.File = &v
					}
				}
				for _, i := range at[l.Parent] {
					out[i] = append(out[i], on)
				}
			}
		}
	}
	return out, nil
}

// annotationsOn lists what is linked to target that the caller can see.
func (d *ctxData) annotationsOn(target core.Ref) ([]core.AnnotationOn, error) {
	const op = "annotations"
	var out []core.AnnotationOn
	o, err := d.get(op, target)
	if err != nil {
		return nil, err
	}
	lc := o.Class.Info().AnnotationLink
	if lc == "" {
		return nil, core.Errorf(op, core.Invalid, "%s objects cannot be annotated", o.Class)
	}
	q := core.NewQuery(lc)
	q.Parent = o.ID
	q.Limit = maxAnnotationsShown
	links, err := d.tx.Find(q)
	if err != nil {
		return nil, err
	}
	ids := make([]core.ID, 0, len(links))
	for _, l := range links {
		ids = append(ids, l.Child)
	}
	anns, err := d.tx.Objects(ids)
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		a := anns[l.Child]
		if a == nil || !d.actor.CanRead(l.Owner, d.perm(l.Group)) || !d.actor.CanRead(a.Owner, d.perm(a.Group)) {
			continue
		}
		on := core.AnnotationOn{Link: d.view(l), Annotation: d.view(a)}
		switch a.Class {
		case core.TagAnnotation:
			if on.TagSets, err = d.tagSetsOf(a.ID); err != nil {
				return nil, err
			}
		case core.FileAnnotation:
			if f, err := d.tx.Object(a.Ref2); err == nil && d.actor.CanRead(f.Owner, d.perm(f.Group)) {
				v := d.view(f)
				on.File = &v
			}
		}
		out = append(out, on)
	}
	return out, nil
}

// tagSetsOf names the tag sets that contain a tag.
func (d *ctxData) tagSetsOf(tag core.ID) ([]string, error) {
	q := core.NewQuery(core.AnnotationAnnotationLink)
	q.Child = tag
	links, err := d.tx.Find(q)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, l := range links {
		set, err := d.tx.Object(l.Parent)
		if err != nil || !d.actor.CanRead(set.Owner, d.perm(set.Group)) {
			continue
		}
		names = append(names, set.DisplayName())
	}
	return names, nil
}

// OpenFile implements core.Annotations: the file is found through its row,
// never through a path the caller gives.
func (s *session) OpenFile(ctx context.Context, file core.Ref) (io.ReadCloser, error) {
	const op = "download"
	var rel string
	err := s.read(ctx, func(d *ctxData) error {
		o, err := d.get(op, core.Ref{Class: core.OriginalFile, ID: file.ID})
		if err != nil {
			return err
		}
		rel = o.Attr("path")
		return nil
	})
	if err != nil {
		return nil, err
	}
	if rel == "" || strings.Contains(rel, "..") {
		return nil, core.Errorf(op, core.NotFound, "%s has no stored bytes", file)
	}
	f, err := os.Open(filepath.Join(s.svc.store.Dir(), filepath.FromSlash(rel)))
	if err != nil {
		return nil, core.E(op, core.IO, "the attached file is missing from the repository; run `ocular-cli repair`", err)
	}
	return f, nil
}
