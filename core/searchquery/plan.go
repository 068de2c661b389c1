package searchquery

import "math"

// largeSetCeiling caps LargeSetMax: past it a set costs tens of
// milliseconds to build whatever the repository's size.
const largeSetCeiling = 100_000

// seekCost is how many steps along an index one seek into it costs, about:
// a term's set costs a seek per matching annotation (to its links) and a
// step per link, and a walk of the objects a step per object.
const seekCost = 8

// LargeSetMax bounds the terms that may drive a search as a sorted set when
// none has at most floor (the stores' fixed driving-set bound) matches, in
// a repository whose object IDs go up to maxID, for a page of limit results
// after offset: a term qualifies with at most sources matching annotations
// and at most matches matching objects. Both stores plan with it, so they
// choose alike.
//
// A set of m matches costs about m index steps to build; walking the
// objects newest first finds a page after about maxID/m*(offset+limit)
// objects. The two are equal at m = sqrt(maxID*(offset+limit)): a term with
// fewer matches is cheaper as a set, unless each match costs a seek of its
// own (a key-value pair on one image each), hence the smaller bound on
// sources (measured on 200,000 generated images: a walk for a pair on 1
// image in 20 took as long as the set of its 10,000 pairs).
func LargeSetMax(maxID int64, limit, offset, floor int) (sources, matches int) {
	if limit <= 0 {
		limit = 200
	}
	page := float64(limit + max(offset, 0))
	m := math.Sqrt(float64(max(maxID, 0)) * page)
	matches = min(max(int(m), floor), largeSetCeiling)
	sources = min(max(int(m/math.Sqrt(seekCost)), floor), largeSetCeiling)
	return sources, matches
}
