package browse

import (
	"context"
	"fmt"
	"strconv"

	"github.com/ocular-lab/ocular/core"
)

// Running the organising actions. Each one either does all it was asked
// or changes nothing: a step the repository refuses undoes the steps
// before it. They run off the UI goroutine.

// NewContainer asks for a new project, dataset or screen.
type NewContainer struct {
	Class             core.Class
	Name, Description string
	// Parent, when set, is the project a new dataset goes into.
	Parent core.ObjectView
	// Images are linked into a new dataset ("New Dataset from Selected
	// Images").
	Images []Item
	// Owner, when not zero, is the user the container is made for: an
	// administrator working in another user's data makes it theirs
	// (spec §3.4).
	Owner core.ID
}

// CreateContainer makes the container and its links in one go: if a link
// is refused, what was made is removed again and the error says why.
func CreateContainer(ctx context.Context, s core.Session, req NewContainer) (core.ObjectView, error) {
	name, err := CleanName(req.Name)
	if err != nil {
		return core.ObjectView{}, err
	}
	if !req.Parent.Ref.IsZero() {
		if why := LinkWhy(req.Parent, []Item{{View: core.ObjectView{Object: core.Object{Ref: core.Ref{Class: req.Class}, Details: core.Details{Group: req.Parent.Group}}, Flags: core.Flags{CanLink: true}}}}); why != "" {
			return core.ObjectView{}, core.Errorf("new", core.Permission, "%s", why)
		}
	}
	if len(req.Images) > 0 {
		if why := datasetFromWhy(req.Images); why != "" {
			return core.ObjectView{}, core.Errorf("new", core.Permission, "%s", why)
		}
	}
	fields := map[string]string{"name": name}
	if req.Description != "" {
		fields["description"] = req.Description
	}
	if req.Owner != 0 {
		fields["owner"] = strconv.FormatInt(int64(req.Owner), 10)
	}
	me, err := s.Me(ctx)
	if err != nil {
		return core.ObjectView{}, err
	}
	made, err := s.Create(ctx, req.Class, fields)
	if err != nil {
		return core.ObjectView{}, err
	}
	var links []core.Ref
	undo := func(cause error) (core.ObjectView, error) {
		refs := append(links, made.Ref)
		if err := s.Delete(ctx, refs...); err != nil {
			return core.ObjectView{}, fmt.Errorf("%w (and %s could not be removed again: %s)", cause, made.Ref, core.UserMessage(err))
		}
		return core.ObjectView{}, cause
	}
	if !req.Parent.Ref.IsZero() {
		l, err := createLink(ctx, s, me, linkClass[req.Class], req.Parent.Ref, made)
		if err != nil {
			return undo(err)
		}
		links = append(links, l.Ref)
	}
	for _, img := range req.Images {
		l, err := createLink(ctx, s, me, core.DatasetImageLink, made.Ref, img.View)
		if err != nil {
			return undo(err)
		}
		links = append(links, l.Ref)
	}
	if len(links) > 0 {
		// Read it again: the child count changed with the links.
		if v, err := s.Get(ctx, made.Ref); err == nil {
			made = v
		}
	}
	return made, nil
}

// SetName renames an object; SetDescription changes its description. The
// F2 dialog and the details panel's pencil both save through them. An
// object someone else deleted meanwhile is said so, by name.
func SetName(ctx context.Context, s core.Session, v core.ObjectView, typed string) (core.ObjectView, error) {
	name, err := CleanName(typed)
	if err != nil {
		return core.ObjectView{}, err
	}
	return update(ctx, s, v, map[string]string{"name": name})
}

func SetDescription(ctx context.Context, s core.Session, v core.ObjectView, text string) (core.ObjectView, error) {
	return update(ctx, s, v, map[string]string{"description": text})
}

func update(ctx context.Context, s core.Session, v core.ObjectView, fields map[string]string) (core.ObjectView, error) {
	got, err := s.Update(ctx, v.Ref, fields)
	if core.Is(core.NotFound, err) {
		return core.ObjectView{}, core.Errorf("update", core.NotFound, "%s no longer exists: someone else deleted it; refresh to see the tree as it is now", capitalize(phrase(v)))
	}
	return got, err
}

// LinkOutcome says what a paste did.
type LinkOutcome struct {
	Linked, Already, Unlinked int
}

// Status is the one-line summary for the status bar.
func (o LinkOutcome) Status(target core.ObjectView, child core.Class, cut bool) string {
	verb := "Linked"
	if cut {
		verb = "Moved"
	}
	msg := fmt.Sprintf("%s %s into %s.", verb, countNoun(o.Linked, child), phrase(target))
	switch {
	case o.Already == 1:
		msg += " 1 was already there."
	case o.Already > 1:
		msg += fmt.Sprintf(" %d were already there.", o.Already)
	}
	return msg
}

// findLinks returns, for each item, the link between it and its parent
// (NotFound when one is gone: someone else removed it meanwhile).
func findLinks(ctx context.Context, s core.Session, items []Item) ([]core.ObjectView, error) {
	if len(items) == 0 {
		return nil, nil
	}
	class := linkClass[items[0].View.Class]
	all, err := s.List(ctx, class, core.AnyID, items[0].View.Group)
	if err != nil {
		return nil, err
	}
	type pair struct{ parent, child core.ID }
	byPair := make(map[pair]core.ObjectView, len(all))
	for _, l := range all {
		byPair[pair{l.Parent, l.Child}] = l
	}
	out := make([]core.ObjectView, 0, len(items))
	for _, it := range items {
		l, ok := byPair[pair{it.Parent.Ref.ID, it.View.Ref.ID}]
		if !ok {
			return nil, core.Errorf("unlink", core.NotFound, "%s is no longer in %s (someone else changed it); refresh to see the tree as it is now", capitalize(phrase(it.View)), phrase(it.Parent))
		}
		if !l.Flags.CanDelete {
			return nil, core.Errorf("unlink", core.Permission, "You may not remove %s from %s: the link belongs to %s and the group is %s.", phrase(it.View), phrase(it.Parent), ownerOf(l), it.Parent.Level)
		}
		out = append(out, l)
	}
	return out, nil
}

// Unlink removes the items from the containers they are shown in (the
// objects stay), all in one transaction.
func Unlink(ctx context.Context, s core.Session, items []Item) error {
	if why := unlinkWhy(items); why != "" {
		return core.Errorf("unlink", core.Permission, "%s", why)
	}
	links, err := findLinks(ctx, s, items)
	if err != nil {
		return err
	}
	refs := make([]core.Ref, len(links))
	for i, l := range links {
		refs[i] = l.Ref
	}
	return s.Delete(ctx, refs...)
}

// Paste links the clipboard's objects into target; after a Cut Link it
// also removes their links to the containers they were cut from. Objects
// already in target are counted, not linked twice. On a refusal nothing
// is left changed.
func Paste(ctx context.Context, s core.Session, clip Clipboard, target core.ObjectView) (LinkOutcome, error) {
	var out LinkOutcome
	if why := PasteWhy(clip, []Item{{View: target}}); why != "" {
		return out, core.Errorf("paste", core.Permission, "%s", why)
	}
	var old []core.ObjectView
	if clip.Cut {
		// Only real links go: an orphaned image (or a dataset at the top)
		// has none to remove and is just linked.
		var from []Item
		for _, it := range clip.Items {
			if it.Parent.Ref != target.Ref && it.Parent.Class == linkParentClass[it.View.Class] {
				from = append(from, it)
			}
		}
		if why := unlinkWhy(from); len(from) > 0 && why != "" {
			return out, core.Errorf("paste", core.Permission, "%s", why)
		}
		var err error
		if old, err = findLinks(ctx, s, from); err != nil {
			return out, err
		}
	}
	me, err := s.Me(ctx)
	if err != nil {
		return out, err
	}
	var made []core.Ref
	for _, it := range clip.Items {
		l, err := createLink(ctx, s, me, linkClass[it.View.Class], target.Ref, it.View)
		if core.Is(core.Conflict, err) {
			out.Already++
			continue
		}
		if err != nil {
			if len(made) > 0 {
				_ = s.Delete(ctx, made...) // undo: a refused paste changes nothing
			}
			return LinkOutcome{}, err
		}
		made = append(made, l.Ref)
		out.Linked++
	}
	if len(old) > 0 {
		refs := make([]core.Ref, len(old))
		for i, l := range old {
			refs[i] = l.Ref
		}
		if err := s.Delete(ctx, refs...); err != nil {
			if len(made) > 0 {
				_ = s.Delete(ctx, made...)
			}
			return LinkOutcome{}, err
		}
		out.Unlinked = len(refs)
	}
	return out, nil
}
