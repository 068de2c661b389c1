package browser

import (
	"context"
	"fmt"
	"image"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
)

// newTree builds the tree widget over the view model. Its callbacks answer
// from the model's memory; opening a branch that is not loaded yet starts a
// load through the async seam and shows "Loading…" until it returns.
func (v *View) newTree() *widget.Tree {
	t := widget.NewTree(
		func(uid widget.TreeNodeID) []widget.TreeNodeID { return v.model.Children(uid) },
		func(uid widget.TreeNodeID) bool { return v.model.IsBranch(uid) },
		func(bool) fyne.CanvasObject { return v.newTreeRow() },
		func(uid widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
			n, ok := v.model.Node(uid)
			if !ok {
				return
			}
			r := o.(*treeRow)
			r.uid = uid
			r.mark.Hidden = !v.marked[uid] || uid == v.primary
			r.mark.Refresh()
			r.drop.Hidden = uid != v.dropTarget()
			r.drop.Refresh()
			if n.Placeholder != "" {
				r.uid = "" // "Loading…" is not a node to select or act on
			}
			label, icon := r.label, r.icon
			label.SetText(browse.Label(n))
			if n.Placeholder != "" {
				label.Importance = widget.LowImportance
				icon.SetResource(nil)
			} else {
				label.Importance = widget.MediumImportance
				icon.SetResource(classIcon(n.View.Class))
			}
			label.Refresh()
		},
	)
	t.OnBranchOpened = func(uid widget.TreeNodeID) { v.load(uid) }
	t.OnSelected = func(uid widget.TreeNodeID) {
		v.primary = uid
		if !v.extending {
			had := len(v.marked) > 1
			v.marked, v.anchor = map[string]bool{uid: true}, uid
			if had {
				v.Tree.Refresh()
			}
		}
		v.fromGrid = false
		v.search.active = false // the grid follows the tree again
		if n, ok := v.model.Node(uid); ok && n.Placeholder == "" {
			v.selected = n.View
			v.details.show(n)
			if n.View.Class == core.Image {
				v.loadImage(n.View.Ref)
			}
			v.showInGrid(uid, n)
		} else {
			v.selected = core.ObjectView{}
			v.details.clear()
		}
		if !v.extending {
			v.selectionChanged()
		}
	}
	t.OnUnselected = func(widget.TreeNodeID) {
		v.primary = ""
		v.selected = core.ObjectView{}
		v.details.clear()
		if !v.extending {
			v.marked = map[string]bool{}
		}
	}
	return t
}

// thumbSize is the thumbnail's side in the details panel, in
// device-independent pixels.
const thumbSize = 240

// loadImage fetches an image's pixel description and its thumbnail, drawn
// at the size the panel shows it in screen pixels.
func (v *View) loadImage(ref core.Ref) {
	token := v.details.token
	size := int(thumbSize * v.opts.Window.Canvas().Scale())
	sess, thumbs := v.opts.Session, v.thumbs
	v.opts.Run.Go(func() func() {
		ctx := context.Background()
		px, chs, err := sess.ImageDetails(ctx, ref)
		if err != nil {
			return nil // no pixels yet (or not readable): the panel keeps what it has
		}
		fields := browse.PixelFields(px, chs)
		var thumb *image.RGBA
		if thumbs != nil {
			if t, err := thumbs.Thumbnail(ctx, ref, size); err == nil {
				thumb = t
			} else {
				fields = append(fields, browse.Field{Label: "Thumbnail", Value: core.UserMessage(err)})
			}
		}
		return func() { v.details.showImage(token, fields, thumb) }
	})
}

// load fetches uid's children unless they are loaded or loading.
func (v *View) load(uid string) {
	req, ok := v.model.Begin(uid)
	if !ok {
		return
	}
	v.Tree.Refresh()
	sess := v.opts.Session
	v.inflight++
	v.opts.Run.Go(func() func() {
		views, err := browse.Load(context.Background(), sess, req)
		return func() {
			v.inflight--
			if !v.model.Fill(req, views, err) {
				v.reloadDone()
				return // the group or owner changed meanwhile
			}
			if err != nil {
				v.trouble(err, nil) // offline or expired: Reconnect reads the tree again
			}
			v.Tree.Refresh()
			if v.opts.OnEvent != nil {
				v.opts.OnEvent(fmt.Sprintf("tree %s %d children", v.eventName(uid), len(views)))
			}
			v.restore(uid)
			v.advance()
			v.maybeReady()
		}
	})
}

// maybeReady calls OnReady once the top level is loaded and no SelectPath
// is still under way.
func (v *View) maybeReady() {
	if v.opts.OnReady != nil && v.model.Loaded(browse.Root) && len(v.pending) == 0 {
		ready := v.opts.OnReady
		v.opts.OnReady = nil
		ready()
	}
}

// SelectPath opens the branches along a path of refs ("Project:3/Dataset:5/
// Image:9"), loading each in turn, and selects its last node.
func (v *View) SelectPath(path string) {
	v.pending = browse.Path(path)
	v.advance()
}

// advance moves SelectPath on as far as the loaded nodes allow.
func (v *View) advance() {
	if v.needsOwner() {
		v.resolveOwner()
		return
	}
	for len(v.pending) > 0 {
		uid := v.pending[0]
		parent := browse.Root
		if i := len(uid) - len(lastElem(uid)) - 1; i > 0 {
			parent = uid[:i]
		}
		if !v.model.Loaded(parent) {
			return // wait for the parent's children
		}
		if _, ok := v.model.Node(uid); !ok {
			v.setStatus(lastElem(uid) + " is not shown in this group for this user.")
			v.pending = nil
			return
		}
		if len(v.pending) == 1 {
			v.pending = nil
			v.Tree.Select(uid)
			v.Tree.ScrollTo(uid)
			return
		}
		v.pending = v.pending[1:]
		v.Tree.OpenBranch(uid)
	}
}

func lastElem(uid string) string {
	for i := len(uid) - 1; i >= 0; i-- {
		if uid[i] == '/' {
			return uid[i+1:]
		}
	}
	return uid
}

// eventName names a tree node in OnEvent lines: its ref, or "root".
func (v *View) eventName(uid string) string {
	if n, ok := v.model.Node(uid); ok && uid != browse.Root {
		return n.View.Ref.String()
	}
	return "root"
}

// RowLabel is what the tree row of uid reads ("" for a node not loaded).
func (v *View) RowLabel(uid string) string {
	if n, ok := v.model.Node(uid); ok {
		return browse.Label(n)
	}
	return ""
}

// needsOwner reports whether a path to select ("Project:3/Dataset:5") must
// first learn under which owner's node it sits: "All members" is grouped
// by owner.
func (v *View) needsOwner() bool {
	return len(v.pending) > 0 && v.model.Grouped() && !strings.HasPrefix(v.pending[0], string(core.ClassExperimenter)+":")
}

// resolveOwner reads the owner of the path's first object (the second,
// below Orphaned Images) and puts the path under that owner's node.
func (v *View) resolveOwner() {
	if v.resolving {
		return
	}
	path := v.pending[len(v.pending)-1]
	elems := strings.Split(path, "/")
	ref, err := browse.Ref(elems[0])
	if err == nil && ref.Class == core.OrphanedImages && len(elems) > 1 {
		ref, err = browse.Ref(elems[0] + "/" + elems[1])
	}
	if err != nil {
		v.setStatus(path + " is not a path of objects (Project:3/Dataset:5).")
		v.pending = nil
		return
	}
	v.resolving = true
	sess, group := v.opts.Session, v.model.Group()
	v.opts.Run.Go(func() func() {
		o, err := sess.Get(context.Background(), ref)
		return func() {
			v.resolving = false
			if err != nil || o.Group != group || !v.model.Grouped() || len(v.pending) == 0 {
				v.setStatus(ref.String() + " is not shown in this group for this user.")
				v.pending = nil
				v.maybeReady()
				return
			}
			owner := core.Ref{Class: core.ClassExperimenter, ID: o.Owner}.String()
			v.pending = browse.Path(owner + "/" + path)
			v.advance()
			v.maybeReady()
		}
	})
}
