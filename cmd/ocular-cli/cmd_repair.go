package main

import (
	"fmt"
	"io"
)

// `repair` removes files of the managed repository that no row names: what
// a crash between a delete's commit and its file removal (or during a
// duplicate) leaves behind. Administrators only.

func init() {
	Register(&Command{Name: "repair", Args: "[--min-age SECONDS]",
		Short: "remove unreferenced files from the managed repository", Run: runRepair})
}

func runRepair(env *Env, args []string) error {
	fs := env.Flags()
	minAge := fs.Int("min-age", 3600, "leave files changed less than this many seconds ago (imports in progress)")
	if _, err := env.Parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *minAge < 0 {
		return env.Usagef("--min-age must be 0 or more")
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	rep, err := s.RepairFiles(env.Ctx, *minAge)
	if err != nil {
		return err
	}
	return env.Print(rep, func(w io.Writer) {
		for _, f := range rep.Removed {
			fmt.Fprintf(w, "removed %s\n", f)
		}
		fmt.Fprintf(w, "Removed %d unreferenced files (%d bytes).\n", len(rep.Removed), rep.Bytes)
	})
}
