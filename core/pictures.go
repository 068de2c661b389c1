package core

import (
	"context"
	"image"

	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/core/render"
)

// RegionRequest says which part of an image to render and at what size.
type RegionRequest struct {
	Z, T int
	// Level is the pyramid level (0 = full resolution).
	Level int
	// Region is in the level's pixel coordinates; empty means the whole plane.
	Region image.Rectangle
	// Projection, when not nil, overrides the settings' own projection
	// (Kind ProjectNone renders plane Z).
	Projection *render.Projection
	// Size is the longest side of the picture; 0 keeps the region's size.
	Size int
}

// Pictures renders images where their pixels are. In-process that is
// app/rendering reading the repository's files; over the wire it is the
// server, so that a remote client only ever receives the plane or tile it
// shows, never the image. A Session that implements Pictures itself (the
// remote client's) is asked directly; app/rendering delegates to it.
//
// Every method answers NotFound for an image the session may not see.
type Pictures interface {
	// RenderRegion renders req of img with settings.
	RenderRegion(ctx context.Context, img Ref, settings render.Settings, req RegionRequest) (*image.RGBA, error)
	// Thumbnails returns the thumbnails (JPEG, longest side size) of imgs
	// with their owners' settings; images that cannot be drawn or seen are
	// left out of the map.
	Thumbnails(ctx context.Context, imgs []Ref, size int) (map[ID][]byte, error)
	// Levels returns the sizes of img's pyramid levels, full resolution first.
	Levels(ctx context.Context, img Ref) ([]image.Point, error)
}

// RawRegion asks for raw pixel values: one channel of one plane, a region
// of one pyramid level.
type RawRegion struct {
	Z, C, T, Level int
	// Region in the level's pixel coordinates; empty means the whole plane.
	Region image.Rectangle
}

// RawPixels reads stored pixel values (not rendered), for serving images
// as OME-Zarr chunks. Bounded by the reader budgets of core/formats.
type RawPixels interface {
	ReadRegion(ctx context.Context, img Ref, r RawRegion) (*pixel.Plane, error)
}
