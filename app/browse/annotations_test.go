package browse

import (
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

func annView(class core.Class, id, owner core.ID, name string) core.ObjectView {
	return core.ObjectView{Object: core.Object{Ref: core.Ref{Class: class, ID: id}, Details: core.Details{Owner: owner}, TextValue: name}}
}

func on(link core.ObjectView, ann core.ObjectView) core.AnnotationOn {
	return core.AnnotationOn{Link: link, Annotation: ann}
}

func TestSummariseMergesABatchAndAveragesRatings(t *testing.T) {
	me := core.Me{User: core.Experimenter{ID: 1}}
	img1, img2 := annView(core.Image, 10, 2, "a"), annView(core.Image, 11, 2, "b")
	img1.Flags.CanAnnotate, img2.Flags.CanAnnotate = true, true
	tag := annView(core.TagAnnotation, 20, 2, "mitosis")
	myLink := annView(core.ImageAnnotationLink, 30, 1, "")
	myLink.Flags.CanDelete = true
	theirLink := annView(core.ImageAnnotationLink, 31, 2, "")
	theirLink.OwnerName = "Olive Owner"
	r1, r2 := annView(core.LongAnnotation, 40, 1, ""), annView(core.LongAnnotation, 41, 2, "")
	r1.Ns, r1.LongValue, r2.Ns, r2.LongValue = core.RatingNamespace, 2, core.RatingNamespace, 5
	found := [][]core.AnnotationOn{
		{on(myLink, tag), on(myLink, r1)},
		{on(theirLink, tag), on(theirLink, r2)},
	}
	a := Summarise(me, []core.ObjectView{img1, img2}, found, ShowAll)
	if len(a.Tags) != 1 || len(a.Tags[0].Links) != 2 {
		t.Fatalf("the tag on both images is listed %d times with %d links", len(a.Tags), len(a.Tags[0].Links))
	}
	if a.Tags[0].CanRemove || !strings.HasPrefix(a.Tags[0].RemoveWhy, "Added by Olive Owner") {
		t.Errorf("one link is Olive's: remove %v (%q)", a.Tags[0].CanRemove, a.Tags[0].RemoveWhy)
	}
	if r := a.Rating; r.Mine != 2 || r.Count != 2 || r.Others != 1 || r.Average != 3.5 {
		t.Errorf("rating %+v", r)
	}
	if !a.CanAnnotate {
		t.Error("both images may be annotated")
	}
	img2.Flags.CanAnnotate = false
	img2.Level, img2.OwnerName, img2.GroupName = core.ReadOnly, "Olive Owner", "Lab"
	if ok, why := MayAnnotate(me, []core.ObjectView{img1, img2}); ok || !strings.Contains(why, "read-only") {
		t.Errorf("a read-only image in the batch: %v %q", ok, why)
	}
}

func TestCheckKeyValuesRefusesEmptyKeysAndBoundsInput(t *testing.T) {
	if _, err := CheckKeyValues([]core.KeyValue{{Key: "a", Value: "1"}, {Key: "  ", Value: "2"}}); err == nil || !strings.Contains(err.Error(), "row 2 has no key") {
		t.Errorf("empty key: %v", err)
	}
	if _, err := CheckKeyValues(make([]core.KeyValue, MaxKeyValueRows+1)); err == nil {
		t.Error("a table past the row limit was accepted")
	}
	if _, err := CheckKeyValues([]core.KeyValue{{Key: strings.Repeat("k", MaxKeyLength+1)}}); err == nil {
		t.Error("an overlong key was accepted")
	}
	got, err := CheckKeyValues([]core.KeyValue{{Key: " Temp ", Value: " 37 "}})
	if err != nil || got[0] != (core.KeyValue{Key: "Temp", Value: "37"}) {
		t.Errorf("trimmed rows %v %v", got, err)
	}
	if _, err := CheckTagName("   "); err == nil {
		t.Error("a tag of spaces was accepted")
	}
}

func TestTagChoicesPutMineFirstAndLeaveOutSetsAndUnusable(t *testing.T) {
	me := core.Me{User: core.Experimenter{ID: 1}}
	mine, theirs, set, locked := annView(core.TagAnnotation, 1, 1, "zeta"), annView(core.TagAnnotation, 2, 2, "alpha"), annView(core.TagAnnotation, 3, 1, "set"), annView(core.TagAnnotation, 4, 2, "locked")
	mine.Flags.CanAnnotate, theirs.Flags.CanAnnotate, set.Flags.CanAnnotate = true, true, true
	set.Ns = core.TagSetNamespace
	got, unusable := TagChoices(me, []core.ObjectView{theirs, set, locked, mine})
	if len(got) != 2 || got[0].TextValue != "zeta" || got[1].TextValue != "alpha" || unusable != 1 {
		t.Errorf("choices %v, unusable %d", got, unusable)
	}
}

func TestAcquisitionReadsWhatImportStored(t *testing.T) {
	img := core.ObjectView{}
	img.SetAttr("acquisition", map[string]any{"objective": []any{[]any{"Lens NA", "1.4"}}, "detectors": []any{[]any{[]any{"Type", "PMT"}}, []any{[]any{"Type", "CCD"}}}})
	secs := Acquisition(img, []core.ChannelInfo{{Name: "GFP", EmissionWavelength: 509}})
	var titles []string
	for _, s := range secs {
		titles = append(titles, s.Title)
	}
	if got := strings.Join(titles, ","); got != "Objective,Detector 1,Detector 2,Channel 1: GFP" {
		t.Errorf("sections %s", got)
	}
	if len(Acquisition(core.ObjectView{}, nil)) != 0 {
		t.Error("an image without metadata has sections")
	}
}
