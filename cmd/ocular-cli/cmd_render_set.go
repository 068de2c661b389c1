package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/render"
)

func init() {
	Register(&Command{Name: "render set", Args: "IMAGE FILE.yml [--as-owner]",
		Short: "save your rendering settings on an image from a YAML or JSON file (OMERO's render set format)", Run: runRenderSet})
}

// renderSetFile is the file `render set` reads, in the shape of OMERO's
// render plugin:
//
//	channels:
//	  1: {label: DAPI, color: 0000FF, start: 0, end: 255, active: true}
//	  2: {color: 00FF00, lut: fire}
//	greyscale: false
//	z: 1
//	t: 1
//
// Channels are keyed by 1-based index (fields left out keep their current
// values), or given as a list with exactly one entry per channel. start and
// end are the display window; min and max are accepted as the window when
// start and end are absent (OMERO's first version of the format). z and t
// are 1-based.
type renderSetFile struct {
	Version   int       `yaml:"version"`
	Channels  yaml.Node `yaml:"channels"`
	Greyscale *bool     `yaml:"greyscale"`
	Model     *string   `yaml:"model"`
	Z         *int      `yaml:"z"`
	T         *int      `yaml:"t"`
}

type renderSetChannel struct {
	Label       *string  `yaml:"label"`
	Color       *string  `yaml:"color"`
	LUT         *string  `yaml:"lut"`
	Start       *float64 `yaml:"start"`
	End         *float64 `yaml:"end"`
	Min         *float64 `yaml:"min"`
	Max         *float64 `yaml:"max"`
	Active      *bool    `yaml:"active"`
	Reverse     *bool    `yaml:"reverse"`
	Family      *string  `yaml:"family"`
	Coefficient *float64 `yaml:"coefficient"`
}

// maxSettingsFile bounds the settings file read into memory.
const maxSettingsFile = 1 << 20

func runRenderSet(env *Env, args []string) error {
	fs := env.Flags()
	asOwner := fs.Bool("as-owner", false, "save them as the image owner's settings (its owner, or an administrator with WriteOwned or Sudo)")
	pos, err := env.Parse(fs, args, 2, 2)
	if err != nil {
		return err
	}
	img, err := parseImage(pos[0])
	if err != nil {
		return err
	}
	file, err := readSettingsFile(pos[1])
	if err != nil {
		return err
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	cur, err := s.ViewerRendering(env.Ctx, img)
	if err != nil {
		return err
	}
	st, err := file.apply(cur.Settings, img)
	if err != nil {
		return err
	}
	save := s.SaveRendering
	if *asOwner {
		save = s.SaveRenderingAsOwner
	}
	v, err := save(env.Ctx, img, st)
	if err != nil {
		return err
	}
	return env.Print(v, func(w io.Writer) {
		fmt.Fprintf(w, "Saved %s (%s's settings) on %s\n", v.Def, safe(v.OwnerName), img)
	})
}

func readSettingsFile(path string) (*renderSetFile, error) {
	const op = "render set"
	f, err := os.Open(path)
	if err != nil {
		return nil, core.E(op, core.IO, fmt.Sprintf("cannot read the settings file %s", path), err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSettingsFile+1))
	if err != nil {
		return nil, core.E(op, core.IO, fmt.Sprintf("cannot read the settings file %s", path), err)
	}
	if len(b) > maxSettingsFile {
		return nil, core.Errorf(op, core.Invalid, "%s is larger than %d bytes; a settings file is a few lines", path, maxSettingsFile)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var file renderSetFile
	if err := dec.Decode(&file); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, core.Errorf(op, core.Invalid, "%s is empty; it needs a channels: section", path)
		}
		return nil, core.Errorf(op, core.Invalid, "%s is not a valid settings file: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if file.Channels.Kind == 0 {
		return nil, core.Errorf(op, core.Invalid, "%s has no channels: section (see 'ocular-cli render set --help')", path)
	}
	return &file, nil
}

// apply returns cur changed as the file says, checking channel numbers,
// colours and Z/T; windows and LUT names are checked when saving.
func (f *renderSetFile) apply(cur render.Settings, img core.Ref) (render.Settings, error) {
	const op = "render set"
	st := cur.Clone()
	n := len(st.Channels)
	byIndex := map[int]renderSetChannel{}
	switch f.Channels.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(f.Channels.Content); i += 2 {
			k := f.Channels.Content[i].Value
			idx, err := strconv.Atoi(k)
			if err != nil || idx < 1 {
				return st, core.Errorf(op, core.Invalid, "channel key %q must be a channel number from 1", k)
			}
			if idx > n {
				return st, core.Errorf(op, core.Invalid, "the settings file names channel %d but %s has %d channels", idx, img, n)
			}
			var c renderSetChannel
			if err := decodeStrict(f.Channels.Content[i+1], &c); err != nil {
				return st, core.Errorf(op, core.Invalid, "channel %d: %v", idx, err)
			}
			byIndex[idx-1] = c
		}
	case yaml.SequenceNode:
		if len(f.Channels.Content) != n {
			return st, core.Errorf(op, core.Invalid, "the settings file lists %d channels but %s has %d", len(f.Channels.Content), img, n)
		}
		for i, node := range f.Channels.Content {
			var c renderSetChannel
			if err := decodeStrict(node, &c); err != nil {
				return st, core.Errorf(op, core.Invalid, "channel %d: %v", i+1, err)
			}
			byIndex[i] = c
		}
	default:
		return st, core.Errorf(op, core.Invalid, "channels: must map channel numbers to settings (1: {color: FF0000})")
	}
	for i, c := range byIndex {
		if err := c.applyTo(&st.Channels[i]); err != nil {
			return st, core.Errorf(op, core.Invalid, "channel %d: %v", i+1, err)
		}
	}
	if f.Greyscale != nil {
		st.Model = render.RGB
		if *f.Greyscale {
			st.Model = render.Greyscale
		}
	}
	if f.Model != nil {
		switch strings.ToLower(*f.Model) {
		case "greyscale", "grayscale":
			st.Model = render.Greyscale
		case "rgb", "color", "colour":
			st.Model = render.RGB
		default:
			return st, core.Errorf(op, core.Invalid, "unknown model %q (use greyscale or color)", *f.Model)
		}
	}
	for _, p := range []struct {
		name string
		v    *int
		dst  *int
	}{{"z", f.Z, &st.DefaultZ}, {"t", f.T, &st.DefaultT}} {
		if p.v == nil {
			continue
		}
		if *p.v < 1 {
			return st, core.Errorf(op, core.Invalid, "%s is 1-based: %s: 1 is the first plane, not %d", p.name, p.name, *p.v)
		}
		*p.dst = *p.v - 1
	}
	return st, nil
}

func decodeStrict(n *yaml.Node, v any) error {
	// Node.Decode has no KnownFields option: re-encode and decode strictly.
	b, err := yaml.Marshal(n)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "yaml: "))
	}
	return nil
}

func (c renderSetChannel) applyTo(cs *render.ChannelSettings) error {
	if c.Label != nil {
		cs.Label = strings.TrimSpace(*c.Label)
	}
	if c.Color != nil {
		col, err := render.ParseColor(*c.Color)
		if err != nil {
			return err
		}
		cs.Color = col
	}
	if c.LUT != nil {
		name := strings.TrimSpace(*c.LUT)
		if strings.EqualFold(name, "none") {
			name = ""
		}
		if name != "" {
			l, err := render.LookupLUT(name)
			if err != nil {
				return err
			}
			name = l.Name
		}
		cs.LUT = name
	}
	start, end := c.Start, c.End
	if start == nil && end == nil {
		start, end = c.Min, c.Max
	}
	if start != nil {
		cs.Start = *start
	}
	if end != nil {
		cs.End = *end
	}
	if c.Active != nil {
		cs.Active = *c.Active
	}
	if c.Reverse != nil {
		cs.Reverse = *c.Reverse
	}
	if c.Family != nil {
		cs.Family = render.Family(strings.ToLower(*c.Family))
	}
	if c.Coefficient != nil {
		cs.Coefficient = *c.Coefficient
	}
	return nil
}
