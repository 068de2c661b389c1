package postgres

import (
	"fmt"
	"strings"

	"github.com/ocular-lab/ocular/core/searchquery"
)

// onlyLargeCandidate is the one term of a search that largeDriver could
// choose (driverSources, not common), or -1 when there are none or several.
func (s search) onlyLargeCandidate(maxID int64) int {
	maxSources, _ := searchquery.LargeSetMax(maxID, s.spec.Limit, s.spec.Offset, drivingSetMax)
	k := -1
	for i := range s.spec.Terms {
		var a args
		if _, ok := s.driverSources(i, &a, 0); ok && !s.common(i, maxSources) {
			if k >= 0 {
				return -1
			}
			k = i
		}
	}
	return k
}

// setOrWalk is the SQL of a search in which no term has at most
// drivingSetMax matches and term k is the only one largeDriver could
// choose: largeDriver's choice and the page in one statement. The term's
// readable matches are read once (bounded as largeDriver bounds them) and
// kept; within the bounds the page comes from them, else from the walk,
// each branch gated by the bounds so that only one runs. Separately, the
// count and the page each read the set: at 1,000,000 images exposure>=990
// (10,000 pairs) cost two passes of 10,000 link probes, now one.
func (s search) setOrWalk(counts []int, k int, maxID int64, a *args) string {
	maxSources, maxMatches := searchquery.LargeSetMax(maxID, s.spec.Limit, s.spec.Offset, drivingSetMax)
	n, _ := s.driverSources(k, a, maxSources)
	set := strings.ReplaceAll(s.termIDs(k, a), " UNION ", " UNION ALL ")
	with := fmt.Sprintf("WITH src AS MATERIALIZED (SELECT %s AS n), "+
		"s AS MATERIALIZED (SELECT id FROM (%s) x WHERE (SELECT n FROM src) <= %d LIMIT %d), "+
		"small AS MATERIALIZED (SELECT (SELECT n FROM src) <= %d AND (SELECT count(*) FROM s) <= %d AS v) ",
		n, set, maxSources, maxMatches+1, maxSources, maxMatches)
	fromSet := s.page("(SELECT DISTINCT id FROM s ORDER BY id DESC) m JOIN object o ON o.id = m.id", counts, k, a, "(SELECT v FROM small)")
	walk := s.page("object o", counts, -1, a, "NOT (SELECT v FROM small)")
	return with + "SELECT * FROM ((" + fromSet + ") UNION ALL (" + walk + ")) u ORDER BY id DESC"
}
