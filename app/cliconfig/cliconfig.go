// Package cliconfig keeps ocular-cli's saved login session between commands:
// which repository (a local folder) or server (an address with its pinned
// certificate fingerprint) it belongs to, the session key the repository
// handed out, and who is logged in. The password is never stored; the
// session key alone lets later commands resume, until `logout` or the
// session's expiry.
//
// The file is os.UserConfigDir()/ocular/session.json
// ($XDG_CONFIG_HOME/ocular/session.json or ~/.config/ocular/session.json),
// readable by its owner only (0600, folder 0700) because the key is a
// credential.
package cliconfig

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

// Session is what `ocular-cli login` saves.
type Session struct {
	// Repository is the absolute path of the repository folder the session
	// belongs to; a command run against another repository does not use it.
	// Empty for a session on a server.
	Repository string `json:"repository,omitempty"`
	// Server is the address (https://host:port) of the server the session
	// belongs to; empty for a local repository.
	Server string `json:"server,omitempty"`
	// Fingerprint pins the server's certificate ("SHA256:hex"), trusted at
	// login; empty when a certificate authority vouches for it.
	Fingerprint string `json:"fingerprint,omitempty"`
	// Insecure allows plain http:// to a server that is not on loopback.
	Insecure bool   `json:"insecure,omitempty"`
	Key      string `json:"sessionKey"`
	Username string `json:"username"`
	Group    string `json:"group,omitempty"` // the group chosen at login, for display
}

// maxFileSize bounds what Load reads: a session file is a few hundred bytes.
const maxFileSize = 64 << 10

// DefaultPath is where the session is kept for the current user.
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", core.E("session file", core.IO, "cannot find your configuration folder (set HOME or XDG_CONFIG_HOME)", err)
	}
	return filepath.Join(dir, "ocular", "session.json"), nil
}

// Load reads the saved session at path. ok is false when there is none.
func Load(path string) (s Session, ok bool, err error) {
	const op = "read session file"
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, false, nil
	}
	if err != nil {
		return s, false, core.E(op, core.IO, fmt.Sprintf("cannot read %s", path), err)
	}
	if !st.Mode().IsRegular() || st.Size() > maxFileSize {
		return s, false, core.Errorf(op, core.Invalid, "%s is not a session file; delete it and log in again", path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return s, false, core.E(op, core.IO, fmt.Sprintf("cannot read %s", path), err)
	}
	if err := json.Unmarshal(b, &s); err != nil || s.Key == "" || (s.Repository == "") == (s.Server == "") {
		return Session{}, false, core.Errorf(op, core.Invalid, "%s is damaged; delete it and log in again", path)
	}
	return s, true, nil
}

// Save writes s to path atomically (a temporary file renamed over the old
// one), creating the folder if needed, with permissions 0600.
func Save(path string, s Session) error {
	const op = "save session"
	if s.Key == "" || (s.Repository == "") == (s.Server == "") {
		return core.Errorf(op, core.Internal, "a saved session needs a key and either a repository or a server")
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return core.E(op, core.IO, fmt.Sprintf("cannot create %s", dir), err)
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return core.E(op, core.Internal, err)
	}
	f, err := os.CreateTemp(dir, ".session-*.json")
	if err != nil {
		return core.E(op, core.IO, fmt.Sprintf("cannot write in %s", dir), err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // harmless after the rename
	// CreateTemp makes 0600 files already; Chmod states the intent and
	// covers unusual umask-less file systems.
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return core.E(op, core.IO, err)
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return core.E(op, core.IO, fmt.Sprintf("cannot write %s", tmp), err)
	}
	if err := f.Close(); err != nil {
		return core.E(op, core.IO, fmt.Sprintf("cannot write %s", tmp), err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return core.E(op, core.IO, fmt.Sprintf("cannot replace %s", path), err)
	}
	return nil
}

// Clear removes the saved session; a missing file is not an error.
func Clear(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return core.E("remove session", core.IO, fmt.Sprintf("cannot remove %s", path), err)
	}
	return nil
}

// SameRepository reports whether two repository paths name the same folder,
// after making them absolute and resolving symbolic links where possible.
func SameRepository(a, b string) bool {
	return CanonicalPath(a) == CanonicalPath(b)
}

// CanonicalPath is the absolute, symlink-resolved form of a repository path
// (the path as given, cleaned, when it cannot be resolved).
func CanonicalPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	return filepath.Clean(p)
}

// Remote reports whether the session belongs to a server.
func (s Session) Remote() bool { return s.Server != "" }

// Where names what the session belongs to: the server's address or the
// repository's folder.
func (s Session) Where() string {
	if s.Server != "" {
		return s.Server
	}
	return s.Repository
}

// SameServer reports whether two server addresses name the same server:
// scheme and host compared without case, a trailing slash ignored.
func SameServer(a, b string) bool {
	return a != "" && b != "" && CanonicalServer(a) == CanonicalServer(b)
}

// CanonicalServer is the form of a server address that is saved and
// compared: scheme and host in lower case, no trailing slash. An address
// that does not parse is returned trimmed, as given.
func CanonicalServer(addr string) string {
	addr = strings.TrimRight(strings.TrimSpace(addr), "/")
	u, err := url.Parse(addr)
	if err != nil || u.Host == "" {
		return addr
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	return u.String()
}
