package inprocess

import (
	"context"
	"fmt"
	"strings"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/render"
)

// The batch rendering operations of spec §5.3: paste (copy to a set), Save
// to All, Set Imported, Set Owner's, Min/Max and Full Range, and channel
// names. Each runs in one transaction and reports, per image, whether it
// changed or why it was skipped; an unknown or invisible target fails the
// whole request before anything changes.

// imagesOf expands targets into the images they hold, each once, in the
// order given: an image itself, the images of a dataset, of a project's
// datasets, of a plate's wells, of one run (PlateAcquisition) of a plate,
// or of a screen's plates.
func (d *ctxData) imagesOf(op string, targets []core.Ref) ([]*core.Object, error) {
	var out []*core.Object
	seen := map[core.ID]bool{}
	add := func(objs ...*core.Object) {
		for _, o := range objs {
			if !seen[o.ID] && d.actor.CanRead(o.Owner, d.perm(o.Group)) {
				seen[o.ID] = true
				out = append(out, o)
			}
		}
	}
	linked := func(class core.Class, link core.Class, parent core.ID) ([]*core.Object, error) {
		q := core.NewQuery(class)
		q.LinkedFrom = &core.Ref{Class: link, ID: parent}
		return d.tx.Find(q)
	}
	var plateImages func(plate core.ID, run core.ID) error
	plateImages = func(plate, run core.ID) error {
		q := core.NewQuery(core.Well)
		q.Parent = plate
		wells, err := d.tx.Find(q)
		if err != nil {
			return err
		}
		for _, w := range wells {
			q := core.NewQuery(core.WellSample)
			q.Parent = w.ID
			samples, err := d.tx.Find(q)
			if err != nil {
				return err
			}
			var ids []core.ID
			for _, ws := range samples {
				if ws.Child != 0 && (run == core.AnyID || ws.Ref2 == run) {
					ids = append(ids, ws.Child)
				}
			}
			imgs, err := d.tx.Objects(ids)
			if err != nil {
				return err
			}
			for _, id := range ids {
				if o := imgs[id]; o != nil {
					add(o)
				}
			}
		}
		return nil
	}
	for _, t := range targets {
		switch t.Class {
		case core.Image, core.Dataset, core.Project, core.Plate, core.PlateAcquisition, core.Screen:
		default:
			return nil, core.Errorf(op, core.Invalid, "%s cannot hold images here; give images, datasets, projects, plates, runs (PlateAcquisition) or screens", t)
		}
		o, err := d.get(op, t)
		if err != nil {
			return nil, err
		}
		switch t.Class {
		case core.Image:
			add(o)
		case core.Dataset:
			imgs, err := linked(core.Image, core.DatasetImageLink, o.ID)
			if err != nil {
				return nil, err
			}
			add(imgs...)
		case core.Project:
			dss, err := linked(core.Dataset, core.ProjectDatasetLink, o.ID)
			if err != nil {
				return nil, err
			}
			for _, ds := range dss {
				if !d.actor.CanRead(ds.Owner, d.perm(ds.Group)) {
					continue
				}
				imgs, err := linked(core.Image, core.DatasetImageLink, ds.ID)
				if err != nil {
					return nil, err
				}
				add(imgs...)
			}
		case core.Plate:
			if err := plateImages(o.ID, core.AnyID); err != nil {
				return nil, err
			}
		case core.PlateAcquisition:
			if err := plateImages(o.Parent, o.ID); err != nil {
				return nil, err
			}
		case core.Screen:
			plates, err := linked(core.Plate, core.ScreenPlateLink, o.ID)
			if err != nil {
				return nil, err
			}
			for _, p := range plates {
				if d.actor.CanRead(p.Owner, d.perm(p.Group)) {
					if err := plateImages(p.ID, core.AnyID); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	return out, nil
}

// batch collects a RenderingResult.
type batch struct{ res core.RenderingResult }

func (b *batch) changed(r core.Ref) { b.res.Changed = append(b.res.Changed, r) }

func (b *batch) skip(r core.Ref, reason string) {
	b.res.Skipped = append(b.res.Skipped, core.SkippedImage{Image: r, Reason: reason})
}

func (b *batch) result() core.RenderingResult {
	if b.res.Changed == nil {
		b.res.Changed = []core.Ref{}
	}
	if b.res.Skipped == nil {
		b.res.Skipped = []core.SkippedImage{}
	}
	return b.res
}

// eachImage loads every image of targets and calls fn with it; images
// without pixels are skipped. It is the skeleton of every batch operation
// that writes the actor's own settings.
// before, when not nil, runs first in the same transaction (loading and
// checking a source image).
func (s *session) eachImage(ctx context.Context, op string, targets []core.Ref, before func(d *ctxData) error, fn func(d *ctxData, im *rdefImage, b *batch) error) (core.RenderingResult, error) {
	var b batch
	if len(targets) == 0 {
		return b.result(), core.Errorf(op, core.Invalid, "no images given")
	}
	err := s.write(ctx, func(d *ctxData) error {
		if before != nil {
			if err := before(d); err != nil {
				return err
			}
		}
		imgs, err := d.imagesOf(op, targets)
		if err != nil {
			return err
		}
		for _, o := range imgs {
			im, err := d.loadRdefImage(op, o)
			if err != nil {
				if core.Is(core.Invalid, err) {
					b.skip(o.Ref, core.UserMessage(err))
					continue
				}
				return err
			}
			if err := fn(d, im, &b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return core.RenderingResult{}, err
	}
	return b.result(), nil
}

// keep stores settings as the actor's own on im, or records why not.
func (d *ctxData) keep(op string, im *rdefImage, st render.Settings, b *batch) error {
	if err := d.mayKeep(op, im.obj, d.actor.UserID); err != nil {
		if core.Is(core.Permission, err) {
			b.skip(im.obj.Ref, core.UserMessage(err))
			return nil
		}
		return err
	}
	if _, err := d.storeSettings(op, im, d.actor.UserID, st); err != nil {
		if core.Is(core.Invalid, err) {
			b.skip(im.obj.Ref, core.UserMessage(err))
			return nil
		}
		return err
	}
	b.changed(im.obj.Ref)
	return nil
}

// pasteOnto applies src's settings to im under the compatibility rule of
// spec §5.3 and keeps them as the actor's own.
func (d *ctxData) pasteOnto(op string, src *rdefImage, st render.Settings, im *rdefImage, b *batch) error {
	if im.obj.ID == src.obj.ID {
		return d.keep(op, im, st, b)
	}
	if ok, reason := render.CompatibleForPaste(src.info(), im.info()); !ok {
		b.skip(im.obj.Ref, reason)
		return nil
	}
	out := render.ApplyPaste(st, im.pixels.SizeZ, im.pixels.SizeT)
	if o, cur, err := d.rdefOf(op, im.obj.ID, d.actor.UserID); err == nil && o != nil {
		out = render.ApplyPasteOnto(st, cur, im.pixels.SizeZ, im.pixels.SizeT)
	}
	return d.keep(op, im, out, b)
}

func (s *session) PasteRendering(ctx context.Context, from core.Ref, targets []core.Ref) (core.RenderingResult, error) {
	const op = "render copy"
	var src *rdefImage
	var st render.Settings
	before := func(d *ctxData) error {
		var err error
		if src, err = d.rdefImage(op, from); err != nil {
			return err
		}
		v, err := d.viewerSettings(op, src)
		st = v.Settings
		return err
	}
	return s.eachImage(ctx, op, targets, before, func(d *ctxData, im *rdefImage, b *batch) error {
		return d.pasteOnto(op, src, st, im, b)
	})
}

func (s *session) SaveRenderingToAll(ctx context.Context, image core.Ref, st render.Settings, container core.Ref) (core.RenderingResult, error) {
	const op = "save to all"
	switch container.Class {
	case core.Dataset, core.Plate, core.PlateAcquisition:
	default:
		return core.RenderingResult{}, core.Errorf(op, core.Invalid, "Save to All applies to a dataset, a plate or a run (PlateAcquisition), not %s", container)
	}
	var src *rdefImage
	before := func(d *ctxData) error {
		var err error
		if src, err = d.rdefImage(op, image); err != nil {
			return err
		}
		if err := st.Validate(src.info()); err != nil {
			return core.Errorf(op, core.Invalid, "the settings do not fit %s: %v", image, err)
		}
		return nil
	}
	return s.eachImage(ctx, op, []core.Ref{container}, before, func(d *ctxData, im *rdefImage, b *batch) error {
		return d.pasteOnto(op, src, st, im, b)
	})
}

func (s *session) ResetRendering(ctx context.Context, targets []core.Ref) (core.RenderingResult, error) {
	return s.eachImage(ctx, "render reset", targets, nil, func(d *ctxData, im *rdefImage, b *batch) error {
		return d.keep("render reset", im, core.DefaultRendering(im.pixels, im.chs), b)
	})
}

func (s *session) SetOwnersRendering(ctx context.Context, targets []core.Ref) (core.RenderingResult, error) {
	const op = "render owner"
	return s.eachImage(ctx, op, targets, nil, func(d *ctxData, im *rdefImage, b *batch) error {
		if im.obj.Owner == d.actor.UserID {
			b.skip(im.obj.Ref, "you own this image: its owner's settings are yours")
			return nil
		}
		o, st, err := d.rdefOf(op, im.obj.ID, im.obj.Owner)
		if err != nil {
			b.skip(im.obj.Ref, core.UserMessage(err))
			return nil
		}
		if o == nil {
			b.skip(im.obj.Ref, fmt.Sprintf("its owner, %s, has no saved rendering settings on it", d.ownerName(im.obj.Owner)))
			return nil
		}
		return d.keep(op, im, st, b)
	})
}

func (s *session) SetRenderingWindows(ctx context.Context, targets []core.Ref, mode core.WindowMode) (core.RenderingResult, error) {
	op := "render " + string(mode)
	if mode != core.WindowMinMax && mode != core.WindowFullRange {
		return core.RenderingResult{}, core.Errorf(op, core.Invalid, "unknown window mode %q (known: minmax, fullrange)", mode)
	}
	return s.eachImage(ctx, op, targets, nil, func(d *ctxData, im *rdefImage, b *batch) error {
		v, err := d.viewerSettings(op, im)
		if err != nil {
			b.skip(im.obj.Ref, core.UserMessage(err))
			return nil
		}
		return d.keep(op, im, core.WithWindows(v.Settings, im.pixels, im.chs, mode), b)
	})
}

// maxChannelName bounds a channel name, which shows in lists and legends.
const maxChannelName = 255

func (s *session) RenameChannels(ctx context.Context, target core.Ref, names []string) (core.RenderingResult, error) {
	const op = "edit channels"
	var b batch
	if len(names) == 0 {
		return b.result(), core.Errorf(op, core.Invalid, "no channel names given")
	}
	clean := make([]string, len(names))
	for i, n := range names {
		n = strings.TrimSpace(n)
		if len(n) > maxChannelName || strings.ContainsFunc(n, func(r rune) bool { return r < ' ' }) {
			return b.result(), core.Errorf(op, core.Invalid, "channel name %d is too long or has control characters (at most %d characters)", i+1, maxChannelName)
		}
		clean[i] = n
	}
	single := target.Class == core.Image
	switch target.Class {
	case core.Image, core.Dataset, core.Plate, core.PlateAcquisition:
	default:
		return b.result(), core.Errorf(op, core.Invalid, "channel names can be set on an image, a dataset or a plate, not %s", target)
	}
	err := s.write(ctx, func(d *ctxData) error {
		imgs, err := d.imagesOf(op, []core.Ref{target})
		if err != nil {
			return err
		}
		for _, o := range imgs {
			reason, err := d.renameChannels(op, o, clean)
			if err != nil {
				return err
			}
			switch {
			case reason == "":
				b.changed(o.Ref)
			case single:
				kind := core.Invalid
				if !d.flags(o).CanEdit {
					kind = core.Permission
				}
				return core.Errorf(op, kind, "%s", reason)
			default:
				b.skip(o.Ref, reason)
			}
		}
		return nil
	})
	if err != nil {
		return core.RenderingResult{}, err
	}
	return b.result(), nil
}

// renameChannels renames one image's channels, or returns why it may not.
func (d *ctxData) renameChannels(op string, o *core.Object, names []string) (string, error) {
	if !d.flags(o).CanEdit {
		g := d.groups[o.Group]
		return fmt.Sprintf("you may not rename the channels of %s: it belongs to %s and %q is %s", o.Ref, d.ownerName(o.Owner), g.Name, g.Level), nil
	}
	chs, err := d.tx.Channels(o.ID)
	if err != nil {
		return "", core.E(op, err)
	}
	if len(chs) != len(names) {
		return fmt.Sprintf("%d names given but %s has %d channels", len(names), o.Ref, len(chs)), nil
	}
	for i := range chs {
		if names[i] != "" {
			chs[i].Name = names[i]
		}
	}
	if err := d.tx.SetChannels(o.ID, chs); err != nil {
		return "", core.E(op, err)
	}
	return "", nil
}
