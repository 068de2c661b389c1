package remote

import (
	"context"
	"net/http"

	"github.com/ocular-lab/ocular/core"
)

// Search implements core.Searcher on the server: the permission rules and
// the index are there.
func (s *Session) Search(ctx context.Context, req core.SearchRequest) (core.SearchResult, error) {
	var out core.SearchResult
	err := s.call(ctx, http.MethodPost, "/ocular/v1/search", req, &out)
	return out, err
}
