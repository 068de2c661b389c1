package postgres

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/searchquery"
)

// drivingSetMax is the largest set of matches a search is driven from; a
// search whose every term matches more objects walks the objects newest
// first instead and stops at the page's end, since matches are then dense.
// The same plan as the SQLite repository's, so both answer alike at any size.
const drivingSetMax = 2000

// customPlan makes PostgreSQL plan a search's statements for their
// values each time (an unnamed statement), not once for any value: a
// generic plan cannot tell a word on every image from a word on one, and
// picks the same plan for both.
const customPlan = pgx.QueryExecModeExec

// maxWordLength is the longest word the index holds (migration 2's
// search_vector); a query word longer than that matches nothing.
const maxWordLength = 255

// Search runs a parsed search (migration 2 keeps the index). A term matches
// an object when the object's own text matches, or an annotation with
// matching text is linked to it, or (images) its fileset's file paths match,
// or a file annotation on it has a file of a matching name: as on SQLite,
// with the same results in the same order (newest first).
//
// The plan keeps the first page fast at any size: the term with the fewest
// matches (if one has at most drivingSetMax) gives the candidates, and every
// other term is checked per candidate through the index (a correlated
// EXISTS), so no large set is ever built; with no such term the objects are
// walked newest first with the same checks.
func (t *txn) Search(spec core.SearchSpec) ([]*core.Object, error) {
	if len(spec.Terms) == 0 {
		return nil, nil
	}
	queries, matchable, err := t.textQueries(spec.Terms)
	if err != nil || !matchable {
		return nil, err
	}
	s := search{spec: spec, queries: queries}
	driver, size := -1, drivingSetMax+1
	small := make([]bool, len(spec.Terms))
	for i := range spec.Terms {
		n, err := t.boundedCount(s, i)
		if err != nil {
			return nil, err
		}
		small[i] = n <= drivingSetMax
		if n < size {
			driver, size = i, n
		}
	}
	var a args
	var conds []string
	from := "object o" // walk by ID, newest first
	if driver >= 0 {
		// Distinct and newest first, so the page streams: each candidate is
		// checked in order and the query stops at the page's end.
		from = "(SELECT DISTINCT id FROM (" + s.termIDs(driver, &a) + ") d ORDER BY id DESC) m JOIN object o ON o.id = m.id"
	}
	if rc := s.readable("o", &a); rc != "" {
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
	conds = append(conds, s.dateRange(&a)...)
	for i := range spec.Terms {
		switch {
		case i == driver:
		case small[i]: // a small set is built once, cheaper than a check per candidate
			conds = append(conds, "o.id IN ("+s.termIDs(i, &a)+")")
		default:
			conds = append(conds, s.termMatches(i, &a))
		}
	}
	limit := spec.Limit
	if limit <= 0 {
		limit = 200
	}
	q := "SELECT " + prefixed(objectCols) + " FROM " + from + " WHERE " + strings.Join(conds, " AND ")
	q += fmt.Sprintf(" ORDER BY o.id DESC LIMIT %d OFFSET %d", limit+1, max(spec.Offset, 0))
	rows, err := t.tx.Query(t.ctx, q, append([]any{customPlan}, a...)...)
	if err != nil {
		return nil, dbErr("search", err)
	}
	objs, err := scanObjects(rows)
	return objs, dbErr("search", err)
}

// textQueries turns the words of each text term into a tsquery: the words
// as the index splits them (migration 2's search_words, so a query's words
// always meet the index's), a phrase of consecutive words, the last a
// prefix when the term ends with *. matchable is false when some term can
// match nothing (no word the index would hold), so neither can the search.
func (t *txn) textQueries(terms []searchquery.Term) (queries []string, matchable bool, err error) {
	texts := make([]string, len(terms))
	for i, term := range terms {
		if isText(term) {
			texts[i] = strings.Join(term.Words, " ")
		}
	}
	rows, err := t.tx.Query(t.ctx, "SELECT search_words(w) FROM unnest($1::text[]) WITH ORDINALITY AS u(w, i) ORDER BY i", texts)
	if err != nil {
		return nil, false, dbErr("search", err)
	}
	defer rows.Close()
	queries = make([]string, len(terms))
	for i := 0; rows.Next(); i++ {
		var words []string
		if err := rows.Scan(&words); err != nil {
			return nil, false, dbErr("search", err)
		}
		if !isText(terms[i]) {
			continue
		}
		if len(words) == 0 {
			return nil, false, nil
		}
		lexemes := make([]string, len(words))
		for j, w := range words {
			if utf8.RuneCountInString(w) > maxWordLength {
				return nil, false, nil
			}
			lexemes[j] = "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(w) + "'"
		}
		if terms[i].Prefix {
			lexemes[len(lexemes)-1] += ":*"
		}
		// Words of one term are a phrase: "GFP-tagged" is "GFP tagged", as
		// the parser says.
		queries[i] = strings.Join(lexemes, " <-> ")
	}
	if err := rows.Err(); err != nil {
		return nil, false, dbErr("search", err)
	}
	return queries, true, nil
}

// isText reports whether a term is matched through the text index.
func isText(t searchquery.Term) bool { return t.Field != searchquery.ID && t.Field != searchquery.KV }

// boundedCount counts term i's matches up to drivingSetMax+1 (duplicates
// included: it only has to tell small sets from large ones, cheaply).
func (t *txn) boundedCount(s search, i int) (int, error) {
	// A GIN index hands over all of a word's rows at once, however few are
	// wanted: counting a word on every image would read a million entries.
	// The planner's estimate tells such a word from a rare one first.
	if large, err := t.commonWord(s, i); large || err != nil {
		return drivingSetMax + 1, err
	}
	var a args
	set := strings.ReplaceAll(s.termIDs(i, &a), " UNION ", " UNION ALL ")
	var n int
	err := t.tx.QueryRow(t.ctx, fmt.Sprintf("SELECT count(*) FROM (SELECT 1 FROM (%s) s LIMIT %d) c", set, drivingSetMax+1), append([]any{customPlan}, a...)...).Scan(&n)
	return n, dbErr("search", err)
}

// commonWordRows is the estimated number of index rows above which a word
// counts as matching more than drivingSetMax objects without counting.
// Generous, so that an estimate's error only costs a count.
const commonWordRows = 10 * drivingSetMax

// commonWord reports whether term i matches the objects' own text so often
// (by the planner's statistics of the index) that its matches are surely
// more than drivingSetMax. Only terms whose matches include the objects'
// own text qualify: for tag: or comment: a word common elsewhere says
// nothing.
func (t *txn) commonWord(s search, i int) (bool, error) {
	var fields []int
	switch s.spec.Terms[i].Field {
	case searchquery.Any:
		fields = []int{ftsName, ftsDesc, ftsChannel}
	case searchquery.Name:
		fields = []int{ftsName}
	case searchquery.Desc:
		fields = []int{ftsDesc}
	case searchquery.Channel:
		fields = []int{ftsChannel}
	default:
		return false, nil
	}
	var plan string
	err := t.tx.QueryRow(t.ctx, "EXPLAIN (FORMAT JSON) SELECT 1 FROM search_text WHERE words @@ $1::text::tsquery AND field IN "+fieldList(fields),
		customPlan, s.queries[i]).Scan(&plan)
	if err != nil {
		return false, dbErr("search", err)
	}
	var explained []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		}
	}
	if err := json.Unmarshal([]byte(plan), &explained); err != nil || len(explained) == 0 {
		return false, nil // no estimate: count
	}
	return explained[0].Plan.Rows > commonWordRows, nil
}
