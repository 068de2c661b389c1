package core

import (
	"context"
	"time"

	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/core/render"
)

// Rendering covers users' rendering settings on images (spec §5): one
// RenderingDef per (user, image), saved, copied, pasted and reset without
// ever touching the pixels or another user's settings.
//
// Who may save: anyone who can read an image in a shared group keeps their
// own settings on it; in a private group only the image's owner (or an
// administrator saving as the owner) can (spec §5.2). An image the caller
// may not see is NotFound; settings that do not fit the image are Invalid;
// a refused save is Permission. Every call is one transaction: on error
// nothing changed.
type Rendering interface {
	// ViewerRendering returns the settings the viewer opens image with for
	// the caller (spec §5.5, ruling 6): the caller's own if they have some,
	// else the image owner's, else the import defaults computed from the
	// image's channels (then Def is zero: nothing is stored).
	ViewerRendering(ctx context.Context, image Ref) (RenderingDefView, error)
	// ThumbnailRendering returns the settings the thumbnails of image show
	// to everyone: the image owner's (ruling 6), else the defaults.
	ThumbnailRendering(ctx context.Context, image Ref) (RenderingDefView, error)
	// RenderingDefs lists every user's settings on image, the owner's first.
	RenderingDefs(ctx context.Context, image Ref) ([]RenderingDefView, error)
	// SaveRendering stores s as the caller's own settings on image,
	// creating them if missing.
	SaveRendering(ctx context.Context, image Ref, s render.Settings) (RenderingDefView, error)
	// SaveRenderingAsOwner stores s as the image owner's settings: for the
	// owner, or an administrator with WriteOwned or Sudo acting for them
	// (the only way to keep settings on another user's image in a private
	// group).
	SaveRenderingAsOwner(ctx context.Context, image Ref, s render.Settings) (RenderingDefView, error)
	// PasteRendering copies the caller's settings on from (else its
	// owner's) into the caller's own settings on every image of targets
	// (images, datasets, projects, plates, runs, screens), skipping images
	// that fail the compatibility rule of spec §5.3 or that the caller may
	// not keep settings on, each with the reason.
	PasteRendering(ctx context.Context, from Ref, targets []Ref) (RenderingResult, error)
	// SaveRenderingToAll is "Save to All": it saves s (the viewer's current,
	// possibly unsaved, state of image) as the caller's settings on every
	// image of container (a Dataset, Plate or PlateAcquisition) it is
	// compatible with. image's own settings change only if it is in there.
	SaveRenderingToAll(ctx context.Context, image Ref, s render.Settings, container Ref) (RenderingResult, error)
	// ResetRendering is "Set Imported": the caller's settings on every
	// image of targets become the import defaults computed from the
	// stored channel statistics (spec §5.4).
	ResetRendering(ctx context.Context, targets []Ref) (RenderingResult, error)
	// SetOwnersRendering is "Set Owner's": the image owner's settings are
	// copied into the caller's own (created if missing); the owner's are
	// untouched. Images the caller owns, or whose owner has no settings,
	// are skipped.
	SetOwnersRendering(ctx context.Context, targets []Ref) (RenderingResult, error)
	// SetRenderingWindows sets every channel's window of the caller's
	// settings (starting from what the viewer would open) on every image of
	// targets: from the channel statistics (WindowMinMax) or the pixel
	// type's range (WindowFullRange), and saves them.
	SetRenderingWindows(ctx context.Context, targets []Ref, mode WindowMode) (RenderingResult, error)
	// RenameChannels renames the channels of image, or of every image of a
	// dataset or plate: names[i] names channel i, "" keeps a name. It needs
	// EDIT permission on each image. A single image that cannot be renamed
	// is an error; in a container such images are skipped with the reason.
	RenameChannels(ctx context.Context, target Ref, names []string) (RenderingResult, error)
	// PixelSource tells the app layer where image's pixels are: its pixels
	// and channels and the absolute paths of its fileset's files.
	PixelSource(ctx context.Context, image Ref) (PixelSource, error)
}

// RenderingDefView is one user's rendering settings on one image.
type RenderingDefView struct {
	// Def is the RenderingDef:ID; zero for defaults computed, not stored.
	Def       Ref             `json:"rdef"`
	Image     Ref             `json:"image"`
	Owner     ID              `json:"owner"`
	OwnerName string          `json:"ownerName"`
	Updated   time.Time       `json:"updated"`
	Settings  render.Settings `json:"settings"`
}

// Stored reports whether the settings are stored (not computed defaults).
func (v RenderingDefView) Stored() bool { return !v.Def.IsZero() }

// RenderingResult reports a batch operation: which images got new
// settings (or names), and which were skipped and why.
type RenderingResult struct {
	Changed []Ref          `json:"changed"`
	Skipped []SkippedImage `json:"skipped"`
}

// SkippedImage is an image a batch left unchanged, with the reason.
type SkippedImage struct {
	Image  Ref    `json:"image"`
	Reason string `json:"reason"`
}

// WindowMode selects what SetRenderingWindows sets the windows to.
type WindowMode string

const (
	// WindowMinMax sets each window to the channel's global min and max.
	WindowMinMax WindowMode = "minmax"
	// WindowFullRange sets each window to the pixel type's range.
	WindowFullRange WindowMode = "fullrange"
)

// PixelSource locates an image's pixels for reading.
type PixelSource struct {
	Image    Ref           `json:"image"`
	Name     string        `json:"name"`
	Owner    ID            `json:"owner"`
	Pixels   PixelsInfo    `json:"pixels"`
	Channels []ChannelInfo `json:"channels"`
	// Files are the absolute paths of the fileset's files in import order
	// (the first is the file its reader was opened on); Root is the
	// fileset's folder. Both are empty when the pixels are not local.
	Files []string `json:"files"`
	Root  string   `json:"root"`
}

// RenderPixelsInfo describes an image for the render package's rules
// (validation, paste compatibility).
func RenderPixelsInfo(p PixelsInfo, chs []ChannelInfo) render.PixelsInfo {
	t, _ := pixel.ParseType(p.PixelType)
	info := render.PixelsInfo{Type: t, SizeX: p.SizeX, SizeY: p.SizeY, SizeZ: p.SizeZ, SizeT: p.SizeT, SizeC: p.SizeC,
		EmissionWavelengths: make([]float64, p.SizeC)}
	for _, c := range chs {
		if c.Index >= 0 && c.Index < p.SizeC {
			info.EmissionWavelengths[c.Index] = c.EmissionWavelength
		}
	}
	return info
}

// DefaultRendering computes the import defaults of an image from its
// stored channels and statistics (spec §5.4, "Set Imported").
func DefaultRendering(p PixelsInfo, chs []ChannelInfo) render.Settings {
	t, _ := pixel.ParseType(p.PixelType)
	rch := make([]render.ChannelInfo, p.SizeC)
	for _, c := range chs {
		if c.Index < 0 || c.Index >= p.SizeC {
			continue
		}
		rch[c.Index] = render.ChannelInfo{Name: c.Name, Color: c.Color, HasColor: c.HasColor,
			EmissionWavelength: c.EmissionWavelength, LUT: c.LUT, StatsMin: c.StatsMin, StatsMax: c.StatsMax, HasStats: c.HasStats}
	}
	return render.Defaults(t, p.SizeZ, p.SizeT, rch)
}

// WithWindows returns s with every channel's window set by mode: the
// channel's global min/max (channels without statistics keep theirs), or
// the pixel type's range (float types, which have no fixed range, use the
// statistics). A degenerate min == max falls back to the type's range.
func WithWindows(s render.Settings, p PixelsInfo, chs []ChannelInfo, mode WindowMode) render.Settings {
	out := s.Clone()
	t, _ := pixel.ParseType(p.PixelType)
	lo, hi := t.Range()
	for _, c := range chs {
		if c.Index < 0 || c.Index >= len(out.Channels) {
			continue
		}
		cs := &out.Channels[c.Index]
		useStats := mode == WindowMinMax || t.IsFloat()
		switch {
		case useStats && c.HasStats && c.StatsMin < c.StatsMax:
			cs.Start, cs.End = c.StatsMin, c.StatsMax
			if !t.IsFloat() {
				cs.Start, cs.End = max(cs.Start, lo), min(cs.End, hi)
			}
		case useStats && c.HasStats && !t.IsFloat():
			cs.Start, cs.End = lo, hi
		case !useStats:
			cs.Start, cs.End = lo, hi
		}
	}
	return out
}
