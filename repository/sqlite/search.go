package sqlite

import (
	"fmt"
	"strings"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/searchquery"
)

// Search runs a parsed search (migration 7 keeps the index). Each term
// becomes a set of object IDs: the objects whose own text matches, the
// objects an annotation with matching text is linked to, the images of a
// fileset whose file paths match, the objects a file annotation with a
// matching file name is on. The sets are intersected, the readable objects
// of the asked classes kept, newest first.
func (t *txn) Search(spec core.SearchSpec) ([]*core.Object, error) {
	if len(spec.Terms) == 0 {
		return nil, nil
	}
	// The first term's set drives the query; the others are membership
	// checks. Arguments are appended in the order their text is.
	first, args := termIDs(spec.Terms[0], spec)
	var conds []string
	cond := func(c string, a ...any) { conds = append(conds, c); args = append(args, a...) }
	if rc, ra := readable("o", spec); len(rc) > 0 {
		cond(rc[0], ra...)
	}
	classes := spec.Classes
	if len(classes) == 0 {
		classes = core.SearchTypes
	}
	cargs := make([]any, len(classes))
	for i, c := range classes {
		cargs[i] = string(c)
	}
	cond("o.class IN ("+placeholders(len(classes))+")", cargs...)
	if spec.Group != core.AnyID {
		cond("o.group_id = ?", spec.Group)
	}
	if spec.Owner != core.AnyID {
		cond("o.owner_id = ?", spec.Owner)
	}
	dc, da := dateRange(spec)
	for i := range dc {
		cond(dc[i], da[i])
	}
	for _, term := range spec.Terms[1:] {
		s, a := termIDs(term, spec)
		cond("o.id IN ("+s+")", a...)
	}
	limit := spec.Limit
	if limit <= 0 {
		limit = 200
	}
	q := "SELECT " + prefixed(objectCols) + " FROM (" + first + ") m CROSS JOIN object o ON o.id = m.id WHERE " +
		strings.Join(conds, " AND ") + fmt.Sprintf(" GROUP BY o.id ORDER BY o.id DESC LIMIT %d OFFSET %d", limit+1, max(spec.Offset, 0))
	rows, err := t.tx.QueryContext(t.ctx, q, args...)
	if err != nil {
		return nil, dbErr("search", err)
	}
	defer rows.Close()
	var out []*core.Object
	sc := newRowScanner()
	for rows.Next() {
		o, err := sc.scan(rows)
		if err != nil {
			return nil, dbErr("search", err)
		}
		out = append(out, o)
	}
	return out, dbErr("search", rows.Err())
}

// readable is the permission engine's read rule (core.Actor.CanRead) in
// SQL for the table alias a: whole groups, own objects in private groups,
// the system and user groups.
func readable(a string, spec core.SearchSpec) ([]string, []any) {
	if spec.Admin {
		return nil, nil
	}
	parts := []string{a + ".group_id IN (?, ?)"}
	args := []any{core.SystemGroupID, core.UserGroupID}
	if len(spec.All) > 0 {
		parts = append(parts, a+".group_id IN ("+placeholders(len(spec.All))+")")
		for _, g := range spec.All {
			args = append(args, g)
		}
	}
	if len(spec.OwnOnly) > 0 {
		parts = append(parts, "("+a+".owner_id = ? AND "+a+".group_id IN ("+placeholders(len(spec.OwnOnly))+"))")
		args = append(args, spec.Me)
		for _, g := range spec.OwnOnly {
			args = append(args, g)
		}
	}
	return []string{"(" + strings.Join(parts, " OR ") + ")"}, args
}

func dateRange(spec core.SearchSpec) ([]string, []any) {
	var conds []string
	var args []any
	if spec.DateField == "acquisition" {
		// Stored as RFC 3339 in UTC; the first 19 characters compare as dates.
		col := "substr(json_extract(o.attrs, '$.acquisitionDate'), 1, 19)"
		if !spec.From.IsZero() {
			conds = append(conds, col+" >= ?")
			args = append(args, spec.From.UTC().Format("2006-01-02T15:04:05"))
		}
		if !spec.To.IsZero() {
			conds = append(conds, col+" <= ?")
			args = append(args, spec.To.UTC().Format("2006-01-02T15:04:05"))
		}
		return conds, args
	}
	if !spec.From.IsZero() {
		conds = append(conds, "o.created >= ?")
		args = append(args, spec.From.UnixMilli())
	}
	if !spec.To.IsZero() {
		conds = append(conds, "o.created <= ?")
		args = append(args, spec.To.UnixMilli())
	}
	return conds, args
}

// Fields of search_fts rows (rowid = object id * 8 + field).
const (
	ftsName = iota
	ftsDesc
	ftsText
	ftsKV
	ftsChannel
	ftsFiles
)

// annotationLinks are the link classes from an object to an annotation.
const annotationLinks = "l.class LIKE '%AnnotationLink' AND l.class <> 'AnnotationAnnotationLink'"

// termIDs is the SQL of the set of object IDs one term matches, and its
// arguments.
func termIDs(t searchquery.Term, spec core.SearchSpec) (string, []any) {
	if t.Field == searchquery.KV {
		return kvIDs(t, spec)
	}
	match := ftsExpr(t)
	// m: the matching rows, as (object, field).
	m := func(fields ...int) string {
		s := "SELECT rowid >> 3 AS oid FROM search_fts WHERE search_fts MATCH ?"
		if len(fields) > 0 {
			fs := make([]string, len(fields))
			for i, f := range fields {
				fs[i] = fmt.Sprint(f)
			}
			s += " AND (rowid & 7) IN (" + strings.Join(fs, ",") + ")"
		}
		return s
	}
	linkVis, linkArgs := readable("l", spec)
	linked := func(annClass string, fields ...int) (string, []any) {
		s := "SELECT l.parent_id AS id FROM (" + m(fields...) + ") a JOIN object l ON l.child_id = a.oid AND " + annotationLinks
		args := []any{match}
		if annClass != "" {
			s += " AND EXISTS (SELECT 1 FROM object an WHERE an.id = a.oid AND an.class = ?)"
			args = append(args, annClass)
		}
		for _, c := range linkVis {
			s += " AND " + c
		}
		return s, append(args, linkArgs...)
	}
	attached := func() (string, []any) {
		s := "SELECT l.parent_id AS id FROM (" + m(ftsName) + ") a JOIN object fa ON fa.ref2_id = a.oid AND fa.class = 'FileAnnotation' JOIN object l ON l.child_id = fa.id AND " + annotationLinks
		for _, c := range linkVis {
			s += " AND " + c
		}
		return s, append([]any{match}, linkArgs...)
	}
	fileset := func() (string, []any) {
		return "SELECT i.id AS id FROM (" + m(ftsFiles) + ") a JOIN object i ON i.parent_id = a.oid AND i.class = 'Image'", []any{match}
	}
	own := func(fields ...int) (string, []any) { return "SELECT oid AS id FROM (" + m(fields...) + ")", []any{match} }
	var parts []string
	var args []any
	add := func(s string, a []any) { parts = append(parts, s); args = append(args, a...) }
	switch t.Field {
	case searchquery.Name:
		add(own(ftsName))
	case searchquery.Desc:
		add(own(ftsDesc))
	case searchquery.Channel:
		add(own(ftsChannel))
	case searchquery.Tag:
		add(linked("TagAnnotation", ftsText))
	case searchquery.Comment:
		add(linked("CommentAnnotation", ftsText))
	case searchquery.File:
		add(attached())
		add(fileset())
	default:
		add(own(ftsName, ftsDesc, ftsChannel))
		add(linked("", ftsName, ftsDesc, ftsText, ftsKV))
		add(attached())
		add(fileset())
	}
	return strings.Join(parts, " UNION "), args
}

// ftsExpr is the FTS5 expression of a text term: each word quoted (so no
// word is read as FTS5 syntax), a phrase or all words, the last a prefix.
func ftsExpr(t searchquery.Term) string {
	q := make([]string, len(t.Words))
	for i, w := range t.Words {
		q[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
	}
	if t.Prefix {
		q[len(q)-1] += " *"
	}
	if t.Phrase {
		return strings.Join(q, " + ")
	}
	return strings.Join(q, " AND ")
}

// kvIDs is the set of objects a map annotation with a matching pair is
// linked to.
func kvIDs(t searchquery.Term, spec core.SearchSpec) (string, []any) {
	cond, args := "k.key = ?", []any{t.Key}
	switch {
	case t.Op == "has":
	case t.Numeric && t.Op != "=":
		cond += " AND k.num " + t.Op + " ?"
		args = append(args, t.Num)
	case t.Numeric: // "=100" matches "100", "100.0" and "100 ms"
		cond += " AND (k.num = ? OR k.value = ?)"
		args = append(args, t.Num, t.Value)
	default:
		cond += " AND k.value = ?"
		args = append(args, t.Value)
	}
	linkVis, linkArgs := readable("l", spec)
	s := "SELECT l.parent_id AS id FROM search_kv k JOIN object l ON l.child_id = k.ann_id AND " + annotationLinks + " WHERE " + cond
	for _, c := range linkVis {
		s += " AND " + c
	}
	return s, append(args, linkArgs...)
}
