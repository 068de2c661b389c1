package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// TestSearch_HostileTextIsSavedAndFound: text the index cannot hold whole
// (a description of 300,000 characters, a word of 3,000, a key-value pair
// longer than an index entry, numbers no double holds, a map annotation
// whose pairs are not a list) never makes its object unsavable, and what
// the index holds is found.
func TestSearch_HostileTextIsSavedAndFound(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	var long strings.Builder
	for i := 0; long.Len() < 300_000; i++ {
		fmt.Fprintf(&long, "word%d ", i)
	}
	var image core.ID
	err := svc.Store().Write(ctx, func(tx core.Tx) error {
		mk := func(o core.Object) (core.ID, error) {
			err := tx.CreateObject(&o)
			return o.ID, err
		}
		var err error
		image, err = mk(core.Object{Ref: core.Ref{Class: core.Image}, Name: "sample " + strings.Repeat("x", 3000), Description: long.String()})
		if err != nil {
			return err
		}
		kv := core.Object{Ref: core.Ref{Class: core.MapAnnotation}}
		kv.SetAttr("mapValue", []core.KeyValue{{Key: strings.Repeat("k", 3000), Value: strings.Repeat("v", 5000)},
			{Key: strings.Repeat("l", 600), Value: strings.Repeat("w", 350)},
			// Read from migration 7's indexes (kvCond), or not: a long value.
			{Key: strings.Repeat("m", 390), Value: "63x " + strings.Repeat("n", 300)}, {Key: "short", Value: strings.Repeat("v", 1200)},
			{Key: "mid", Value: strings.Repeat("v", 600)},
			{Key: "huge", Value: "1e999999999"}, {Key: "tiny", Value: "1e-999999999"}, {Key: "digits", Value: strings.Repeat("9", 5000)},
			{Key: "sign", Value: "-"}, {Key: "quote", Value: `it's a "test" \ & | ! <-> :*`}})
		weird := core.Object{Ref: core.Ref{Class: core.MapAnnotation}}
		weird.SetAttr("mapValue", "not a list")
		for _, ann := range []core.Object{kv, weird} {
			id, err := mk(ann)
			if err != nil {
				return err
			}
			if _, err := mk(core.Object{Ref: core.Ref{Class: core.ImageAnnotationLink}, Parent: image, Child: id}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("saving hostile text: %v", err)
	}
	root, err := svc.Login(ctx, "root", "root-password", "")
	if err != nil {
		t.Fatal(err)
	}
	for query, want := range map[string]int{
		"sample": 1, "word0": 1, "word9000": 1, "desc:word12345": 1,
		"huge>1e300": 1, "tiny<1e-300": 1, "tiny>=0": 1, "digits>1e300": 1, "sign=0": 1,
		"key:" + strings.Repeat("l", 300):                                    0, // the key is 600 l's: its first 300 are not the key
		"key:" + strings.Repeat("L", 600):                                    1,
		strings.Repeat("l", 600) + "=" + strings.Repeat("W", 350):            1,
		strings.Repeat("l", 600) + "=" + strings.Repeat("W", 349):            0,
		strings.Repeat("M", 390) + ">=63":                                    1,
		strings.Repeat("M", 390) + `="63X ` + strings.Repeat("N", 300) + `"`: 1,
		"key:short":                              1,
		"mid=" + strings.Repeat("V", 600):        1,
		"short=" + strings.Repeat("V", 390):      0,
		`quote="it's a ""test"" \ & | ! <-> :*"`: 0, // the quotes inside end the phrase: not the value
		"it's":                                   1, `"a test"`: 1, `\ & | !`: -1, "test:*": -1,
		"word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12 word13 word14 word15 word16 word17": -1,
		strings.Repeat("é", 300): 0, // longer than any indexed word
	} {
		res, err := root.Search(ctx, core.SearchRequest{Query: query, Group: core.AnyID, Owner: core.AnyID})
		switch {
		case want < 0:
			if !core.Is(core.Invalid, err) {
				t.Errorf("search %.40q: %v, want a sentence saying what is wrong", query, err)
			}
		case err != nil:
			t.Errorf("search %.40q: %v", query, err)
		case len(res.Hits) != want:
			t.Errorf("search %.40q finds %d, want %d", query, len(res.Hits), want)
		}
	}
}
