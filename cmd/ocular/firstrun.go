package main

import (
	"context"
	"fmt"

	"github.com/ocular-lab/ocular/app/demo"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/local"
	"github.com/ocular-lab/ocular/ui"
)

// firstRunUser is the username the login form offers after the training
// demo has been built.
const firstRunUser = "user-1"

// firstRun builds the training demo into the default repository when it
// does not exist yet, showing progress in a dialog, and returns the note the
// login screen shows about the training accounts.
func firstRun(dir string) (*ui.Setup, string) {
	note := fmt.Sprintf("This is the training repository: log in as user-1 … user-%d with the password %q "+
		"(root has the same password).", demo.DefaultUsers, demo.DefaultPassword)
	repo := demo.Repository{
		Exists: local.Exists,
		Open:   openFolder,
		Create: func(ctx context.Context, dir, rootPassword string) (core.Service, error) {
			svc, err := local.Create(ctx, dir, rootPassword)
			if err != nil {
				return nil, err
			}
			return svc, nil
		},
	}
	return &ui.Setup{
		Title: "Creating the training repository",
		Run: func(ctx context.Context, progress func(float64, string)) error {
			progress(0, "Creating the repository in "+dir+"…")
			svc, _, err := demo.EnsureDefault(ctx, dir, repo, demo.Options{
				Progress: func(step string, done, total int) {
					if total > 0 {
						progress(float64(done)/float64(total), fmt.Sprintf("Building the training data: %s (step %d of %d)…", step, done, total))
					}
				},
			})
			if err != nil {
				return err
			}
			return svc.Close()
		},
	}, note
}
