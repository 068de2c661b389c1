package browse

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/ocular-lab/ocular/core"
)

// The annotation actions of the details panel. Each takes the selected
// objects (one or many: batch annotate) and runs through core.Session, which
// checks every rule again where the data is. They block: the UI calls them
// from its runner, off the UI goroutine.

// LoadAnnotations reads the targets afresh (their flags may have changed,
// or someone may have deleted them) and what is linked to each.
func LoadAnnotations(ctx context.Context, s core.Session, targets []core.Ref) ([]core.ObjectView, [][]core.AnnotationOn, error) {
	views := make([]core.ObjectView, 0, len(targets))
	found := make([][]core.AnnotationOn, 0, len(targets))
	for _, t := range targets {
		v, err := s.Get(ctx, t)
		if err != nil {
			return nil, nil, gone(t, err)
		}
		ons, err := s.Annotations(ctx, t)
		if err != nil {
			return nil, nil, gone(t, err)
		}
		views = append(views, v)
		found = append(found, ons)
	}
	return views, found, nil
}

// gone turns "not found" about a selected object into what happened from
// the user's side: it was there a moment ago.
func gone(r core.Ref, err error) error {
	if core.Is(core.NotFound, err) {
		return core.Errorf("annotations", core.NotFound, "%s no longer exists (someone else may have deleted or moved it); refresh the tree", r)
	}
	return err
}

// link links ann to every target that does not hold it yet, and says how
// many already did.
func link(ctx context.Context, s core.Session, targets []core.ObjectView, ann core.Ref) (already int, err error) {
	for _, t := range targets {
		lc := t.Class.Info().AnnotationLink
		if lc == "" {
			return already, core.Errorf("annotate", core.Invalid, "%s objects cannot be annotated", t.Class)
		}
		_, err := s.Create(ctx, lc, map[string]string{"parent": t.Ref.String(), "child": ann.String()})
		switch {
		case core.Is(core.Conflict, err):
			already++
		case err != nil:
			return already, gone(t.Ref, err)
		}
	}
	return already, nil
}

// create makes an annotation in the targets' group (not the session's
// current one, which may differ after a group switch).
func create(ctx context.Context, s core.Session, targets []core.ObjectView, class core.Class, fields map[string]string) (core.ObjectView, error) {
	if len(targets) == 0 {
		return core.ObjectView{}, core.Errorf("annotate", core.Invalid, "select an object first")
	}
	fields["group"] = strconv.FormatInt(int64(targets[0].Group), 10)
	return s.Create(ctx, class, fields)
}

// createLinked makes an annotation and links it to every target; if a
// link fails (a target deleted meanwhile, a rule refusing one of them) the
// annotation and the links already made are deleted again, so a refused
// action leaves nothing behind.
func createLinked(ctx context.Context, s core.Session, targets []core.ObjectView, class core.Class, fields map[string]string) error {
	a, err := create(ctx, s, targets, class, fields)
	if err != nil {
		return err
	}
	if _, err := link(ctx, s, targets, a.Ref); err != nil {
		deleteUnlinked(ctx, s, a.Ref)
		return err
	}
	return nil
}

// AddTag links an existing tag to the targets.
func AddTag(ctx context.Context, s core.Session, targets []core.ObjectView, tag core.Ref) (already int, err error) {
	return link(ctx, s, targets, tag)
}

// CreateTag makes a tag in the targets' group and links it to them.
func CreateTag(ctx context.Context, s core.Session, targets []core.ObjectView, text string) error {
	text, err := CheckTagName(text)
	if err != nil {
		return err
	}
	return createLinked(ctx, s, targets, core.TagAnnotation, map[string]string{"textValue": text})
}

// RemoveLinks removes annotations from objects without deleting them
// (OMERO's minus).
func RemoveLinks(ctx context.Context, s core.Session, links []core.ObjectView) error {
	refs := make([]core.Ref, len(links))
	for i, l := range links {
		refs[i] = l.Ref
	}
	return s.Delete(ctx, refs...)
}

// DeleteAnnotation deletes an annotation (a comment, a table, an
// attachment: OMERO's cross) with its links to the selected objects, in one
// transaction; an annotation also linked elsewhere is refused (Conflict)
// and nothing changes. An attachment's stored file goes after it.
func DeleteAnnotation(ctx context.Context, s core.Session, a Annotation) error {
	refs := make([]core.Ref, 0, len(a.Links)+1)
	for _, l := range a.Links {
		refs = append(refs, l.Ref)
	}
	if err := s.Delete(ctx, append(refs, a.Annotation.Ref)...); err != nil {
		return err
	}
	if a.File != nil {
		return deleteFile(ctx, s, a.File.Ref)
	}
	return nil
}

// deleteFile removes an OriginalFile's row and bytes.
func deleteFile(ctx context.Context, s core.Session, f core.Ref) error {
	_, err := s.RunGraph(ctx, core.GraphRequest{Op: core.OpDelete, Targets: []core.Target{{Class: core.OriginalFile, IDs: []core.ID{f.ID}}}})
	return err
}

// deleteUnlinked deletes an annotation just made whose links failed: the
// graph delete takes the links already made with it.
func deleteUnlinked(ctx context.Context, s core.Session, a core.Ref) {
	s.RunGraph(ctx, core.GraphRequest{Op: core.OpDelete, Targets: []core.Target{{Class: a.Class, IDs: []core.ID{a.ID}}}})
}

// AddComment adds one comment to the targets.
func AddComment(ctx context.Context, s core.Session, targets []core.ObjectView, text string) error {
	text, err := CheckComment(text)
	if err != nil {
		return err
	}
	return createLinked(ctx, s, targets, core.CommentAnnotation, map[string]string{"textValue": text})
}

// SetRating gives the targets my rating of stars (0 removes it). mine are
// my current ratings on them (Rating.MyRatings), changed in place.
func SetRating(ctx context.Context, s core.Session, targets []core.ObjectView, stars int64, mine []Annotation) error {
	if stars < 0 || stars > 5 {
		return core.Errorf("rating", core.Invalid, "a rating is 0 to 5 stars, not %d", stars)
	}
	rated := map[core.ID]Annotation{}
	for _, m := range mine {
		rated[m.Link.Parent] = m
	}
	for _, t := range targets {
		m, ok := rated[t.ID]
		switch {
		case ok && stars == 0:
			if err := s.Delete(ctx, m.Link.Ref, m.Annotation.Ref); err != nil {
				return gone(t.Ref, err)
			}
		case ok:
			if _, err := s.Update(ctx, m.Annotation.Ref, map[string]string{"longValue": strconv.FormatInt(stars, 10)}); err != nil {
				return gone(t.Ref, err)
			}
		case stars > 0:
			if err := createLinked(ctx, s, []core.ObjectView{t}, core.LongAnnotation, map[string]string{"ns": core.RatingNamespace, "longValue": strconv.FormatInt(stars, 10)}); err != nil {
				return err
			}
		}
	}
	return nil
}

func mapValue(rows []core.KeyValue) string {
	pairs := make([][2]string, len(rows))
	for i, r := range rows {
		pairs[i] = [2]string{r.Key, r.Value}
	}
	b, _ := json.Marshal(pairs)
	return string(b)
}

// SaveKeyValues replaces the rows of a key-value table.
func SaveKeyValues(ctx context.Context, s core.Session, ann core.Ref, rows []core.KeyValue) error {
	rows, err := CheckKeyValues(rows)
	if err != nil {
		return err
	}
	_, err = s.Update(ctx, ann, map[string]string{"mapValue": mapValue(rows)})
	return err
}

// AddKeyValues adds a new key-value table (OMERO.web's client namespace)
// to the targets.
func AddKeyValues(ctx context.Context, s core.Session, targets []core.ObjectView, rows []core.KeyValue) error {
	rows, err := CheckKeyValues(rows)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return core.Errorf("key-value pairs", core.Invalid, "the table is empty; add a row first")
	}
	return createLinked(ctx, s, targets, core.MapAnnotation, map[string]string{"ns": core.ClientMapNamespace, "mapValue": mapValue(rows)})
}

// Attach stores a file and attaches it to the targets.
func Attach(ctx context.Context, s core.Session, targets []core.ObjectView, name string, content io.Reader) error {
	f, err := s.Upload(ctx, name, content)
	if err != nil {
		return err
	}
	if err := createLinked(ctx, s, targets, core.FileAnnotation, map[string]string{"file": f.Ref.String()}); err != nil {
		// The stored file would be an orphan: remove its row and bytes.
		deleteFile(ctx, s, f.Ref)
		return err
	}
	return nil
}

// Download copies an attachment's bytes to w.
func Download(ctx context.Context, s core.Session, file core.Ref, w io.Writer) error {
	r, err := s.OpenFile(ctx, file)
	if err != nil {
		return err
	}
	defer r.Close()
	if _, err := io.Copy(w, r); err != nil {
		return core.E("download", core.IO, fmt.Sprintf("cannot save %s: %v", file, err), err)
	}
	return nil
}
