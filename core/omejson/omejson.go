// Package omejson encodes core's objects in the shape omero-marshal gives
// them in OMERO's JSON API (spec/omero-json-api.md §2): "@id", "@type" with
// the OME 2016-06 schema URL, OMERO's field names, "omero:details" with
// owner, group and permissions, Pixels and Channels with units.
//
// It is pure: it reads nothing and imports core only, so the server's JSON
// API and the CLI's `obj get --json` write images the same way. Objects are
// maps so that callers can add keys (url:*, omero:childCount) or reduce the
// details (normalize=true) without a type per variant; absent values are
// left out, as omero-marshal leaves out nulls.
package omejson

import (
	"math"
	"strconv"
	"time"

	"github.com/ocular-lab/ocular/core"
)

// Schema is the OME schema OMERO 5 marshals to.
const Schema = "http://www.openmicroscopy.org/Schemas/OME/2016-06"

// M is one JSON object.
type M = map[string]any

// Type is the "@type" of an OME model class ("Project" -> ".../2016-06#Project").
func Type(class string) string { return Schema + "#" + class }

// Encoder encodes objects for one response.
type Encoder struct {
	// Base is the absolute URL of the API root ("https://host/api/v0/");
	// empty leaves the url:* links out (the CLI has no server).
	Base string
	// Users and Groups describe the owners and groups named by the objects'
	// details; an owner or group not in them is written with its @id and
	// the names the ObjectView carries.
	Users  map[core.ID]core.Experimenter
	Groups map[core.ID]core.Group
}

// Plural is the JSON API's collection name of a class ("Project" ->
// "projects"), or "" for classes the API has no collection for.
func Plural(c core.Class) string {
	switch c {
	case core.Project, core.Dataset, core.Image, core.Screen, core.Plate, core.Well:
		return lower(string(c)) + "s"
	case core.PlateAcquisition:
		return "plateacquisitions"
	case core.ClassExperimenter:
		return "experimenters"
	case core.ClassExperimenterGroup:
		return "experimentergroups"
	}
	return ""
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// URL is the absolute URL of path below the API root, or "" without a Base.
func (e *Encoder) URL(path string) string {
	if e.Base == "" {
		return ""
	}
	return e.Base + path
}

// ObjectURL is the URL of one object: ".../m/projects/12/".
func (e *Encoder) ObjectURL(c core.Class, id core.ID) string {
	return e.URL("m/" + Plural(c) + "/" + strconv.FormatInt(int64(id), 10) + "/")
}

// setURL adds key -> url when the encoder has a Base.
func (e *Encoder) setURL(m M, key, path string) {
	if u := e.URL(path); u != "" {
		m[key] = u
	}
}

// Object encodes a Project, Dataset, Screen, Plate, PlateAcquisition, Well
// or Image (the image without Pixels: see Image) with its details and its
// own url:* links.
func (e *Encoder) Object(v core.ObjectView) M {
	m := M{"@id": int64(v.ID), "@type": Type(string(v.Class))}
	if v.Class != core.Well {
		setStr(m, "Name", v.Name)
		setStr(m, "Description", v.Description)
	}
	o := &v.Object
	id := strconv.FormatInt(int64(v.ID), 10)
	switch v.Class {
	case core.Project:
		e.setURL(m, "url:project", "m/projects/"+id+"/")
		e.setURL(m, "url:datasets", "m/projects/"+id+"/datasets/")
	case core.Dataset:
		e.setURL(m, "url:dataset", "m/datasets/"+id+"/")
		e.setURL(m, "url:images", "m/datasets/"+id+"/images/")
		e.setURL(m, "url:projects", "m/datasets/"+id+"/projects/")
	case core.Screen:
		e.setURL(m, "url:screen", "m/screens/"+id+"/")
		e.setURL(m, "url:plates", "m/screens/"+id+"/plates/")
	case core.Plate:
		setInt(m, "Rows", o, "rows")
		setInt(m, "Columns", o, "columns")
		setStr(m, "RowNamingConvention", o.Attr("rowNamingConvention"))
		setStr(m, "ColumnNamingConvention", o.Attr("columnNamingConvention"))
		e.setURL(m, "url:plate", "m/plates/"+id+"/")
		e.setURL(m, "url:wells", "m/plates/"+id+"/wells/")
		e.setURL(m, "url:plateacquisitions", "m/plates/"+id+"/plateacquisitions/")
		e.setURL(m, "url:screens", "m/plates/"+id+"/screens/")
	case core.PlateAcquisition:
		setTime(m, "StartTime", o.Attr("startTime"))
		setTime(m, "EndTime", o.Attr("endTime"))
		e.setURL(m, "url:plateacquisition", "m/plateacquisitions/"+id+"/")
		e.setURL(m, "url:wells", "m/plateacquisitions/"+id+"/wells/")
	case core.Well:
		m["Row"] = o.AttrInt("row")
		m["Column"] = o.AttrInt("column")
		e.setURL(m, "url:well", "m/wells/"+id+"/")
		e.setURL(m, "url:plates", "m/wells/"+id+"/plates/")
	case core.Image:
		setTime(m, "AcquisitionDate", o.Attr("acquisitionDate"))
		if _, ok := o.Attrs["series"]; ok {
			m["omero:series"] = o.AttrInt("series")
		}
		e.setURL(m, "url:image", "m/images/"+id+"/")
		e.setURL(m, "url:datasets", "m/images/"+id+"/datasets/")
	}
	m["omero:details"] = e.Details(v)
	return m
}

// Image encodes an image with its Pixels; channels are written inside the
// Pixels when given (OMERO loads them for a single image only).
func (e *Encoder) Image(v core.ObjectView, p core.PixelsInfo, chs []core.ChannelInfo) M {
	m := e.Object(v)
	m["Pixels"] = Pixels(p, chs)
	return m
}

// setStr adds a non-empty string.
func setStr(m M, key, s string) {
	if s != "" {
		m[key] = s
	}
}

// setInt adds a numeric attribute when the object has it.
func setInt(m M, key string, o *core.Object, attr string) {
	if _, ok := o.Attrs[attr]; ok {
		m[key] = o.AttrInt(attr)
	}
}

// setTime adds a stored RFC 3339 time as OMERO's milliseconds since the
// epoch; an unreadable time is left out rather than guessed.
func setTime(m M, key, s string) {
	if s == "" {
		return
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return
	}
	m[key] = t.UnixMilli()
}

// finite drops NaN and infinities, which JSON cannot carry.
func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
