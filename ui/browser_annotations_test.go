package ui_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/ui"
)

// The Annotations tab of the details panel, driven as a user would: a
// selected image, a button tapped, text typed; then what the tab and the
// repository say.

// annotateImage logs user in, selects Olive's image of level's group and
// opens the Annotations tab.
func annotateImage(t *testing.T, f *fixture, user string, level core.Level) *ui.UI {
	t.Helper()
	u := browseAs(t, f, user, level, browse.AllMembers.Label)
	p, d, img := f.oliveProject[level], f.oliveDataset[level], f.oliveImage[level]
	u.Browser.SelectPath(p.String() + "/" + d.String() + "/" + img.String())
	if !u.Browser.DetailsTab("Annotations") {
		t.Fatalf("no Annotations tab: %q", u.Browser.DetailsTabs())
	}
	return u
}

func panelShows(u *ui.UI) []string { return shown(u.Browser.Details()) }

// buttonBeside finds the button labelled label in the smallest part of the
// panel that also shows text: the button of that row.
func buttonBeside(t *testing.T, root fyne.CanvasObject, text, label string) *widget.Button {
	t.Helper()
	var best *widget.Button
	var walk func(o fyne.CanvasObject) (hasText bool, btn *widget.Button)
	walk = func(o fyne.CanvasObject) (bool, *widget.Button) {
		if o == nil || !o.Visible() {
			return false, nil
		}
		switch w := o.(type) {
		case *widget.Label:
			return w.Text == text, nil
		case *widget.Button:
			if w.Text == label {
				return false, w
			}
			return false, nil
		}
		var kids []fyne.CanvasObject
		switch w := o.(type) {
		case *fyne.Container:
			kids = w.Objects
		case fyne.Widget:
			kids = test.WidgetRenderer(w).Objects()
		}
		has, var1 := false, (*widget.Button)(nil)
		for _, k := range kids {
			h, b := walk(k)
			has = has || h
			if b != nil && var1 == nil {
				var1 = b
			}
		}
		if has && var1 != nil && best == nil {
			best = var1 // the deepest container holding both is met first
		}
		return has, var1
	}
	walk(root)
	if best == nil {
		t.Fatalf("no %q button beside %q; the panel shows %q", label, text, shown(root))
	}
	return best
}

// annotationsOn reads the annotations of img from the repository as user.
func annotationsOn(t *testing.T, f *fixture, user string, img core.Ref) []core.AnnotationOn {
	t.Helper()
	ons, err := f.login(t, user).Annotations(context.Background(), img)
	must(t, err)
	return ons
}

func count(ons []core.AnnotationOn, class core.Class) int {
	n := 0
	for _, on := range ons {
		if on.Annotation.Class == class {
			n++
		}
	}
	return n
}

// oliveTag makes a tag of Olive's in level's group.
func oliveTag(t *testing.T, f *fixture, level core.Level, text string) core.Ref {
	t.Helper()
	s := f.login(t, "olive")
	must(t, s.SetGroup(context.Background(), f.groups[level].ID))
	return create(t, s, core.TagAnnotation, "textValue", text)
}

// overlay is the dialog on top of the window.
func overlay(t *testing.T, u *ui.UI) fyne.CanvasObject {
	t.Helper()
	top := u.Window.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog is open")
	}
	return top
}

func TestMemberTagsOwnersImageInReadAnnotateButNotInReadOnly(t *testing.T) {
	f := newFixture(t)
	oliveTag(t, f, core.ReadAnnotate, "mitosis")
	oliveTag(t, f, core.ReadOnly, "mitosis")

	u := annotateImage(t, f, "mike", core.ReadAnnotate)
	test.Tap(findButton(t, u.Browser.Details(), "Add tags…"))
	test.Tap(findButton(t, overlay(t, u), "mitosis (Olive Owner)"))
	if got := u.Browser.AnnotationsMessage(); got != "Added the tag “mitosis”." {
		t.Errorf("message %q", got)
	}
	texts := panelShows(u)
	if !contains(texts, "mitosis") || !contains(texts, "Added by you") {
		t.Errorf("the tab does not show the tag added: %q", texts)
	}
	if n := count(annotationsOn(t, f, "olive", f.oliveImage[core.ReadAnnotate]), core.TagAnnotation); n != 1 {
		t.Errorf("Olive's image has %d tags in the repository, want 1", n)
	}

	ro := annotateImage(t, f, "mike", core.ReadOnly)
	add := findButton(t, ro.Browser.Details(), "Add tags…")
	if !add.Disabled() {
		t.Error("Add tags… is enabled for a member on the owner's image in a read-only group")
	}
	want := "“olive-2.tif” belongs to Olive Owner and “Lab read-only” is read-only: only its owner, the group's owner and administrators may annotate it."
	if !contains(panelShows(ro), want) {
		t.Errorf("the reason is not shown: %q", panelShows(ro))
	}
	for _, b := range []string{"Add comment", "New table", "Attach file…"} {
		if !findButton(t, ro.Browser.Details(), b).Disabled() {
			t.Errorf("%s is enabled in a read-only group", b)
		}
	}
	if !ro.Browser.RatingStar(3).Disabled() {
		t.Error("the stars are enabled in a read-only group")
	}
}

func TestCreateTagFromTheChooserAndSearch(t *testing.T) {
	f := newFixture(t)
	oliveTag(t, f, core.ReadWrite, "mitosis")
	oliveTag(t, f, core.ReadWrite, "interphase")
	u := annotateImage(t, f, "olive", core.ReadWrite)
	test.Tap(findButton(t, u.Browser.Details(), "Add tags…"))
	var search *widget.Entry
	walkObjects(overlay(t, u), func(o fyne.CanvasObject) bool {
		if e, ok := o.(*widget.Entry); ok && search == nil {
			search = e
			return false
		}
		return true
	})
	if search == nil {
		t.Fatal("the chooser has no search box")
	}
	test.Type(search, "mito")
	texts := texts(overlay(t, u))
	if contains(texts, "interphase") {
		t.Errorf("searching “mito” still lists interphase: %q", texts)
	}
	search.SetText("  ")
	if b := findButton(t, overlay(t, u), "Create tag"); !b.Disabled() {
		t.Error("Create tag is enabled with only spaces typed")
	}
	search.SetText("anaphase")
	test.Tap(findButton(t, overlay(t, u), "Create tag “anaphase”"))
	if got := u.Browser.AnnotationsMessage(); got != "Created and added the tag “anaphase”." {
		t.Errorf("message %q", got)
	}
	ons := annotationsOn(t, f, "olive", f.oliveImage[core.ReadWrite])
	if len(ons) != 1 || ons[0].Annotation.TextValue != "anaphase" {
		t.Errorf("the image holds %+v", ons)
	}
}

func TestRemovingATagFollowsWhoAddedIt(t *testing.T) {
	f := newFixture(t)
	for _, level := range []core.Level{core.ReadAnnotate, core.ReadWrite} {
		tag := oliveTag(t, f, level, "mitosis")
		mike := f.login(t, "mike")
		must(t, mike.SetGroup(context.Background(), f.groups[level].ID))
		create(t, mike, core.ImageAnnotationLink, "parent", f.oliveImage[level].String(), "child", tag.String())
	}
	// Olive owns the image but Mike added the tag: in read-annotate only
	// he (or the PI) may take it off; in read-write she may too.
	for _, c := range []struct {
		user  string
		level core.Level
		can   bool
	}{{"olive", core.ReadAnnotate, false}, {"pia", core.ReadAnnotate, true}, {"olive", core.ReadWrite, true}, {"mike", core.ReadAnnotate, true}} {
		t.Run(c.user+"/"+c.level.String(), func(t *testing.T) {
			u := annotateImage(t, f, c.user, c.level)
			if !contains(panelShows(u), "Added by Mike Member") && c.user != "mike" {
				t.Fatalf("the tag does not say who added it: %q", panelShows(u))
			}
			remove := buttonBeside(t, u.Browser.Details(), "mitosis", "Remove")
			if remove.Disabled() == c.can {
				t.Fatalf("Remove enabled = %v, want %v", !remove.Disabled(), c.can)
			}
			if !c.can {
				if want := "Added by Mike Member: in a read-annotate group you may remove only what you added."; !contains(panelShows(u), want) {
					t.Errorf("no reason shown: %q", panelShows(u))
				}
				return
			}
			test.Tap(remove)
			ons := annotationsOn(t, f, "olive", f.oliveImage[c.level])
			if count(ons, core.TagAnnotation) != 0 {
				t.Errorf("the tag is still on the image")
			}
			tags, err := f.login(t, "olive").List(context.Background(), core.TagAnnotation, core.AnyID, f.groups[c.level].ID)
			must(t, err)
			if len(tags) != 1 {
				t.Errorf("removing the link deleted the tag itself (%d tags left)", len(tags))
			}
			// Put it back for the next case.
			mike := f.login(t, "mike")
			must(t, mike.SetGroup(context.Background(), f.groups[c.level].ID))
			create(t, mike, core.ImageAnnotationLink, "parent", f.oliveImage[c.level].String(), "child", tags[0].Ref.String())
		})
	}
}

func TestOliveDeletesHerOwnCommentButNotMikes(t *testing.T) {
	f := newFixture(t)
	level := core.ReadAnnotate
	mike := f.login(t, "mike")
	must(t, mike.SetGroup(context.Background(), f.groups[level].ID))
	c := create(t, mike, core.CommentAnnotation, "textValue", "Nice mitosis", "group", f.groups[level].Name)
	create(t, mike, core.ImageAnnotationLink, "parent", f.oliveImage[level].String(), "child", c.String())

	u := annotateImage(t, f, "olive", level)
	var box *widget.Entry
	walkObjects(u.Browser.Details(), func(o fyne.CanvasObject) bool {
		if e, ok := o.(*widget.Entry); ok && e.MultiLine {
			box = e
			return false
		}
		return true
	})
	if box == nil {
		t.Fatal("no comment box")
	}
	// An empty comment is refused with a message and stores nothing.
	test.Tap(findButton(t, u.Browser.Details(), "Add comment"))
	if got := u.Browser.AnnotationsMessage(); got != "the comment is empty; type some text first" {
		t.Errorf("empty comment: %q", got)
	}
	test.Type(box, "Best cell at Z 4")
	test.Tap(findButton(t, u.Browser.Details(), "Add comment"))
	if box.Text != "" {
		t.Errorf("the box keeps %q after the comment was added", box.Text)
	}
	texts := panelShows(u)
	if !contains(texts, "Best cell at Z 4") || !contains(texts, "Nice mitosis") {
		t.Fatalf("comments shown: %q", texts)
	}
	if b := buttonBeside(t, u.Browser.Details(), "Nice mitosis", "Delete"); !b.Disabled() {
		t.Error("Olive may delete Mike's comment in a read-annotate group")
	}
	test.Tap(buttonBeside(t, u.Browser.Details(), "Best cell at Z 4", "Delete"))
	ons := annotationsOn(t, f, "olive", f.oliveImage[level])
	if count(ons, core.CommentAnnotation) != 1 || ons[0].Annotation.TextValue != "Nice mitosis" {
		t.Errorf("after deleting her comment the image holds %+v", ons)
	}
	if contains(panelShows(u), "Best cell at Z 4") {
		t.Error("the deleted comment is still shown")
	}
}

func TestRatingStarsAndOthersRatings(t *testing.T) {
	f := newFixture(t)
	level := core.ReadAnnotate
	mike := f.login(t, "mike")
	must(t, mike.SetGroup(context.Background(), f.groups[level].ID))
	r := create(t, mike, core.LongAnnotation, "ns", core.RatingNamespace, "longValue", "4")
	create(t, mike, core.ImageAnnotationLink, "parent", f.oliveImage[level].String(), "child", r.String())

	u := annotateImage(t, f, "olive", level)
	if !contains(panelShows(u), "Not rated by you") {
		t.Errorf("before rating: %q", panelShows(u))
	}
	test.Tap(u.Browser.RatingStar(3))
	texts := panelShows(u)
	if !contains(texts, "Your rating: 3 of 5") || !contains(texts, "1 rating by another user; average of all 2: 3.5 stars") {
		t.Errorf("after rating 3: %q", texts)
	}
	test.Tap(u.Browser.RatingStar(5)) // changes the rating, does not add another
	ons := annotationsOn(t, f, "olive", f.oliveImage[level])
	var mine []int64
	for _, on := range ons {
		if on.Link.OwnerName == "Olive Owner" && on.Annotation.Ns == core.RatingNamespace {
			mine = append(mine, on.Annotation.LongValue)
		}
	}
	if len(mine) != 1 || mine[0] != 5 {
		t.Errorf("Olive's ratings in the repository: %v, want [5]", mine)
	}
	test.Tap(u.Browser.RatingStar(5)) // the same star again takes the rating back
	if count(annotationsOn(t, f, "olive", f.oliveImage[level]), core.LongAnnotation) != 1 {
		t.Error("taking the rating back did not remove it (or removed Mike's)")
	}
}

// entries are the key and value boxes of the key-value tables, in order.
func kvEntries(u *ui.UI) []*widget.Entry {
	var out []*widget.Entry
	walkObjects(u.Browser.Details(), func(o fyne.CanvasObject) bool {
		if e, ok := o.(*widget.Entry); ok && !e.MultiLine {
			out = append(out, e)
		}
		return true
	})
	return out
}

func TestKeyValueTableRefusesAnEmptyKeyThenSavesAndPastesIntoAnotherImage(t *testing.T) {
	f := newFixture(t)
	level := core.ReadWrite
	u := annotateImage(t, f, "olive", level)
	test.Tap(findButton(t, u.Browser.Details(), "New table"))
	es := kvEntries(u)
	if len(es) != 2 {
		t.Fatalf("a new table shows %d boxes, want a key and a value", len(es))
	}
	test.Type(es[1], "37 °C")
	test.Tap(findButton(t, u.Browser.Details(), "Save"))
	if got := u.Browser.AnnotationsMessage(); got != "row 1 has no key; type a key or remove the row" {
		t.Errorf("empty key: %q", got)
	}
	if n := count(annotationsOn(t, f, "olive", f.oliveImage[level]), core.MapAnnotation); n != 0 {
		t.Fatalf("a table with an empty key was stored (%d)", n)
	}
	test.Type(es[0], "Temperature")
	test.Tap(findButton(t, u.Browser.Details(), "Add row"))
	es = kvEntries(u)
	test.Type(es[2], "Medium")
	test.Type(es[3], "DMEM")
	// Move the new row up: reorder.
	var ups []*widget.Button
	walkObjects(u.Browser.Details(), func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && b.Icon != nil && b.Icon.Name() == theme.MoveUpIcon().Name() {
			ups = append(ups, b)
		}
		return true
	})
	if len(ups) != 2 {
		t.Fatalf("%d move-up buttons", len(ups))
	}
	test.Tap(ups[1])
	test.Tap(findButton(t, u.Browser.Details(), "Save"))
	if got := u.Browser.AnnotationsMessage(); got != "Saved 2 key-value pairs." {
		t.Errorf("save: %q", got)
	}
	ons := annotationsOn(t, f, "olive", f.oliveImage[level])
	if count(ons, core.MapAnnotation) != 1 {
		t.Fatalf("the image holds %+v", ons)
	}
	got := browse.KeyValuesOf(ons[0].Annotation)
	want := []core.KeyValue{{Key: "Medium", Value: "DMEM"}, {Key: "Temperature", Value: "37 °C"}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("stored rows %v, want %v", got, want)
	}
	if !contains(panelShows(u), "Added by you · namespace "+core.ClientMapNamespace) {
		t.Errorf("namespace not shown: %q", panelShows(u))
	}

	// Copy the rows, select the other image of the dataset, paste, save.
	test.Tap(findButton(t, u.Browser.Details(), "Copy rows"))
	p, d := f.oliveProject[level], f.oliveDataset[level]
	other := otherImage(t, f, level)
	u.Browser.SelectPath(p.String() + "/" + d.String() + "/" + other.String())
	test.Tap(findButton(t, u.Browser.Details(), "New table"))
	test.Tap(findButton(t, u.Browser.Details(), "Paste rows"))
	es = kvEntries(u)
	// The new table's own empty row comes first: remove it.
	var removes []*widget.Button
	walkObjects(u.Browser.Details(), func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && b.Text == "" && b.Icon != nil && b.Icon.Name() == theme.ContentRemoveIcon().Name() {
			removes = append(removes, b)
		}
		return true
	})
	if len(es) != 6 || len(removes) != 3 {
		t.Fatalf("after pasting: %d boxes and %d row removers", len(es), len(removes))
	}
	test.Tap(removes[0])
	test.Tap(findButton(t, u.Browser.Details(), "Save"))
	ons = annotationsOn(t, f, "olive", other)
	if count(ons, core.MapAnnotation) != 1 || len(browse.KeyValuesOf(ons[0].Annotation)) != 2 {
		t.Errorf("the other image holds %+v", ons)
	}
}

// otherImage is the image of Olive's dataset that annotateImage does not select.
func otherImage(t *testing.T, f *fixture, level core.Level) core.Ref {
	t.Helper()
	imgs, err := f.login(t, "olive").Browse(context.Background(), core.BrowseRequest{Group: f.groups[level].ID, Owner: core.AnyID, Parent: f.oliveDataset[level]})
	must(t, err)
	for _, v := range imgs {
		if v.Ref != f.oliveImage[level] {
			return v.Ref
		}
	}
	t.Fatal("no other image")
	return core.Ref{}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("input/output error") }
func (failingReader) Close() error             { return nil }

func TestAttachmentsUploadRemoveAndDelete(t *testing.T) {
	f := newFixture(t)
	level := core.ReadAnnotate
	u := annotateImage(t, f, "mike", level)
	u.Browser.Attach("broken.csv", failingReader{})
	if got := u.Browser.AnnotationsMessage(); !strings.HasPrefix(got, "cannot read broken.csv") {
		t.Errorf("an unreadable file says %q", got)
	}
	files, err := f.login(t, "mike").List(context.Background(), core.OriginalFile, core.AnyID, core.AnyID)
	must(t, err)
	if len(files) != 0 || count(annotationsOn(t, f, "mike", f.oliveImage[level]), core.FileAnnotation) != 0 {
		t.Fatalf("a file that could not be read left %d files behind", len(files))
	}

	u.Browser.Attach("counts.csv", io.NopCloser(strings.NewReader("a,b\n1,2\n")))
	texts := panelShows(u)
	if !contains(texts, "counts.csv") || !contains(texts, "Added by you · 8 bytes") {
		t.Fatalf("the attachment is not shown with its size: %q", texts)
	}
	ons := annotationsOn(t, f, "olive", f.oliveImage[level])
	if count(ons, core.FileAnnotation) != 1 || ons[0].File == nil {
		t.Fatalf("the image holds %+v", ons)
	}
	r, err := f.login(t, "olive").OpenFile(context.Background(), ons[0].File.Ref)
	must(t, err)
	b, _ := io.ReadAll(r)
	r.Close()
	if string(b) != "a,b\n1,2\n" {
		t.Errorf("download gives %q", b)
	}

	// Olive sees it but may neither unlink nor delete Mike's file in a
	// read-annotate group.
	ou := annotateImage(t, f, "olive", level)
	if !buttonBeside(t, ou.Browser.Details(), "counts.csv", "Remove").Disabled() || !buttonBeside(t, ou.Browser.Details(), "counts.csv", "Delete").Disabled() {
		t.Error("Olive may remove or delete Mike's attachment in a read-annotate group")
	}
	// Mike removes the link (the file is kept), attaches it again, deletes it.
	test.Tap(buttonBeside(t, u.Browser.Details(), "counts.csv", "Remove"))
	fas, err := f.login(t, "mike").List(context.Background(), core.FileAnnotation, core.AnyID, core.AnyID)
	must(t, err)
	if len(fas) != 1 || count(annotationsOn(t, f, "mike", f.oliveImage[level]), core.FileAnnotation) != 0 {
		t.Fatalf("Remove: %d file annotations, link still there?", len(fas))
	}
	u.Browser.Attach("second.csv", io.NopCloser(strings.NewReader("x")))
	test.Tap(buttonBeside(t, u.Browser.Details(), "second.csv", "Delete"))
	test.Tap(findButton(t, overlay(t, u), "Yes"))
	if got := u.Browser.AnnotationsMessage(); got != "Deleted “second.csv”." {
		t.Errorf("delete: %q", got)
	}
	fas, err = f.login(t, "mike").List(context.Background(), core.FileAnnotation, core.AnyID, core.AnyID)
	must(t, err)
	if len(fas) != 1 {
		t.Errorf("Delete left %d file annotations, want only the unlinked one", len(fas))
	}
}

func TestAnObjectDeletedBySomeoneElseGivesAMessageAndNothingChanges(t *testing.T) {
	f := newFixture(t)
	level := core.ReadWrite
	u := annotateImage(t, f, "mike", level)
	img := f.oliveImage[level]
	olive := f.login(t, "olive")
	_, err := olive.RunGraph(context.Background(), core.GraphRequest{Op: core.OpDelete, Targets: []core.Target{{Class: core.Image, IDs: []core.ID{img.ID}}}})
	must(t, err)
	var box *widget.Entry
	walkObjects(u.Browser.Details(), func(o fyne.CanvasObject) bool {
		if e, ok := o.(*widget.Entry); ok && e.MultiLine {
			box = e
			return false
		}
		return true
	})
	test.Type(box, "Still there?")
	test.Tap(findButton(t, u.Browser.Details(), "Add comment"))
	want := img.String() + " no longer exists (someone else may have deleted or moved it); refresh the tree"
	if got := u.Browser.AnnotationsMessage(); got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	comments, err := f.login(t, "mike").List(context.Background(), core.CommentAnnotation, core.AnyID, core.AnyID)
	must(t, err)
	if len(comments) != 0 {
		t.Errorf("a comment was left behind: %+v", comments)
	}
}

func TestFilterShowsAnnotationsAddedByMeOrOthers(t *testing.T) {
	f := newFixture(t)
	level := core.ReadAnnotate
	oliveTag(t, f, level, "olive-tag")
	olive := f.login(t, "olive")
	must(t, olive.SetGroup(context.Background(), f.groups[level].ID))
	tags, err := olive.List(context.Background(), core.TagAnnotation, core.AnyID, f.groups[level].ID)
	must(t, err)
	create(t, olive, core.ImageAnnotationLink, "parent", f.oliveImage[level].String(), "child", tags[0].Ref.String())
	u := annotateImage(t, f, "mike", level)
	test.Tap(findButton(t, u.Browser.Details(), "Add tags…"))
	search := firstEntry(t, overlay(t, u))
	search.SetText("mike-tag")
	test.Tap(findButton(t, overlay(t, u), "Create tag “mike-tag”"))
	var filter *widget.Select
	walkObjects(u.Browser.Details(), func(o fyne.CanvasObject) bool {
		if s, ok := o.(*widget.Select); ok {
			filter = s
			return false
		}
		return true
	})
	for choice, want := range map[string][2]bool{"Show all": {true, true}, "Added by me": {false, true}, "Added by others": {true, false}} {
		filter.SetSelected(choice)
		texts := panelShows(u)
		if contains(texts, "olive-tag") != want[0] || contains(texts, "mike-tag") != want[1] {
			t.Errorf("%s shows %q", choice, texts)
		}
	}
}

func firstEntry(t *testing.T, o fyne.CanvasObject) *widget.Entry {
	t.Helper()
	var e *widget.Entry
	walkObjects(o, func(c fyne.CanvasObject) bool {
		if x, ok := c.(*widget.Entry); ok {
			e = x
			return false
		}
		return true
	})
	if e == nil {
		t.Fatal("no text box")
	}
	return e
}

func TestATagInATagSetSaysSo(t *testing.T) {
	f := newFixture(t)
	level := core.ReadWrite
	olive := f.login(t, "olive")
	must(t, olive.SetGroup(context.Background(), f.groups[level].ID))
	set := create(t, olive, core.TagAnnotation, "textValue", "Cell cycle", "ns", core.TagSetNamespace)
	tag := create(t, olive, core.TagAnnotation, "textValue", "metaphase")
	create(t, olive, core.AnnotationAnnotationLink, "parent", set.String(), "child", tag.String())
	create(t, olive, core.ImageAnnotationLink, "parent", f.oliveImage[level].String(), "child", tag.String())
	u := annotateImage(t, f, "olive", level)
	if !contains(panelShows(u), "Added by you · in tag set Cell cycle") {
		t.Errorf("the tag does not name its set: %q", panelShows(u))
	}
	// The chooser offers tags, not tag sets.
	test.Tap(findButton(t, u.Browser.Details(), "Add tags…"))
	if got := texts(overlay(t, u)); contains(got, "Cell cycle") || !contains(got, "metaphase") {
		t.Errorf("the chooser lists %q", got)
	}
}

// Spec §1.4's "Annotate" row on Olive's image, per role and group level:
// where it is allowed the comment is stored; where not, the button is
// disabled with the reason, so no click can fail.
func TestWhoMayAnnotateTheOwnersImageFollowsTheSpec(t *testing.T) {
	f := newFixture(t)
	const y, n = true, false
	want := map[string]map[core.Level]bool{
		"olive": {core.Private: y, core.ReadOnly: y, core.ReadAnnotate: y, core.ReadWrite: y},
		"mike":  {core.ReadOnly: n, core.ReadAnnotate: y, core.ReadWrite: y},
		"pia":   {core.Private: n, core.ReadOnly: y, core.ReadAnnotate: y, core.ReadWrite: y},
		"ada":   {core.Private: n, core.ReadOnly: y, core.ReadAnnotate: y, core.ReadWrite: y},
	}
	for _, role := range roles {
		for _, level := range levels {
			can, ok := want[role][level]
			if !ok {
				continue // Mike cannot see Olive's image in a private group
			}
			t.Run(role+"/"+level.String(), func(t *testing.T) {
				u := annotateImage(t, f, role, level)
				add := findButton(t, u.Browser.Details(), "Add comment")
				if add.Disabled() == can {
					t.Fatalf("Add comment enabled = %v, want %v", !add.Disabled(), can)
				}
				if !can {
					why := ""
					for _, s := range panelShows(u) {
						if strings.HasSuffix(s, "may annotate it.") {
							why = s
						}
					}
					if why == "" {
						t.Errorf("no reason shown beside the disabled actions: %q", panelShows(u))
					}
					return
				}
				box := multiLineEntry(t, u)
				test.Type(box, "seen by "+role)
				test.Tap(add)
				if got := u.Browser.AnnotationsMessage(); got != "Added the comment." {
					t.Fatalf("adding a comment: %q", got)
				}
				if !contains(panelShows(u), "seen by "+role) {
					t.Errorf("the comment is not shown: %q", panelShows(u))
				}
			})
		}
	}
}

func multiLineEntry(t *testing.T, u *ui.UI) *widget.Entry {
	t.Helper()
	var box *widget.Entry
	walkObjects(u.Browser.Details(), func(o fyne.CanvasObject) bool {
		if e, ok := o.(*widget.Entry); ok && e.MultiLine {
			box = e
			return false
		}
		return true
	})
	if box == nil {
		t.Fatal("no comment box")
	}
	return box
}

// Batch annotate: the same tag and rating on two selected images at once.
func TestBatchAnnotateTagsAndRatesEverySelectedImage(t *testing.T) {
	f := newFixture(t)
	level := core.ReadAnnotate
	oliveTag(t, f, level, "mitosis")
	u := annotateImage(t, f, "mike", level)
	imgs := []core.Ref{f.oliveImage[level], otherImage(t, f, level)}
	u.Browser.ShowAnnotations(imgs)
	if !contains(panelShows(u), "Annotations of 2 selected objects: what you add goes on all of them.") {
		t.Fatalf("the tab does not say it acts on both: %q", panelShows(u))
	}
	test.Tap(findButton(t, u.Browser.Details(), "Add tags…"))
	test.Tap(findButton(t, overlay(t, u), "mitosis (Olive Owner)"))
	test.Tap(u.Browser.RatingStar(2))
	for _, img := range imgs {
		ons := annotationsOn(t, f, "olive", img)
		if count(ons, core.TagAnnotation) != 1 || count(ons, core.LongAnnotation) != 1 {
			t.Errorf("%s holds %+v", img, ons)
		}
	}
	if !contains(panelShows(u), "Added by you · on 2 of 2") {
		t.Errorf("the shared tag does not say it is on both: %q", panelShows(u))
	}
}
