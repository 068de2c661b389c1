package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/omejson"
)

func init() {
	Register(&Command{Name: "obj get", Args: "CLASS:ID [FIELD]",
		Short: "show an object's fields as key=value lines, or one field's value", Run: runObjGet})
}

// refColumns maps the reference fields `obj new` takes (well=Well:3) to the
// Object column holding them, so that `obj get` shows them back the same
// way. It mirrors core/inprocess's field parser.
var refColumns = map[core.Class]map[string]struct {
	column string
	class  core.Class
}{
	core.Well:             {"plate": {"parent", core.Plate}},
	core.PlateAcquisition: {"plate": {"parent", core.Plate}},
	core.WellSample:       {"well": {"parent", core.Well}, "image": {"child", core.Image}, "plateAcquisition": {"ref2", core.PlateAcquisition}},
	core.Roi:              {"image": {"parent", core.Image}},
	core.Image:            {"fileset": {"parent", core.Fileset}},
	core.FileAnnotation:   {"file": {"ref2", core.OriginalFile}},
}

type field struct{ key, value string }

func runObjGet(env *Env, args []string) error {
	fs := env.Flags()
	pos, err := env.Parse(fs, args, 1, 2)
	if err != nil {
		return err
	}
	ref, err := core.ParseRef(pos[0])
	if err != nil {
		return err
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	v, err := s.Get(env.Ctx, ref)
	if err != nil {
		return err
	}
	fields := objectFields(env, s, v)
	if len(pos) == 1 {
		out, err := withPixels(env, s, v)
		if err != nil {
			return err
		}
		return env.Print(out, func(w io.Writer) {
			for _, f := range fields {
				fmt.Fprintf(w, "%s=%s\n", f.key, safe(f.value))
			}
		})
	}
	var keys []string
	for _, f := range fields {
		keys = append(keys, f.key)
		if strings.EqualFold(f.key, pos[1]) {
			return env.Print(struct {
				Object string `json:"object"`
				Field  string `json:"field"`
				Value  string `json:"value"`
			}{v.Ref.String(), f.key, f.value}, func(w io.Writer) { fmt.Fprintln(w, safe(f.value)) })
		}
	}
	return core.Errorf("obj get", core.Invalid, "%s has no field %q (fields: %s)", v.Class, pos[1], strings.Join(keys, ", "))
}

// withPixels adds an image's Pixels and Channels to its --json output, in
// the shape of the JSON API's image (core/omejson), so that a script finds
// an image's sizes, pixel type, dimension order, physical sizes and
// channels here as in OMERO's API. Other objects, and images without
// pixels yet, are printed as they are; existing keys never change.
func withPixels(env *Env, s core.Session, v core.ObjectView) (any, error) {
	if v.Class != core.Image || !env.JSON {
		return v, nil
	}
	p, chs, err := s.ImageDetails(env.Ctx, v.Ref)
	if core.Is(core.NotFound, err) {
		return v, nil
	}
	if err != nil {
		return nil, err
	}
	if chs == nil {
		chs = []core.ChannelInfo{}
	}
	return struct {
		core.ObjectView
		Pixels omejson.M `json:"Pixels"`
	}{v, omejson.Pixels(p, chs)}, nil
}

// objectFields lists what `obj get` shows: the id, the fields of the class
// in the order `obj new` documents them, link ends, then ownership, times and
// the user's permission flags.
func objectFields(env *Env, s core.Session, v core.ObjectView) []field {
	o := v.Object
	info := o.Class.Info()
	out := []field{{"id", strconv.FormatInt(int64(o.ID), 10)}}
	seen := map[string]bool{}
	add := func(k, val string) {
		if !seen[k] {
			seen[k] = true
			out = append(out, field{k, val})
		}
	}
	if info != nil {
		for _, k := range info.Fields {
			add(k, fieldValue(env, s, o, k))
		}
		if info.Kind == core.KindLink {
			add("parent", refString(env, s, info.Parent, o.Parent))
			add("child", refString(env, s, info.Child, o.Child))
		}
	}
	for _, k := range sortedKeys(o.Attrs) { // anything else stored with the object
		add(k, fieldValue(env, s, o, k))
	}
	add("owner", strconv.FormatInt(int64(o.Owner), 10))
	add("ownerName", v.OwnerName)
	add("group", strconv.FormatInt(int64(o.Group), 10))
	add("groupName", v.GroupName)
	add("created", o.Created.Format(time.RFC3339))
	add("updated", o.Updated.Format(time.RFC3339))
	add("permissions", v.Flags.String())
	return out
}

func fieldValue(env *Env, s core.Session, o core.Object, k string) string {
	if rc, ok := refColumns[o.Class][k]; ok {
		id := map[string]core.ID{"parent": o.Parent, "child": o.Child, "ref2": o.Ref2}[rc.column]
		return refString(env, s, rc.class, id)
	}
	switch k {
	case "name":
		return o.Name
	case "description":
		return o.Description
	case "ns":
		return o.Ns
	case "textValue":
		return o.TextValue
	case "longValue":
		return strconv.FormatInt(o.LongValue, 10)
	case "mapValue":
		return mapValueString(o.Attrs["mapValue"])
	}
	return o.Attr(k)
}

// refString shows a reference as Class:ID, finding the concrete class of an
// abstract end (an annotation link's annotation).
func refString(env *Env, s core.Session, class core.Class, id core.ID) string {
	if id == 0 { // no reference: object IDs start at 1
		return ""
	}
	if class.Info() == nil { // Annotation: ask which kind
		if v, err := s.Get(env.Ctx, core.Ref{Class: class, ID: id}); err == nil {
			class = v.Class
		}
	}
	return core.Ref{Class: class, ID: id}.String()
}

// mapValueString writes key-value pairs as `obj new` reads them: k1=v1;k2=v2.
func mapValueString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	var kvs []core.KeyValue
	if json.Unmarshal(b, &kvs) != nil {
		return string(b)
	}
	parts := make([]string, len(kvs))
	for i, kv := range kvs {
		parts[i] = kv.Key + "=" + kv.Value
	}
	return strings.Join(parts, ";")
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
