package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/backup"
	"github.com/ocular-lab/ocular/repository/local"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// `backup` copies a repository while it is in use: the database (SQLite's
// online backup, or pg_dump for a repository whose rows are in
// PostgreSQL), the managed files (hard links on the same file system,
// copies otherwise) and a manifest of their sizes and checksums, written
// last. `restore` makes a repository from it. Both work on the folders
// directly, like any program with access to them: no login.

func init() {
	Register(&Command{Name: "backup", Args: "--to BACKUPDIR [--repo DIR] [--db postgres://...]",
		Short: "back up a repository while it is in use (database, managed files, checksum manifest)", Run: runBackup})
}

// postgresOf names the database of a PostgreSQL-backed repository: --db,
// else the address its folder remembers ("" for an SQLite repository).
func postgresOf(env *Env) (string, error) {
	if env.DB != "" {
		return env.DB, nil
	}
	if _, err := os.Stat(filepath.Join(env.Repo, sqlite.DBName)); err == nil {
		return "", nil
	}
	b, err := os.ReadFile(filepath.Join(env.Repo, local.DatabaseFile))
	if os.IsNotExist(err) {
		return "", nil
	}
	if err != nil {
		return "", core.E("backup", core.IO, fmt.Sprintf("cannot read %s", filepath.Join(env.Repo, local.DatabaseFile)), err)
	}
	return strings.TrimSpace(string(b)), nil
}

func runBackup(env *Env, args []string) error {
	fs := env.Flags()
	to := fs.String("to", "", "the new or empty `FOLDER` to write the backup into")
	if _, err := env.Parse(fs, args, 0, 0); err != nil {
		return err
	}
	if err := env.needLocal(); err != nil {
		return err
	}
	if *to == "" {
		return env.Usagef("name the backup folder with --to FOLDER")
	}
	dsn, err := postgresOf(env)
	if err != nil {
		return err
	}
	lines := env.progressLines("backup")
	rep, err := backup.Backup(env.Ctx, backup.Source{Dir: env.Repo, Postgres: dsn}, *to, func(files int, bytes int64) {
		lines(fmt.Sprintf("%d files, %s", files, humanBytes(bytes)))
	})
	if err != nil {
		return err
	}
	return env.Print(rep, func(w io.Writer) {
		fmt.Fprintf(w, "Backed up %s into %s: the %s database (schema %d, %s) and %d managed files (%s; %d hard-linked, %d copied, %d symbolic links of in-place imports).\n",
			safe(env.Repo), safe(rep.To), engineName(rep.Engine), rep.Schema, humanBytes(rep.DatabaseBytes), rep.Files, humanBytes(rep.Bytes), rep.Linked, rep.Copied, rep.Symlinks)
		fmt.Fprintf(w, "It holds %s.\n", countsLine(rep.Counts))
		if len(rep.Missing) > 0 {
			fmt.Fprintf(w, "warning: the repository lacks %d files its database names (not in the backup): %s\n", len(rep.Missing), safe(strings.Join(rep.Missing, ", ")))
		}
		if len(rep.Damaged) > 0 {
			fmt.Fprintf(w, "warning: %d files differ from the checksum recorded at import (backed up as they are): %s\n", len(rep.Damaged), safe(strings.Join(rep.Damaged, ", ")))
		}
		fmt.Fprintf(w, "Restore it with: ocular-cli restore --from %s --repo NEWDIR\n", safe(rep.To))
	})
}

// countsLine says how many of the main kinds of object there are.
func countsLine(c map[string]int64) string {
	var parts []string
	for _, k := range []struct{ class, name string }{{"Experimenter", "users"}, {"ExperimenterGroup", "groups"},
		{"Project", "projects"}, {"Dataset", "datasets"}, {"Image", "images"}, {"Screen", "screens"}, {"Plate", "plates"},
		{"TagAnnotation", "tags"}, {"CommentAnnotation", "comments"}, {"MapAnnotation", "key-value tables"},
		{"OriginalFile", "attached or original files"}, {"RenderingDef", "rendering settings"}, {"Roi", "ROIs"}} {
		switch n := c[k.class]; {
		case n == 1 && k.name != "rendering settings":
			// "1 image", "1 key-value table", "1 attached or original file"
			parts = append(parts, "1 "+strings.TrimSuffix(k.name, "s"))
		case n > 0:
			parts = append(parts, fmt.Sprintf("%d %s", n, k.name))
		}
	}
	if len(parts) == 0 {
		return "nothing yet"
	}
	return strings.Join(parts, ", ")
}

func engineName(e string) string {
	if e == "postgres" {
		return "PostgreSQL"
	}
	return "SQLite"
}

// humanBytes writes n as B, KB, MB, GB or TB.
func humanBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}

// progressLines returns a function that prints a progress line for a human
// on stderr every two seconds at most (none for work done sooner), and
// never with --json.
func (e *Env) progressLines(label string) func(string) {
	last := time.Now()
	return func(s string) {
		if e.JSON || time.Since(last) < 2*time.Second {
			return
		}
		last = time.Now()
		fmt.Fprintf(e.Stderr, "%s: %s\n", label, s)
	}
}
