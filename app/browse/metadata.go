package browse

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/core"
)

// The metadata tabs of the details panel: what import kept about an image
// (the OME-XML's instrument, the per-channel settings, the file's own
// key/value pairs) read from the image's stored attributes.

// Section is a titled list of fields (the Acquisition tab's parts).
type Section struct {
	Title  string
	Fields []Field
}

// pairs decodes a stored list of [key, value] pairs.
func pairs(v any) []Field {
	list, _ := v.([]any)
	var out []Field
	for _, e := range list {
		p, ok := e.([]any)
		if !ok || len(p) != 2 {
			continue
		}
		k, _ := p[0].(string)
		out = append(out, Field{k, fmt.Sprint(p[1])})
	}
	return out
}

// pairLists decodes a stored list of such lists (one per detector...).
func pairLists(v any) [][]Field {
	list, _ := v.([]any)
	var out [][]Field
	for _, e := range list {
		if fs := pairs(e); len(fs) > 0 {
			out = append(out, fs)
		}
	}
	return out
}

// Acquisition lists the instrument parts and per-channel settings of an
// image, in OMERO.insight's order; empty when import found none.
func Acquisition(img core.ObjectView, chs []core.ChannelInfo) []Section {
	a, _ := img.Attrs["acquisition"].(map[string]any)
	var out []Section
	if fs := pairs(a["microscope"]); len(fs) > 0 {
		out = append(out, Section{"Microscope", fs})
	}
	if fs := pairs(a["objective"]); len(fs) > 0 {
		out = append(out, Section{"Objective", fs})
	}
	for _, part := range []struct{ key, title string }{{"lightSources", "Light source"}, {"detectors", "Detector"}, {"filters", "Filter"}} {
		ls := pairLists(a[part.key])
		for i, fs := range ls {
			title := part.title
			if len(ls) > 1 {
				title += " " + strconv.Itoa(i+1)
			}
			out = append(out, Section{title, fs})
		}
	}
	allSettings, _ := img.Attrs["channelSettings"].([]any)
	for i, c := range chs {
		var fs []Field
		if c.Fluor != "" {
			fs = append(fs, Field{"Fluor", c.Fluor})
		}
		if c.ExcitationWavelength > 0 {
			fs = append(fs, Field{"Excitation", strconv.FormatFloat(c.ExcitationWavelength, 'g', 6, 64) + " nm"})
		}
		if c.EmissionWavelength > 0 {
			fs = append(fs, Field{"Emission", strconv.FormatFloat(c.EmissionWavelength, 'g', 6, 64) + " nm"})
		}
		if i < len(allSettings) {
			fs = append(fs, pairs(allSettings[i])...)
		}
		if len(fs) == 0 {
			continue
		}
		out = append(out, Section{"Channel " + strconv.Itoa(i+1) + ": " + channelName(c), fs})
	}
	return out
}

func channelName(c core.ChannelInfo) string {
	if c.Name != "" {
		return c.Name
	}
	return "Channel " + strconv.Itoa(c.Index+1)
}

// OriginalMetadata is the file's own key/value pairs as import kept them.
func OriginalMetadata(img core.ObjectView) []Field {
	return pairs(img.Attrs["originalMetadata"])
}

// FilterFields keeps the fields whose key or value contains query (any
// case); an empty query keeps all.
func FilterFields(fs []Field, query string) []Field {
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" {
		return fs
	}
	var out []Field
	for _, f := range fs {
		if strings.Contains(strings.ToLower(f.Label), q) || strings.Contains(strings.ToLower(f.Value), q) {
			out = append(out, f)
		}
	}
	return out
}

// WriteMetadata writes an image's metadata as text, in the sections of
// OMERO's original_metadata.txt (the shape `ocular-cli metadata -o` writes).
func WriteMetadata(w io.Writer, img core.ObjectView, chs []core.ChannelInfo) error {
	fmt.Fprintf(w, "[%s]\n", img.Ref)
	if f := img.Attr("format"); f != "" {
		fmt.Fprintf(w, "Format = %s\n", f)
	}
	if d := img.Attr("acquisitionDate"); d != "" {
		fmt.Fprintf(w, "Acquisition date = %s\n", d)
	}
	fmt.Fprintln(w)
	for _, s := range Acquisition(img, chs) {
		fmt.Fprintf(w, "[%s]\n", s.Title)
		for _, f := range s.Fields {
			fmt.Fprintf(w, "%s = %s\n", f.Label, f.Value)
		}
		fmt.Fprintln(w)
	}
	if om := OriginalMetadata(img); len(om) > 0 {
		fmt.Fprintln(w, "[Original metadata]")
		for _, f := range om {
			fmt.Fprintf(w, "%s = %s\n", f.Label, f.Value)
		}
	}
	_, err := fmt.Fprint(w)
	return err
}

// ImageFields are the General tab's lines about where an image comes from:
// the acquisition date (Describe gives the import date), format and its files in the managed
// repository (relative to it, as OMERO's "Show file paths on server").
func ImageFields(img core.ObjectView, src core.PixelSource, managed string) []Field {
	var out []Field
	if d := img.Attr("acquisitionDate"); d != "" {
		if t, err := time.Parse(time.RFC3339Nano, d); err == nil {
			d = t.Local().Format("2006-01-02 15:04:05")
		}
		out = append(out, Field{"Acquired", d})
	}
	if f := img.Attr("format"); f != "" {
		out = append(out, Field{"Format", f})
	}
	if len(src.Files) > 0 {
		var lines []string
		for _, f := range src.Files {
			if managed != "" {
				if rel, err := filepath.Rel(managed, f); err == nil && !strings.HasPrefix(rel, "..") {
					f = rel
				}
			}
			lines = append(lines, filepath.ToSlash(f))
		}
		out = append(out, Field{"Files", strings.Join(lines, "\n")})
	}
	return out
}
