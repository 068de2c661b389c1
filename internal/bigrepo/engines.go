package bigrepo

import (
	"context"

	"golang.org/x/crypto/bcrypt"

	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// CreateSQLite makes a new SQLite repository in dir with root's password
// rootPW and returns the service over it and a sink into its database.
func CreateSQLite(ctx context.Context, dir, rootPW string, fastPasswords bool) (*inprocess.Service, Sink, error) {
	st, err := sqlite.Create(ctx, dir)
	if err != nil {
		return nil, nil, err
	}
	svc := inprocess.New(st)
	if fastPasswords {
		svc.SetPasswordCost(bcrypt.MinCost)
	}
	if err := svc.Initialize(ctx, rootPW); err != nil {
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
