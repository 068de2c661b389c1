package local

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/diskmode"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// metaUnixGroup is the repository setting that names the Unix group a
// shared repository belongs to; a repository without it is private.
const metaUnixGroup = "unixGroup"

// Access says who may read a repository's folder on this computer.
type Access struct {
	// UnixGroup is the group the repository is shared with; "" when private.
	UnixGroup string `json:"unixGroup,omitempty"`
	// Owner is the account owning the repository folder.
	Owner string `json:"owner"`
}

// String is the sentence `ocular-cli version` prints.
func (a Access) String() string {
	if a.UnixGroup != "" {
		return fmt.Sprintf("repository shared with Unix group %s (rw for the group, nothing for others)", a.UnixGroup)
	}
	return fmt.Sprintf("repository private to user %s (nothing for other accounts)", a.Owner)
}

// AccessOf reads a repository's sharing setting and its folder's owner.
func AccessOf(ctx context.Context, svc *inprocess.Service) (Access, error) {
	var a Access
	g, err := unixGroupOf(ctx, svc)
	if err != nil {
		return a, err
	}
	a.UnixGroup = g
	a.Owner = "?"
	if st, err := os.Stat(svc.Store().Dir()); err == nil {
		if uid, ok := fileOwner(st); ok {
			a.Owner = strconv.Itoa(uid)
			if u, err := user.LookupId(a.Owner); err == nil {
				a.Owner = u.Username
			}
		}
	}
	return a, nil
}

func unixGroupOf(ctx context.Context, svc *inprocess.Service) (string, error) {
	var g string
	err := svc.Store().Read(ctx, func(tx core.Tx) error {
		v, err := tx.Meta(metaUnixGroup)
		if core.Is(core.NotFound, err) {
			return nil
		}
		g = v
		return err
	})
	return g, err
}

// usePolicy sets this process's modes (diskmode and the umask) for a
// repository shared with unixGroup, or a private one when it is "".
func usePolicy(unixGroup string) {
	diskmode.SetShared(unixGroup != "")
	setUmask(diskmode.Umask())
}

// lookupUnixGroup finds a Unix group by name.
func lookupUnixGroup(name string) (int, error) {
	g, err := user.LookupGroup(name)
	if err != nil {
		return 0, core.Errorf("init", core.Invalid, "there is no Unix group %q on this computer; create it first (groupadd %s) and add the lab's accounts to it, or choose another group", name, name)
	}
	gid, err := strconv.Atoi(g.Gid)
	if err != nil {
		return 0, core.Errorf("init", core.Invalid, "the Unix group %q has no numeric ID; choose another group", name)
	}
	return gid, nil
}

// prepareFolder makes the (empty or absent) folder for a new repository
// with the policy's mode, and gives it to gid when shared (>= 0).
func prepareFolder(dir string, gid int) error {
	const op = "create repository"
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil // sqlite.Create says what is wrong with it
	}
	if err := os.MkdirAll(dir, diskmode.Dir()); err != nil {
		return core.E(op, core.IO, fmt.Sprintf("cannot create %s", dir), err)
	}
	if gid >= 0 {
		if err := os.Chown(dir, -1, gid); err != nil {
			return core.E(op, core.Permission, fmt.Sprintf("cannot give %s to the Unix group (are you a member of it? run `id` to see your groups; after `usermod -aG`, log in again)", dir), err)
		}
	}
	if err := os.Chmod(dir, diskmode.Dir()); err != nil {
		return core.E(op, core.IO, fmt.Sprintf("cannot set the permissions of %s", dir), err)
	}
	return nil
}

// tightenTop brings the repository folder, the database and its WAL files
// to the policy's modes when they are wider (repositories made before
// modes were kept, or by a careless copy). The folder's mode alone closes
// everything inside to other accounts; `ocular-cli repair` fixes the rest.
// Errors are ignored: a member of a shared repository who does not own
// these files cannot change them, and needs not.
func tightenTop(dir string) {
	tighten(dir, diskmode.Dir())
	for _, name := range []string{sqlite.DBName, sqlite.DBName + "-wal", sqlite.DBName + "-shm"} {
		tighten(filepath.Join(dir, name), diskmode.File())
	}
}

// tighten removes from path's permissions what want does not allow (and
// keeps a shared folder's setgid bit); it never widens them.
func tighten(path string, want fs.FileMode) {
	st, err := os.Lstat(path)
	if err != nil || st.Mode()&fs.ModeSymlink != 0 {
		return
	}
	cur := st.Mode() & (fs.ModePerm | fs.ModeSetgid)
	next := cur & want
	if st.IsDir() {
		next |= want & fs.ModeSetgid
	}
	if next != cur {
		os.Chmod(path, next)
	}
}

// FixModes walks the repository and sets every folder and file to the
// repository's policy (`ocular-cli repair`): folders Dir, files File,
// and, when shared, the group. A file with several hard links (an in-place
// import shares its inode with the instrument's file) is only tightened,
// never widened or given to the group. Entries of other accounts (in a
// shared repository, each member owns what they created) cannot be changed
// by this one and are counted in NotMine: their owners' repair fixes them.
func FixModes(ctx context.Context, svc *inprocess.Service) (ModeReport, error) {
	var rep ModeReport
	g, err := unixGroupOf(ctx, svc)
	if err != nil {
		return rep, err
	}
	gid := -1
	if g != "" {
		if gid, err = lookupUnixGroup(g); err != nil {
			return rep, err
		}
	}
	usePolicy(g)
	root := svc.Store().Dir()
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		st, err := os.Lstat(p)
		if err != nil {
			return nil
		}
		want := diskmode.File()
		if d.IsDir() {
			want = diskmode.Dir()
		}
		cur := st.Mode() & (fs.ModePerm | fs.ModeSetgid)
		shared := linkCount(st) > 1 && !d.IsDir()
		if shared {
			want = cur & want & fs.ModePerm
		}
		fixed := false
		if gid >= 0 && !shared {
			if fg, ok := fileGroup(st); ok && fg != gid {
				if err := os.Lchown(p, -1, gid); err != nil {
					if errors.Is(err, fs.ErrPermission) {
						rep.NotMine++
						return nil
					}
					return core.E("repair", core.IO, fmt.Sprintf("cannot give %s to the Unix group %s", p, g), err)
				}
				fixed = true
			}
		}
		if cur != want {
			if err := os.Chmod(p, want); err != nil {
				if errors.Is(err, fs.ErrPermission) {
					rep.NotMine++
					return nil
				}
				return core.E("repair", core.IO, fmt.Sprintf("cannot set the permissions of %s", p), err)
			}
			fixed = true
		}
		if fixed {
			rep.Fixed++
		}
		return nil
	})
	return rep, err
}

// ModeReport is what FixModes did.
type ModeReport struct {
	// Fixed counts the folders and files brought to the repository's modes.
	Fixed int `json:"modesFixed"`
	// NotMine counts those another account owns, left as they are.
	NotMine int `json:"modesNotMine"`
}
