package main

import (
	"context"
	"fmt"
	"io"

	"github.com/ocular-lab/ocular/app/cliconfig"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/repository/local"
	"github.com/ocular-lab/ocular/repository/postgres"
)

func init() {
	Register(&Command{Name: "init", Args: "[--root-password PW] [--shared UNIXGROUP]",
		Short: "create a repository (private to you, or shared with a Unix group) with its root administrator; with --db URL its rows go to that PostgreSQL database", Run: runInit})
}

func runInit(env *Env, args []string) error {
	fs := env.Flags()
	rootPW := fs.String("root-password", "", "the password of the root administrator (asked on the terminal when absent)")
	shared := fs.String("shared", "", "share the repository's files with this Unix group (read and write for the group, nothing for others); without it only your account can read them")
	if _, err := env.Parse(fs, args, 0, 0); err != nil {
		return err
	}
	if err := env.needLocal(); err != nil {
		return err
	}
	pw := *rootPW
	if pw == "" {
		var err error
		if pw, err = env.newPassword("root", "give it with --root-password PW"); err != nil {
			return err
		}
	}
	create := local.Create
	switch {
	case env.DB != "":
		create = func(ctx context.Context, dir, pw string) (*inprocess.Service, error) {
			return local.CreatePostgres(ctx, dir, env.DB, pw, *shared)
		}
	case *shared != "":
		create = func(ctx context.Context, dir, pw string) (*inprocess.Service, error) {
			return local.CreateShared(ctx, dir, pw, *shared)
		}
	}
	svc, err := create(env.Ctx, env.Repo, pw)
	if err != nil {
		return err
	}
	access, err := local.AccessOf(env.Ctx, svc)
	svc.Close()
	if err != nil {
		return err
	}
	dir := cliconfig.CanonicalPath(env.Repo)
	database := ""
	if env.DB != "" {
		database = postgres.Where(env.DB)
	}
	return env.Print(struct {
		Repository string `json:"repository"`
		Database   string `json:"database,omitempty"`
		Admin      string `json:"admin"`
		UnixGroup  string `json:"unixGroup,omitempty"`
	}{dir, database, "root", access.UnixGroup}, func(w io.Writer) {
		fmt.Fprintf(w, "Created a repository in %s with the administrator 'root'; %s.\n", safe(dir), access)
		if database != "" {
			fmt.Fprintf(w, "Its rows are in the PostgreSQL database %s; %s remembers it.\n", safe(database), safe(local.DatabaseFile))
		}
		fmt.Fprintln(w, "Log in with: ocular-cli login -u root")
	})
}
