package main

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"

	"github.com/ocular-lab/ocular/repository/local"
	"github.com/ocular-lab/ocular/ui"
)

// firstRunUser is the username the login form offers after first run.
var firstRunUser = "root"

// firstRun prepares the default repository when it does not exist yet. The
// training demo (app/demo) is not in the tree yet, so for now it creates an
// empty repository whose root password is generated here and shown once on
// the login screen.
func firstRun(dir string) (*ui.Setup, string) {
	pw := randomPassword()
	note := fmt.Sprintf("A new, empty repository was created in %s. Log in as root with the password %s "+
		"and note it down: it is shown only this once (change it with `ocular-cli user password`).", dir, pw)
	return &ui.Setup{
		Title: "Creating your repository",
		Run: func(ctx context.Context, progress func(float64, string)) error {
			progress(0.1, "Creating the repository in "+dir+"…")
			svc, err := local.Create(ctx, dir, pw)
			if err != nil {
				return err
			}
			progress(1, "Done.")
			return svc.Close()
		},
	}, note
}

func randomPassword() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}
