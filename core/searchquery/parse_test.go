package searchquery

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []Term
	}{
		{"mitosis", []Term{{Words: []string{"mitosis"}}}},
		{"mito*", []Term{{Words: []string{"mito"}, Prefix: true}}},
		{`"cell cycle"`, []Term{{Words: []string{"cell", "cycle"}, Phrase: true}}},
		{"name:HeLa tag:live", []Term{{Field: Name, Words: []string{"HeLa"}}, {Field: Tag, Words: []string{"live"}}}},
		{`tag:"live imaging"`, []Term{{Field: Tag, Words: []string{"live", "imaging"}, Phrase: true}}},
		{"exposure>100", []Term{{Field: KV, Key: "exposure", Op: ">", Value: "100", Num: 100, Numeric: true}}},
		{"temperature<=37.5", []Term{{Field: KV, Key: "temperature", Op: "<=", Value: "37.5", Num: 37.5, Numeric: true}}},
		{`"cell line"=HeLa`, []Term{{Field: KV, Key: "cell line", Op: "=", Value: "HeLa"}}},
		{"key:exposure", []Term{{Field: KV, Key: "exposure", Op: "has"}}},
		{`"a:b"`, []Term{{Words: []string{"a", "b"}, Phrase: true}}},
		{"Image:42", []Term{{Field: ID, ObjectID: 42, Class: "Image"}}},
		{"id:7", []Term{{Field: ID, ObjectID: 7}}},
		{"GFP-tagged", []Term{{Words: []string{"GFP", "tagged"}, Phrase: true}}},
	} {
		q, err := Parse(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if !reflect.DeepEqual(q.Terms, c.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.in, q.Terms, c.want)
		}
	}
}

// Bad input gets a sentence that says what to do.
func TestParseErrors(t *testing.T) {
	for in, want := range map[string]string{
		`"unbalanced`:             "quote is not closed",
		"colour:red":              `"colour" is not a search field`,
		"exposure>fast":           "compares numbers",
		">100":                    "needs a key",
		"":                        "type a word",
		"   ":                     "type a word",
		"*":                       "cannot stand alone",
		"key:":                    "needs a key",
		"Image:x":                 "names an object by its ID",
		strings.Repeat("a ", 20):  "too many terms",
		strings.Repeat("a", 2000): "too long",
		"\xff":                    "not valid text",
	} {
		_, err := Parse(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"a", `"x y"=3`, "tag:a*", "k>=1", `""`, `a:"b:c"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s)
		if err == nil && len(q.Terms) == 0 {
			t.Fatalf("%q parsed to no terms without an error", s)
		}
		if err == nil && len(q.Terms) > MaxTerms {
			t.Fatalf("%q: %d terms", s, len(q.Terms))
		}
	})
}
