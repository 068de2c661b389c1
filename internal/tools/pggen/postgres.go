package main

import (
	"context"
	"os"

	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/internal/bigrepo"
)

func openPostgres(ctx context.Context, dsn, repo, rootPW string, reset, resume bool) (*inprocess.Service, bigrepo.Sink, error) {
	if reset {
		if err := bigrepo.ResetPostgres(ctx, dsn); err != nil {
			return nil, nil, err
		}
		if err := os.RemoveAll(repo); err != nil {
			return nil, nil, err
		}
	}
	if err := os.MkdirAll(repo, 0o755); err != nil {
		return nil, nil, err
	}
	return bigrepo.CreatePostgres(ctx, dsn, repo, rootPW, false, resume)
}
