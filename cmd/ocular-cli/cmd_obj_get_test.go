package main

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// getFields runs `obj get` and returns its key=value lines as a map, checking
// every line has that form.
func (c *testCLI) getFields(ref string) map[string]string {
	c.t.Helper()
	out := c.ok("obj", "get", ref)
	m := map[string]string{}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			c.t.Fatalf("obj get %s: line %q is not key=value", ref, line)
		}
		m[k] = v
	}
	return m
}

func TestObjGetFields(t *testing.T) {
	c := newLab(t)
	ada := c.as("ada")
	p := ada.newRef("Project", "name=P1", "description=about mitosis")
	f := ada.getFields(p)
	for k, want := range map[string]string{"id": strings.TrimPrefix(p, "Project:"), "name": "P1", "description": "about mitosis",
		"ownerName": "Ada Lovelace", "groupName": "lab", "permissions": "edit annotate delete link chgrp chown"} {
		if f[k] != want {
			t.Errorf("obj get %s: %s=%q, want %q", p, k, f[k], want)
		}
	}
	for _, k := range []string{"owner", "group", "created", "updated"} {
		if f[k] == "" {
			t.Errorf("obj get %s: no %s", p, k)
		}
	}
	if got := strings.TrimSpace(ada.ok("obj", "get", p, "description")); got != "about mitosis" {
		t.Errorf("one field = %q", got)
	}
	var one struct{ Object, Field, Value string }
	if err := json.Unmarshal([]byte(ada.ok("obj", "get", p, "NAME", "--json")), &one); err != nil || one != (struct{ Object, Field, Value string }{p, "name", "P1"}) {
		t.Errorf("obj get FIELD --json: %+v %v", one, err)
	}
	var full struct {
		Class     string
		ID        int64
		Name      string
		OwnerName string
	}
	if err := json.Unmarshal([]byte(ada.ok("obj", "get", p, "--json")), &full); err != nil || full.Class != "Project" || full.Name != "P1" || full.OwnerName != "Ada Lovelace" {
		t.Errorf("obj get --json: %+v %v", full, err)
	}
	ada.failsWith(ExitError, `Project has no field "colour" (fields: id, name, description,`, "obj", "get", p, "colour")
}

func TestObjGetScreensAndAnnotations(t *testing.T) {
	c := newLab(t)
	ada := c.as("ada")
	plate := ada.newRef("Plate", "name=PL", "rows=8", "columns=12", "rowNamingConvention=letter")
	well := ada.newRef("Well", "plate="+plate, "row=1", "column=2")
	img := ada.newRef("Image", "name=field1")
	run := ada.newRef("PlateAcquisition", "plate="+plate, "name=run1")
	ws := ada.newRef("WellSample", "well="+well, "image="+img, "plateAcquisition="+run, "positionX=1.5")
	if f := ada.getFields(plate); f["rows"] != "8" || f["columns"] != "12" || f["rowNamingConvention"] != "letter" {
		t.Errorf("plate fields: %v", f)
	}
	if f := ada.getFields(well); f["plate"] != plate || f["row"] != "1" || f["column"] != "2" {
		t.Errorf("well fields: %v", f)
	}
	if f := ada.getFields(ws); f["well"] != well || f["image"] != img || f["plateAcquisition"] != run || f["positionX"] != "1.5" {
		t.Errorf("well sample fields: %v", f)
	}
	m := ada.newRef("MapAnnotation", "mapValue=Strain=HeLa;Stain=DAPI", "ns=example.org/kv")
	if f := ada.getFields(m); f["mapValue"] != "Strain=HeLa;Stain=DAPI" || f["ns"] != "example.org/kv" {
		t.Errorf("map annotation fields: %v", f)
	}
	// A link's ends are shown with their concrete classes, even the
	// abstract "Annotation" end.
	l := ada.newRef("ImageAnnotationLink", "parent="+img, "child="+m)
	if f := ada.getFields(l); f["parent"] != img || f["child"] != m {
		t.Errorf("link fields: %v", f)
	}
	r := ada.newRef("LongAnnotation", "longValue=3", "ns=openmicroscopy.org/omero/insight/rating")
	if got := strings.TrimSpace(ada.ok("obj", "get", r, "longValue")); got != "3" {
		t.Errorf("rating = %q", got)
	}
}

// TestObjGetImageJSONHasPixels: `obj get Image:ID --json` carries the
// image's Pixels and Channels in the JSON API's shape, next to the fields
// it always had.
func TestObjGetImageJSONHasPixels(t *testing.T) {
	c := newLab(t)
	ada := c.as("ada")
	src := t.TempDir()
	writeTestOME(t, filepath.Join(src, "a.ome.tiff"))
	var sum struct {
		Results []struct {
			Images []struct{ ID int }
		}
	}
	if err := json.Unmarshal([]byte(ada.ok("import", "--json", filepath.Join(src, "a.ome.tiff"))), &sum); err != nil || len(sum.Results) != 1 || len(sum.Results[0].Images) != 1 {
		t.Fatalf("import: %+v %v", sum, err)
	}
	img := "Image:" + strconv.Itoa(sum.Results[0].Images[0].ID)
	var got struct {
		Class, Name, OwnerName string
		Pixels                 struct {
			Type                              string `json:"@type"`
			SizeX, SizeY, SizeZ, SizeC, SizeT int
			DimensionOrder                    string
			PixelsType                        struct {
				Type  string `json:"@type"`
				Value string `json:"value"`
			} `json:"Type"`
			Channels []struct{ Name string }
		}
	}
	out := ada.ok("obj", "get", img, "--json")
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("obj get --json = %s: %v", out, err)
	}
	p := got.Pixels
	if got.Class != "Image" || got.Name == "" || got.OwnerName != "Ada Lovelace" {
		t.Errorf("the fields obj get always had are gone: %s", out)
	}
	if p.Type != "http://www.openmicroscopy.org/Schemas/OME/2016-06#Pixels" || p.SizeX != 40 || p.SizeY != 30 || p.SizeZ != 2 || p.SizeC != 2 || p.SizeT != 1 ||
		p.PixelsType.Value != "uint16" || p.PixelsType.Type != "TBD#PixelsType" || p.DimensionOrder == "" {
		t.Errorf("Pixels = %+v\n%s", p, out)
	}
	if len(p.Channels) != 2 || p.Channels[0].Name != "DAPI" || p.Channels[1].Name != "GFP" {
		t.Errorf("Channels = %+v", p.Channels)
	}
	// Text output and other classes are unchanged.
	if strings.Contains(ada.ok("obj", "get", img), "Pixels") {
		t.Errorf("text output changed")
	}
	ds := strings.TrimSpace(ada.ok("obj", "new", "Dataset", "name=d"))
	if strings.Contains(ada.ok("obj", "get", ds, "--json"), "Pixels") {
		t.Errorf("a dataset has no Pixels")
	}
}
