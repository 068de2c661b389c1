// Package local opens the embedded repository for the composition roots
// (cmd/ocular and cmd/ocular-cli): it knows where the default repository
// lives and wires the SQLite store to the in-process services.
package local

import (
	"context"
	"os"
	"path/filepath"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// EnvRepo overrides the default repository folder.
const EnvRepo = "OCULAR_REPO"

// DefaultDir is the repository the desktop opens and the CLI uses without
// --repo: $OCULAR_REPO, else $XDG_DATA_HOME/ocular/repository
// (~/.local/share/ocular/repository).
func DefaultDir() string {
	if d := os.Getenv(EnvRepo); d != "" {
		return d
	}
	base := os.Getenv("XDG_DATA_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			home = "."
		}
		base = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(base, "ocular", "repository")
}

// Open opens an existing repository.
func Open(ctx context.Context, dir string) (*inprocess.Service, error) {
	st, err := sqlite.Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	return inprocess.New(st), nil
}

// Create makes a new repository with its root administrator.
func Create(ctx context.Context, dir, rootPassword string) (*inprocess.Service, error) {
	if rootPassword == "" {
		return nil, core.Errorf("init", core.Invalid, "the root password must not be empty")
	}
	st, err := sqlite.Create(ctx, dir)
	if err != nil {
		return nil, err
	}
	svc := inprocess.New(st)
	if err := svc.Initialize(ctx, rootPassword); err != nil {
		svc.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	return svc, nil
}

// Exists reports whether dir holds a repository.
func Exists(dir string) bool { return sqlite.IsRepository(dir) }
