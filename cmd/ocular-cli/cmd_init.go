package main

import (
	"fmt"
	"io"

	"github.com/ocular-lab/ocular/app/cliconfig"
	"github.com/ocular-lab/ocular/repository/local"
)

func init() {
	Register(&Command{Name: "init", Args: "[--root-password PW]",
		Short: "create a repository with its root administrator", Run: runInit})
}

func runInit(env *Env, args []string) error {
	fs := env.Flags()
	rootPW := fs.String("root-password", "", "the password of the root administrator (asked on the terminal when absent)")
	if _, err := env.Parse(fs, args, 0, 0); err != nil {
		return err
	}
	pw := *rootPW
	if pw == "" {
		var err error
		if pw, err = env.newPassword("root", "give it with --root-password PW"); err != nil {
			return err
		}
	}
	svc, err := local.Create(env.Ctx, env.Repo, pw)
	if err != nil {
		return err
	}
	svc.Close()
	dir := cliconfig.CanonicalPath(env.Repo)
	return env.Print(struct {
		Repository string `json:"repository"`
		Admin      string `json:"admin"`
	}{dir, "root"}, func(w io.Writer) {
		fmt.Fprintf(w, "Created a repository in %s with the administrator 'root'.\n", dir)
		fmt.Fprintln(w, "Log in with: ocular-cli login -u root")
	})
}
