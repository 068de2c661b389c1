package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ocular-lab/ocular/app/pyramid"
	"github.com/ocular-lab/ocular/app/rendering"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/render"
)

func init() {
	Register(&Command{Name: "render info", Args: "IMAGE",
		Short: "show every user's rendering settings on an image and which ones you see", Run: runRenderInfo})
}

// Helpers shared by the render verbs.

// parseImage reads Image:ID, or a bare ID (Image is assumed, as in OMERO's
// render plugin).
func parseImage(s string) (core.Ref, error) {
	if id, err := strconv.ParseInt(s, 10, 64); err == nil {
		return core.Ref{Class: core.Image, ID: core.ID(id)}, nil
	}
	r, err := core.ParseRef(s)
	if err != nil {
		return r, err
	}
	if r.Class != core.Image {
		return r, core.Errorf("", core.Invalid, "%s is not an image; give Image:ID", s)
	}
	return r, nil
}

// parseTargets reads Class:ID[,ID] arguments; a bare ID is an image.
func parseTargets(args []string) ([]core.Ref, error) {
	var out []core.Ref
	for _, a := range args {
		if r, err := parseImage(a); err == nil {
			out = append(out, r)
			continue
		}
		refs, err := parseRefs([]string{a})
		if err != nil {
			return nil, err
		}
		out = append(out, refs...)
	}
	return out, nil
}

// renderService is the app-layer renderer over the session, with the
// repository's thumbnail cache (none against a server). The caller closes it.
func renderService(env *Env, s core.Session) *rendering.Service {
	cfg := rendering.Config{Session: s, Thumbs: thumbcache.ForRepository(env.Repo), Pyramids: pyramid.ForRepository(env.Repo)}
	if env.Remote() {
		// The server renders: no local cache belongs to its images.
		cfg = rendering.Config{Session: s}
	}
	// Tests lower the memory budget of one picture to reach the streamed
	// export with small images; never set in normal use.
	if n, err := strconv.ParseInt(env.main.getenv("OCULAR_TEST_RENDER_BYTES"), 10, 64); err == nil && n > 0 {
		cfg.MaxRenderBytes = n
	}
	return rendering.New(cfg)
}

// printBatch prints what a batch rendering operation changed and skipped.
// runRenderBatch is a verb that applies one rendering use case to the images
// of TARGET... (images, datasets, plates, runs) and reports what changed and
// what was skipped and why: render owner, render reset.
func runRenderBatch(env *Env, args []string, apply func(core.Session, context.Context, []core.Ref) (core.RenderingResult, error), done string) error {
	fs := env.Flags()
	pos, err := env.Parse(fs, args, 1, -1)
	if err != nil {
		return err
	}
	targets, err := parseTargets(pos)
	if err != nil {
		return err
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	res, err := apply(s, env.Ctx, targets)
	if err != nil {
		return err
	}
	return printBatch(env, done, res)
}

func printBatch(env *Env, done string, res core.RenderingResult) error {
	return env.Print(res, func(w io.Writer) {
		names := make([]string, len(res.Changed))
		for i, r := range res.Changed {
			names[i] = r.String()
		}
		switch {
		case len(res.Changed) == 0:
			fmt.Fprintf(w, "%s no images.\n", done)
		default:
			fmt.Fprintf(w, "%s %d image(s): %s\n", done, len(res.Changed), strings.Join(names, ", "))
		}
		for _, s := range res.Skipped {
			fmt.Fprintf(w, "Skipped %s: %s\n", s.Image, safe(s.Reason))
		}
	})
}

// renderInfo is `render info --json`.
type renderInfo struct {
	Image    core.Ref                `json:"image"`
	Name     string                  `json:"name"`
	Pixels   core.PixelsInfo         `json:"pixels"`
	Channels []string                `json:"channels"`
	Viewer   core.RenderingDefView   `json:"viewer"`
	Settings []core.RenderingDefView `json:"settings"`
}

func runRenderInfo(env *Env, args []string) error {
	fs := env.Flags()
	pos, err := env.Parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	img, err := parseImage(pos[0])
	if err != nil {
		return err
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	src, err := s.PixelSource(env.Ctx, img)
	if err != nil {
		return err
	}
	viewer, err := s.ViewerRendering(env.Ctx, img)
	if err != nil {
		return err
	}
	defs, err := s.RenderingDefs(env.Ctx, img)
	if err != nil {
		return err
	}
	info := renderInfo{Image: img, Name: src.Name, Pixels: src.Pixels, Viewer: viewer, Settings: defs}
	for _, c := range src.Channels {
		info.Channels = append(info.Channels, c.Name)
	}
	if info.Settings == nil {
		info.Settings = []core.RenderingDefView{}
	}
	return env.Print(info, func(w io.Writer) {
		p := src.Pixels
		fmt.Fprintf(w, "%s %q: %dx%d, Z=%d C=%d T=%d, %s\n", img, src.Name, p.SizeX, p.SizeY, p.SizeZ, p.SizeC, p.SizeT, p.PixelType)
		if viewer.Stored() {
			fmt.Fprintf(w, "You see: %s (%s's)\n", viewer.Def, safe(viewer.OwnerName))
		} else {
			fmt.Fprintf(w, "You see: the import defaults (no settings are saved)\n")
		}
		for _, d := range defs {
			fmt.Fprintln(w)
			writeSettings(w, d, info.Channels)
		}
	})
}

// writeSettings prints one user's settings as OMERO's render info does:
// a header line, then one line per channel (Z and T are 1-based, as in
// `render set` files).
func writeSettings(w io.Writer, d core.RenderingDefView, names []string) {
	st := d.Settings
	fmt.Fprintf(w, "%s owner=%s model=%s z=%d t=%d\n", d.Def, safe(d.OwnerName), st.Model, st.DefaultZ+1, st.DefaultT+1)
	for i, c := range st.Channels {
		name := ""
		if i < len(names) {
			name = names[i]
		}
		if c.Label != "" {
			name = c.Label
		}
		extra := ""
		if c.LUT != "" {
			extra += " lut=" + c.LUT
		}
		if c.Reverse {
			extra += " reverse=true"
		}
		if c.Family != render.Linear && c.Family != "" {
			extra += fmt.Sprintf(" family=%s coefficient=%g", c.Family, c.Coefficient)
		}
		fmt.Fprintf(w, "  ch%d: active=%v color=%s label=%s start=%g end=%g%s\n", i+1, c.Active, c.Color.Hex(), safe(name), c.Start, c.End, safe(extra))
	}
}
