package postgres

import (
	"fmt"
	"strings"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/searchquery"
)

// search builds the SQL of one search. Its methods add their parameters to
// the statement's args and return SQL naming them.
type search struct {
	spec core.SearchSpec
	// driverEst is each term's driverEstimate, -1 for none (boundedCounts).
	driverEst []float64
}

// tsquery is the SQL of text term i's tsquery: its words split as the index
// splits text (migration 2's search_query), so a query's words always meet
// the index's.
func (s search) tsquery(i int, a *args) string {
	t := s.spec.Terms[i]
	return "search_query(" + a.add(strings.Join(t.Words, " ")) + "::text, " + a.add(t.Prefix) + "::boolean)"
}

// Fields of search_text rows (migration 2).
const (
	ftsName = iota
	ftsDesc
	ftsText
	ftsKV
	ftsChannel
	ftsFiles
)

// annotationWords is the words of tags and comments (field 2), NULL for
// other rows (2 is ftsText): migration 7's index, which holds only those.
const annotationWords = "(CASE WHEN field = 2 THEN words END)"

// annotationLinks are the link classes from an object to an annotation.
const annotationLinks = "l.class LIKE '%AnnotationLink' AND l.class <> 'AnnotationAnnotationLink'"

// readable is the permission engine's read rule (core.Actor.CanRead) in
// SQL for the table alias t: whole groups, own objects in private groups,
// the system and user groups. Empty for an administrator.
func (s search) readable(t string, a *args) string {
	if s.spec.Admin {
		return ""
	}
	parts := []string{t + ".group_id IN (" + a.add(int64(core.SystemGroupID)) + ", " + a.add(int64(core.UserGroupID)) + ")"}
	if len(s.spec.All) > 0 {
		parts = append(parts, t+".group_id = ANY("+a.add(int64s(s.spec.All))+")")
	}
	if len(s.spec.OwnOnly) > 0 {
		parts = append(parts, "("+t+".owner_id = "+a.add(int64(s.spec.Me))+" AND "+t+".group_id = ANY("+a.add(int64s(s.spec.OwnOnly))+"))")
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// andReadable is " AND " and the read rule for alias t, or nothing.
func (s search) andReadable(t string, a *args) string {
	if rc := s.readable(t, a); rc != "" {
		return " AND " + rc
	}
	return ""
}

func (s search) dateRange(a *args) []string {
	var conds []string
	spec := s.spec
	if spec.DateField == "acquisition" {
		// Stored as RFC 3339 in UTC; the first 19 characters compare as
		// dates (byte by byte: a locale's collation may skip punctuation).
		col := `substr(o.attrs::jsonb ->> 'acquisitionDate', 1, 19) COLLATE "C"`
		if !spec.From.IsZero() {
			conds = append(conds, col+" >= "+a.add(spec.From.UTC().Format("2006-01-02T15:04:05")))
		}
		if !spec.To.IsZero() {
			conds = append(conds, col+" <= "+a.add(spec.To.UTC().Format("2006-01-02T15:04:05")))
		}
		return conds
	}
	if !spec.From.IsZero() {
		conds = append(conds, "o.created >= "+a.add(spec.From.UnixMilli()))
	}
	if !spec.To.IsZero() {
		conds = append(conds, "o.created <= "+a.add(spec.To.UnixMilli()))
	}
	return conds
}

// fieldList is the SQL list of fields, as "(0,1,4)".
func fieldList(fields []int) string {
	fs := make([]string, len(fields))
	for i, f := range fields {
		fs[i] = fmt.Sprint(f)
	}
	return "(" + strings.Join(fs, ",") + ")"
}

// termIDs is the SQL of the set of object IDs term i matches.
func (s search) termIDs(i int, a *args) string {
	t := s.spec.Terms[i]
	if t.Field == searchquery.ID {
		if t.Class != "" {
			return "SELECT id FROM object WHERE id = " + a.add(t.ObjectID) + " AND class = " + a.add(t.Class)
		}
		return "SELECT " + a.add(t.ObjectID) + "::bigint AS id"
	}
	if t.Field == searchquery.KV {
		return "SELECT l.parent_id AS id FROM search_kv k JOIN object l ON l.child_id = k.ann_id AND " + annotationLinks +
			" WHERE " + kvCond(t, a) + s.andReadable("l", a)
	}
	query := s.tsquery(i, a)
	// m: the matching rows in the given fields, as object IDs (oid).
	m := func(fields ...int) string {
		return "SELECT object_id AS oid FROM search_text WHERE words @@ " + query + " AND field IN " + fieldList(fields)
	}
	if t.Field == searchquery.Tag || t.Field == searchquery.Comment {
		// Only the tags' and comments' rows (migration 7's index).
		m = func(...int) string {
			return "SELECT object_id AS oid FROM search_text WHERE " + annotationWords + " @@ " + query
		}
	}
	// A term of several parts reads the index once: a GIN scan of a
	// prefix (cell 0004*) visits every word it covers, each time.
	with := ""
	if t.Field == searchquery.Any || t.Field == searchquery.File {
		with = "WITH m AS MATERIALIZED (SELECT object_id AS oid, field FROM search_text WHERE words @@ " + query + ") "
		m = func(fields ...int) string { return "SELECT oid FROM m WHERE field IN " + fieldList(fields) }
	}
	linked := func(annClass string, fields ...int) string {
		q := "SELECT l.parent_id AS id FROM (" + m(fields...) + ") a JOIN object l ON l.child_id = a.oid AND " + annotationLinks
		if annClass != "" {
			q += " AND EXISTS (SELECT 1 FROM object an WHERE an.id = a.oid AND an.class = " + a.add(annClass) + ")"
		}
		return q + s.andReadable("l", a)
	}
	attached := func() string {
		return "SELECT l.parent_id AS id FROM (" + m(ftsName) + ") a JOIN object fa ON fa.ref2_id = a.oid AND fa.class = 'FileAnnotation'" +
			" JOIN object l ON l.child_id = fa.id AND " + annotationLinks + s.andReadable("l", a)
	}
	fileset := func() string {
		return "SELECT i.id AS id FROM (" + m(ftsFiles) + ") a JOIN object i ON i.parent_id = a.oid AND i.class = 'Image'"
	}
	own := func(fields ...int) string { return "SELECT oid AS id FROM (" + m(fields...) + ") a" }
	parts := matchers(t.Field, own, linked, attached, fileset)
	return with + strings.Join(parts, " UNION ")
}

// termMatches is the condition that object o matches term i, checked
// through the index for this one object. Every EXISTS ends in OFFSET 0,
// which keeps PostgreSQL from turning it into a hashed set of all the
// term's matches (its choice for an EXISTS under OR): the check is meant to
// cost one index probe per candidate, however many objects match.
func (s search) termMatches(i int, a *args) string {
	t := s.spec.Terms[i]
	if t.Field == searchquery.ID {
		if t.Class != "" {
			return "(o.id = " + a.add(t.ObjectID) + " AND o.class = " + a.add(t.Class) + ")"
		}
		return "o.id = " + a.add(t.ObjectID)
	}
	links := func() string {
		return "SELECT 1 FROM object l WHERE l.parent_id = o.id AND " + annotationLinks + s.andReadable("l", a)
	}
	const probe = " OFFSET 0)"
	if t.Field == searchquery.KV {
		return "EXISTS (" + links() + " AND EXISTS (SELECT 1 FROM search_kv k WHERE k.ann_id = l.child_id AND " + kvCond(t, a) + probe + probe
	}
	query := s.tsquery(i, a)
	// in: the row of object id (an SQL expression) in the given fields matches.
	in := func(id string, fields ...int) string {
		return "EXISTS (SELECT 1 FROM search_text s WHERE s.object_id = " + id + " AND s.field IN " + fieldList(fields) + " AND s.words @@ " + query + probe
	}
	own := func(fields ...int) string { return in("o.id", fields...) }
	linked := func(annClass string, fields ...int) string {
		q := "EXISTS (" + links()
		if annClass != "" {
			q += " AND EXISTS (SELECT 1 FROM object an WHERE an.id = l.child_id AND an.class = " + a.add(annClass) + probe
		}
		return q + " AND " + in("l.child_id", fields...) + probe
	}
	attached := func() string {
		return "EXISTS (" + links() + " AND EXISTS (SELECT 1 FROM object fa WHERE fa.id = l.child_id AND fa.class = 'FileAnnotation' AND " + in("fa.ref2_id", ftsName) + probe + probe
	}
	fileset := func() string {
		return "(o.class = 'Image' AND o.parent_id IS NOT NULL AND " + in("o.parent_id", ftsFiles) + ")"
	}
	parts := matchers(t.Field, own, linked, attached, fileset)
	return "(" + strings.Join(parts, " OR ") + ")"
}

// matchers lists the ways an object matches a term of field f, built by
// the caller's constructors (a query of matches, or a per-object check):
// its own text, the text of an annotation linked to it, the name of a
// file attached to it, the files of its fileset.
func matchers(f string, own func(fields ...int) string, linked func(annClass string, fields ...int) string, attached, fileset func() string) []string {
	switch f {
	case searchquery.Name:
		return []string{own(ftsName)}
	case searchquery.Desc:
		return []string{own(ftsDesc)}
	case searchquery.Channel:
		return []string{own(ftsChannel)}
	case searchquery.Tag:
		return []string{linked("TagAnnotation", ftsText)}
	case searchquery.Comment:
		return []string{linked("CommentAnnotation", ftsText)}
	case searchquery.File:
		return []string{attached(), fileset()}
	}
	return []string{own(ftsName, ftsDesc, ftsChannel), linked("", ftsName, ftsDesc, ftsText, ftsKV), attached(), fileset()}
}

// kvCond is the condition on search_kv k of a key-value term. Keys and
// values are stored in lower case (migration 2). A key and value of at
// most shortKV bytes are compared on the plain columns, which migration 7's
// indexes hold with the annotation for rows of at most 1,000 bytes (the
// octet_length conditions name those indexes' rows; lower() makes at most
// 1.5 times the bytes, so no longer row could be equal); longer ones are
// compared first on migration 2's indexed first 200 characters.
func kvCond(t searchquery.Term, a *args) string {
	if len(t.Key) <= shortKV && (t.Op == "has" || (t.Numeric && t.Op != "=") || len(t.Value) <= shortKV) {
		return shortKVCond(t, a)
	}
	eq := func(col, v string) string {
		p := a.add(v)
		return "left(k." + col + ", 200) = left(lower(" + p + "), 200) AND k." + col + " = lower(" + p + ")"
	}
	cond := eq("key", t.Key)
	switch {
	case t.Op == "has":
	case t.Numeric && t.Op != "=":
		cond += " AND k.num " + t.Op + " " + a.add(t.Num)
	case t.Numeric: // "=100" matches "100", "100.0" and "100 ms"
		cond += " AND (k.num = " + a.add(t.Num) + " OR (" + eq("value", t.Value) + "))"
	default:
		cond += " AND " + eq("value", t.Value)
	}
	return cond
}

// shortKV is the longest key or value (in bytes) compared on migration 7's
// indexes.
const shortKV = 400

// shortKVCond is kvCond for a short key and value: the same rows, read
// from migration 7's indexes alone.
func shortKVCond(t searchquery.Term, a *args) string {
	cond := "k.key = lower(" + a.add(t.Key) + ") AND octet_length(k.key) <= 1000"
	value := func() string {
		return "k.value = lower(" + a.add(t.Value) + ") AND octet_length(k.value) <= 1000"
	}
	switch {
	case t.Op == "has":
	case t.Numeric && t.Op != "=":
		cond += " AND k.num " + t.Op + " " + a.add(t.Num)
	case t.Numeric: // "=100" matches "100", "100.0" and "100 ms"
		cond += " AND (k.num = " + a.add(t.Num) + " OR (" + value() + "))"
	default:
		cond += " AND " + value()
	}
	return cond
}
