package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/diskmode"
	"github.com/ocular-lab/ocular/repository/local"
	"github.com/ocular-lab/ocular/repository/migrate"
)

// `migrate` moves a lab's local repository into a server's PostgreSQL
// database (repository/migrate). The local repository is only read: it
// stays as it was, a fallback until the server is trusted.

func init() {
	Register(&Command{Name: "migrate", Args: "--from DIR --to postgres://... --files-to DIR2",
		Short: "copy a local repository into a server's PostgreSQL database (resumable, verified)", Run: runMigrate})
}

func runMigrate(env *Env, args []string) error {
	fs := env.Flags()
	from := fs.String("from", "", "the local repository `FOLDER` to copy (it is only read)")
	to := fs.String("to", "", "the server's PostgreSQL database (`postgres://user@host/db`): empty, or a repository in use")
	filesTo := fs.String("files-to", "", "the server's `FOLDER` for the managed files: hard links where it is on the same file system, copies otherwise")
	chunk := fs.Int("chunk", 5000, "rows copied per transaction")
	sizesOnly := fs.Bool("sizes-only", false, "check the files' sizes at the end, not their checksums (faster; for a rerun)")
	if _, err := env.Parse(fs, args, 0, 0); err != nil {
		return err
	}
	switch {
	case *from == "":
		return env.Usagef("name the local repository with --from FOLDER")
	case *to == "":
		return env.Usagef("name the server's database with --to postgres://...")
	case *filesTo == "":
		return env.Usagef("name the server's file folder with --files-to FOLDER")
	case *chunk < 1:
		return env.Usagef("--chunk must be 1 or more")
	}
	if abs(*filesTo) == abs(*from) {
		return env.Usagef("--files-to must be another folder than --from: the local repository stays as it is")
	}
	var step string
	var lines func(string)
	rep, err := migrate.Run(env.Ctx, migrate.Options{From: *from, To: *to, FilesTo: *filesTo, ChunkRows: *chunk, SizesOnly: *sizesOnly,
		Progress: func(s string, done, total int64) {
			if s != step {
				step = s
				lines = env.progressLines("migrate") // a new step waits its two seconds
			}
			lines(fmt.Sprintf("%s %d of %d", stepName(s), done, total))
		}})
	if err != nil {
		return err
	}
	// The folder remembers its database, as `init --db` makes it, so that
	// `--repo FOLDER` (and the server) open the migrated repository.
	urlFile := filepath.Join(*filesTo, local.DatabaseFile)
	if _, err := os.Stat(urlFile); os.IsNotExist(err) {
		if err := os.WriteFile(urlFile, []byte(*to+"\n"), diskmode.File()); err != nil {
			return core.E("migrate", core.IO, fmt.Sprintf("cannot write %s", urlFile), err)
		}
	}
	return env.Print(rep, func(w io.Writer) {
		if rep.Resumed {
			fmt.Fprintln(w, "Resumed the migration recorded in the target.")
		}
		fmt.Fprintf(w, "Migrated %s into %s: %s.\n", safe(rep.From), safe(rep.To), countsLine(rep.Counts))
		fmt.Fprintf(w, "Files: %d (%s) in %s, %d hard-linked and %d copied in this run.\n", rep.Files, humanBytes(rep.Bytes), safe(rep.FilesTo), rep.Linked, rep.Copied)
		if rep.PreservedIDs {
			fmt.Fprintln(w, "Object IDs are the same as in the local repository.")
		}
		for _, n := range rep.Notes {
			fmt.Fprintf(w, "Note: %s.\n", safe(n))
		}
		fmt.Fprintf(w, "Verified: the counts per class match, and %d files' checksums.\n", rep.Checksums)
		fmt.Fprintf(w, "Serve it with: ocular-cli serve --repo %s (users log in again; their passwords came along).\n", safe(rep.FilesTo))
	})
}

func stepName(s string) string {
	switch s {
	case "files":
		return "placing the managed files"
	case "verify":
		return "checking the files' checksums"
	}
	return "copying " + s
}

func abs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	return a
}
