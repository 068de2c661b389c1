package main

import (
	"context"
	"fmt"

	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/internal/bigrepo"
)

func openPostgres(ctx context.Context, dsn, repo, rootPW string, reset bool) (*inprocess.Service, bigrepo.Sink, error) {
	return nil, nil, fmt.Errorf("the PostgreSQL store is not in this build yet")
}
