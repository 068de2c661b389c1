package inprocess

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

// refFields are the fields whose value is a Class:ID reference, with the
// column they fill and the class they must name.
var refFields = map[core.Class]map[string]struct {
	column string // "parent", "child" or "ref2"
	class  core.Class
}{
	core.Well:             {"plate": {"parent", core.Plate}},
	core.PlateAcquisition: {"plate": {"parent", core.Plate}},
	core.WellSample:       {"well": {"parent", core.Well}, "image": {"child", core.Image}, "plateAcquisition": {"ref2", core.PlateAcquisition}},
	core.Roi:              {"image": {"parent", core.Image}},
	core.RenderingDef:     {"image": {"parent", core.Image}},
	core.Image:            {"fileset": {"parent", core.Fileset}},
	core.FileAnnotation:   {"file": {"ref2", core.OriginalFile}},
}

// applyFields sets an object's fields from `key=value` strings. refs
// collects the Class:ID references it names, for the linking rules.
func applyFields(op string, o *core.Object, fields map[string]string, creating bool) (map[string]core.Ref, error) {
	info := o.Class.Info()
	refs := map[string]core.Ref{}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := fields[k]
		switch {
		case k == "owner" || k == "group":
			if !creating {
				return nil, core.Errorf(op, core.Invalid, "the %s of an object changes with chown/chgrp, not with update", k)
			}
			continue // handled by Create
		case info.Kind == core.KindLink && (k == "parent" || k == "child"):
			if !creating {
				return nil, core.Errorf(op, core.Invalid, "a link's ends cannot change; delete it and make a new one")
			}
			r, err := core.ParseRef(v)
			if err != nil {
				return nil, core.E(op, err)
			}
			refs[k] = r
			continue
		}
		if rf, ok := refFields[o.Class][k]; ok {
			r, err := core.ParseRef(v)
			if err != nil {
				return nil, core.E(op, err)
			}
			if r.Class != rf.class {
				return nil, core.Errorf(op, core.Invalid, "%s of a %s must be a %s, not %s", k, o.Class, rf.class, r)
			}
			refs[rf.column] = r
			continue
		}
		if !slices.Contains(info.Fields, k) {
			return nil, core.Errorf(op, core.Invalid, "%s has no field %q (fields: %s)", o.Class, k, strings.Join(fieldNames(o.Class), ", "))
		}
		switch k {
		case "name":
			o.Name = v
		case "description":
			o.Description = v
		case "ns":
			o.Ns = v
		case "textValue":
			o.TextValue = v
		case "longValue":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, core.Errorf(op, core.Invalid, "longValue must be a whole number, not %q", v)
			}
			if o.Ns == core.RatingNamespace && (n < 0 || n > 5) {
				return nil, core.Errorf(op, core.Invalid, "a rating is 0 to 5 stars, not %d", n)
			}
			o.LongValue = n
		case "mapValue":
			kvs, err := parseMapValue(v)
			if err != nil {
				return nil, core.E(op, core.Invalid, err)
			}
			o.SetAttr("mapValue", kvs)
		case "rows", "columns", "row", "column", "series", "size":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return nil, core.Errorf(op, core.Invalid, "%s must be a whole number ≥ 0, not %q", k, v)
			}
			o.SetAttr(k, n)
		case "doubleValue", "positionX", "positionY":
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return nil, core.Errorf(op, core.Invalid, "%s must be a number, not %q", k, v)
			}
			o.SetAttr(k, f)
		case "boolValue":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return nil, core.Errorf(op, core.Invalid, "boolValue must be true or false, not %q", v)
			}
			o.SetAttr(k, b)
		default:
			o.SetAttr(k, v)
		}
	}
	if o.Class == core.LongAnnotation && fields["ns"] == core.RatingNamespace && (o.LongValue < 0 || o.LongValue > 5) {
		return nil, core.Errorf(op, core.Invalid, "a rating is 0 to 5 stars, not %d", o.LongValue)
	}
	return refs, nil
}

func fieldNames(c core.Class) []string {
	info := c.Info()
	out := slices.Clone(info.Fields)
	if info.Kind == core.KindLink {
		out = append(out, "parent", "child")
	}
	return append(out, "owner")
}

// parseMapValue accepts "k1=v1;k2=v2" (newlines work too) or a JSON array of
// [key, value] pairs or {key,value} objects.
func parseMapValue(s string) ([]core.KeyValue, error) {
	s = strings.TrimSpace(s)
	var out []core.KeyValue
	if strings.HasPrefix(s, "[") {
		var pairs [][2]string
		if err := json.Unmarshal([]byte(s), &pairs); err == nil {
			for _, p := range pairs {
				out = append(out, core.KeyValue{Key: p[0], Value: p[1]})
			}
			return out, nil
		}
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			return nil, fmt.Errorf("mapValue is not a JSON list of [key, value] pairs: %v", err)
		}
		return out, nil
	}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' }) {
		k, v, ok := strings.Cut(part, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("mapValue entry %q is not key=value (separate entries with ';')", part)
		}
		out = append(out, core.KeyValue{Key: strings.TrimSpace(k), Value: strings.TrimSpace(v)})
	}
	return out, nil
}
