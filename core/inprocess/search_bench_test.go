package inprocess_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/internal/searchbench"
)

// BenchmarkSearch1M searches a repository of 1,000,000 images with tags,
// key-value pairs and comments (issue 12 target: the first 200 results in
// under 50 ms), as a member of the group who owns none of them, so every
// result passes the read rule. OCULAR_SEARCH_BENCH_IMAGES changes the size.
// It reports the size of the index.
func BenchmarkSearch1M(b *testing.B) {
	svc, rootPW := newRepository(b)
	_, member := searchbench.Fill(b, svc, svc.Store(), rootPW, searchbench.Size(1_000_000))
	reportIndexSize(b, svc.Store().Dir())
	for _, q := range searchbench.Queries {
		b.Run(q, func(b *testing.B) { searchbench.Search(b, member, q) })
	}
}

// reportIndexSize logs how much of the database the search index takes: the
// size of a copy without it subtracted from the size of a copy with it.
func reportIndexSize(b *testing.B, dir string) {
	db, err := sql.Open("sqlite3", filepath.Join(dir, "ocular.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tmp := b.TempDir()
	with, without := filepath.Join(tmp, "with.db"), filepath.Join(tmp, "without.db")
	if _, err := db.Exec("VACUUM INTO ?", with); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec("VACUUM INTO ?", without); err != nil {
		b.Fatal(err)
	}
	cp, err := sql.Open("sqlite3", without)
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range []string{"DROP TABLE search_fts", "DROP TABLE search_kv", "VACUUM"} {
		if _, err := cp.Exec(s); err != nil {
			b.Fatal(err)
		}
	}
	cp.Close()
	a, _ := os.Stat(with)
	c, _ := os.Stat(without)
	b.Logf("database %.1f MB, of which the search index %.1f MB", float64(a.Size())/1e6, float64(a.Size()-c.Size())/1e6)
}
