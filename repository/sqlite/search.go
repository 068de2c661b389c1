package sqlite

import (
	"fmt"
	"strings"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/searchquery"
)

// drivingSetMax is the largest set of matches a search is always driven
// from; a search whose every term matches more objects is driven from a
// larger set when one pays (largeDriver), or else walks the objects newest
// first and stops at the page's end, since matches are then dense. A
// variable so that tests can run every plan over a small repository.
var drivingSetMax = 2000

// Search runs a parsed search (migration 7 keeps the index). A term matches
// an object when the object's own text matches, or an annotation with
// matching text is linked to it, or (images) its fileset's file paths match,
// or a file annotation on it has a file of a matching name.
//
// The plan keeps the first page fast at any size: the term with the fewest
// matches (if one has at most drivingSetMax) gives the candidates, and every
// other term is checked per candidate through the index (a correlated
// EXISTS); with no such term, a term whose index rows (matching
// annotations, words) are few enough may still give them as a set
// (largeDriver, bounded by the repository's size so that the set costs less
// than the walk); else
// the objects are walked newest first with the same checks.
func (t *txn) Search(spec core.SearchSpec) ([]*core.Object, error) {
	if len(spec.Terms) == 0 {
		return nil, nil
	}
	driver, size := -1, drivingSetMax+1
	small := make([]bool, len(spec.Terms))
	for i, term := range spec.Terms {
		n, err := t.smallCount(term, spec)
		if err != nil {
			return nil, err
		}
		small[i] = n <= drivingSetMax
		if n < size {
			driver, size = i, n
		}
	}
	if driver < 0 {
		var err error
		if driver, err = t.largeDriver(spec); err != nil {
			return nil, err
		}
	}
	var args []any
	var conds []string
	cond := func(c string, a ...any) { conds = append(conds, c); args = append(args, a...) }
	from := "object o NOT INDEXED" // walk by ID, newest first
	if driver >= 0 {
		// SQLite keeps an IN set as a distinct sorted index and looks its
		// IDs up newest first for ORDER BY o.id DESC, so the page streams:
		// each candidate is checked in order and the query stops at the
		// page's end. (A sorted subquery joined to o would not: the outer
		// ORDER BY sorts again, after checking every candidate.)
		from = "object o"
		set, a := termIDs(spec.Terms[driver], spec)
		cond("o.id IN ("+set+")", a...)
	}
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
	for i, term := range spec.Terms {
		switch {
		case i == driver:
		case small[i]: // a small set is built once, cheaper than a check per candidate
			set, a := termIDs(term, spec)
			cond("o.id IN ("+set+")", a...)
		default:
			bound := textSetMax
			if driver >= 0 {
				bound = min(bound, probeCost*size)
			}
			c, a, ok, err := t.setCheck(term, spec, bound)
			if err != nil {
				return nil, err
			}
			if !ok {
				c, a = termMatches(term, spec)
			}
			cond(c, a...)
		}
	}
	limit := spec.Limit
	if limit <= 0 {
		limit = 200
	}
	q := "SELECT " + prefixed(objectCols) + " FROM " + from + " WHERE " + strings.Join(conds, " AND ")
	q += fmt.Sprintf(" ORDER BY o.id DESC LIMIT %d OFFSET %d", limit+1, max(spec.Offset, 0))
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

// boundedCount counts a term's matches up to bound+1 (duplicates included:
// it only has to tell small sets from large ones, cheaply).
func (t *txn) boundedCount(term searchquery.Term, spec core.SearchSpec, bound int) (int, error) {
	set, args := termIDs(term, spec)
	set = strings.ReplaceAll(set, " UNION ", " UNION ALL ")
	var n int
	err := t.tx.QueryRowContext(t.ctx, fmt.Sprintf("SELECT count(*) FROM (SELECT 1 FROM (%s) LIMIT %d)", set, bound+1), args...).Scan(&n)
	return n, dbErr("search", err)
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
	if t.Field == searchquery.ID {
		if t.Class != "" {
			return "SELECT id FROM object WHERE id = ? AND class = ?", []any{t.ObjectID, t.Class}
		}
		return "SELECT ? AS id", []any{t.ObjectID}
	}
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
	own := func(fields ...int) (string, []any) {
		return "SELECT oid AS id FROM (" + m(fields...) + ")", []any{match}
	}
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
	cond, args := kvCond(t)
	linkVis, linkArgs := readable("l", spec)
	s := "SELECT l.parent_id AS id FROM search_kv k CROSS JOIN object l ON l.child_id = k.ann_id AND " + annotationLinks + " WHERE " + cond
	for _, c := range linkVis {
		s += " AND " + c
	}
	return s, append(args, linkArgs...)
}

// termMatches is the condition that object o matches the term, checked
// through the index for this one object.
func termMatches(t searchquery.Term, spec core.SearchSpec) (string, []any) {
	if t.Field == searchquery.ID {
		if t.Class != "" {
			return "(o.id = ? AND o.class = ?)", []any{t.ObjectID, t.Class}
		}
		return "o.id = ?", []any{t.ObjectID}
	}
	linkVis, linkArgs := readable("l", spec)
	visible := ""
	for _, c := range linkVis {
		visible += " AND " + c
	}
	links := "SELECT 1 FROM object l WHERE l.parent_id = o.id AND " + annotationLinks + visible
	if t.Field == searchquery.KV {
		cond, args := kvCond(t)
		return "EXISTS (" + links + " AND EXISTS (SELECT 1 FROM search_kv k INDEXED BY search_kv_ann WHERE k.ann_id = l.child_id AND " + cond + "))",
			append(linkArgs, args...)
	}
	match := ftsExpr(t)
	// in: the row of object id (an SQL expression) in the given fields matches.
	in := func(id string, fields ...int) string {
		s := "EXISTS (SELECT 1 FROM search_fts WHERE search_fts MATCH ? AND rowid BETWEEN (" + id + ") * 8 AND (" + id + ") * 8 + 7"
		fs := make([]string, len(fields))
		for i, f := range fields {
			fs[i] = fmt.Sprint(f)
		}
		return s + " AND (rowid & 7) IN (" + strings.Join(fs, ",") + "))"
	}
	var parts []string
	var args []any
	own := func(fields ...int) { parts = append(parts, in("o.id", fields...)); args = append(args, match) }
	linked := func(annClass string, fields ...int) {
		s := "EXISTS (" + links
		a := append([]any{}, linkArgs...)
		if annClass != "" {
			s += " AND EXISTS (SELECT 1 FROM object an WHERE an.id = l.child_id AND an.class = ?)"
			a = append(a, annClass)
		}
		parts = append(parts, s+" AND "+in("l.child_id", fields...)+")")
		args = append(append(args, a...), match)
	}
	attached := func() {
		parts = append(parts, "EXISTS ("+links+" AND EXISTS (SELECT 1 FROM object fa WHERE fa.id = l.child_id AND fa.class = 'FileAnnotation' AND "+in("fa.ref2_id", ftsName)+"))")
		args = append(append(args, linkArgs...), match)
	}
	fileset := func() {
		parts = append(parts, "(o.class = 'Image' AND o.parent_id IS NOT NULL AND "+in("o.parent_id", ftsFiles)+")")
		args = append(args, match)
	}
	switch t.Field {
	case searchquery.Name:
		own(ftsName)
	case searchquery.Desc:
		own(ftsDesc)
	case searchquery.Channel:
		own(ftsChannel)
	case searchquery.Tag:
		linked("TagAnnotation", ftsText)
	case searchquery.Comment:
		linked("CommentAnnotation", ftsText)
	case searchquery.File:
		attached()
		fileset()
	default:
		own(ftsName, ftsDesc, ftsChannel)
		linked("", ftsName, ftsDesc, ftsText, ftsKV)
		attached()
		fileset()
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}

// kvCond is the condition on search_kv k of a key-value term.
func kvCond(t searchquery.Term) (string, []any) {
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
	return cond, args
}
