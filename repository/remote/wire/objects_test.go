package wire

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/core"
)

func sampleViews() []core.ObjectView {
	paris := time.FixedZone("", 3600)
	return []core.ObjectView{
		{Object: core.Object{Ref: core.Ref{Class: core.Image, ID: 3}, Details: core.Details{Owner: 2, Group: 5,
			Created: time.Date(2026, 1, 2, 3, 4, 5, 6_000_000, time.UTC), Updated: time.Date(2026, 1, 2, 4, 0, 0, 0, paris)},
			Name: "a.tif", Description: "ünïcode ✓", Parent: 7, Attrs: map[string]any{"sizeX": 512.0, "tags": []any{"x", 1.5}}},
			Flags: core.Flags{Read: true, CanAnnotate: true, CanChown: true}, OwnerName: "Ada Lovelace", GroupName: "lab", Level: core.ReadAnnotate, ChildCount: 0},
		{Object: core.Object{Ref: core.Ref{Class: core.TagAnnotation, ID: 4}, Details: core.Details{Owner: 2, Group: 5},
			Ns: core.TagSetNamespace, TextValue: "mitosis", LongValue: -42, Child: 9, Ref2: 11},
			Flags: core.Flags{Read: true, CanEdit: true, CanDelete: true, CanLink: true, CanChgrp: true}, OwnerName: "Ada Lovelace", GroupName: "lab", Level: core.ReadWrite, ChildCount: 12},
		{},
	}
}

// viaJSON is what the JSON of the wire makes of vs.
func viaJSON(t *testing.T, vs []core.ObjectView) []core.ObjectView {
	b, err := json.Marshal(FromViews(vs))
	if err != nil {
		t.Fatal(err)
	}
	var out []Object
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return Views(out)
}

// TestCompactObjectsEqualTheJSON: the compact encoding decodes to exactly
// what the JSON decodes to, for nil, empty and varied lists.
func TestCompactObjectsEqualTheJSON(t *testing.T) {
	for _, vs := range [][]core.ObjectView{nil, {}, sampleViews()} {
		b, err := EncodeObjects(vs)
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeObjects(b)
		if err != nil {
			t.Fatal(err)
		}
		want := viaJSON(t, vs)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("compact decodes to\n %#v\nJSON to\n %#v", got, want)
		}
		for _, v := range got {
			if !v.Created.IsZero() && !v.Created.Equal(vs[0].Created) && !v.Created.Equal(vs[1].Created) {
				t.Errorf("a time moved: %v", v.Created)
			}
		}
	}
}

// TestCompactObjectsRefuseGarbage: every cut of a valid answer is an error,
// never a panic or a partial list.
func TestCompactObjectsRefuseGarbage(t *testing.T) {
	b, _ := EncodeObjects(sampleViews())
	for i := range len(b) {
		if vs, err := DecodeObjects(b[:i]); err == nil {
			t.Errorf("the first %d of %d bytes decoded to %d objects", i, len(b), len(vs))
		}
	}
}

func FuzzDecodeObjects(f *testing.F) {
	b, _ := EncodeObjects(sampleViews())
	f.Add(b)
	f.Add([]byte("OCO1\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		DecodeObjects(b) // must not panic or allocate without bound
	})
}

// TestCoreTypesKeepHiddenFields: what core's JSON drops travels in the
// wire's types.
func TestCoreTypesKeepHiddenFields(t *testing.T) {
	rt := func(in, out any) {
		t.Helper()
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatal(err)
		}
	}
	var g Group
	rt(FromGroup(core.Group{ID: 3, Name: "lab", Level: core.ReadWrite}), &g)
	if g.Core().Level != core.ReadWrite {
		t.Errorf("group level %v", g.Core().Level)
	}
	var w WatchRecord
	rt(FromWatchRecord(core.WatchRecord{Station: "s", Path: "p", FilesetMark: 9}), &w)
	if w.Core().FilesetMark != 9 {
		t.Errorf("fileset mark %d", w.Core().FilesetMark)
	}
	var u UserInfo
	rt(FromUserInfo(core.UserInfo{Experimenter: core.Experimenter{Username: "keeper", Privileges: []core.Privilege{}}, Admin: true}), &u)
	if p := u.Core().Privileges; p == nil || len(p) != 0 {
		t.Errorf("an empty privilege list came back as %#v", p)
	}
	r, err := ParseRef(FormatRef(core.Ref{Class: core.Image, ID: 42}))
	if err != nil || r != (core.Ref{Class: core.Image, ID: 42}) {
		t.Errorf("ref round trip: %v %v", r, err)
	}
}
