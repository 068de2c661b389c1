package cliconfig

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSaveLoadClear(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cfg", "ocular", "session.json")
	if _, ok, err := Load(path); ok || err != nil {
		t.Fatalf("Load before Save: ok=%v err=%v, want no session and no error", ok, err)
	}
	want := Session{Repository: "/data/repo", Key: "abc123", Username: "ada", Group: "lab"}
	if err := Save(path, want); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("session file mode = %v, want 0600 (it holds a credential)", st.Mode().Perm())
	}
	if dst, _ := os.Stat(filepath.Dir(path)); dst.Mode().Perm() != 0o700 {
		t.Errorf("session folder mode = %v, want 0700", dst.Mode().Perm())
	}
	got, ok, err := Load(path)
	if err != nil || !ok || got != want {
		t.Fatalf("Load = %+v, %v, %v; want %+v", got, ok, err, want)
	}
	b, _ := os.ReadFile(path)
	if strings.Contains(strings.ToLower(string(b)), "password") {
		t.Errorf("session file mentions a password: %s", b)
	}
	if err := Clear(path); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := Load(path); ok {
		t.Error("session still there after Clear")
	}
	if err := Clear(path); err != nil {
		t.Errorf("Clear of a missing file: %v", err)
	}
}

func TestLoadDamaged(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"garbage.json": "{not json",
		"empty.json":   "{}",
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o600)
		if _, ok, err := Load(p); ok || err == nil || !strings.Contains(err.Error(), "log in again") {
			t.Errorf("%s: ok=%v err=%v, want a damaged-file error", name, ok, err)
		}
	}
	if _, _, err := Load(dir); err == nil {
		t.Error("a folder loaded as a session file")
	}
}

func TestDefaultPathFollowsXDG(t *testing.T) {
	d := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", d)
	p, err := DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if p != filepath.Join(d, "ocular", "session.json") {
		t.Errorf("DefaultPath = %s", p)
	}
}

func TestSameRepository(t *testing.T) {
	d := t.TempDir()
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(d, link); err != nil {
		t.Skip("no symlinks:", err)
	}
	if !SameRepository(d, link+"/") || !SameRepository(d, filepath.Join(d, "x", "..")) {
		t.Error("the same folder under two names is not recognised")
	}
	if SameRepository(d, filepath.Join(d, "other")) {
		t.Error("different folders taken for the same")
	}
}

func TestServerSession(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.json")
	want := Session{Server: "https://lab.example:4080", Fingerprint: "SHA256:ab", Key: "k", Username: "ada"}
	if err := Save(path, want); err != nil {
		t.Fatal(err)
	}
	got, ok, err := Load(path)
	if err != nil || !ok || got != want || !got.Remote() || got.Where() != want.Server {
		t.Fatalf("Load = %+v, %v, %v; want %+v", got, ok, err, want)
	}
	if err := Save(path, Session{Key: "k", Username: "ada"}); err == nil {
		t.Error("a session with neither repository nor server was saved")
	}
	if err := Save(path, Session{Key: "k", Repository: "/r", Server: "https://x"}); err == nil {
		t.Error("a session with both a repository and a server was saved")
	}
	if !SameServer("HTTPS://Lab.Example:4080/", "https://lab.example:4080") {
		t.Error("addresses differing only in case and a trailing slash are not the same server")
	}
	if SameServer("https://lab.example:4080", "https://lab.example:4081") || SameServer("", "") {
		t.Error("different or empty addresses are the same server")
	}
}
