// Package searchquery parses the search language users type in the search
// field and after `ocular-cli search`:
//
//	mitosis                 any text: names, descriptions, tags, comments,
//	                        key-value pairs, attachment and original file
//	                        names, channel names
//	mito*                   a prefix
//	"cell cycle"            a phrase
//	name:hela  desc:fixed   one field: name, desc, tag, comment, file, channel
//	tag:"live imaging"
//	exposure=100            a key-value pair (OMERO's map annotations); the
//	"cell line"=HeLa        key and value compare without case
//	exposure>100            numeric comparisons: > >= < <= =
//	temperature<=37
//	key:exposure            has the key, any value
//	Image:42  id:42         an object by its ID (as OMERO's Class:ID)
//
// Every term must match (AND). The parser allocates in proportion to the
// query, which is bounded (MaxLength, MaxTerms).
package searchquery

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on a query: long enough for anything typed, short enough that a
// pasted file cannot make a search expensive.
const (
	MaxLength = 1000
	MaxTerms  = 16
)

// Fields a term may be restricted to.
const (
	Any     = ""
	Name    = "name"
	Desc    = "desc"
	Tag     = "tag"
	Comment = "comment"
	File    = "file"
	Channel = "channel"
	// KV marks a key-value term.
	KV = "kv"
	// ID marks a term naming an object by ID (Class:ID or id:ID).
	ID = "id"
)

// idClasses are the classes a Class:ID term may name, by lower-case name.
var idClasses = map[string]string{"project": "Project", "dataset": "Dataset", "image": "Image", "screen": "Screen", "plate": "Plate"}

var fieldNames = map[string]string{"name": Name, "desc": Desc, "description": Desc, "tag": Tag, "comment": Comment,
	"file": File, "channel": Channel, "key": KV}

// Term is one condition.
type Term struct {
	Field string
	// Words are the words of a text term (a phrase when Phrase); the last
	// is a prefix when Prefix.
	Words  []string
	Phrase bool
	Prefix bool
	// Key-value terms: Key, and Op one of "has", "=", "<", "<=", ">", ">=";
	// Value is the text after the operator and Num its number when
	// Numeric.
	Key     string
	Op      string
	Value   string
	Num     float64
	Numeric bool
	// ID terms: the object's ID, and its class when the term named one.
	ObjectID int64
	Class    string
}

// Query is a parsed query: all its terms must match.
type Query struct{ Terms []Term }

// Error is a query that cannot be understood; Error() is a sentence that
// says how to fix it.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

func errorf(format string, args ...any) error { return &Error{fmt.Sprintf(format, args...)} }

// Parse parses s.
func Parse(s string) (Query, error) {
	if len(s) > MaxLength {
		return Query{}, errorf("the search is too long (%d characters; at most %d)", len(s), MaxLength)
	}
	if !utf8.ValidString(s) {
		return Query{}, errorf("the search is not valid text")
	}
	toks, err := tokens(s)
	if err != nil {
		return Query{}, err
	}
	var q Query
	for _, tk := range toks {
		t, err := term(tk)
		if err != nil {
			return Query{}, err
		}
		if t == nil {
			continue
		}
		q.Terms = append(q.Terms, *t)
		if len(q.Terms) > MaxTerms {
			return Query{}, errorf("the search has too many terms (at most %d)", MaxTerms)
		}
	}
	if len(q.Terms) == 0 {
		return Query{}, errorf("type a word to search for (a name, a tag, key=value...)")
	}
	return q, nil
}

// token is a piece of the query between spaces; quoted parts keep their
// spaces and are marked so `"a:b"` is text, not a field.
type token struct {
	parts []part
}

type part struct {
	text   string
	quoted bool
}

func (t token) String() string {
	var b strings.Builder
	for _, p := range t.parts {
		b.WriteString(p.text)
	}
	return b.String()
}

func tokens(s string) ([]token, error) {
	var out []token
	var cur token
	var buf strings.Builder
	flush := func(quoted bool) {
		if buf.Len() > 0 || quoted {
			cur.parts = append(cur.parts, part{buf.String(), quoted})
			buf.Reset()
		}
	}
	inQuote := false
	for _, r := range s {
		switch {
		case r == '"':
			flush(inQuote)
			inQuote = !inQuote
		case inQuote:
			buf.WriteRune(r)
		case unicode.IsSpace(r):
			flush(false)
			if len(cur.parts) > 0 {
				out = append(out, cur)
				cur = token{}
			}
		default:
			buf.WriteRune(r)
		}
	}
	if inQuote {
		return nil, errorf(`a quote is not closed: add the closing " or remove the opening one`)
	}
	flush(false)
	if len(cur.parts) > 0 {
		out = append(out, cur)
	}
	return out, nil
}

// term reads one token: field:text, key OP value, or text.
func term(tk token) (*Term, error) {
	// An operator or a colon outside quotes splits the token.
	for i, p := range tk.parts {
		if p.quoted {
			continue
		}
		if at, op := operator(p.text); at >= 0 {
			left := token{parts: append(append([]part{}, tk.parts[:i]...), part{p.text[:at], false})}
			right := token{parts: append([]part{{p.text[at+len(op):], false}}, tk.parts[i+1:]...)}
			return kvTerm(left.String(), op, right)
		}
		if c := strings.IndexByte(p.text, ':'); c >= 0 {
			left := token{parts: append(append([]part{}, tk.parts[:i]...), part{p.text[:c], false})}
			right := token{parts: append([]part{{p.text[c+1:], false}}, tk.parts[i+1:]...)}
			return fieldTerm(left.String(), right)
		}
	}
	return textTerm(Any, tk)
}

// operator finds the first comparison operator in s.
func operator(s string) (int, string) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<', '>':
			if i+1 < len(s) && s[i+1] == '=' {
				return i, s[i : i+2]
			}
			return i, s[i : i+1]
		case '=':
			return i, "="
		}
	}
	return -1, ""
}

func fieldTerm(name string, rest token) (*Term, error) {
	lower := strings.ToLower(name)
	if class, ok := idClasses[lower]; ok || lower == "id" {
		v := strings.TrimSpace(rest.String())
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return nil, errorf("%s:%s names an object by its ID, a whole number, as in %s:42", name, v, name)
		}
		return &Term{Field: ID, ObjectID: id, Class: class}, nil
	}
	f, ok := fieldNames[lower]
	if !ok {
		return nil, errorf("%q is not a search field: use name:, desc:, tag:, comment:, file:, channel:, key: or id:, or write a key-value pair as key=value", name)
	}
	if f == KV {
		k := strings.TrimSpace(rest.String())
		if k == "" {
			return nil, errorf("key: needs a key, as in key:exposure")
		}
		return &Term{Field: KV, Key: k, Op: "has"}, nil
	}
	t, err := textTerm(f, rest)
	if t == nil && err == nil {
		return nil, errorf("%s: needs something to search for, as in %s:mitosis", name, name)
	}
	return t, err
}

func kvTerm(key, op string, rest token) (*Term, error) {
	key = strings.TrimSpace(key)
	val := strings.TrimSpace(rest.String())
	if key == "" {
		return nil, errorf("%q needs a key before %s, as in exposure%s100", op+val, op, op)
	}
	if val == "" && op != "=" {
		return nil, errorf("%s%s needs a number after %s, as in %s%s100", key, op, op, key, op)
	}
	t := &Term{Field: KV, Key: key, Op: op, Value: val}
	if n, err := strconv.ParseFloat(val, 64); err == nil {
		t.Num, t.Numeric = n, true
	} else if op != "=" {
		return nil, errorf("%s%s%s compares numbers, and %q is not one", key, op, val, val)
	}
	return t, nil
}

// textTerm splits the token into words; a trailing * makes the last one a
// prefix. Punctuation separates words as the index's tokenizer does.
func textTerm(field string, tk token) (*Term, error) {
	t := &Term{Field: field}
	for _, p := range tk.parts {
		if p.quoted {
			t.Phrase = true
		}
	}
	s := tk.String()
	if strings.HasSuffix(s, "*") {
		t.Prefix = true
		s = strings.TrimRight(s, "*")
	}
	t.Words = strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	if len(t.Words) == 0 {
		if t.Prefix {
			return nil, errorf("* ends a word, as in mito*; it cannot stand alone")
		}
		return nil, nil
	}
	if len(t.Words) > 1 {
		t.Phrase = true // "GFP-tagged" is the phrase "GFP tagged", as the index sees it
	}
	return t, nil
}
