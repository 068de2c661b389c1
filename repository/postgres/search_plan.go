package postgres

import (
	"fmt"
	"strings"

	"github.com/ocular-lab/ocular/core/searchquery"
)

// largeSets enables largeDriver; tests turn it off to run the walk.
var largeSets = true

// largeDriver is the term that drives a search in which every term matches
// more than drivingSetMax objects, or -1 to walk the objects: the term with
// the fewest matches among those whose matching annotations (or text rows,
// driverSources) and matching objects are within searchquery.LargeSetMax
// for a repository whose object IDs go up to maxID (a tag named tag3 is a
// handful of tags, on tens of thousands of images). The SQLite
// repository's rule, counted alike, except that there only tag:, comment:
// and key-value terms may drive; results are the same either way.
//
// Building such a set costs about a seek per annotation and a step per
// match; walking costs about objects/matches steps per result, each a check
// of every term. With tens of thousands of matches among millions of
// objects the set is the cheaper, and far cheaper when many matches are
// unreadable (the set leaves them out by its links' groups; the walk checks
// them all). Each term's links are counted only when its annotations,
// counted from the index alone, are few enough: a term with a hundred
// thousand comments costs no count of its links before the walk it will
// take anyway. One statement for all the terms.
func (t *txn) largeDriver(s search, maxID int64) (int, error) {
	if !largeSets {
		return -1, nil
	}
	maxSources, maxMatches := searchquery.LargeSetMax(maxID, s.spec.Limit, s.spec.Offset, drivingSetMax)
	var a args
	var cols []string
	var terms []int
	for i := range s.spec.Terms {
		if s.common(i, maxSources) {
			continue
		}
		n, ok := s.driverSources(i, &a, maxSources)
		if !ok {
			continue
		}
		set := strings.ReplaceAll(s.termIDs(i, &a), " UNION ", " UNION ALL ")
		cols = append(cols, fmt.Sprintf("CASE WHEN %s > %d THEN %d ELSE (SELECT count(*) FROM (SELECT 1 FROM (%s) s LIMIT %d) c) END",
			n, maxSources, maxMatches+1, set, maxMatches+1))
		terms = append(terms, i)
	}
	if len(cols) == 0 {
		return -1, nil
	}
	counts := make([]int64, len(cols))
	dest := make([]any, len(cols))
	for i := range counts {
		dest[i] = &counts[i]
	}
	if err := t.tx.QueryRow(t.ctx, "SELECT "+strings.Join(cols, ", "), append([]any{customPlan}, a...)...).Scan(dest...); err != nil {
		return -1, dbErr("search", err)
	}
	driver, size := -1, int64(maxMatches)+1
	for k, n := range counts {
		if n < size {
			driver, size = terms[k], n
		}
	}
	return driver, nil
}

// sourceRows is the SQL of the index rows term i's matches come from when
// they all come through linked annotations (tags, comments, key-value
// pairs): one row per matching annotation, read from the index alone. ok is
// false for terms that also match objects' own text or files.
func (s search) sourceRows(i int, a *args) (string, bool) {
	t := s.spec.Terms[i]
	switch t.Field {
	case searchquery.Tag, searchquery.Comment:
		return "SELECT 1 FROM search_text WHERE " + annotationWords + " @@ " + s.tsquery(i, a), true
	case searchquery.KV:
		return "SELECT 1 FROM search_kv k WHERE " + kvCond(t, a), true
	}
	return "", false
}

// annotationTerm says whether t is a tag: or comment: term, whose
// matching tags and comments the planner estimates by their own statistics
// (migration 7's search_annotation_estimate): one estimated on more than
// commonWordRows counts as large without counting. Counting it costs more
// than the search it plans: a GIN index hands over all of a word's rows,
// however few are wanted (comment:focus, on 125,000 comments, took 50 to
// 150 ms to count to 2,001 at 1,000,000 images). An estimate below the
// truth only costs the count.
func annotationTerm(t searchquery.Term) bool {
	return t.Field == searchquery.Tag || t.Field == searchquery.Comment
}

// driverEstimate is the SQL of the planner's estimate of the index rows
// driverSources would count for term i: the tags and comments of a tag: or
// comment: term, every field's rows of a text term; ok is false for others
// (key-value pairs are counted from a B-tree, which stops where asked).
func (s search) driverEstimate(i int, a *args) (string, bool) {
	t := s.spec.Terms[i]
	switch {
	case annotationTerm(t):
		return "search_annotation_estimate(" + s.tsquery(i, a) + ")", true
	case ownFields(t.Field) != nil || t.Field == searchquery.File:
		return fmt.Sprintf("search_estimate(%s, '%s')", s.tsquery(i, a), allFields), true
	}
	return "", false
}

// common says whether term i's driverEstimate puts it on more than
// max(commonWordRows, 2*maxSources) rows: too many to drive a large search,
// known without counting.
func (s search) common(i, maxSources int) bool {
	return i < len(s.driverEst) && s.driverEst[i] > float64(max(commonWordRows, 2*maxSources))
}

// driverSources is the SQL of the number of index rows (up to maxSources+1)
// that term i's matches come from, when the term may drive a large search:
// the matching annotations of a tag:, comment: or key-value term
// (sourceRows), or the matching text rows of any field of a text term (a
// prefix of an image's name, cell 0004*, is on a thousand images and their
// filesets; walking a million images newest first for them took minutes).
// Each such row costs about a seek to its objects. Callers leave out the
// terms estimated on too many rows (common). ok is false for other terms.
func (s search) driverSources(i int, a *args, maxSources int) (string, bool) {
	src, ok := s.sourceRows(i, a)
	if !ok {
		if ownFields(s.spec.Terms[i].Field) == nil && s.spec.Terms[i].Field != searchquery.File {
			return "", false
		}
		src = "SELECT 1 FROM search_text WHERE words @@ " + s.tsquery(i, a)
	}
	return fmt.Sprintf("(SELECT count(*) FROM (%s LIMIT %d) c)", src, maxSources+1), true
}

// allFields are all the fields of search_text, as search_estimate takes them.
var allFields = fmt.Sprintf("{%d,%d,%d,%d,%d,%d}", ftsName, ftsDesc, ftsText, ftsKV, ftsChannel, ftsFiles)
