package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSearch(t *testing.T) {
	c := newLab(t)
	ada, bob := c.as("ada"), c.as("bob")
	d := ada.newRef("Dataset", "name=Day 1")
	img := ada.newRef("Image", "name=HeLa mitosis 01")
	ada.newRef("DatasetImageLink", "parent="+d, "child="+img)
	other := ada.newRef("Image", "name=HeLa interphase")
	kv := ada.newRef("MapAnnotation", "mapValue=exposure=150;temperature=37")
	ada.newRef("ImageAnnotationLink", "parent="+img, "child="+kv)
	tag := bob.newRef("TagAnnotation", "textValue=live imaging")
	bob.newRef("ImageAnnotationLink", "parent="+other, "child="+tag)

	if out := bob.ok("search", "mitosis"); out != img+" HeLa mitosis 01 [Ada Lovelace] in Dataset Day 1\n" {
		t.Errorf("search mitosis:\n%s", out)
	}
	if out := bob.ok("search", "exposure>100"); !strings.Contains(out, img+" ") || strings.Contains(out, other+" ") {
		t.Errorf("search exposure>100:\n%s", out)
	}
	if out := ada.ok("search", "tag:live"); !strings.HasPrefix(out, other+" HeLa interphase") {
		t.Errorf("search tag:live:\n%s", out)
	}
	if out := ada.ok("search", "hela", "--type", "Dataset"); out != "Nothing found.\n" {
		t.Errorf("search hela --type Dataset:\n%s", out)
	}
	if out := ada.ok("search", "hela", "--owner", "bob"); out != "Nothing found.\n" {
		t.Errorf("search hela --owner bob:\n%s", out)
	}
	var res struct {
		Hits []struct {
			Class, Name, Where string
		}
		More bool
	}
	if err := json.Unmarshal([]byte(ada.ok("search", "hela", "--json", "--limit", "1")), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || !res.More || res.Hits[0].Class != "Image" {
		t.Errorf("search hela --json --limit 1: %+v", res)
	}
	if out := ada.ok("search", "hela", "--limit", "1"); !strings.Contains(out, "add --offset 1") {
		t.Errorf("a page that is not the last says how to get the next:\n%s", out)
	}
	ada.failsWith(ExitUsage, "YYYY-MM-DD", "search", "hela", "--from", "yesterday")
	ada.failsWith(ExitUsage, "use Project, Dataset", "search", "hela", "--type", "Roi")
	ada.failsWith(1, "quote is not closed", "search", `"hela`)
	ada.failsWith(1, "not a search field", "search", "colour:red")
}
