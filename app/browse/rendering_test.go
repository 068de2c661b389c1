package browse

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// enabled lists the actions a selection offers, in menu order.
func enabled(s RenderingSelection) []RenderingAction {
	var out []RenderingAction
	for _, it := range RenderingMenu(s) {
		if it.Enabled {
			out = append(out, it.Action)
		} else if it.Why == "" {
			panic("a disabled item without a reason: " + string(it.Action))
		}
	}
	return out
}

func target(class core.Class, owner core.ID, level core.Level, canEdit bool) core.ObjectView {
	v := core.ObjectView{Level: level, OwnerName: "Olive Owner", Flags: core.Flags{CanEdit: canEdit}}
	v.Ref = core.Ref{Class: class, ID: 7}
	v.Owner = owner
	v.Name = "Cells"
	return v
}

func TestRenderingMenuOffersWhatTheSelectionAndRightsAllow(t *testing.T) {
	const me, olive = 2, 3
	who := core.Me{User: core.Experimenter{ID: me}}
	copied := core.Ref{Class: core.Image, ID: 1}
	all := []RenderingAction{PasteSettings, SetMinMax, SetFullRange, SetImported, SetOwners}
	cases := []struct {
		name   string
		target core.ObjectView
		copied core.Ref
		guest  bool
		want   []RenderingAction
	}{
		{"own image", target(core.Image, me, core.ReadAnnotate, true), copied, false,
			[]RenderingAction{CopySettings, PasteSettings, SetMinMax, SetFullRange, SetImported, RenameChannels}},
		{"another's image, read-annotate", target(core.Image, olive, core.ReadAnnotate, false), copied, false,
			[]RenderingAction{CopySettings, PasteSettings, SetMinMax, SetFullRange, SetImported, SetOwners}},
		{"nothing copied", target(core.Image, olive, core.ReadAnnotate, false), core.Ref{}, false,
			[]RenderingAction{CopySettings, SetMinMax, SetFullRange, SetImported, SetOwners}},
		{"another's dataset, read-only", target(core.Dataset, olive, core.ReadOnly, false), copied, false, all},
		{"another's dataset, read-write (may edit)", target(core.Dataset, olive, core.ReadWrite, true), copied, false,
			append(append([]RenderingAction(nil), all...), RenameChannels)},
		{"own dataset, read-write: may hold others' images", target(core.Dataset, me, core.ReadWrite, true), copied, false,
			append(append([]RenderingAction(nil), all...), RenameChannels)},
		{"own dataset, read-annotate: only own images in it", target(core.Dataset, me, core.ReadAnnotate, true), copied, false,
			[]RenderingAction{PasteSettings, SetMinMax, SetFullRange, SetImported, RenameChannels}},
		{"own dataset, private", target(core.Dataset, me, core.Private, true), copied, false,
			[]RenderingAction{PasteSettings, SetMinMax, SetFullRange, SetImported, RenameChannels}},
		{"another's plate, private (a PI)", target(core.Plate, olive, core.Private, true), copied, false, []RenderingAction{RenameChannels}},
		{"a run", target(core.PlateAcquisition, olive, core.ReadAnnotate, false), copied, false, all},
		{"a project", target(core.Project, me, core.ReadAnnotate, true), copied, false, nil},
		{"a well", target(core.Well, me, core.ReadAnnotate, true), copied, false, nil},
		{"nothing selected", core.ObjectView{}, copied, false, nil},
		{"the guest", target(core.Dataset, olive, core.ReadOnly, false), copied, true, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := who
			m.IsGuest = c.guest
			got := enabled(RenderingSelection{Target: c.target, Me: m, Copied: c.copied})
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("enabled %q, want %q", got, c.want)
			}
		})
	}
	busy := enabled(RenderingSelection{Target: target(core.Dataset, me, core.ReadWrite, true), Me: who, Copied: copied, Busy: true})
	if len(busy) != 0 {
		t.Errorf("while busy the menu offers %q", busy)
	}
}

func TestRenderingMenuSaysWhyAnItemIsDisabled(t *testing.T) {
	who := core.Me{User: core.Experimenter{ID: 2}}
	items := RenderingMenu(RenderingSelection{Target: target(core.Dataset, 3, core.ReadOnly, false), Me: who})
	why := RenderingWhy(items)
	if why != "You may not rename the channels of dataset “Cells”: it belongs to Olive Owner and the group is read-only." {
		t.Errorf("why = %q", why)
	}
	items = RenderingMenu(RenderingSelection{Target: target(core.Image, 3, core.Private, false), Me: who})
	if why := RenderingWhy(items); !strings.Contains(why, "Image “Cells” belongs to Olive Owner in a private group") {
		t.Errorf("private why = %q", why)
	}
	for _, it := range RenderingMenu(RenderingSelection{Target: target(core.Image, 3, core.ReadOnly, false), Me: who}) {
		if it.Action == PasteSettings && !strings.HasPrefix(it.Why, "Copy the settings of an image first") {
			t.Errorf("paste with an empty clipboard says %q", it.Why)
		}
	}
	if why := RenderingWhy(RenderingMenu(RenderingSelection{Target: target(core.Image, 3, core.ReadWrite, true), Me: who, Copied: core.Ref{Class: core.Image, ID: 1}})); why != "" {
		t.Errorf("everything enabled, yet why = %q", why)
	}
}

func TestSummarizeRenderingWordsTheOutcome(t *testing.T) {
	ds := target(core.Dataset, 3, core.ReadAnnotate, false)
	img := func(id core.ID) core.Ref { return core.Ref{Class: core.Image, ID: id} }
	req := RenderingRequest{Action: PasteSettings, Target: ds, From: img(1), FromName: "a.tif"}
	out := RenderingOutcome{Result: core.RenderingResult{Changed: []core.Ref{img(1), img(2)}, Skipped: []core.SkippedImage{
		{Image: img(3), Reason: "channel count differs (2, target 3)"},
		{Image: img(4), Reason: "pixel type differs (uint16, target uint8)"},
		{Image: img(5), Reason: "Image:5 has no pixels, so it has no rendering settings"},
	}}, Names: map[core.Ref]string{img(3): "three.tif", img(4): "four.tif"}}
	s := SummarizeRendering(req, out)
	if !s.Dialog || s.Title != "Paste Settings" || s.Headline != "Changed 2 images; skipped 3:" {
		t.Errorf("summary = %+v", s)
	}
	want := []string{
		"three.tif: it has 3 channels; the copied image has 2",
		"four.tif: its pixel type is uint8; the copied image's is uint16",
		"Image:5: this image has no pixels, so it has no rendering settings",
	}
	if !reflect.DeepEqual(s.Lines, want) {
		t.Errorf("lines = %q", s.Lines)
	}
	if s.Status != "Paste Settings on dataset “Cells”: changed 2 images, skipped 3." {
		t.Errorf("status = %q", s.Status)
	}

	out = RenderingOutcome{Result: core.RenderingResult{Changed: []core.Ref{img(1)}}}
	for action, exp := range map[RenderingAction]string{
		SetMinMax:      "Set the channel windows to min/max on 1 image of dataset “Cells”.",
		SetImported:    "Restored the imported settings on 1 image of dataset “Cells”.",
		RenameChannels: "Renamed the channels of 1 image of dataset “Cells”.",
		PasteSettings:  "Pasted the settings of “a.tif” onto 1 image of dataset “Cells”.",
	} {
		req.Action = action
		if s := SummarizeRendering(req, out); s.Dialog || s.Status != exp {
			t.Errorf("%s: %+v, want the status %q and no dialog", action, s, exp)
		}
	}
	req.Target = target(core.Image, 3, core.ReadAnnotate, false)
	req.Action = SetFullRange
	if s := SummarizeRendering(req, out); s.Status != "Set the channel windows to the full range on image “Cells”." {
		t.Errorf("single image: %q", s.Status)
	}
	if s := SummarizeRendering(req, RenderingOutcome{}); s.Status != "Image “Cells” holds no images: nothing changed." {
		t.Errorf("empty: %q", s.Status)
	}
}

func TestSkipReasonsReadAsSentencesAboutTheImage(t *testing.T) {
	im := core.Ref{Class: core.Image, ID: 9}
	for in, want := range map[string]string{
		"emission wavelength 457 nm of the source is not among the target's channels":                                   "none of its channels has the copied image's emission wavelength of 457 nm",
		"3 names given but Image:9 has 2 channels":                                                                      "it has 2 channels, but 3 names were given",
		"you own this image: its owner's settings are yours":                                                            "you own this image: its owner's settings are yours",
		"Image:9 belongs to Olive in the private group \"Lab\", where only the image's owner keeps rendering settings.": "this image belongs to Olive in the private group \"Lab\", where only the image's owner keeps rendering settings",
		"": "skipped without a reason given",
	} {
		if got := SkipReason(core.SkippedImage{Image: im, Reason: in}); got != want {
			t.Errorf("SkipReason(%q) = %q, want %q", in, got, want)
		}
	}
	many := RenderingOutcome{Result: core.RenderingResult{}}
	for i := 0; i < maxNamed+3; i++ {
		many.Result.Skipped = append(many.Result.Skipped, core.SkippedImage{Image: im, Reason: "x"})
	}
	s := SummarizeRendering(RenderingRequest{Action: SetOwners, Target: target(core.Dataset, 3, core.ReadWrite, false)}, many)
	if len(s.Lines) != maxNamed+1 || s.Lines[maxNamed] != "… and 3 more." || s.Headline != "Changed 0 images; skipped 53:" {
		t.Errorf("a long list: %d lines, last %q, headline %q", len(s.Lines), s.Lines[len(s.Lines)-1], s.Headline)
	}
}
