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
	const op = "annotations"
	var out []core.AnnotationOn
	err := s.read(ctx, func(d *ctxData) error {
		o, err := d.get(op, target)
		if err != nil {
			return err
		}
		lc := o.Class.Info().AnnotationLink
		if lc == "" {
			return core.Errorf(op, core.Invalid, "%s objects cannot be annotated", o.Class)
		}
		q := core.NewQuery(lc)
		q.Parent = o.ID
		q.Limit = maxAnnotationsShown
		links, err := d.tx.Find(q)
		if err != nil {
			return err
		}
		ids := make([]core.ID, 0, len(links))
		for _, l := range links {
			ids = append(ids, l.Child)
		}
		anns, err := d.tx.Objects(ids)
		if err != nil {
			return err
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
					return err
				}
			case core.FileAnnotation:
				if f, err := d.tx.Object(a.Ref2); err == nil && d.actor.CanRead(f.Owner, d.perm(f.Group)) {
					v := d.view(f)
					on.File = &v
				}
			}
			out = append(out, on)
		}
		return nil
	})
	return out, err
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
