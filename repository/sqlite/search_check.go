package sqlite

import (
	"fmt"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/searchquery"
)

// textSetMax is the most matching annotations a tag: or comment: term is
// checked against as a set. A variable so that tests can run the probes.
//
// Checking a candidate's link through FTS5 (MATCH with a rowid range) costs
// about 100 µs a probe, measured on 200,000 generated images: a walk for
// comment:focus (a comment on 1 image in 8) made 800 of them for a page, 85
// ms. The set of the term's annotations, read once from the index's doclist
// into a sorted set, costs well under a microsecond an annotation: the same
// walk checked against the set of its 25,000 comments took 13 ms.
var textSetMax = 200_000

// probeCost is how many annotations put in the set cost as much as one
// probe (100 µs against about 0.3 µs): a search driven from a set of d
// candidates makes at most about d probes, so its checks use the set only
// when it has fewer than probeCost*d annotations.
const probeCost = 300

// setCheck is the condition that object o matches a tag: or comment: term,
// checked against the set of the term's matching annotations (built once
// for the statement) instead of a probe of the index per link, when that set
// has at most bound members; ok is false otherwise, and for other fields.
// The same condition as termMatches' otherwise.
func (t *txn) setCheck(term searchquery.Term, spec core.SearchSpec, bound int) (string, []any, bool, error) {
	var annClass string
	switch term.Field {
	case searchquery.Tag:
		annClass = "TagAnnotation"
	case searchquery.Comment:
		annClass = "CommentAnnotation"
	default:
		return "", nil, false, nil
	}
	src, sargs, _ := sourceRows(term)
	n, err := t.countRows(src, sargs, bound)
	if err != nil {
		return "", nil, false, err
	}
	if n > bound {
		return "", nil, false, nil
	}
	linkVis, linkArgs := readable("l", spec)
	c := "EXISTS (SELECT 1 FROM object l WHERE l.parent_id = o.id AND " + annotationLinks
	for _, v := range linkVis {
		c += " AND " + v
	}
	c += " AND EXISTS (SELECT 1 FROM object an WHERE an.id = l.child_id AND an.class = ?)" +
		fmt.Sprintf(" AND l.child_id IN (SELECT rowid >> 3 FROM search_fts WHERE search_fts MATCH ? AND (rowid & 7) = %d))", ftsText)
	return c, append(linkArgs, annClass, ftsExpr(term)), true, nil
}
