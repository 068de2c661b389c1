package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

func init() {
	Register(&Command{
		Name:  "metadata",
		Args:  "IMAGE [--original | --acquisition | --planes] [-o FILE]",
		Short: "show or download an image's original and acquisition metadata",
		Run:   runMetadata,
	})
}

// imageMetadata is what import stored about an image beyond its pixels.
type imageMetadata struct {
	Image       string           `json:"image"`
	Format      string           `json:"format,omitempty"`
	Acquired    string           `json:"acquisitionDate,omitempty"`
	Acquisition map[string]any   `json:"acquisition,omitempty"`
	Planes      []map[string]any `json:"planes,omitempty"`
	Original    [][2]string      `json:"originalMetadata,omitempty"`
}

func runMetadata(env *Env, args []string) error {
	fs := env.Flags()
	original := fs.Bool("original", false, "only the original metadata (the file's own key/value pairs)")
	acquisition := fs.Bool("acquisition", false, "only the instrument: microscope, objective, detectors, light sources, filters")
	planes := fs.Bool("planes", false, "only the per-plane information (exposure, position, time)")
	out := fs.StringP("output", "o", "", "write to FILE instead of the terminal (original_metadata.txt style)")
	pos, err := env.Parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	ref, err := core.ParseRef(pos[0])
	if err != nil {
		return err
	}
	if ref.Class != core.Image {
		return env.Usagef("metadata takes an Image:ID, not %s", ref)
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	v, err := s.Get(env.Ctx, ref)
	if err != nil {
		return err
	}
	md := imageMetadata{Image: ref.String(), Format: v.Attr("format"), Acquired: v.Attr("acquisitionDate")}
	decode(v.Attrs["acquisition"], &md.Acquisition)
	decode(v.Attrs["planes"], &md.Planes)
	decode(v.Attrs["originalMetadata"], &md.Original)
	all := !*original && !*acquisition && !*planes
	if !all {
		if !*original {
			md.Original = nil
		}
		if !*acquisition {
			md.Acquisition = nil
		}
		if !*planes {
			md.Planes = nil
		}
	}
	w := env.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return core.Errorf("metadata", core.IO, "cannot write %s: %v", *out, err)
		}
		defer f.Close()
		w = f
	}
	if env.JSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(md)
	}
	writeMetadata(w, md, all || *acquisition)
	if *out != "" {
		fmt.Fprintf(env.Stdout, "Wrote the metadata of %s to %s\n", ref, safe(*out))
	}
	return nil
}

// decode converts a JSON-decoded attribute into its typed form.
func decode(v any, into any) {
	if v == nil {
		return
	}
	b, err := json.Marshal(v)
	if err == nil {
		json.Unmarshal(b, into)
	}
}

// writeMetadata prints sections of "key = value" lines, the shape of
// OMERO's original_metadata.txt.
func writeMetadata(w io.Writer, md imageMetadata, header bool) {
	if header {
		fmt.Fprintf(w, "[%s]\n", safe(md.Image))
		if md.Format != "" {
			fmt.Fprintf(w, "Format = %s\n", safe(md.Format))
		}
		if md.Acquired != "" {
			fmt.Fprintf(w, "Acquisition date = %s\n", safe(md.Acquired))
		}
		fmt.Fprintln(w)
	}
	// Microscope and objective are one list of pairs; detectors, light
	// sources and filters are lists of such lists, one per instrument part.
	for _, section := range []string{"microscope", "objective", "detectors", "lightSources", "filters"} {
		list, _ := md.Acquisition[section].([]any)
		switch {
		case len(list) == 0:
		case isPairList(list):
			fmt.Fprintf(w, "[%s]\n", section)
			writePairs(w, list)
		default:
			for i, item := range list {
				if pairs, ok := item.([]any); ok && isPairList(pairs) {
					fmt.Fprintf(w, "[%s %d]\n", section, i+1)
					writePairs(w, pairs)
				}
			}
		}
	}
	for i, p := range md.Planes {
		if i == 0 {
			fmt.Fprintln(w, "[Planes]")
		}
		var parts []string
		for _, k := range []string{"Z", "C", "T", "DeltaT", "ExposureTime", "PositionX", "PositionY", "PositionZ"} {
			if v, ok := p[k]; ok {
				parts = append(parts, safe(fmt.Sprintf("%s=%v", k, v)))
			}
		}
		fmt.Fprintln(w, strings.Join(parts, " "))
	}
	if len(md.Planes) > 0 {
		fmt.Fprintln(w)
	}
	if len(md.Original) > 0 {
		fmt.Fprintln(w, "[Original metadata]")
		for _, kv := range md.Original {
			fmt.Fprintf(w, "%s = %s\n", safe(kv[0]), safe(kv[1]))
		}
	}
}

// isPairList reports whether v is a list of [key, value] pairs.
func isPairList(v []any) bool {
	for _, e := range v {
		p, ok := e.([]any)
		if !ok || len(p) != 2 {
			return false
		}
		if _, ok := p[0].(string); !ok {
			return false
		}
	}
	return true
}

func writePairs(w io.Writer, pairs []any) {
	for _, e := range pairs {
		if p, ok := e.([]any); ok && len(p) == 2 {
			fmt.Fprintf(w, "%s = %s\n", safe(fmt.Sprint(p[0])), safe(fmt.Sprint(p[1])))
		}
	}
	fmt.Fprintln(w)
}
