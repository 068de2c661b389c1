// Package demo builds the training setup of OMERO workshops into a fresh
// repository, offline: users named after famous scientists, the groups of
// the training material (one per permission level), and for every user an
// independent copy of the same training data (a project with datasets of
// multi-channel images, an orphaned image, a screen with a plate), written
// as real OME-TIFF files once and hard-linked for every user, so 50 users
// cost one set of storage.
//
// Everything goes through core.Service as the root administrator, so every
// permission rule is honoured exactly as for data imported by hand. The
// desktop app calls EnsureDefault on first run; `ocular-cli demo` calls
// Build.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/diskmode"
	"github.com/ocular-lab/ocular/core/formats/detect"
)

// Defaults of the training setup.
const (
	// DefaultPassword is every demo user's password (and root's, when the
	// demo creates the repository). It is documented in the README.
	DefaultPassword = "ome-training"
	DefaultUsers    = 50
	// MaxUsers bounds the setup to what a workshop needs.
	MaxUsers = 1000

	// ReadAnnotateGroup holds everyone's data; users browse and annotate
	// each other's images there, as in the OMERO training material.
	ReadAnnotateGroup = "training-read-annotate"
	ReadOnlyGroup     = "training-read-only"
	// LabGroup is a read-write lab group with user-1 as its PI.
	LabGroup = "AG_1234"
	// NewUsersGroup is where an administrator puts users created later.
	NewUsersGroup = "default"
	// labSize is how many users (user-1 first) are in the lab group.
	labSize = 6
)

// Options controls Build.
type Options struct {
	// Users is the number of demo users (user-1 … user-N); 0 means DefaultUsers.
	Users int
	// Password is the users' password; "" means DefaultPassword.
	Password string
	// RootPassword logs in as root; "" means Password.
	RootPassword string
	// Progress, when set, is told what is happening (done of total steps).
	Progress func(step string, done, total int)
}

// User is one demo account.
type User struct {
	ID            core.ID `json:"id"`
	Username      string  `json:"username"`
	FirstName     string  `json:"firstName"`
	LastName      string  `json:"lastName"`
	PersonalGroup string  `json:"personalGroup"`
}

// Group is one group of the setup.
type Group struct {
	Name    string   `json:"name"`
	Type    string   `json:"type"`
	Members int      `json:"members"`
	Owners  []string `json:"owners,omitempty"`
}

// Summary says what Build made.
type Summary struct {
	Repository string  `json:"repository"`
	Password   string  `json:"password"`
	Users      []User  `json:"users"`
	Groups     []Group `json:"groups"`
	// Per user: images (plate fields included) and files.
	ImagesPerUser int `json:"imagesPerUser"`
	FilesPerUser  int `json:"filesPerUser"`
	// SetBytes is the size of the one set of files every user shares.
	SetBytes int64 `json:"setBytes"`
	// Transfer is "hardlink", or "copy" when the file system could not link.
	Transfer string        `json:"transfer"`
	Elapsed  time.Duration `json:"elapsedNs"`
}

// acquired is the acquisition date written into every file: fixed, so the
// metadata is the same on every build.
var acquired = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

// Build creates the training setup in a freshly initialised repository,
// logged in as root. It refuses a repository that already has the training
// groups. Build is not one transaction: on error the repository is left
// half-built, and callers that created it for the demo should remove it
// (EnsureDefault does).
func Build(ctx context.Context, svc core.Service, opts Options) (*Summary, error) {
	const op = "demo"
	start := time.Now()
	if opts.Users == 0 {
		opts.Users = DefaultUsers
	}
	if opts.Users < 1 || opts.Users > MaxUsers {
		return nil, core.Errorf(op, core.Invalid, "the demo needs between 1 and %d users, not %d", MaxUsers, opts.Users)
	}
	if opts.Password == "" {
		opts.Password = DefaultPassword
	}
	if opts.RootPassword == "" {
		opts.RootPassword = opts.Password
	}
	root, err := svc.Login(ctx, "root", opts.RootPassword, "")
	if err != nil {
		return nil, core.E(op, err)
	}
	defer root.Logout(context.WithoutCancel(ctx))
	managed := root.ManagedDir()
	if managed == "" {
		return nil, core.Errorf(op, core.Unsupported, "the training demo is built into a local repository, not a server")
	}
	if _, err := root.Group(ctx, ReadAnnotateGroup); err == nil {
		return nil, core.Errorf(op, core.Conflict, "this repository already has the training groups; build the demo into a new repository")
	}
	b := &builder{op: op, root: root, opts: opts, managed: managed, cat: catalog(), start: start}
	b.total = opts.Users + 3
	return b.run(ctx)
}

// builder carries one Build.
type builder struct {
	op      string
	root    core.Session
	opts    Options
	managed string
	cat     []filesetSpec
	start   time.Time
	total   int
	done    int

	groups   map[string]core.Group
	users    []User
	files    map[string]masterFile
	transfer string
	importer importer.Config
}

func (b *builder) progress(step string) {
	b.done++
	if b.opts.Progress != nil {
		b.opts.Progress(step, b.done, b.total)
	}
}

func (b *builder) run(ctx context.Context) (*Summary, error) {
	// Render and write the one set of files while the accounts are made:
	// both are CPU-bound, and password hashing leaves a core free.
	staging := filepath.Join(b.managed, ".demo-set-"+randomHex())
	if err := os.MkdirAll(staging, diskmode.Dir()); err != nil {
		return nil, core.E(b.op, core.IO, "cannot create the managed repository folder", err)
	}
	// The staging names go once every user has their links.
	defer os.RemoveAll(staging)
	setCtx, cancel := context.WithCancel(ctx)
	type setResult struct {
		files map[string]masterFile
		err   error
	}
	setCh := make(chan setResult, 1)
	go func() {
		f, err := writeSet(setCtx, staging, b.cat, acquired)
		setCh <- setResult{f, err}
	}()
	waited := false
	defer func() {
		cancel()
		if !waited {
			<-setCh
		}
	}()

	if err := b.makeGroups(ctx); err != nil {
		return nil, err
	}
	b.progress("groups")
	if err := b.makeUsers(ctx); err != nil {
		return nil, err
	}
	b.progress("users")
	res := <-setCh
	waited = true
	if res.err != nil {
		return nil, core.E(b.op, core.IO, "cannot write the training images", res.err)
	}
	b.files = res.files
	b.progress("images")

	if err := b.root.SetGroup(ctx, b.groups[ReadAnnotateGroup].ID); err != nil {
		return nil, core.E(b.op, err)
	}
	me, err := b.root.Me(ctx)
	if err != nil {
		return nil, err
	}
	b.importer = importer.Config{Session: b.root, Open: detect.Open, Thumbs: thumbcache.ForRepository(me.Repository),
		Memo: importer.NewMemo()}
	for _, u := range b.users {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := b.populate(ctx, u); err != nil {
			return nil, core.E(b.op, fmt.Sprintf("cannot create the training data of %s", u.Username), err)
		}
		b.progress(u.Username)
	}
	// Hard links unless the file system refused them (the pipeline then copied).
	b.transfer = importer.Hardlink
	for _, mf := range b.files {
		entries, err := b.root.ImportedFiles(ctx, mf.path)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if e.Transfer != importer.Hardlink {
				b.transfer = e.Transfer
			}
		}
		break
	}
	return b.summary(ctx)
}

func randomHex() string {
	var r [6]byte
	rand.Read(r[:])
	return hex.EncodeToString(r[:])
}

// makeGroups creates the shared groups and one private group per user.
func (b *builder) makeGroups(ctx context.Context) error {
	b.groups = map[string]core.Group{}
	mk := func(name string, level core.Level, desc string) error {
		g, err := b.root.CreateGroup(ctx, name, level, desc)
		if err != nil {
			return core.E(b.op, err)
		}
		b.groups[name] = g
		return nil
	}
	if err := mk(ReadAnnotateGroup, core.ReadAnnotate, "Everyone's training data: browse and annotate each other's images."); err != nil {
		return err
	}
	if err := mk(ReadOnlyGroup, core.ReadOnly, "Members see each other's data but cannot annotate it."); err != nil {
		return err
	}
	if err := mk(LabGroup, core.ReadWrite, "A lab group: the PI and the members edit each other's data."); err != nil {
		return err
	}
	if err := mk(NewUsersGroup, core.Private, "The group for new users."); err != nil {
		return err
	}
	for i := 0; i < b.opts.Users; i++ {
		s := ScientistFor(i)
		if err := mk(PersonalGroupName(s), core.Private, fmt.Sprintf("%s %s's private group.", s.First, s.Last)); err != nil {
			return err
		}
	}
	return nil
}

// makeUsers creates the accounts, two at a time: bcrypt at its default cost
// is the slow part, and it runs outside the database transaction.
func (b *builder) makeUsers(ctx context.Context) error {
	// One at a time, so that user-1, user-2... get increasing IDs that
	// trainers can rely on; the set of images is written meanwhile.
	b.users = make([]User, b.opts.Users)
	for i := range b.users {
		u, err := b.makeUser(ctx, i)
		if err != nil {
			return err
		}
		b.users[i] = u
	}
	return b.root.AddToGroup(ctx, b.groups[LabGroup].ID, []core.ID{b.users[0].ID}, true)
}

func (b *builder) makeUser(ctx context.Context, i int) (User, error) {
	s := ScientistFor(i)
	personal := PersonalGroupName(s)
	groups := []core.ID{b.groups[ReadAnnotateGroup].ID, b.groups[ReadOnlyGroup].ID, b.groups[personal].ID}
	if i < labSize {
		groups = append(groups, b.groups[LabGroup].ID)
	}
	e, err := b.root.CreateUser(ctx, core.NewUser{Username: "user-" + strconv.Itoa(i+1), FirstName: s.First, LastName: s.Last,
		Email: fmt.Sprintf("user-%d@training.invalid", i+1), Institution: "Ocular training", Password: b.opts.Password, Groups: groups})
	if err != nil {
		return User{}, core.E(b.op, err)
	}
	if err := b.root.AddToGroup(ctx, b.groups[personal].ID, []core.ID{e.ID}, true); err != nil {
		return User{}, core.E(b.op, err)
	}
	return User{ID: e.ID, Username: e.Username, FirstName: s.First, LastName: s.Last, PersonalGroup: personal}, nil
}

// summary describes the setup as it now is in the repository.
func (b *builder) summary(ctx context.Context) (*Summary, error) {
	sum := &Summary{Repository: filepath.Dir(b.managed), Password: b.opts.Password, Users: b.users, Transfer: b.transfer}
	for _, fs := range b.cat {
		sum.ImagesPerUser += len(fs.images)
	}
	sum.FilesPerUser = len(b.files)
	for _, f := range b.files {
		sum.SetBytes += f.size
	}
	for _, name := range []string{ReadAnnotateGroup, ReadOnlyGroup, LabGroup, NewUsersGroup} {
		gi, err := b.root.Group(ctx, name)
		if err != nil {
			return nil, core.E(b.op, err)
		}
		g := Group{Name: gi.Name, Type: gi.Level.String(), Members: len(gi.Members)}
		for _, m := range gi.Members {
			if m.Owner {
				g.Owners = append(g.Owners, m.Username)
			}
		}
		sum.Groups = append(sum.Groups, g)
	}
	sum.Elapsed = time.Since(b.start)
	return sum, nil
}
