// Package repofiles knows the files a repository's rows name (the originals
// of its filesets and its attached files), and places and checks copies of
// them: what backup, restore and migrate share. It reads rows through plain
// SQL that SQLite's and PostgreSQL's schemas answer alike.
package repofiles

import (
	"context"
	"encoding/json"
	"path"
	"strings"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/checksum"
)

// The folders of a repository that hold files named by rows (the names
// core/inprocess uses: ManagedDirName, FilesDirName).
const (
	ManagedDir = "ManagedRepository"
	FilesDir   = "Files"
)

// File is one file a repository's rows name.
type File struct {
	// Path is relative to the repository folder, slash-separated:
	// ManagedRepository/... for fileset originals, Files/... for attachments.
	Path string `json:"path"`
	Size int64  `json:"size"`
	// Checksum is the one recorded when the file was imported or uploaded,
	// named by its algorithm (core/checksum); "" when none was recorded.
	Checksum string `json:"checksum,omitempty"`
}

// Querier runs a query and calls each for every row (scan reads the row's
// columns). Adapters: SQL (database/sql) and Pgx (pgx).
type Querier func(ctx context.Context, query string, each func(scan func(dest ...any) error) error) error

// Each calls fn for every file the repository's rows name, fileset
// originals first, each kind in path order. A path no repository writes
// (absolute, or climbing out with "..") is refused: such a row cannot have
// come from Ocular and following it would reach outside the repository.
func Each(ctx context.Context, q Querier, fn func(File) error) error {
	const op = "list files"
	err := q(ctx, "SELECT repo_path, size, checksum FROM fileset_entry ORDER BY repo_path", func(scan func(...any) error) error {
		var rel, sum string
		var size int64
		if err := scan(&rel, &size, &sum); err != nil {
			return err
		}
		if !safeRel(rel) {
			return core.Errorf(op, core.Invalid, "a fileset names %q, which is not a path inside the managed repository; the database is damaged", rel)
		}
		return fn(File{Path: ManagedDir + "/" + rel, Size: size, Checksum: checksum.Clean(sum)})
	})
	if err != nil {
		return err
	}
	return q(ctx, "SELECT attrs FROM object WHERE class = 'OriginalFile' AND attrs IS NOT NULL ORDER BY id", func(scan func(...any) error) error {
		var attrs string
		if err := scan(&attrs); err != nil {
			return err
		}
		var a struct {
			Path string `json:"path"`
			Size int64  `json:"size"`
			Hash string `json:"hash"`
		}
		if json.Unmarshal([]byte(attrs), &a) != nil || a.Path == "" {
			return nil // a file annotation without stored bytes
		}
		if !safeRel(a.Path) {
			return core.Errorf(op, core.Invalid, "an attachment names %q, which is not a path inside the repository; the database is damaged", a.Path)
		}
		return fn(File{Path: a.Path, Size: a.Size, Checksum: checksum.Clean(a.Hash)})
	})
}

// safeRel accepts a clean, relative, slash-separated path that stays inside
// its folder.
func safeRel(p string) bool {
	return p != "" && !strings.HasPrefix(p, "/") && path.Clean(p) == p && p != ".." && !strings.HasPrefix(p, "../") && !strings.Contains(p, "\\")
}

// Valid reports whether p is a path a repository's rows can name: inside
// ManagedRepository/ or Files/, clean and relative. Restore checks a
// manifest's paths with it, so a tampered manifest writes nowhere else.
func Valid(p string) bool {
	return safeRel(p) && (strings.HasPrefix(p, ManagedDir+"/") || strings.HasPrefix(p, FilesDir+"/"))
}
