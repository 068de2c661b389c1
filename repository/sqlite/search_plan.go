package sqlite

import (
	"fmt"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/searchquery"
)

// smallCount is a term's matches counted up to drivingSetMax+1, or
// drivingSetMax+1 without counting them when the term's matching
// annotations alone are more: counting links reads a row per annotation
// scattered over the table (11 ms for the first 2,001 of 25,000 comments on
// 200,000 generated images), the annotations only the index (0.1 ms). A
// term with more annotations but few readable links is still found by
// largeDriver, which counts its links when its annotations are few enough.
func (t *txn) smallCount(term searchquery.Term, spec core.SearchSpec) (int, error) {
	if src, args, ok := sourceRows(term); ok {
		n, err := t.countRows(src, args, drivingSetMax)
		if err != nil || n > drivingSetMax {
			return n, err
		}
	}
	return t.boundedCount(term, spec, drivingSetMax)
}

// countRows counts the rows of query src up to bound+1.
func (t *txn) countRows(src string, args []any, bound int) (int, error) {
	var n int
	err := t.tx.QueryRowContext(t.ctx, fmt.Sprintf("SELECT count(*) FROM (%s LIMIT %d)", src, bound+1), args...).Scan(&n)
	return n, dbErr("search", err)
}

// largeSets enables largeDriver; tests turn it off to run the walk.
var largeSets = true

// largeDriver is the term that drives a search in which every term matches
// more than drivingSetMax objects, or -1 to walk the objects: the term with
// the fewest matches among those whose index rows (sourceRows) and matching
// objects are within searchquery.LargeSetMax (a tag named tag3 is a handful
// of tags, on tens of thousands of images; the prefix 0004* a few thousand
// words among millions).
//
// Building such a set costs about a seek per annotation and a step per
// match; walking costs about objects/matches steps per result, each a check
// of every term. With tens of thousands of matches among millions of
// objects the set is the cheaper, and far cheaper when many matches are
// unreadable (the set leaves them out by its links' groups; the walk checks
// them all). Counting the annotations first, from the index alone, keeps a
// term with a hundred thousand comments from costing a count of its links
// before the walk it will take anyway.
func (t *txn) largeDriver(spec core.SearchSpec) (int, error) {
	if !largeSets {
		return -1, nil
	}
	var maxID int64
	if err := t.tx.QueryRowContext(t.ctx, "SELECT COALESCE(max(id), 0) FROM object").Scan(&maxID); err != nil {
		return -1, dbErr("search", err)
	}
	maxSources, maxMatches := searchquery.LargeSetMax(maxID, spec.Limit, spec.Offset, drivingSetMax)
	driver, size := -1, maxMatches+1
	for i, term := range spec.Terms {
		src, args, ok := sourceRows(term)
		if !ok {
			continue
		}
		n, err := t.countRows(src, args, maxSources)
		if err != nil {
			return -1, err
		}
		if n > maxSources {
			continue
		}
		if n, err := t.boundedCount(term, spec, maxMatches); err != nil {
			return -1, err
		} else if n < size {
			driver, size = i, n
		}
	}
	return driver, nil
}

// sourceRows is the SQL of the index rows a term's matches come from, read
// from the index alone: for tags, comments and key-value pairs one row per
// matching annotation; for words, one per matching field of an object,
// annotation or file. ok is false for an ID term.
//
// Why words too: a word that matches a few thousand objects among hundreds
// of thousands (the prefix "0004*" of 1,000 image names out of 200,000)
// drove no search before, so "cell 0004*" walked every object newest first
// probing the index for both words per object: four minutes on 200,000
// generated images, for matches that were all old.
func sourceRows(t searchquery.Term) (string, []any, bool) {
	var fields string
	switch t.Field {
	case searchquery.ID:
		return "", nil, false
	case searchquery.KV:
		cond, args := kvCond(t)
		return "SELECT 1 FROM search_kv k WHERE " + cond, args, true
	case searchquery.Tag, searchquery.Comment:
		fields = fmt.Sprintf("= %d", ftsText)
	case searchquery.Name:
		fields = fmt.Sprintf("= %d", ftsName)
	case searchquery.Desc:
		fields = fmt.Sprintf("= %d", ftsDesc)
	case searchquery.Channel:
		fields = fmt.Sprintf("= %d", ftsChannel)
	case searchquery.File:
		fields = fmt.Sprintf("IN (%d, %d)", ftsName, ftsFiles)
	default: // any field
		return "SELECT 1 FROM search_fts WHERE search_fts MATCH ?", []any{ftsExpr(t)}, true
	}
	return "SELECT 1 FROM search_fts WHERE search_fts MATCH ? AND (rowid & 7) " + fields, []any{ftsExpr(t)}, true
}
