package browse

import (
	"context"
	"fmt"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

// Delete with a review, as OMERO.insight and OMERO.web do it: a dry run of
// the graph planner fills the dialog (what goes, by type with names; the
// images that disappear from other datasets too; the images that stay
// because other datasets hold them; a fileset the selection splits), and
// the real run applies exactly the plan the user saw (GraphRequest.Expect),
// or nothing when the data changed meanwhile.

// DeleteOptions are the dialog's choices.
type DeleteOptions struct {
	// OrphanAnnotations also deletes the tags and attachments that only
	// the deleted objects used (OMERO's "Delete annotations"); otherwise
	// they are kept, as OMERO's CLI does by default. Comments, ratings and
	// key-value pairs that become orphans always go.
	OrphanAnnotations bool
	// WholeFilesets adds the images the selection leaves out of its
	// multi-image filesets ("Delete all images of the fileset").
	WholeFilesets bool
}

// keptByDefault are the annotation classes a delete keeps unless asked
// (OMERO's CLI defaults, the same as `ocular-cli delete`).
var keptByDefault = []core.Class{core.TagAnnotation, core.FileAnnotation}

// DeleteRequest is the graph request for deleting the items.
func DeleteRequest(items []Item, o DeleteOptions) core.GraphRequest {
	req := core.GraphRequest{Op: core.OpDelete, AddMissingFilesetImages: o.WholeFilesets}
	byClass := map[core.Class]*core.Target{}
	var order []core.Class
	for _, it := range items {
		t, ok := byClass[it.View.Class]
		if !ok {
			t = &core.Target{Class: it.View.Class}
			byClass[it.View.Class] = t
			order = append(order, it.View.Class)
		}
		t.IDs = append(t.IDs, it.View.Ref.ID)
	}
	for _, c := range order {
		req.Targets = append(req.Targets, *byClass[c])
	}
	if !o.OrphanAnnotations {
		req.Exclude = append(req.Exclude, keptByDefault...)
	}
	return req
}

// DeleteReview is what the dialog shows.
type DeleteReview struct {
	Request core.GraphRequest
	Plan    core.GraphPlan
	// Summary is "1 Dataset, 2 Images" as the CLI prints it.
	Summary string
	// Deleted lists, for each class of data deleted, its names ("Dataset:
	// Olive dataset"), bounded.
	Deleted []string
	// MultiLinked names the images deleted from every dataset they are in,
	// with the other datasets ("olive-1.tif, also in Other dataset").
	MultiLinked []string
	// Kept names the images that stay because other datasets hold them.
	Kept []string
	// Split names the filesets the selection splits; Blocked says why the
	// delete is refused as asked.
	Split   []string
	Blocked string
}

// MultiLinkWarning is OMERO.web's wording for images in several datasets.
const MultiLinkWarning = "These images are linked to multiple datasets. Deleting them will remove them from all datasets:"

// KeptNote introduces the images that stay because other datasets hold them.
const KeptNote = "These images are linked to multiple datasets; they stay in their other datasets and only their link to what is deleted goes:"

// maxDeleteNamed bounds the names listed per class: a delete of 10,000 images
// reads and shows a few, then counts the rest.
const maxDeleteNamed = 20

// PlanDelete runs the dry run and words it. A plan the rules refuse (a
// split fileset, no permission) comes back with Blocked set and no error,
// so the dialog can offer the way out; other failures are errors.
func PlanDelete(ctx context.Context, s core.Session, items []Item, o DeleteOptions) (DeleteReview, error) {
	if why := deleteWhy(items); why != "" {
		return DeleteReview{}, core.Errorf("delete", core.Permission, "%s", why)
	}
	req := DeleteRequest(items, o)
	req.DryRun = true
	plan, err := s.PlanGraph(ctx, req)
	rv := DeleteReview{Request: req, Plan: plan}
	if err != nil {
		if len(plan.Blockers) == 0 && len(plan.Review.SplitFilesets) == 0 {
			return DeleteReview{}, err
		}
		rv.Blocked = core.UserMessage(err)
	}
	rv.Summary = core.CountsText(plan.Review.Counts)
	rv.Deleted = namesByClass(ctx, s, plan.Processed)
	for _, d := range plan.Review.DoublyLinked {
		var others []string
		for _, ds := range d.Datasets {
			others = append(others, ds.Name)
		}
		rv.MultiLinked = append(rv.MultiLinked, d.Image.Name+" (in "+strings.Join(others, ", ")+")")
	}
	rv.Kept = keptImages(ctx, s, items, plan)
	for _, sp := range plan.Review.SplitFilesets {
		rv.Split = append(rv.Split, fmt.Sprintf("%s holds %d images; the selection has %d of them.", sp.Fileset, len(sp.Selected)+len(sp.Missing), len(sp.Selected)))
	}
	return rv, nil
}

// RunDelete applies the reviewed plan; if the data changed since the
// review (someone else deleted or linked something), nothing is deleted
// and the error says so.
func RunDelete(ctx context.Context, s core.Session, rv DeleteReview, progress func(done, total int)) (core.GraphResult, error) {
	req := rv.Request
	req.DryRun = false
	req.Expect = rv.Plan.Fingerprint
	req.Progress = progress
	res, err := s.RunGraph(ctx, req)
	if core.Is(core.Conflict, err) || core.Is(core.NotFound, err) {
		return res, core.Errorf("delete", core.Conflict, "nothing was deleted: the data changed since the review (someone else deleted or moved some of it); look again and retry")
	}
	return res, err
}

// namesByClass names the deleted data a user knows by name (projects,
// datasets, images, screens, plates), at most maxDeleteNamed per class.
func namesByClass(ctx context.Context, s core.Session, refs []core.Ref) []string {
	byClass := map[core.Class][]string{}
	more := map[core.Class]int{}
	for _, r := range refs {
		if !isData(r.Class) {
			continue
		}
		if len(byClass[r.Class]) >= maxDeleteNamed {
			more[r.Class]++
			continue
		}
		name := r.String()
		if v, err := s.Get(ctx, r); err == nil {
			name = v.DisplayName()
		}
		byClass[r.Class] = append(byClass[r.Class], name)
	}
	var out []string
	for _, c := range []core.Class{core.Project, core.Dataset, core.Screen, core.Plate, core.Image} {
		if len(byClass[c]) == 0 {
			continue
		}
		line := string(c) + ": " + strings.Join(byClass[c], ", ")
		if more[c] > 0 {
			line += fmt.Sprintf(" and %d more", more[c])
		}
		out = append(out, line)
	}
	return out
}

// keptImages names the images of deleted datasets that stay because they
// are also in other datasets, with those datasets.
func keptImages(ctx context.Context, s core.Session, items []Item, plan core.GraphPlan) []string {
	deleted := map[core.Ref]bool{}
	for _, r := range plan.Processed {
		deleted[r] = true
	}
	var datasets []core.ID
	for _, r := range plan.Processed {
		if r.Class == core.Dataset {
			datasets = append(datasets, r.ID)
		}
	}
	if len(datasets) == 0 || len(items) == 0 {
		return nil
	}
	group := items[0].View.Group
	links, err := s.List(ctx, core.DatasetImageLink, core.AnyID, group)
	if err != nil {
		return nil
	}
	inDeleted := map[core.ID]bool{}
	for _, id := range datasets {
		inDeleted[id] = true
	}
	others := map[core.ID][]core.ID{} // image -> datasets that stay
	for _, l := range links {
		img := core.Ref{Class: core.Image, ID: l.Child}
		if deleted[img] || inDeleted[l.Parent] {
			continue
		}
		others[l.Child] = append(others[l.Child], l.Parent)
	}
	names := map[core.Ref]string{} // a dataset is named once, however many images it holds
	nameOnce := func(r core.Ref) string {
		if n, ok := names[r]; ok {
			return n
		}
		names[r] = nameOf(ctx, s, r)
		return names[r]
	}
	var out []string
	for _, l := range links {
		if !inDeleted[l.Parent] || deleted[core.Ref{Class: core.Image, ID: l.Child}] || len(others[l.Child]) == 0 {
			continue
		}
		if len(out) >= maxDeleteNamed {
			out = append(out, "and more")
			break
		}
		name := nameOf(ctx, s, core.Ref{Class: core.Image, ID: l.Child})
		var ds []string
		for _, d := range others[l.Child] {
			ds = append(ds, nameOnce(core.Ref{Class: core.Dataset, ID: d}))
		}
		out = append(out, name+" (also in "+strings.Join(ds, ", ")+")")
		others[l.Child] = nil // once per image
	}
	return out
}

func nameOf(ctx context.Context, s core.Session, r core.Ref) string {
	if v, err := s.Get(ctx, r); err == nil {
		return v.DisplayName()
	}
	return r.String()
}
