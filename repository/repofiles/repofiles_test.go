package repofiles

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/checksum"
)

func TestValid_RefusesPathsOutsideTheRepository(t *testing.T) {
	for p, want := range map[string]bool{
		"ManagedRepository/ada_2/a.tif":  true,
		"Files/ada_2/k/protocol.txt":     true,
		"ocular.db":                      false,
		"ManagedRepository/../ocular.db": false,
		"/etc/passwd":                    false,
		"Files/../../x":                  false,
		"ManagedRepository/a//b":         false,
		"":                               false,
	} {
		if Valid(p) != want {
			t.Errorf("Valid(%q) = %v", p, !want)
		}
	}
}

// rowsOf answers Each's two queries from fixed rows.
func rowsOf(entries [][]any, attrs []string) Querier {
	return func(ctx context.Context, query string, each func(scan func(...any) error) error) error {
		if strings.Contains(query, "fileset_entry") {
			for _, e := range entries {
				if err := each(func(dest ...any) error {
					*dest[0].(*string), *dest[1].(*int64), *dest[2].(*string) = e[0].(string), e[1].(int64), e[2].(string)
					return nil
				}); err != nil {
					return err
				}
			}
			return nil
		}
		for _, a := range attrs {
			if err := each(func(dest ...any) error { *dest[0].(*string) = a; return nil }); err != nil {
				return err
			}
		}
		return nil
	}
}

func TestEach_ListsFilesAndRefusesDamagedPaths(t *testing.T) {
	ctx := context.Background()
	sum := strings.Repeat("ab", 32)
	var got []File
	err := Each(ctx, rowsOf([][]any{{"ada_2/a.tif", int64(3), sum}, {"ada_2/b.tif", int64(4), "x"}},
		[]string{`{"path":"Files/ada_2/k/p.txt","size":5,"hash":"` + sum + `"}`, `{"name":"no bytes"}`, `not json`}),
		func(f File) error { got = append(got, f); return nil })
	if err != nil {
		t.Fatal(err)
	}
	// A bare hex checksum is an earlier version's SHA-256, and is named so.
	want := []File{{"ManagedRepository/ada_2/a.tif", 3, "sha256:" + sum}, {"ManagedRepository/ada_2/b.tif", 4, ""}, {"Files/ada_2/k/p.txt", 5, "sha256:" + sum}}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("file %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	err = Each(ctx, rowsOf([][]any{{"../../etc/passwd", int64(1), ""}}, nil), func(File) error { return nil })
	if !core.Is(core.Invalid, err) {
		t.Errorf("a path climbing out: %v", err)
	}
	err = Each(ctx, rowsOf(nil, []string{`{"path":"/etc/passwd"}`}), func(File) error { return nil })
	if !core.Is(core.Invalid, err) {
		t.Errorf("an absolute attachment path: %v", err)
	}
}

func TestPlace_LinksCopiesResumesAndRefusesOtherBytes(t *testing.T) {
	ctx := context.Background()
	src, dst := t.TempDir(), t.TempDir()
	rel := "ManagedRepository/a/b.tif"
	os.MkdirAll(filepath.Join(src, "ManagedRepository/a"), 0o700)
	os.WriteFile(filepath.Join(src, rel), []byte("pixels"), 0o600)
	h := sha256.Sum256([]byte("pixels"))
	want := hex.EncodeToString(h[:])

	// Hashed in the algorithm asked for: an old repository's SHA-256.
	p, err := Place(ctx, src, dst, rel, How{Hash: true, Algorithm: checksum.SHA256})
	if err != nil || !p.Copied || p.Checksum != "sha256:"+want || p.Size != 6 {
		t.Fatalf("copy: %+v, %v", p, err)
	}
	if p, err = Place(ctx, src, dst, rel, How{Hash: true}); err != nil || !p.Existed {
		t.Fatalf("again: %+v, %v", p, err)
	}
	os.Remove(filepath.Join(dst, rel))
	os.WriteFile(filepath.Join(dst, rel), []byte("PIXELS"), 0o600)
	if _, err := Place(ctx, src, dst, rel, How{Hash: true}); !core.Is(core.Conflict, err) {
		t.Errorf("a destination with other bytes: %v", err)
	}
	dst2 := t.TempDir()
	if p, err = Place(ctx, src, dst2, rel, How{Link: true}); err != nil || !p.Linked {
		t.Fatalf("link: %+v, %v", p, err)
	}
	if _, err := Place(ctx, src, dst2, "ManagedRepository/none.tif", How{Link: true}); err != ErrMissing {
		t.Errorf("a missing source: %v", err)
	}
	// No partial file is left beside a copy.
	entries, _ := os.ReadDir(filepath.Join(dst, "ManagedRepository/a"))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".partial-") {
			t.Errorf("left %s", e.Name())
		}
	}
}
