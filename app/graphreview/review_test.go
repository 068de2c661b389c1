package graphreview_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/app/graphreview"
	"github.com/ocular-lab/ocular/core"
)

func TestSectionsWordTheReviewAsOMEROWebDoes(t *testing.T) {
	p := core.GraphPlan{Op: core.OpChgrp,
		Processed: []core.Ref{{Class: core.Dataset, ID: 3}, {Class: core.Image, ID: 7}, {Class: core.Image, ID: 8}},
		Review: core.GraphReview{
			Counts:              map[core.Class]int{core.Dataset: 1, core.Image: 2, core.DatasetImageLink: 2},
			NotIncluded:         []core.Named{{Ref: core.Ref{Class: core.Image, ID: 9}, Name: "shared.tif"}},
			NotIncludedTags:     []string{"Mitosis"},
			NotIncludedComments: 2,
			RemovedFrom:         []core.Named{{Ref: core.Ref{Class: core.Project, ID: 1}, Name: "P"}},
			Kept:                []core.KeptAnnotation{{Annotation: core.Named{Name: "Mitosis"}, Class: core.TagAnnotation, Action: "reuse", Into: core.Ref{Class: core.TagAnnotation, ID: 44}}},
		}}
	secs := graphreview.Sections(p, map[core.Ref]string{{Class: core.Dataset, ID: 3}: "Cells"})
	var got []string
	for _, s := range secs {
		got = append(got, "# "+s.Title)
		for _, l := range s.Lines {
			got = append(got, l.Text+" | "+strings.Join(l.Names, ";"))
		}
	}
	want := []string{"# Move", "1 dataset | Cells (Dataset:3)", "2 images | Image:7;Image:8",
		"# Not included", "1 child stays behind | image “shared.tif”", "Tags: Mitosis | ", "Comments: 2 | ",
		"# Will be removed from", "project “P” | ",
		"# Kept in the destination", "Reused: tag “Mitosis” (already there as TagAnnotation:44) | "}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sections:\n%q\nwant\n%q", got, want)
	}
}

func TestNamesAreBounded(t *testing.T) {
	var refs []core.Ref
	for i := 1; i <= 120; i++ {
		refs = append(refs, core.Ref{Class: core.Image, ID: core.ID(i)})
	}
	p := core.GraphPlan{Op: core.OpDuplicate, Processed: refs, Review: core.GraphReview{Counts: map[core.Class]int{core.Image: 120}}}
	names := graphreview.Sections(p, nil)[0].Lines[0].Names
	if len(names) != graphreview.MaxNames+1 || names[len(names)-1] != "and 70 more" {
		t.Errorf("%d names, last %q", len(names), names[len(names)-1])
	}
}

func TestWhoMayMoveGiveAndDuplicate(t *testing.T) {
	lab := core.GroupInfo{Group: core.Group{ID: 1, Name: "Lab", Level: core.ReadAnnotate},
		Members: []core.MemberInfo{{Experimenter: core.Experimenter{ID: 10, Username: "olive", FirstName: "Olive", LastName: "Owner"}},
			{Experimenter: core.Experimenter{ID: 11, Username: "mike", FirstName: "Mike", LastName: "Member"}},
			{Experimenter: core.Experimenter{ID: 12, Username: "pia", FirstName: "Pia", LastName: "PI"}, Owner: true}}}
	other := core.GroupInfo{Group: core.Group{ID: 2, Name: "B", Level: core.ReadWrite}}
	pia := core.Me{User: core.Experimenter{ID: 12}, Groups: []core.GroupInfo{lab, other}, OwnedGroups: []core.ID{1}}
	olives := core.ObjectView{Object: core.Object{Ref: core.Ref{Class: core.Dataset, ID: 3}, Name: "Cells", Details: core.Details{Owner: 10, Group: 1}},
		OwnerName: "Olive Owner", Flags: core.Flags{CanChown: true}}
	if why := graphreview.MoveWhy(pia, []core.ObjectView{olives}); !strings.Contains(why, "as the group's owner you may change its owner instead") {
		t.Errorf("a PI on others' data: %q", why)
	}
	if why := graphreview.ChownWhy(pia, []core.ObjectView{olives}); why != "" {
		t.Errorf("a PI may give: %q", why)
	}
	rs := graphreview.Recipients(pia, 1, 10, nil)
	if len(rs) != 2 || rs[0].Label != "Mike Member (mike)" || rs[1].Label != "Pia PI (pia)" {
		t.Errorf("recipients: %+v", rs)
	}
	if f := graphreview.FilterRecipients(rs, " MIK "); len(f) != 1 || f[0].User.ID != 11 {
		t.Errorf("search: %+v", f)
	}
	olives.Flags.CanChgrp = true
	if why := graphreview.MoveWhy(pia, []core.ObjectView{olives}); why != "" {
		t.Errorf("with the move flag: %q", why)
	}
	if d := graphreview.MoveDestinations(pia, 1); len(d) != 1 || d[0].Label != "B (read-write)" {
		t.Errorf("destinations: %+v", d)
	}
	folder := core.ObjectView{Object: core.Object{Ref: core.Ref{Class: core.OrphanedImages}}}
	if why := graphreview.DuplicateWhy(pia, []core.ObjectView{folder}); !strings.Contains(why, "the Orphaned Images folder cannot") {
		t.Errorf("the folder: %q", why)
	}
	if why := graphreview.MoveWhy(pia, nil); why != "Select a project, dataset, image, screen or plate to move." {
		t.Errorf("nothing selected: %q", why)
	}
}

func TestPresetsAndTheAdvancedTable(t *testing.T) {
	for _, p := range graphreview.Presets {
		if got := graphreview.PresetOf(graphreview.TableOf(p.Opts).Options()); got != p.Name {
			t.Errorf("%q round-trips as %q", p.Name, got)
		}
	}
	link := graphreview.Presets[2].Opts
	if !reflect.DeepEqual(link.Reference, []core.Class{core.Annotation}) || !reflect.DeepEqual(link.Duplicate, []core.Class{core.CommentAnnotation, core.LongAnnotation}) {
		t.Errorf("the guide's example: %+v", link)
	}
	tb := graphreview.TableOf(link)
	tb[core.Roi] = graphreview.Ignore
	if got := graphreview.PresetOf(tb.Options()); got != "Custom" {
		t.Errorf("a changed table reads as %q", got)
	}
}
