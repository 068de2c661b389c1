package core

import (
	"context"
	"time"

	"github.com/ocular-lab/ocular/core/searchquery"
)

// SearchRequest is a search as a user asks it: the query language of
// core/searchquery, and filters.
type SearchRequest struct {
	Query string `json:"query"`
	// Types restricts the results (Project, Dataset, Image, Screen, Plate);
	// empty means all of them.
	Types []Class `json:"types,omitempty"`
	// Group is one group, or AnyID for every group the user may read.
	Group ID `json:"group"`
	// Owner is one user, or AnyID.
	Owner ID `json:"owner"`
	// From and To bound the date (inclusive; zero = open); DateField says
	// which: "import" (default) or "acquisition".
	From      time.Time `json:"from,omitzero"`
	To        time.Time `json:"to,omitzero"`
	DateField string    `json:"dateField,omitempty"`
	// Offset and Limit page the results, newest first (Limit default 200,
	// at most 500, as OMERO's JSON API pages).
	Offset int `json:"offset,omitempty"`
	Limit  int `json:"limit,omitempty"`
}

// SearchHit is one result and where it lives ("Project P / Dataset D").
type SearchHit struct {
	ObjectView
	Where string `json:"where,omitempty"`
	// Path is the same place as the tree's path of refs, down to the hit
	// ("Project:3/Dataset:5/Image:9", "OrphanedImages:0/Image:9"), so the
	// desktop's "Show in tree" can open it.
	Path string `json:"path,omitempty"`
}

// SearchResult is one page of results. More says another page follows;
// there is no total, so nothing is counted that the user may not see.
type SearchResult struct {
	Hits []SearchHit `json:"hits"`
	More bool        `json:"more"`
}

// SearchTypes are the classes a search returns.
var SearchTypes = []Class{Project, Dataset, Image, Screen, Plate}

// Searcher finds objects by their text and annotations. Results are exactly
// what the user may read (as Browse shows), newest first. An unknown field,
// an unbalanced quote or a bad comparison is Invalid with a sentence.
type Searcher interface {
	Search(ctx context.Context, req SearchRequest) (SearchResult, error)
}

// SearchSpec is a search as the store runs it: parsed, with the readable
// scope resolved by the permission engine.
type SearchSpec struct {
	Terms   []searchquery.Term
	Classes []Class
	// Readable: every group in All is readable whole; in each group of
	// OwnOnly only objects owned by Me are. Admin reads everything.
	All, OwnOnly []ID
	Me           ID
	Admin        bool
	Owner        ID // AnyID, or one owner
	Group        ID // AnyID, or one group
	From, To     time.Time
	DateField    string
	Offset       int
	Limit        int
}
