package main

import (
	"encoding/json"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// fillRepository puts one of everything the repository keeps on disk into
// a freshly initialised repository: an imported original, an attachment,
// cached thumbnails, and the database with its WAL files.
func fillRepository(t *testing.T, c *testCLI) {
	t.Helper()
	c.ok("login", "-u", "root", "-w", "omero")
	c.ok("group", "add", "lab", "--type", "read-annotate")
	c.ok("user", "add", "ada", "Ada", "Lovelace", "--group-name", "lab", "-P", "pw")
	ada := c.as("ada")
	src := t.TempDir()
	writeTestOME(t, filepath.Join(src, "a.ome.tiff"))
	os.Chmod(filepath.Join(src, "a.ome.tiff"), 0o644)
	ada.ok("import", filepath.Join(src, "a.ome.tiff"))
	note := filepath.Join(src, "notes.txt")
	os.WriteFile(note, []byte("protocol"), 0o644)
	ada.ok("upload", note)
	img := strings.TrimSpace(ada.ok("obj", "list", "Image", "--json"))
	var imgs []struct{ ID int64 }
	if err := json.Unmarshal([]byte(img), &imgs); err != nil || len(imgs) == 0 {
		t.Fatalf("no image: %s %v", img, err)
	}
	ada.ok("thumbnail", "Image:"+strconv.FormatInt(imgs[0].ID, 10), "-o", filepath.Join(src, "t.png"))
}

// modesOnDisk lists every folder and file of the repository whose mode (or
// group, when gid >= 0) differs from the wanted ones, and counts the files.
func modesOnDisk(t *testing.T, repo string, dirMode, fileMode fs.FileMode, gid int) (wrong []string, files int) {
	t.Helper()
	filepath.WalkDir(repo, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		st, err := os.Lstat(p)
		if err != nil {
			return nil // a WAL file going away
		}
		want := fileMode
		if d.IsDir() {
			want = dirMode
		} else {
			files++
		}
		got := st.Mode() & (fs.ModePerm | fs.ModeSetgid)
		rel, _ := filepath.Rel(repo, p)
		if got != want {
			wrong = append(wrong, rel+": "+got.String()+", want "+want.String())
		}
		if gid >= 0 && int(st.Sys().(*syscall.Stat_t).Gid) != gid {
			wrong = append(wrong, rel+": group "+strconv.Itoa(int(st.Sys().(*syscall.Stat_t).Gid))+", want "+strconv.Itoa(gid))
		}
		return nil
	})
	return wrong, files
}

// A new repository is private: its folders are 0700 and its files 0600,
// the database, originals, attachments and caches alike.
func TestNewRepositoryIsPrivateOnDisk(t *testing.T) {
	c := newCLI(t)
	out := c.ok("init", "--root-password", "omero")
	me, _ := user.Current()
	if !strings.Contains(out, "repository private to user "+me.Username) {
		t.Errorf("init says:\n%s", out)
	}
	fillRepository(t, c)
	wrong, files := modesOnDisk(t, c.repo, 0o700, 0o600, -1)
	if len(wrong) > 0 {
		t.Errorf("modes on disk:\n%s", strings.Join(wrong, "\n"))
	}
	if files < 5 {
		t.Errorf("only %d files in the repository: the test did not fill it", files)
	}
	if v := c.ok("version"); !strings.Contains(v, "repository private to user "+me.Username+" (nothing for other accounts)") {
		t.Errorf("version:\n%s", v)
	}
	// The session file is the user's only.
	if st, err := os.Stat(c.config); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("session file: %v %v", st.Mode(), err)
	}
	if st, err := os.Stat(filepath.Dir(c.config)); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("session folder: %v %v", st.Mode(), err)
	}
}

// init --shared GROUP gives the repository to a Unix group: folders 2770
// (setgid, so everything made later belongs to the group), files 0660.
func TestSharedRepositoryBelongsToItsGroup(t *testing.T) {
	g, err := user.LookupGroupId(strconv.Itoa(os.Getgid()))
	if err != nil {
		t.Skip("the test's own group has no name:", err)
	}
	c := newCLI(t)
	out := c.ok("init", "--root-password", "omero", "--shared", g.Name)
	want := "repository shared with Unix group " + g.Name + " (rw for the group, nothing for others)"
	if !strings.Contains(out, want) {
		t.Errorf("init says:\n%s", out)
	}
	fillRepository(t, c)
	wrong, _ := modesOnDisk(t, c.repo, 0o770|fs.ModeSetgid, 0o660, os.Getgid())
	if len(wrong) > 0 {
		t.Errorf("modes on disk:\n%s", strings.Join(wrong, "\n"))
	}
	if v := c.ok("version"); !strings.Contains(v, want) {
		t.Errorf("version:\n%s", v)
	}
	var v struct {
		RepositoryAccess struct{ UnixGroup string }
	}
	if err := json.Unmarshal([]byte(c.ok("version", "--json")), &v); err != nil || v.RepositoryAccess.UnixGroup != g.Name {
		t.Errorf("version --json: %+v %v", v, err)
	}
}

func TestSharedWithAnUnknownGroupCreatesNothing(t *testing.T) {
	c := newCLI(t)
	c.failsWith(ExitError, "no Unix group", "init", "--root-password", "omero", "--shared", "no-such-group-ocular")
	if _, err := os.Stat(c.repo); !os.IsNotExist(err) {
		t.Errorf("a failed init left %s: %v", c.repo, err)
	}
}

// A repository written before modes were kept (0755 folders, 0644 files):
// opening it closes the folder and the database to other accounts at once,
// and `repair` brings every file and folder to 0700/0600.
func TestOldWorldReadableRepositoryIsTightened(t *testing.T) {
	c := newCLI(t)
	c.ok("init", "--root-password", "omero")
	fillRepository(t, c)
	filepath.WalkDir(c.repo, func(p string, d fs.DirEntry, err error) error {
		if d.IsDir() {
			os.Chmod(p, 0o755)
		} else {
			os.Chmod(p, 0o644)
		}
		return nil
	})
	c.ok("whoami")
	for _, p := range []string{c.repo, filepath.Join(c.repo, "ocular.db")} {
		st, _ := os.Stat(p)
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s is still %v after opening", p, st.Mode())
		}
	}
	out := c.ok("repair")
	if !strings.Contains(out, "Set the permissions of") {
		t.Errorf("repair says:\n%s", out)
	}
	if wrong, _ := modesOnDisk(t, c.repo, 0o700, 0o600, -1); len(wrong) > 0 {
		t.Errorf("after repair:\n%s", strings.Join(wrong, "\n"))
	}
}

// The training demo (what the desktop app builds on its first run, through
// the same local.Create) is private too.
func TestDemoRepositoryIsPrivateOnDisk(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a demo")
	}
	c := newCLI(t)
	c.ok("demo", "--users", "1")
	wrong, files := modesOnDisk(t, c.repo, 0o700, 0o600, -1)
	if len(wrong) > 0 {
		t.Errorf("modes on disk:\n%s", strings.Join(wrong, "\n"))
	}
	if files < 10 {
		t.Errorf("only %d files: the demo was not built", files)
	}
}
