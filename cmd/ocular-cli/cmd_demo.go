package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/app/cliconfig"
	"github.com/ocular-lab/ocular/app/demo"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/local"
)

func init() {
	Register(&Command{Name: "demo", Args: "[--users N] [--password PW] [--root-password PW]",
		Short: "build the OMERO training setup (users, groups, images) into a new repository", Run: runDemo})
}

func runDemo(env *Env, args []string) error {
	fs := env.Flags("password")
	users := fs.Int("users", demo.DefaultUsers, "the number of training users (user-1 … user-N)")
	password := fs.String("password", demo.DefaultPassword, "every training user's password")
	rootPW := fs.String("root-password", "", "root's password: set on a new repository, used to log in to an existing one (default: --password)")
	if _, err := env.Parse(fs, args, 0, 0); err != nil {
		return err
	}
	if err := env.needLocal(); err != nil {
		return err
	}
	if *users < 1 || *users > demo.MaxUsers {
		return env.Usagef("--users must be between 1 and %d", demo.MaxUsers)
	}
	if *password == "" {
		return env.Usagef("--password must not be empty")
	}
	if *rootPW == "" {
		*rootPW = *password
	}

	// A new repository is created for the demo, and removed again if the
	// demo cannot be built; an existing one must be freshly initialised.
	created := false
	if !local.Exists(env.Repo) {
		svc, err := local.Create(env.Ctx, env.Repo, *rootPW)
		if err != nil {
			return err
		}
		env.svc, created = svc, true
	}
	svc, err := env.Service()
	if err != nil {
		return err
	}
	env.useFastHash(svc)

	bar := newProgressBar(env.Stderr, "building the training demo")
	sum, err := demo.Build(env.Ctx, svc, demo.Options{Users: *users, Password: *password, RootPassword: *rootPW,
		Progress: func(step string, done, total int) {
			if done == 1 {
				bar.setTotal(total)
			}
			bar.step()
		}})
	bar.clear()
	if err != nil {
		if created {
			svc.Close()
			env.svc = nil
			os.RemoveAll(env.Repo)
		}
		if core.Is(core.Auth, err) {
			return core.Errorf("demo", core.Auth, "cannot log in as root to %s: give root's password with --root-password", env.Repo)
		}
		return err
	}
	sum.Repository = cliconfig.CanonicalPath(env.Repo)
	return env.Print(sum, func(w io.Writer) { printDemo(w, sum, created) })
}

func printDemo(w io.Writer, sum *demo.Summary, created bool) {
	if created {
		fmt.Fprintf(w, "Created a repository in %s with the training demo.\n\n", sum.Repository)
	} else {
		fmt.Fprintf(w, "Built the training demo in %s.\n\n", sum.Repository)
	}
	fmt.Fprintf(w, "Users (password %q for all of them, and for root unless --root-password was given):\n", sum.Password)
	for _, u := range sum.Users {
		fmt.Fprintf(w, "  %-9s %s %s (private group %s)\n", u.Username, u.FirstName, u.LastName, u.PersonalGroup)
	}
	fmt.Fprintln(w, "\nGroups:")
	for _, g := range sum.Groups {
		owners := ""
		if len(g.Owners) > 0 {
			owners = ", owned by " + strings.Join(g.Owners, ", ")
		}
		fmt.Fprintf(w, "  %-24s %-13s %d members%s\n", g.Name, g.Type, g.Members, owners)
	}
	fmt.Fprintf(w, "  and one private group per user, owned by that user.\n\n")
	fmt.Fprintf(w, "Each user has %d images in %q (a project with 3 datasets, an orphaned image, a screen with a plate),\n",
		sum.ImagesPerUser, demo.ReadAnnotateGroup)
	fmt.Fprintf(w, "stored as %d files of %.1f MB shared by all users (%s).\n", sum.FilesPerUser, float64(sum.SetBytes)/1e6, sum.Transfer)
	fmt.Fprintf(w, "Done in %s. Log in with: ocular-cli login -u user-1 -w %s\n", sum.Elapsed.Round(100*time.Millisecond), sum.Password)
}
