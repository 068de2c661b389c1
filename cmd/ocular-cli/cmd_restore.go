package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/diskmode"
	"github.com/ocular-lab/ocular/repository/backup"
	"github.com/ocular-lab/ocular/repository/local"
)

func init() {
	Register(&Command{Name: "restore", Args: "--from BACKUPDIR --repo NEWDIR [--db postgres://...] [--force]",
		Short: "make a repository from a backup, checking every file against its manifest", Run: runRestore})
}

// restoreResult is what restore prints with --json.
type restoreResult struct {
	backup.RestoreReport
	local.ModeReport
}

func runRestore(env *Env, args []string) error {
	fs := env.Flags()
	from := fs.String("from", "", "the backup `FOLDER` (made by ocular-cli backup)")
	force := fs.Bool("force", false, "restore what is intact when some of the backup's files are missing or damaged (they are listed)")
	if _, err := env.Parse(fs, args, 0, 0); err != nil {
		return err
	}
	if err := env.needLocal(); err != nil {
		return err
	}
	if *from == "" {
		return env.Usagef("name the backup folder with --from FOLDER")
	}
	lines := env.progressLines("restore")
	rep, err := backup.Restore(env.Ctx, *from, env.Repo, backup.RestoreOptions{Postgres: env.DB, Force: *force,
		Progress: func(files int, bytes int64) { lines(fmt.Sprintf("%d files, %s", files, humanBytes(bytes))) }})
	if err != nil {
		return err
	}
	if env.DB != "" {
		// The folder remembers its database, as `init --db` makes it (for
		// a PostgreSQL backup, --db names the empty database to fill).
		if err := os.WriteFile(filepath.Join(env.Repo, local.DatabaseFile), []byte(env.DB+"\n"), diskmode.File()); err != nil {
			return core.E("restore", core.IO, fmt.Sprintf("cannot write %s", filepath.Join(env.Repo, local.DatabaseFile)), err)
		}
	}
	// Opening it upgrades an older schema and sets the permissions of its
	// files to the repository's (private, or shared with its Unix group).
	svc, err := local.Open(env.Ctx, env.Repo)
	if err != nil {
		return err
	}
	defer svc.Close()
	modes, err := local.FixModes(env.Ctx, svc)
	if err != nil {
		return err
	}
	return env.Print(restoreResult{rep, modes}, func(w io.Writer) {
		fmt.Fprintf(w, "Restored the %s backup %s into %s: %s; %d managed files (%s), each checked against the manifest.\n",
			engineName(rep.Engine), safe(rep.From), safe(rep.To), countsLine(rep.Counts), rep.Files, humanBytes(rep.Bytes))
		if rep.BadCount > 0 {
			fmt.Fprintf(w, "warning: %d files of the backup were missing or damaged and are not restored: %s\n", rep.BadCount, safe(strings.Join(rep.Bad, ", ")))
		}
	})
}
