package ome

import (
	"strings"

	"github.com/ocular-lab/ocular/core/formats"
)

// annotations holds StructuredAnnotations flattened to key/value pairs, by
// annotation ID, so images can pick those they reference.
type annotations struct {
	byID     map[string][]formats.KeyValue
	order    []string
	referred map[string]bool
}

// maxAnnotationValue bounds one value kept as original metadata; a CZI
// XMLAnnotation can be megabytes of XML nobody reads in a table.
const maxAnnotationValue = 1 << 20

func collectAnnotations(x *xAnnotations) annotations {
	a := annotations{byID: map[string][]formats.KeyValue{}, referred: map[string]bool{}}
	if x == nil {
		return a
	}
	put := func(id string, kv ...formats.KeyValue) {
		if _, seen := a.byID[id]; !seen {
			a.order = append(a.order, id)
		}
		for i := range kv {
			if len(kv[i].Value) > maxAnnotationValue {
				kv[i].Value = kv[i].Value[:maxAnnotationValue] + "…"
			}
		}
		a.byID[id] = append(a.byID[id], kv...)
	}
	for _, m := range x.Maps {
		var kv []formats.KeyValue
		for _, p := range m.Pairs {
			kv = append(kv, formats.KeyValue{Key: p.K, Value: p.Value})
		}
		put(m.ID, kv...)
	}
	for _, m := range x.XMLs {
		if len(m.Value.Original) > 0 {
			// Bio-Formats' OriginalMetadata: <OriginalMetadata><Key/><Value/>.
			var kv []formats.KeyValue
			for _, o := range m.Value.Original {
				kv = append(kv, formats.KeyValue{Key: o.Key, Value: o.Value})
			}
			put(m.ID, kv...)
			continue
		}
		put(m.ID, formats.KeyValue{Key: "XMLAnnotation " + m.ID, Value: strings.TrimSpace(m.Value.Inner)})
	}
	simple := func(kind string, list []xValueAnnotation) {
		for _, v := range list {
			key := kind
			if v.Namespace != "" {
				key += " (" + v.Namespace + ")"
			}
			put(v.ID, formats.KeyValue{Key: key, Value: strings.TrimSpace(v.Value)})
		}
	}
	simple("Comment", x.Comments)
	simple("Tag", x.Tags)
	simple("Long", x.Longs)
	simple("Double", x.Doubles)
	simple("Boolean", x.Booleans)
	simple("Timestamp", x.Times)
	return a
}

// forImage returns the annotations an image references; annotations that no
// image references (Bio-Formats' global original metadata) go to every image.
func (a annotations) forImage(refs []xRef) []formats.KeyValue {
	var out []formats.KeyValue
	for _, r := range refs {
		a.referred[r.ID] = true
		out = append(out, a.byID[r.ID]...)
	}
	return out
}

// unreferenced lists annotations no image referenced.
func (a annotations) unreferenced() []formats.KeyValue {
	var out []formats.KeyValue
	for _, id := range a.order {
		if !a.referred[id] {
			out = append(out, a.byID[id]...)
		}
	}
	return out
}
