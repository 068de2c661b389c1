package postgres

import (
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/searchquery"
)

// drivingSetMax is the largest set of matches a search is always driven
// from; a search whose every term matches more objects is driven from a
// larger set when one pays (largeDriver), or else walks the objects newest
// first and stops at the page's end, since matches are then dense. A
// variable so that tests can run every plan over a small repository.
// The same plan as the SQLite repository's, so both answer alike at any size.
var drivingSetMax = 2000

// commonWordRows is the estimated number of index rows above which a word
// counts as matching more than drivingSetMax objects without counting.
// Generous, so that an estimate's error only costs a count.
const commonWordRows = 20_000 // 10 × the default drivingSetMax

// customPlan makes PostgreSQL plan a search's statements for their
// values each time (an unnamed statement), not once for any value: a
// generic plan cannot tell a word on every image from a word on one, and
// picks the same plan for both.
const customPlan = pgx.QueryExecModeExec

// Search runs a parsed search (migration 2 keeps the index). A term matches
// an object when the object's own text matches, or an annotation with
// matching text is linked to it, or (images) its fileset's file paths match,
// or a file annotation on it has a file of a matching name: as on SQLite,
// with the same results in the same order (newest first).
//
// The plan keeps the first page fast at any size: the term with the fewest
// matches (if one has at most drivingSetMax) gives the candidates, and every
// other term is checked per candidate through the index (a correlated
// EXISTS); with no such term, a term whose matching annotations (or text
// rows) are few enough may still give them from its readable links
// (largeDriver, bounded by the repository's size so that the set costs less
// than the walk); else the objects are walked newest first with the same
// checks. When only one term could drive so, the choice and the page are
// one statement (setOrWalk). Two or three statements after a SET, so a
// database server across a network costs as many round trips.
func (t *txn) Search(spec core.SearchSpec) ([]*core.Object, error) {
	if len(spec.Terms) == 0 {
		return nil, nil
	}
	for _, term := range spec.Terms {
		if term.Field == searchquery.KV && !comparisons[term.Op] {
			return nil, core.Errorf("search", core.Invalid, "%q is not a comparison; use =, <, <=, > or >=", term.Op)
		}
	}
	// No parallel workers for the rest of the transaction: a search's sets
	// are at most searchquery.LargeSetMax's ceiling, and starting workers
	// cost more than they saved. Measured at 1,000,000 images on 2 CPUs:
	// exposure>=990's two statements took 59-90 ms with two workers each and
	// 18-38 ms without.
	if _, err := t.tx.Exec(t.ctx, "SET LOCAL max_parallel_workers_per_gather = 0"); err != nil {
		return nil, dbErr("search", err)
	}
	s := search{spec: spec}
	counts, ests, maxID, err := t.boundedCounts(s)
	if err != nil {
		return nil, err
	}
	driver, size := -1, drivingSetMax+1
	for i, n := range counts {
		if n < size {
			driver, size = i, n
		}
	}
	var a args
	var q string
	s.driverEst = ests
	switch k := s.onlyLargeCandidate(maxID); {
	case driver < 0 && largeSets && k >= 0:
		q = s.setOrWalk(counts, k, maxID, &a)
	default:
		if driver < 0 {
			if driver, err = t.largeDriver(s, maxID); err != nil {
				return nil, err
			}
		}
		from := "object o" // walk by ID, newest first
		if driver >= 0 {
			// Distinct and newest first, so the page streams: each candidate is
			// checked in order and the query stops at the page's end.
			from = "(SELECT DISTINCT id FROM (" + s.termIDs(driver, &a) + ") d ORDER BY id DESC) m JOIN object o ON o.id = m.id"
		}
		q = s.page(from, counts, driver, &a)
	}
	rows, err := t.tx.Query(t.ctx, q, append([]any{customPlan}, a...)...)
	if err != nil {
		return nil, dbErr("search", err)
	}
	objs, err := scanObjects(rows)
	return objs, dbErr("search", err)
}

// comparisons are the operators of key-value terms; the parser makes no
// other, and only these are ever written into SQL.
var comparisons = map[string]bool{"has": true, "=": true, "<": true, "<=": true, ">": true, ">=": true}

// boundedCounts counts each term's matches up to drivingSetMax+1
// (duplicates included: it only has to tell small sets from large ones,
// cheaply), all in one statement. A word the planner's statistics show on
// more than commonWordRows rows of the objects' own text is large without
// counting: a GIN index hands over all of a word's rows at once, however few
// are wanted, and counting a word on every image would read a million
// entries. Only terms whose matches include the objects' own text qualify,
// and tag: and comment: terms by their own statistics (annotationTerm).
//
// It also returns the highest object ID, for largeDriver's bounds, and each
// term's driverEstimate (-1 for none), read in the same statement so that
// choosing a large driver asks the planner nothing more.
func (t *txn) boundedCounts(s search) ([]int, []float64, int64, error) {
	var a args
	n := len(s.spec.Terms)
	cols := make([]string, n, 2*n+1)
	ests := []string{"1 AS one"}
	for i, term := range s.spec.Terms {
		est := "-1"
		if e, ok := s.driverEstimate(i, &a); ok {
			ests = append(ests, fmt.Sprintf("%s AS e%d", e, i))
			est = fmt.Sprintf("e.e%d", i)
		}
		set := strings.ReplaceAll(s.termIDs(i, &a), " UNION ", " UNION ALL ")
		cols[i] = fmt.Sprintf("(SELECT count(*) FROM (SELECT 1 FROM (%s) s LIMIT %d) c)", set, drivingSetMax+1)
		if fields := ownFields(term.Field); fields != nil {
			cols[i] = fmt.Sprintf("CASE WHEN search_estimate(%s, '{%s}') > %d THEN %d ELSE %s END",
				s.tsquery(i, &a), strings.Trim(fieldList(fields), "()"), commonWordRows, drivingSetMax+1, cols[i])
		}
		// As on SQLite (smallCount): more matching annotations than
		// drivingSetMax count as more matches, read from the index alone.
		if src, ok := s.sourceRows(i, &a); ok {
			cols[i] = fmt.Sprintf("CASE WHEN (SELECT count(*) FROM (%s LIMIT %d) c) > %d THEN %d ELSE %s END",
				src, drivingSetMax+1, drivingSetMax, drivingSetMax+1, cols[i])
		}
		if annotationTerm(term) {
			cols[i] = fmt.Sprintf("CASE WHEN %s > %d THEN %d ELSE %s END", est, commonWordRows, drivingSetMax+1, cols[i])
		}
		cols = append(cols, est+"::float8")
	}
	cols = append(cols, "(SELECT COALESCE(max(id), 0) FROM object)")
	counts := make([]int64, n)
	estimates := make([]float64, n)
	var maxID int64
	dest := make([]any, 0, len(cols))
	for i := range counts {
		dest = append(dest, &counts[i])
	}
	for i := range estimates {
		dest = append(dest, &estimates[i])
	}
	dest = append(dest, &maxID)
	q := "SELECT " + strings.Join(cols, ", ") + " FROM (SELECT " + strings.Join(ests, ", ") + ") e"
	if err := t.tx.QueryRow(t.ctx, q, append([]any{customPlan}, a...)...).Scan(dest...); err != nil {
		return nil, nil, 0, dbErr("search", err)
	}
	out := make([]int, n)
	for i := range out {
		out[i] = int(counts[i])
	}
	return out, estimates, maxID, nil
}

// ownFields are the fields of the objects' own text a term of the field
// matches, or nil when its matches are not a superset of those.
func ownFields(field string) []int {
	switch field {
	case searchquery.Any:
		return []int{ftsName, ftsDesc, ftsChannel}
	case searchquery.Name:
		return []int{ftsName}
	case searchquery.Desc:
		return []int{ftsDesc}
	case searchquery.Channel:
		return []int{ftsChannel}
	}
	return nil
}

// page is the SQL of the page of results read from from (the objects o,
// walked or joined to a driving set), checking every term but the driver,
// and the gates first.
func (s search) page(from string, counts []int, driver int, a *args, gates ...string) string {
	spec := s.spec
	conds := gates
	if rc := s.readable("o", a); rc != "" {
		conds = append(conds, rc)
	}
	classes := spec.Classes
	if len(classes) == 0 {
		classes = core.SearchTypes
	}
	conds = append(conds, "o.class = ANY("+a.add(classNames(classes))+")")
	if spec.Group != core.AnyID {
		conds = append(conds, "o.group_id = "+a.add(int64(spec.Group)))
	}
	if spec.Owner != core.AnyID {
		conds = append(conds, "o.owner_id = "+a.add(int64(spec.Owner)))
	}
	conds = append(conds, s.dateRange(a)...)
	for i, n := range counts {
		switch {
		case i == driver:
		case n <= drivingSetMax: // a small set is built once, cheaper than a check per candidate
			conds = append(conds, "o.id IN ("+s.termIDs(i, a)+")")
		default:
			conds = append(conds, s.termMatches(i, a))
		}
	}
	limit := spec.Limit
	if limit <= 0 {
		limit = 200
	}
	q := "SELECT " + prefixed(objectCols) + " FROM " + from + " WHERE " + strings.Join(conds, " AND ")
	return q + fmt.Sprintf(" ORDER BY o.id DESC LIMIT %d OFFSET %d", limit+1, max(spec.Offset, 0))
}
