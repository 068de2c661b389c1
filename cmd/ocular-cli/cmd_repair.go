package main

import (
	"fmt"
	"io"
	"time"

	"github.com/ocular-lab/ocular/app/housekeeping"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/local"
)

// `repair` removes files of the managed repository that no row names: what
// a crash between a delete's commit and its file removal (or during a
// duplicate) leaves behind; and the cached thumbnails and pyramids of images
// that no longer exist; and it sets every file and folder's permissions to
// the repository's (private, or shared with its Unix group). Administrators
// only.

func init() {
	Register(&Command{Name: "repair", Args: "[--min-age SECONDS]",
		Short: "remove unreferenced files from the managed repository and caches of deleted images", Run: runRepair})
}

// repairResult is what repair prints with --json.
type repairResult struct {
	core.RepairReport
	// CachesRemovedFor are the deleted images whose cached thumbnails and
	// pyramids went.
	CachesRemovedFor []core.ID `json:"cachesRemovedFor"`
	// The folders and files whose permissions (or Unix group) were brought
	// to the repository's (private, or shared), and those left because
	// another account owns them.
	local.ModeReport
}

func runRepair(env *Env, args []string) error {
	fs := env.Flags()
	minAge := fs.Int("min-age", 3600, "leave files changed less than this many seconds ago (imports in progress)")
	if _, err := env.Parse(fs, args, 0, 0); err != nil {
		return err
	}
	if err := env.needLocal(); err != nil {
		return err
	}
	if *minAge < 0 {
		return env.Usagef("--min-age must be 0 or more")
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	rep, err := s.RepairFiles(env.Ctx, *minAge) // refuses anyone but an administrator
	if err != nil {
		return err
	}
	svc, err := env.Service()
	if err != nil {
		return err
	}
	swept, err := housekeeping.ForRepository(env.Repo).Sweep(env.Ctx, svc.ExistingImages, time.Duration(*minAge)*time.Second)
	if err != nil {
		return err
	}
	modes, err := local.FixModes(env.Ctx, svc)
	if err != nil {
		return err
	}
	res := repairResult{RepairReport: rep, CachesRemovedFor: swept.Images, ModeReport: modes}
	if res.CachesRemovedFor == nil {
		res.CachesRemovedFor = []core.ID{}
	}
	return env.Print(res, func(w io.Writer) {
		for _, f := range rep.Removed {
			fmt.Fprintf(w, "removed %s\n", safe(f))
		}
		fmt.Fprintf(w, "Removed %d unreferenced files (%d bytes).\n", len(rep.Removed), rep.Bytes)
		fmt.Fprintf(w, "Removed the cached thumbnails and pyramids of %d deleted images.\n", len(swept.Images))
		fmt.Fprintf(w, "Set the permissions of %d files and folders to the repository's.\n", modes.Fixed)
		if modes.NotMine > 0 {
			fmt.Fprintf(w, "Left %d files and folders of other accounts as they are (a repair run by their owners fixes them).\n", modes.NotMine)
		}
	})
}
