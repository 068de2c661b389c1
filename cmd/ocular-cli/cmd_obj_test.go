package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// newRef runs `obj new` and returns the CLASS:ID it prints.
func (c *testCLI) newRef(args ...string) string {
	c.t.Helper()
	ref := strings.TrimSpace(c.ok(append([]string{"obj", "new"}, args...)...))
	if !strings.HasPrefix(ref, args[0]+":") || strings.Contains(ref, "\n") {
		c.t.Fatalf("obj new %s printed %q, want %s:ID", strings.Join(args, " "), ref, args[0])
	}
	return ref
}

func TestObjNewUpdateListDelete(t *testing.T) {
	c := newLab(t)
	ada := c.as("ada")
	p := ada.newRef("Project", "name=P1", "description=first project")
	d := ada.newRef("Dataset", "name=D1")
	img := ada.newRef("Image", "name=cells.tif")
	link := ada.newRef("ProjectDatasetLink", "parent="+p, "child="+d)
	ada.newRef("DatasetImageLink", "parent="+d, "child="+img)

	if out := strings.TrimSpace(ada.ok("obj", "update", p, "name=P2", "description=renamed")); out != p {
		t.Errorf("obj update printed %q", out)
	}
	if got := strings.TrimSpace(ada.ok("obj", "get", p, "name")); got != "P2" {
		t.Errorf("name after update = %q", got)
	}
	list := ada.ok("obj", "list", "Project")
	if !strings.HasPrefix(list, "ID") || !strings.Contains(list, p) || !strings.Contains(list, "P2") ||
		!strings.Contains(list, "Ada Lovelace") || !strings.Contains(list, "lab") {
		t.Errorf("obj list Project:\n%s", list)
	}
	if out := ada.ok("obj", "list", "Project", "--owner", "bob"); strings.Contains(out, p) {
		t.Errorf("--owner bob shows ada's project:\n%s", out)
	}
	var vs []struct {
		Class, Name string
		ID          int64
		Permissions struct{ CanEdit bool }
	}
	if err := json.Unmarshal([]byte(c.ok("obj", "list", "project", "--group", "lab", "--json")), &vs); err != nil || len(vs) != 1 || vs[0].Name != "P2" || vs[0].Class != "Project" || !vs[0].Permissions.CanEdit {
		t.Errorf("obj list --group lab --json as root: %+v %v", vs, err)
	}
	if out := c.ok("obj", "list", "Project", "--group", "solo", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("empty list --json = %q, want []", out)
	}
	// Single deletes are all or nothing: the project is still linked, so
	// the dataset named first is not deleted either.
	c2 := ada.newRef("Dataset", "name=spare")
	ada.unchanged(func() {
		ada.failsWith(ExitError, "still linked", "obj", "delete", c2, p)
	})
	out := ada.ok("obj", "delete", c2, link, p, p, "--json")
	if strings.TrimSpace(out) != `{"deleted":["`+c2+`","`+link+`","`+p+`","`+p+`"]}` {
		t.Errorf("obj delete --json = %s", out)
	}
	ada.failsWith(ExitError, p+" not found", "obj", "get", p)
	if got := ada.ok("obj", "list", "Dataset"); !strings.Contains(got, "D1") || strings.Contains(got, "spare") {
		t.Errorf("datasets after delete:\n%s", got)
	}
}

func TestObjBadInputChangesNothing(t *testing.T) {
	c := newLab(t)
	c.ok("group", "add", "ro", "--type", "read-only")
	c.ok("group", "adduser", "--name", "ro", "ada", "bob")
	c.ok("user", "joingroup", "--name", "solo", "bob")
	ada, bob, dan := c.as("ada"), c.as("bob"), c.as("dan")
	p := ada.newRef("Project", "name=P")
	d := ada.newRef("Dataset", "name=D")
	img := ada.newRef("Image", "name=I")
	ada.newRef("ProjectDatasetLink", "parent="+p, "child="+d)
	roImg := ada.newRef("Image", "name=ro", "-g", "ro")
	bobDs := bob.newRef("Dataset", "name=bobs")
	bobSolo := bob.newRef("Dataset", "name=solo-ds", "-g", "solo")
	bobProj := bob.newRef("Project", "name=bobs")
	tag := bob.newRef("TagAnnotation", "textValue=mine", "-g", "ro")

	c.unchanged(func() {
		// Malformed CLASS:ID and fields.
		ada.failsWith(ExitError, `"Project1" is not a valid object: write Class:ID`, "obj", "get", "Project1")
		ada.failsWith(ExitError, `"Project:abc" is not a valid object`, "obj", "update", "Project:abc", "name=x")
		ada.failsWith(ExitError, `"Project:-1" is not a valid object`, "obj", "delete", "Project:-1")
		ada.failsWith(ExitError, `"Project:1,2" names more than one object`, "obj", "get", "Project:1,2")
		ada.failsWith(ExitError, `unknown class "Projekt"`, "obj", "new", "Projekt", "name=x")
		ada.failsWith(ExitError, `unknown class "Projekt"`, "obj", "list", "Projekt")
		ada.failsWith(ExitError, `"name" is not a field=value pair`, "obj", "new", "Project", "name")
		ada.failsWith(ExitError, `the field "name" is given twice`, "obj", "new", "Project", "name=a", "name=b")
		ada.failsWith(ExitError, `Project has no field "nme"`, "obj", "new", "Project", "nme=x")
		ada.failsWith(ExitUsage, "missing arguments", "obj", "update", p)
		ada.failsWith(ExitError, "a rating is 0 to 5 stars", "obj", "new", "LongAnnotation", "ns=openmicroscopy.org/omero/insight/rating", "longValue=7")
		// Duplicate link: Conflict.
		ada.failsWith(ExitError, d+" is already linked to "+p, "obj", "new", "ProjectDatasetLink", "parent="+p, "child="+d)
		// Cross-group link.
		bob.failsWith(ExitError, "are in different groups", "obj", "new", "ProjectDatasetLink", "parent="+bobProj, "child="+bobSolo)
		// Links and annotations the rules refuse.
		bob.failsWith(ExitError, "you may not link "+img, "obj", "new", "DatasetImageLink", "parent="+bobDs, "child="+img)
		bob.failsWith(ExitError, "you may not annotate "+roImg, "obj", "new", "ImageAnnotationLink", "parent="+roImg, "child="+tag)
		bob.failsWith(ExitError, "a ProjectDatasetLink links a Project to a Dataset", "obj", "new", "ProjectDatasetLink", "parent="+d, "child="+p)
		// Other users' data.
		bob.failsWith(ExitError, "you may not edit "+p, "obj", "update", p, "name=mine")
		bob.failsWith(ExitError, "you may not delete "+img, "obj", "delete", img)
		// Invisible and missing objects look the same.
		dan.failsWith(ExitError, "error: "+p+" not found", "obj", "get", p)
		dan.failsWith(ExitError, "error: Project:99999 not found", "obj", "get", "Project:99999")
		ada.failsWith(ExitError, "Dataset:"+strings.TrimPrefix(p, "Project:")+" not found", "obj", "get", "Dataset:"+strings.TrimPrefix(p, "Project:"))
	})
}

func TestObjNewLinksAndAnnotations(t *testing.T) {
	c := newLab(t)
	ada, bob := c.as("ada"), c.as("bob")
	img := ada.newRef("Image", "name=I")
	// In a read-annotate group another member may annotate: the link is bob's.
	tag := bob.newRef("TagAnnotation", "textValue=mitosis", "description=cells dividing")
	l := bob.newRef("ImageAnnotationLink", "parent="+img, "child="+tag)
	if got := strings.TrimSpace(bob.ok("obj", "get", l, "ownerName")); got != "Bob Crick" {
		t.Errorf("annotation link owner = %q", got)
	}
	com := bob.newRef("CommentAnnotation", "textValue=nice cells")
	bob.newRef("ImageAnnotationLink", "parent="+img, "child="+com)
	rating := ada.newRef("LongAnnotation", "ns=openmicroscopy.org/omero/insight/rating", "longValue=4")
	ada.newRef("ImageAnnotationLink", "parent="+img, "child="+rating)
	m := ada.newRef("MapAnnotation", "mapValue=Strain=HeLa;Stain=DAPI")
	ada.newRef("ImageAnnotationLink", "parent="+img, "child="+m)
	set := ada.newRef("TagAnnotation", "textValue=set", "ns=openmicroscopy.org/omero/insight/tagset")
	ada.newRef("AnnotationAnnotationLink", "parent="+set, "child="+tag)
	ada.failsWith(ExitError, "only a tag set", "obj", "new", "AnnotationAnnotationLink", "parent="+tag, "child="+set)
	if out := ada.ok("obj", "list", "ImageAnnotationLink"); strings.Count(out, "\nImageAnnotationLink:") != 4 {
		t.Errorf("annotation links:\n%s", out)
	}
	if out := ada.ok("obj", "list", "Annotation"); strings.Count(out, "\n") != 6 {
		t.Errorf("obj list Annotation (abstract) should list all 5 annotations:\n%s", out)
	}
}

// TestObjListSeesTheCurrentGroup: like OMERO's queries (testSearchAllGroups),
// obj list shows the session's current group, -g GROUP another one, and
// --all-groups (OMERO's group -1) every group the user can read; an
// administrator too sees only the current group by default.
func TestObjListSeesTheCurrentGroup(t *testing.T) {
	c := newLab(t)
	c.ok("group", "add", "second", "--type", "read-only")
	c.ok("group", "adduser", "--name", "second", "ada")
	ada := c.as("ada")
	inLab := ada.newRef("Project", "name=in lab")
	inSecond := strings.TrimSpace(ada.ok("-g", "second", "obj", "new", "Project", "name=in second"))
	for _, tc := range []struct {
		who        *testCLI
		args       []string
		lab, other bool
	}{
		{ada, nil, true, false},
		{ada, []string{"-g", "second"}, false, true},
		{ada, []string{"--all-groups"}, true, true},
		{c, nil, false, false}, // root works in the system group
		{c, []string{"--all-groups"}, true, true},
	} {
		out := tc.who.ok(append([]string{"obj", "list", "Project"}, tc.args...)...)
		if strings.Contains(out, inLab) != tc.lab || strings.Contains(out, inSecond) != tc.other {
			t.Errorf("obj list Project %v: lab project shown %v (want %v), second's shown %v (want %v):\n%s",
				tc.args, strings.Contains(out, inLab), tc.lab, strings.Contains(out, inSecond), tc.other, out)
		}
	}
	ada.failsWith(ExitUsage, "either -g GROUP or --all-groups", "-g", "second", "obj", "list", "Project", "--all-groups")
	if out := ada.ok("help", "obj", "list"); !strings.Contains(out, "--all-groups") {
		t.Errorf("obj list --help does not document --all-groups:\n%s", out)
	}
}

// TestObjListTextAnnotation: the abstract TextAnnotation (and OMERO's
// TagAnnotationI-style names) are accepted where a class is taken.
func TestObjListTextAnnotation(t *testing.T) {
	c := newLab(t)
	ada := c.as("ada")
	tag := ada.newRef("TagAnnotation", "textValue=mitosis")
	com := ada.newRef("CommentAnnotation", "textValue=nice")
	m := ada.newRef("MapAnnotation", "mapValue=a=b")
	for _, class := range []string{"TextAnnotation", "TextAnnotationI"} {
		out := ada.ok("obj", "list", class)
		if !strings.Contains(out, tag) || !strings.Contains(out, com) || strings.Contains(out, m) {
			t.Errorf("obj list %s should show the tag and the comment, not the map:\n%s", class, out)
		}
	}
	if got := strings.TrimSpace(ada.ok("obj", "get", strings.Replace(tag, "TagAnnotation:", "TagAnnotationI:", 1), "textValue")); got != "mitosis" {
		t.Errorf("obj get TagAnnotationI:ID textValue = %q", got)
	}
	if got := strings.TrimSpace(ada.ok("obj", "get", strings.Replace(com, "CommentAnnotation:", "TextAnnotation:", 1), "textValue")); got != "nice" {
		t.Errorf("obj get TextAnnotation:ID textValue = %q", got)
	}
	img := ada.newRef("Image", "name=pic")
	ada.newRef("ImageAnnotationLink", "parent="+img, "child="+tag)
	ada.mk("ImageAnnotationLinkI", "parent=ImageI:"+strings.TrimPrefix(img, "Image:"), "child="+com)
	// Deleting the image with --include TextAnnotation takes the tag too.
	ada.ok("delete", img, "--include", "TextAnnotation")
	if ada.exists(tag) || ada.exists(com) || !ada.exists(m) {
		t.Errorf("after delete --include TextAnnotation: tag %v, comment %v, map %v", ada.exists(tag), ada.exists(com), ada.exists(m))
	}
}

// TestObjNewLinkByARestrictedAdmin: testLinkNoSudo. A restricted admin with
// WriteOwned who is not a member may not link in a private group (perms
// says canLink = false, and obj new agrees); elsewhere the links are the
// admin's, and giving them to the user needs the Chown privilege.
func TestObjNewLinkByARestrictedAdmin(t *testing.T) {
	c := newLab(t)
	c.ok("group", "add", "admins", "--type", "read-only")
	c.ok("user", "add", "helper", "Hel", "Per", "--group-name", "admins", "-P", "pw", "-a", "--privileges", "WriteOwned")
	helper, dan, ada := c.as("helper"), c.as("dan"), c.as("ada")
	dd, di := dan.newRef("Dataset", "name=dan's"), dan.newRef("Image", "name=dan's image")
	if out := helper.ok("perms", dd, "--json"); !strings.Contains(out, `"canLink":false`) {
		t.Errorf("perms of dan's private dataset for the helper: %s", out)
	}
	helper.unchanged(func() {
		helper.failsWith(ExitError, "private group", "obj", "new", "DatasetImageLink", "parent="+dd, "child="+di)
	})
	ad, ai := ada.newRef("Dataset", "name=ada's"), ada.newRef("Image", "name=ada's image")
	l := helper.newRef("DatasetImageLink", "parent="+ad, "child="+ai)
	if owner := strings.TrimSpace(helper.ok("obj", "get", l, "ownerName")); owner != "Hel Per" {
		t.Errorf("the helper's link belongs to %q", owner)
	}
	helper.unchanged(func() {
		helper.failsWith(ExitError, "Chown privilege", "chown", "ada", l)
	})
	c.ok("user", "privileges", "helper", "--set", "WriteOwned,Chown")
	helper.ok("chown", "ada", l)
	if owner := strings.TrimSpace(helper.ok("obj", "get", l, "ownerName")); owner != "Ada Lovelace" {
		t.Errorf("after chown the link belongs to %q", owner)
	}
}
