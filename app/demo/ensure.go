package demo

import (
	"context"
	"os"

	"github.com/ocular-lab/ocular/core"
)

// Repository is how EnsureDefault reaches an embedded repository. The
// composition root fills it from repository/local, so that app imports no
// repository package.
type Repository struct {
	Exists func(dir string) bool
	Open   func(ctx context.Context, dir string) (core.Service, error)
	// Create makes a new repository whose root has rootPassword.
	Create func(ctx context.Context, dir, rootPassword string) (core.Service, error)
}

// EnsureDefault opens the repository in dir; when there is none yet (the
// desktop's first run) it creates one, with root's password set to the demo
// password, and builds the training demo into it. sum is nil when the
// repository already existed. If the demo cannot be built, the new
// repository is removed again, so the next run starts afresh.
func EnsureDefault(ctx context.Context, dir string, repo Repository, opts Options) (svc core.Service, sum *Summary, err error) {
	if repo.Exists(dir) {
		svc, err = repo.Open(ctx, dir)
		return svc, nil, err
	}
	if opts.Password == "" {
		opts.Password = DefaultPassword
	}
	if opts.RootPassword == "" {
		opts.RootPassword = opts.Password
	}
	svc, err = repo.Create(ctx, dir, opts.RootPassword)
	if err != nil {
		return nil, nil, err
	}
	sum, err = Build(ctx, svc, opts)
	if err != nil {
		svc.Close()
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return svc, sum, nil
}
