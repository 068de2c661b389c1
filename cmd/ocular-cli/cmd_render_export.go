package main

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/klauspost/compress/zlib"
	"golang.org/x/image/tiff"

	"github.com/ocular-lab/ocular/app/rendering"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/pngrgb"
	"github.com/ocular-lab/ocular/core/render"
)

func init() {
	Register(&Command{Name: "render export",
		Args:  "IMAGE [--z N] [--t N] [--region x,y,w,h] [--level N] [--projection max:0-10] [--size N] [--format png|jpeg|tiff] -o FILE",
		Short: "write the image as you see it (your settings, else its owner's) to a PNG, JPEG or TIFF file", Run: runRenderExport})
}

// exported is `render export --json`.
type exported struct {
	Image    core.Ref `json:"image"`
	File     string   `json:"file"`
	Format   string   `json:"format"`
	Width    int      `json:"width"`
	Height   int      `json:"height"`
	Settings core.Ref `json:"rdef"`
}

func runRenderExport(env *Env, args []string) error {
	fs := env.Flags()
	z := fs.Int("z", 0, "the plane, from 0 (default: the settings' default Z)")
	t := fs.Int("t", 0, "the timepoint, from 0 (default: the settings' default T)")
	region := fs.String("region", "", "x,y,w,h: only this rectangle, in the level's pixels")
	level := fs.Int("level", 0, "the pyramid level, 0 = full resolution")
	projection := fs.String("projection", "", "KIND:START-END, an intensity projection over planes START..END (max, mean or sum), e.g. max:0-10")
	size := fs.Int("size", 0, "scale so that the longest side has this many pixels")
	format := fs.String("format", "", "png, jpeg or tiff (default: from the file name, else png)")
	out := fs.StringP("output", "o", "", "the file to write")
	pos, err := env.Parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	img, err := parseImage(pos[0])
	if err != nil {
		return err
	}
	if *out == "" {
		return env.Usagef("give the file to write with -o FILE")
	}
	f, err := imageFormat(*format, *out)
	if err != nil {
		return env.Usagef("%s", err)
	}
	v := rendering.View{Level: *level, Size: *size}
	if *region != "" {
		if v.Region, err = parseRegion(*region); err != nil {
			return env.Usagef("%s", err)
		}
	}
	if *projection != "" {
		if v.Projection, err = parseProjection(*projection); err != nil {
			return env.Usagef("%s", err)
		}
	}
	if *size < 0 {
		return env.Usagef("--size must be positive")
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	def, err := s.ViewerRendering(env.Ctx, img)
	if err != nil {
		return err
	}
	v.Z, v.T = def.Settings.DefaultZ, def.Settings.DefaultT
	if fs.Changed("z") {
		v.Z = *z
	}
	if fs.Changed("t") {
		v.T = *t
	}
	if v.Projection == nil && def.Settings.Projection != nil && def.Settings.Projection.Kind != render.ProjectNone {
		v.Projection = def.Settings.Projection
	}
	svc := renderService(env, s)
	defer svc.Close()
	rgba, err := svc.Render(env.Ctx, img, def.Settings, v)
	if errors.Is(err, formats.ErrTooLarge) && f == "png" && v.Size == 0 {
		// Too large to hold: a full-size PNG is streamed band by band.
		size, err := exportPNGBands(env, svc, img, def.Settings, v, *out)
		if err != nil {
			return err
		}
		res := exported{Image: img, File: *out, Format: f, Width: size.X, Height: size.Y, Settings: def.Def}
		return env.Print(res, func(w io.Writer) {
			fmt.Fprintf(w, "Wrote %s (%dx%d %s)\n", *out, res.Width, res.Height, strings.ToUpper(f))
		})
	}
	if errors.Is(err, formats.ErrTooLarge) {
		// The service's advice, in this command's options.
		msg := strings.TrimSuffix(core.UserMessage(err), "; ask for a smaller size, a region or a reduced level")
		return core.Errorf("render export", core.Invalid, "%s; export it full size as PNG, or a smaller picture with --size N, a part with --region x,y,w,h or a reduced level with --level N", msg)
	}
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	switch f {
	case "png":
		err = png.Encode(&buf, rgba)
	case "jpeg":
		err = jpeg.Encode(&buf, rgba, &jpeg.Options{Quality: 92})
	case "tiff":
		err = tiff.Encode(&buf, rgba, &tiff.Options{Compression: tiff.Deflate})
	}
	if err != nil {
		return core.E("render export", core.Internal, err)
	}
	if err := writeFileAtomic(*out, buf.Bytes()); err != nil {
		return err
	}
	res := exported{Image: img, File: *out, Format: f, Width: rgba.Rect.Dx(), Height: rgba.Rect.Dy(), Settings: def.Def}
	return env.Print(res, func(w io.Writer) {
		fmt.Fprintf(w, "Wrote %s (%dx%d %s)\n", safe(*out), res.Width, res.Height, strings.ToUpper(f))
	})
}

// imageFormat picks the output format from --format or the file name.
func imageFormat(format, file string) (string, error) {
	f := strings.ToLower(format)
	if f == "" {
		switch strings.ToLower(filepath.Ext(file)) {
		case ".jpg", ".jpeg":
			f = "jpeg"
		case ".tif", ".tiff":
			f = "tiff"
		default:
			f = "png"
		}
	}
	switch f {
	case "png", "tiff":
		return f, nil
	case "jpeg", "jpg":
		return "jpeg", nil
	case "tif":
		return "tiff", nil
	}
	return "", fmt.Errorf("unknown format %q: use png, jpeg or tiff", format)
}

// parseRegion reads x,y,w,h.
func parseRegion(s string) (image.Rectangle, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return image.Rectangle{}, fmt.Errorf("--region takes x,y,w,h (four numbers), not %q", s)
	}
	var n [4]int
	for i, p := range parts {
		v, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || v < 0 {
			return image.Rectangle{}, fmt.Errorf("--region %q: %q is not a whole number of pixels", s, p)
		}
		n[i] = v
	}
	if n[2] == 0 || n[3] == 0 {
		return image.Rectangle{}, fmt.Errorf("--region %q has no area: width and height must be above 0", s)
	}
	return image.Rect(n[0], n[1], n[0]+n[2], n[1]+n[3]), nil
}

// parseProjection reads KIND:START-END.
func parseProjection(s string) (*render.Projection, error) {
	kind, rng, ok := strings.Cut(s, ":")
	bad := fmt.Errorf("--projection takes KIND:START-END with KIND max, mean or sum (e.g. max:0-10), not %q", s)
	if !ok {
		return nil, bad
	}
	a, b, ok := strings.Cut(rng, "-")
	start, err1 := strconv.Atoi(a)
	end, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil {
		return nil, bad
	}
	k := render.ProjectionKind(strings.ToLower(kind))
	switch k {
	case render.ProjectMax, render.ProjectMean, render.ProjectSum:
	default:
		return nil, bad
	}
	return &render.Projection{Kind: k, StartZ: start, EndZ: end}, nil
}

// writeFileAtomic writes data to path through a temporary file in the same
// folder, so a failure never leaves a truncated picture behind.
func writeFileAtomic(path string, data []byte) error {
	const op = "write"
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return core.E(op, core.IO, fmt.Sprintf("cannot write %s", path), err)
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return core.E(op, core.IO, fmt.Sprintf("cannot write %s", path), err)
	}
	return nil
}

// exportPNGBands streams a picture too large to hold into a PNG at path,
// band by band, through a temporary file renamed into place when complete.
func exportPNGBands(env *Env, svc *rendering.Service, img core.Ref, st render.Settings, v rendering.View, path string) (image.Point, error) {
	const op = "render export"
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return image.Point{}, core.E(op, core.IO, fmt.Sprintf("cannot write %s", path), err)
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	// Streamed band by band: image/png encodes only a whole picture held
	// in memory.
	ps := pngrgb.NewWriter(zlib.DefaultCompression)
	size, err := svc.RenderBands(env.Ctx, img, st, v, func(size image.Point) error {
		return ps.Start(tmp, size.X, size.Y)
	}, func(_ int, band *image.RGBA) error {
		return ps.WriteRows(band)
	})
	if err != nil {
		return image.Point{}, err
	}
	if err := ps.Close(); err != nil {
		return image.Point{}, core.E(op, core.IO, fmt.Sprintf("cannot write %s", path), err)
	}
	if err := tmp.Close(); err != nil {
		return image.Point{}, core.E(op, core.IO, fmt.Sprintf("cannot write %s", path), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return image.Point{}, core.E(op, core.IO, fmt.Sprintf("cannot write %s", path), err)
	}
	ok = true
	return size, nil
}
