package main

import (
	"fmt"
	"io"

	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
)

func init() {
	Register(&Command{Name: "thumbnail", Args: "IMAGE [--size N] -o FILE.png",
		Short: "write an image's thumbnail (as grids show it: with its owner's settings) to a PNG file", Run: runThumbnail})
}

// thumbnailOut is `thumbnail --json`.
type thumbnailOut struct {
	Image core.Ref `json:"image"`
	File  string   `json:"file"`
	Size  int      `json:"size"`
	Owner core.ID  `json:"settingsOwner"`
	Bytes int      `json:"bytes"`
}

func runThumbnail(env *Env, args []string) error {
	fs := env.Flags()
	size := fs.Int("size", thumbcache.DefaultSize, "the longest side in pixels")
	out := fs.StringP("output", "o", "", "the PNG file to write")
	pos, err := env.Parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	img, err := parseImage(pos[0])
	if err != nil {
		return err
	}
	if *out == "" {
		return env.Usagef("give the file to write with -o FILE.png")
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	def, err := s.ThumbnailRendering(env.Ctx, img)
	if err != nil {
		return err
	}
	svc := renderService(env, s)
	defer svc.Close()
	b, err := svc.ThumbnailPNG(env.Ctx, img, *size)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(*out, b); err != nil {
		return err
	}
	res := thumbnailOut{Image: img, File: *out, Size: *size, Owner: def.Owner, Bytes: len(b)}
	return env.Print(res, func(w io.Writer) {
		fmt.Fprintf(w, "Wrote %s (%d px thumbnail with %s's settings)\n", safe(*out), *size, safe(def.OwnerName))
	})
}
