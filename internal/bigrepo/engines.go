package bigrepo

import (
	"context"

	"golang.org/x/crypto/bcrypt"

	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// CreateSQLite makes a new SQLite repository in dir with root's password
// rootPW (or opens the one a stopped generation left, when resume) and
// returns the service over it and a sink into its database.
func CreateSQLite(ctx context.Context, dir, rootPW string, fastPasswords, resume bool) (*inprocess.Service, Sink, error) {
	open := sqlite.Create
	if resume {
		open = sqlite.Open
	}
	st, err := open(ctx, dir)
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
	sink, err := NewSQLiteSink(dir)
	if err != nil {
		svc.Close()
		return nil, nil, err
	}
	return svc, sink, nil
}

// initialize makes root, unless a stopped generation being resumed has.
func initialize(ctx context.Context, svc *inprocess.Service, rootPW string, resume bool) error {
	if resume {
		return nil
	}
	return svc.Initialize(ctx, rootPW)
}
