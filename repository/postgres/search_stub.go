package postgres

import "github.com/ocular-lab/ocular/core"

// Search is not implemented on PostgreSQL yet (search.go replaces this).
func (t *txn) Search(spec core.SearchSpec) ([]*core.Object, error) {
	return nil, core.Errorf("search", core.Other, "search is not available on PostgreSQL yet")
}
