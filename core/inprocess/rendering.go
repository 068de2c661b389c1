package inprocess

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/render"
)

// Rendering settings (spec §5) are stored as RenderingDef objects in the
// generic object table: parent = the image, owner = the user whose settings
// they are, group = the image's group, attrs {"settings": render.Settings}.
// This file holds the single-image use cases; rendering_batch.go the ones
// that apply to sets of images.

// rdefImage is an image with what rendering needs to know about it.
type rdefImage struct {
	obj    *core.Object
	pixels core.PixelsInfo
	chs    []core.ChannelInfo
}

func (im *rdefImage) info() render.PixelsInfo { return core.RenderPixelsInfo(im.pixels, im.chs) }

// rdefImage loads an image the actor can read, with its pixels and channels.
func (d *ctxData) rdefImage(op string, ref core.Ref) (*rdefImage, error) {
	if ref.Class != core.Image {
		return nil, core.Errorf(op, core.Invalid, "%s is not an image; rendering settings belong to images (Image:ID)", ref)
	}
	o, err := d.get(op, ref)
	if err != nil {
		return nil, err
	}
	return d.loadRdefImage(op, o)
}

func (d *ctxData) loadRdefImage(op string, o *core.Object) (*rdefImage, error) {
	p, err := d.tx.Pixels(o.ID)
	if err != nil {
		if core.Is(core.NotFound, err) {
			return nil, core.Errorf(op, core.Invalid, "%s has no pixels, so it has no rendering settings", o.Ref)
		}
		return nil, core.E(op, err)
	}
	chs, err := d.tx.Channels(o.ID)
	if err != nil {
		return nil, core.E(op, err)
	}
	return &rdefImage{obj: o, pixels: p, chs: chs}, nil
}

// rdefOf returns owner's RenderingDef on image and its settings, or nil.
func (d *ctxData) rdefOf(op string, image, owner core.ID) (*core.Object, render.Settings, error) {
	q := core.NewQuery(core.RenderingDef)
	q.Parent, q.Owner, q.Limit = image, owner, 1
	objs, err := d.tx.Find(q)
	if err != nil || len(objs) == 0 {
		return nil, render.Settings{}, err
	}
	s, err := decodeSettings(op, objs[0])
	return objs[0], s, err
}

func decodeSettings(op string, o *core.Object) (render.Settings, error) {
	var s render.Settings
	b, err := json.Marshal(o.Attrs["settings"])
	if err == nil {
		err = json.Unmarshal(b, &s)
	}
	if err != nil || o.Attrs["settings"] == nil {
		return s, core.Errorf(op, core.Internal, "the stored rendering settings %s cannot be read (%v); reset them with Set Imported", o.Ref, err)
	}
	return s, nil
}

func (d *ctxData) rdefView(im *rdefImage, o *core.Object, owner core.ID, s render.Settings) core.RenderingDefView {
	v := core.RenderingDefView{Image: im.obj.Ref, Owner: owner, OwnerName: d.ownerName(owner), Settings: s}
	if o != nil {
		v.Def, v.Updated = o.Ref, o.Updated
	}
	return v
}

// viewerSettings is what the viewer opens for the actor (spec §5.5, ruling
// 6): the actor's own settings, else the owner's, else the defaults.
func (d *ctxData) viewerSettings(op string, im *rdefImage) (core.RenderingDefView, error) {
	o, s, err := d.rdefOf(op, im.obj.ID, d.actor.UserID)
	if err != nil {
		return core.RenderingDefView{}, err
	}
	if o != nil {
		return d.rdefView(im, o, d.actor.UserID, s), nil
	}
	return d.ownerSettings(op, im)
}

// ownerSettings is what thumbnails show: the image owner's settings, else
// the defaults (computed, not stored).
func (d *ctxData) ownerSettings(op string, im *rdefImage) (core.RenderingDefView, error) {
	o, s, err := d.rdefOf(op, im.obj.ID, im.obj.Owner)
	if err != nil {
		return core.RenderingDefView{}, err
	}
	if o == nil {
		s = core.DefaultRendering(im.pixels, im.chs)
	}
	return d.rdefView(im, o, im.obj.Owner, s), nil
}

// mayKeep decides whether settings owned by owner may be stored on the
// image (spec §5.2 and §1.5): the actor keeps their own settings on any
// image they can read in a shared group; in a private group only the
// image's owner keeps settings, which an administrator with WriteOwned or
// Sudo may save for them. Nobody writes another user's settings otherwise.
func (d *ctxData) mayKeep(op string, img *core.Object, owner core.ID) error {
	a := d.actor
	if a.Guest {
		return core.Errorf(op, core.Permission, "the guest account cannot keep rendering settings")
	}
	g := d.groups[img.Group]
	if owner != a.UserID {
		if owner != img.Owner {
			return core.Errorf(op, core.Permission, "nobody can save another user's rendering settings; only an image's owner's settings can be saved on their behalf")
		}
		if !a.Has(core.PrivWriteOwned) && !a.Has(core.PrivSudo) {
			return core.Errorf(op, core.Permission, "only an administrator with WriteOwned or Sudo can save rendering settings as %s, the owner of %s", d.ownerName(owner), img.Ref)
		}
	} else if img.Owner != a.UserID && g.Level == core.Private && !core.IsSpecialGroup(g.ID) {
		return core.Errorf(op, core.Permission, "%s belongs to %s in the private group %q, where only the image's owner keeps rendering settings; you can change them in the viewer but not save them",
			img.Ref, d.ownerName(img.Owner), g.Name)
	}
	return d.actor.CheckLink(op, core.RenderingDef, owner, d.end(img))
}

// storeSettings validates s against the image and writes it as owner's
// RenderingDef on it, creating it if missing. The caller checked mayKeep.
func (d *ctxData) storeSettings(op string, im *rdefImage, owner core.ID, s render.Settings) (*core.Object, error) {
	if err := s.Validate(im.info()); err != nil {
		return nil, core.Errorf(op, core.Invalid, "the settings do not fit %s: %v", im.obj.Ref, err)
	}
	var raw any
	b, err := json.Marshal(s)
	if err == nil {
		err = json.Unmarshal(b, &raw)
	}
	if err != nil {
		return nil, core.E(op, core.Internal, err)
	}
	o, _, err := d.rdefOf(op, im.obj.ID, owner)
	if err != nil && !core.Is(core.Internal, err) { // unreadable settings are overwritten
		return nil, err
	}
	if o != nil {
		o.SetAttr("settings", raw)
		if err := d.tx.UpdateObject(o); err != nil {
			return nil, core.E(op, err)
		}
		return o, nil
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	o = &core.Object{Ref: core.Ref{Class: core.RenderingDef}, Parent: im.obj.ID,
		Details: core.Details{Owner: owner, Group: im.obj.Group, Created: now, Updated: now}}
	o.SetAttr("settings", raw)
	if err := d.tx.CreateObject(o); err != nil {
		return nil, core.E(op, err)
	}
	return o, nil
}

func (s *session) ViewerRendering(ctx context.Context, image core.Ref) (core.RenderingDefView, error) {
	const op = "render"
	var v core.RenderingDefView
	err := s.read(ctx, func(d *ctxData) error {
		im, err := d.rdefImage(op, image)
		if err != nil {
			return err
		}
		v, err = d.viewerSettings(op, im)
		return err
	})
	return v, err
}

func (s *session) ThumbnailRendering(ctx context.Context, image core.Ref) (core.RenderingDefView, error) {
	const op = "thumbnail"
	var v core.RenderingDefView
	err := s.read(ctx, func(d *ctxData) (err error) {
		v, err = d.thumbnailSettings(op, image)
		return err
	})
	return v, err
}

// thumbnailSettings are the settings image's thumbnail shows: its owner's.
func (d *ctxData) thumbnailSettings(op string, image core.Ref) (core.RenderingDefView, error) {
	im, err := d.rdefImage(op, image)
	if err != nil {
		return core.RenderingDefView{}, err
	}
	return d.ownerSettings(op, im)
}

// ThumbnailRenderings is ThumbnailRendering for many images in one read
// transaction, so that a grid of thumbnails checks the session once rather
// than once per image (each check is a round trip to a server's database).
// An image that ThumbnailRendering would refuse (not found, not an image,
// no pixels, unreadable settings) is left out; other errors end the call.
func (s *session) ThumbnailRenderings(ctx context.Context, images []core.Ref) (map[core.ID]core.RenderingDefView, error) {
	const op = "thumbnail"
	out := make(map[core.ID]core.RenderingDefView, len(images))
	err := s.read(ctx, func(d *ctxData) error {
		for _, image := range images {
			if err := ctx.Err(); err != nil {
				return err
			}
			v, err := d.thumbnailSettings(op, image)
			switch {
			case err == nil:
				out[image.ID] = v
			case !leftOut(err):
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// leftOut tells the refusals of one image, which a batch leaves out as
// OMERO's get_thumbnails leaves out null, from failures of the batch.
func leftOut(err error) bool {
	return core.Is(core.NotFound, err) || core.Is(core.Invalid, err) || core.Is(core.Permission, err)
}

func (s *session) RenderingDefs(ctx context.Context, image core.Ref) ([]core.RenderingDefView, error) {
	const op = "render info"
	var out []core.RenderingDefView
	err := s.read(ctx, func(d *ctxData) error {
		im, err := d.rdefImage(op, image)
		if err != nil {
			return err
		}
		q := core.NewQuery(core.RenderingDef)
		q.Parent = im.obj.ID
		objs, err := d.tx.Find(q)
		if err != nil {
			return err
		}
		for _, o := range objs {
			if !d.actor.CanRead(o.Owner, d.perm(o.Group)) {
				continue
			}
			st, err := decodeSettings(op, o)
			if err != nil {
				return err
			}
			out = append(out, d.rdefView(im, o, o.Owner, st))
		}
		owner := im.obj.Owner
		sort.SliceStable(out, func(i, j int) bool {
			if (out[i].Owner == owner) != (out[j].Owner == owner) {
				return out[i].Owner == owner
			}
			return out[i].Def.ID < out[j].Def.ID
		})
		return nil
	})
	return out, err
}

func (s *session) SaveRendering(ctx context.Context, image core.Ref, st render.Settings) (core.RenderingDefView, error) {
	return s.saveRendering(ctx, "render save", image, st, false)
}

func (s *session) SaveRenderingAsOwner(ctx context.Context, image core.Ref, st render.Settings) (core.RenderingDefView, error) {
	return s.saveRendering(ctx, "render save", image, st, true)
}

func (s *session) saveRendering(ctx context.Context, op string, image core.Ref, st render.Settings, asOwner bool) (core.RenderingDefView, error) {
	var v core.RenderingDefView
	err := s.write(ctx, func(d *ctxData) error {
		im, err := d.rdefImage(op, image)
		if err != nil {
			return err
		}
		owner := d.actor.UserID
		if asOwner {
			owner = im.obj.Owner
		}
		if err := d.mayKeep(op, im.obj, owner); err != nil {
			return err
		}
		o, err := d.storeSettings(op, im, owner, st)
		if err != nil {
			return err
		}
		v = d.rdefView(im, o, owner, st)
		return nil
	})
	return v, err
}

func (s *session) PixelSource(ctx context.Context, image core.Ref) (core.PixelSource, error) {
	const op = "render"
	var src core.PixelSource
	managed := s.ManagedDir()
	err := s.read(ctx, func(d *ctxData) error {
		im, err := d.rdefImage(op, image)
		if err != nil {
			return err
		}
		src = core.PixelSource{Image: im.obj.Ref, Name: im.obj.Name, Owner: im.obj.Owner, Pixels: im.pixels, Channels: im.chs}
		if im.obj.Parent == 0 {
			return nil // not imported: no files
		}
		fs, err := d.tx.Object(im.obj.Parent)
		if err != nil || fs.Class != core.Fileset {
			return nil
		}
		entries, err := d.tx.FilesetEntries(fs.ID)
		if err != nil {
			return core.E(op, err)
		}
		for _, e := range entries {
			p, err := insideManaged(managed, e.RepoPath)
			if err != nil {
				return core.Errorf(op, core.Internal, "fileset %s of %s names a file outside the managed repository: %v", fs.Ref, image, err)
			}
			src.Files = append(src.Files, p)
		}
		src.Root = managed
		if prefix := fs.Attr("templatePrefix"); prefix != "" {
			if p, err := insideManaged(managed, strings.TrimSuffix(prefix, "/")); err == nil {
				src.Root = p
			}
		}
		return nil
	})
	return src, err
}

// insideManaged resolves a repository path, refusing any that would leave
// the managed repository (they are checked at import; this is defence).
func insideManaged(managed, rel string) (string, error) {
	if err := checkRepoPath(rel); err != nil {
		return "", err
	}
	p := filepath.Join(managed, filepath.FromSlash(rel))
	if !strings.HasPrefix(p, managed+string(filepath.Separator)) {
		return "", fmt.Errorf("%q leaves the managed repository", rel)
	}
	return p, nil
}
