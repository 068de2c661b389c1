package bigrepo

import (
	"context"

	"golang.org/x/crypto/bcrypt"

	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/repository/postgres"
)

// CreatePostgres opens the empty database dsn with repository/postgres
// (which creates the schema), managed files in dir, initializes root with
// rootPW (unless resume: a stopped generation has its root), and returns
// the service and a COPY sink into the database.
func CreatePostgres(ctx context.Context, dsn, dir, rootPW string, fastPasswords, resume bool) (*inprocess.Service, Sink, error) {
	st, err := postgres.Open(ctx, dsn, dir)
	if err != nil {
		return nil, nil, err
	}
	svc := inprocess.New(st)
	if fastPasswords {
		svc.SetPasswordCost(bcrypt.MinCost)
	}
	if err := initialize(ctx, svc, rootPW, resume); err != nil {
		svc.Close()
		return nil, nil, err
	}
	sink, err := NewPostgresSink(ctx, dsn)
	if err != nil {
		svc.Close()
		return nil, nil, err
	}
	return svc, sink, nil
}
