package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/ocular-lab/ocular/app/cliconfig"
	"github.com/ocular-lab/ocular/repository/local"
	"github.com/ocular-lab/ocular/repository/postgres"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// version is set at build time with -ldflags "-X main.version=1.2.3".
var version = "dev"

func init() {
	Register(&Command{Name: "version", Short: "show the version of ocular-cli and its repository schema", Run: runVersion})
}

func runVersion(env *Env, args []string) error {
	fs := env.Flags()
	if _, err := env.Parse(fs, args, 0, 0); err != nil {
		return err
	}
	v := struct {
		Version  string `json:"version"`
		Revision string `json:"revision,omitempty"`
		Schema   int    `json:"schema"`
		// PostgresSchema is the schema of repositories kept in PostgreSQL.
		PostgresSchema int    `json:"postgresSchema"`
		Go             string `json:"go"`
		// Access is who may read the --repo repository's files, when there is one.
		Access *local.Access `json:"repositoryAccess,omitempty"`
	}{Version: version, Schema: sqlite.SchemaVersion(), PostgresSchema: postgres.SchemaVersion(), Go: runtime.Version()}
	if local.Exists(env.Repo) {
		svc, err := env.Service()
		if err != nil {
			return err
		}
		a, err := local.AccessOf(env.Ctx, svc)
		if err != nil {
			return err
		}
		v.Access = &a
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				v.Revision = s.Value
			}
		}
	}
	return env.Print(v, func(w io.Writer) {
		rev := ""
		if v.Revision != "" {
			rev = " " + v.Revision[:min(12, len(v.Revision))]
		}
		fmt.Fprintf(w, "ocular-cli %s%s (repository schema %d, PostgreSQL schema %d, %s)\n", v.Version, rev, v.Schema, v.PostgresSchema, v.Go)
		if v.Access != nil {
			fmt.Fprintf(w, "%s: %s\n", safe(cliconfig.CanonicalPath(env.Repo)), safe(v.Access.String()))
		}
	})
}
