// Package inprocess implements core.Service over a core.Store: the use cases
// with their permission checks, run in the same process as the data. The
// desktop app and the CLI use it on an embedded repository; the server runs it
// behind the wire protocol, so a remote client is never trusted.
package inprocess

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ocular-lab/ocular/core"
)

// SessionLifetime is how long an unused session stays valid.
const SessionLifetime = 7 * 24 * time.Hour

// Service implements core.Service.
type Service struct {
	store core.Store
	// bcryptCost is lowered by tests and the demo builder's bulk user creation.
	bcryptCost int
	// imagesDeleted, when set, is called after a delete committed with the
	// IDs of the images it deleted (see OnImagesDeleted).
	imagesDeleted func([]core.ID)
	// unsaved are the sessions kept in memory when the disk was full.
	unsaved unsavedSessions
}

var _ core.Service = (*Service)(nil)

// New wraps an open store.
func New(store core.Store) *Service {
	return &Service{store: countWrites(store), bcryptCost: bcrypt.DefaultCost}
}

// SetPasswordCost changes the bcrypt cost (tests use bcrypt.MinCost).
func (s *Service) SetPasswordCost(cost int) { s.bcryptCost = cost }

// OnImagesDeleted sets fn to be called, after every delete that removed
// images has committed, with their IDs: the composition root passes the
// app layer's cache cleaner (app/housekeeping), which the core cannot call.
// Set it before the service is shared.
func (s *Service) OnImagesDeleted(fn func([]core.ID)) { s.imagesDeleted = fn }

// Store returns the underlying store (for the import pipeline and tools
// running in the same process).
func (s *Service) Store() core.Store { return s.store }

// Close closes the store.
func (s *Service) Close() error { return s.store.Close() }

// errBadLogin is the one message for an unknown user and a wrong password.
var errBadLogin = core.Errorf("login", core.Auth, "wrong username or password")

func (s *Service) hash(pw string) (string, error) {
	if len(pw) > 72 {
		return "", core.Errorf("", core.Invalid, "the password is too long (at most 72 bytes)")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), s.bcryptCost)
	if err != nil {
		return "", core.E("hash password", core.Internal, err)
	}
	return string(h), nil
}

// Initialize bootstraps an empty repository as OMERO does: the system, user
// and guest groups, the root full administrator and the guest account.
func (s *Service) Initialize(ctx context.Context, rootPassword string) error {
	if rootPassword == "" {
		return core.Errorf("init", core.Invalid, "the root password must not be empty")
	}
	h, err := s.hash(rootPassword)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx core.Tx) error {
		if _, err := tx.Meta("initialized"); err == nil {
			return core.Errorf("init", core.Conflict, "the repository is already initialized")
		}
		for _, g := range []core.Group{
			{ID: core.SystemGroupID, Name: "system", Level: core.Private, Description: "Administrators"},
			{ID: core.UserGroupID, Name: "user", Level: core.ReadOnly, Description: "Every active user"},
			{ID: core.GuestGroupID, Name: "guest", Level: core.Private, Description: "The guest account"},
		} {
			g := g
			if err := tx.CreateGroup(&g); err != nil {
				return err
			}
		}
		root := core.Experimenter{ID: core.RootUserID, Username: "root", FirstName: "root", LastName: "root", DefaultGroup: core.SystemGroupID}
		if err := tx.CreateExperimenter(&root, h); err != nil {
			return err
		}
		guest := core.Experimenter{ID: core.GuestUserID, Username: "guest", FirstName: "Guest", LastName: "Account", DefaultGroup: core.GuestGroupID}
		if err := tx.CreateExperimenter(&guest, ""); err != nil {
			return err
		}
		for _, m := range []core.Membership{
			{Group: core.SystemGroupID, User: core.RootUserID}, {Group: core.UserGroupID, User: core.RootUserID},
			{Group: core.GuestGroupID, User: core.GuestUserID}, {Group: core.UserGroupID, User: core.GuestUserID},
		} {
			if err := tx.SetMembership(m); err != nil {
				return err
			}
		}
		return tx.SetMeta("initialized", time.Now().UTC().Format(time.RFC3339))
	})
}

// Login implements core.Service. The password is checked in a read
// transaction: bcrypt takes tens of milliseconds of CPU on purpose, and in
// the write that opens the session it held the repository's write lock,
// which every server instance's writes wait for, that long (100 ms a login
// on a server with half a core). The write then checks that the account and
// its password are still the ones checked.
func (s *Service) Login(ctx context.Context, username, password, group string) (core.Session, error) {
	checked, hash, err := s.checkPassword(ctx, username, password)
	if err != nil {
		return nil, err
	}
	var rec core.SessionRecord
	err = s.store.Write(ctx, func(tx core.Tx) error {
		u, err := authenticated(tx, checked, hash)
		if err != nil {
			return err
		}
		rec, err = openSession(tx, u, group)
		return err
	})
	if err != nil && rec.Key != "" && s.unsaved.allowed && core.Is(core.IO, err) {
		// The login was checked; only saving the session failed.
		s.unsaved.put(rec)
		err = nil
	}
	if err != nil {
		return nil, err
	}
	return &session{svc: s, key: rec.Key, user: rec.User, group: rec.Group}, nil
}

// checkPassword checks a username and password in a read transaction and
// returns the account and the password hash it matched. An unknown user and
// a wrong password give the same error.
func (s *Service) checkPassword(ctx context.Context, username, password string) (core.Experimenter, string, error) {
	var u core.Experimenter
	var hash string
	err := s.store.Read(ctx, func(tx core.Tx) error {
		var err error
		u, err = tx.ExperimenterByName(strings.TrimSpace(username))
		if err != nil {
			if core.Is(core.NotFound, err) {
				// Spend the time a real check would, so the answer does not tell.
				bcrypt.CompareHashAndPassword([]byte("$2a$10$0000000000000000000000000000000000000000000000000000"), []byte(password))
				return errBadLogin
			}
			return err
		}
		if u.ID == core.GuestUserID {
			return nil
		}
		if hash, err = tx.PasswordHash(u.ID); err != nil {
			return err
		}
		if hash == "" || bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
			return errBadLogin
		}
		return nil
	})
	return u, hash, err
}

// authenticated re-reads, in the write transaction that acts on a login,
// the account checkPassword checked: the same user under the same name,
// with the same password hash, and still active. A change in between (a
// new password, a rename, a removal) fails the login as a wrong password
// would have.
func authenticated(tx core.Tx, checked core.Experimenter, hash string) (core.Experimenter, error) {
	u, err := tx.Experimenter(checked.ID)
	if core.Is(core.NotFound, err) || (err == nil && u.Username != checked.Username) {
		return u, errBadLogin
	}
	if err != nil {
		return u, err
	}
	if u.ID != core.GuestUserID {
		h, err := tx.PasswordHash(u.ID)
		if err != nil {
			return u, err
		}
		if h != hash {
			return u, errBadLogin
		}
	}
	return u, checkActive(tx, u)
}

// checkActive refuses an account that is no longer in the user group.
func checkActive(tx core.Tx, u core.Experimenter) error {
	ms, err := tx.Memberships(u.ID)
	if err != nil {
		return err
	}
	if !hasGroup(ms, core.UserGroupID) {
		return core.Errorf("login", core.Auth, "the account %q is disabled; ask an administrator to re-activate it", u.Username)
	}
	return nil
}

// openSession records a new session of u in group (by name or ID; "" = the
// user's default group).
func openSession(tx core.Tx, u core.Experimenter, group string) (core.SessionRecord, error) {
	gid := u.DefaultGroup
	if group != "" {
		g, err := resolveGroup(tx, group)
		if err != nil {
			return core.SessionRecord{}, err
		}
		a, err := loadActor(tx, u.ID)
		if err != nil {
			return core.SessionRecord{}, err
		}
		if !a.IsMember(g.ID) && !a.Admin {
			return core.SessionRecord{}, core.Errorf("login", core.NotFound, "group %q not found among the groups of %s", group, u.Username)
		}
		gid = g.ID
	}
	rec := core.SessionRecord{Key: newKey(), User: u.ID, Group: gid, Created: time.Now(), Expires: time.Now().Add(SessionLifetime)}
	return rec, tx.CreateSession(rec)
}

// Sudo implements core.Service (spec §3.3, OMERO's `login --sudo`).
func (s *Service) Sudo(ctx context.Context, admin, password, asUser, group string) (core.Session, error) {
	const op = "login"
	// The password is checked outside the write lock, as in Login.
	checked, hash, err := s.checkPassword(ctx, admin, password)
	if err != nil {
		return nil, err
	}
	var rec core.SessionRecord
	err = s.store.Write(ctx, func(tx core.Tx) error {
		a, err := authenticated(tx, checked, hash)
		if err != nil {
			return err
		}
		sudoer, err := loadActor(tx, a.ID)
		if err != nil {
			return err
		}
		if !sudoer.Has(core.PrivSudo) {
			return core.Errorf(op, core.Permission, "only an administrator with the Sudo privilege can log in as another user; log in as %s with their own password", strings.TrimSpace(asUser))
		}
		u, err := resolveUser(tx, asUser)
		if err != nil {
			if core.Is(core.NotFound, err) {
				return core.Errorf(op, core.NotFound, "user %q not found", strings.TrimSpace(asUser))
			}
			return err
		}
		if err := checkActive(tx, u); err != nil {
			return err
		}
		target, err := loadActor(tx, u.ID)
		if err != nil {
			return err
		}
		if err := checkSudoTarget(op, sudoer, target, u.Username); err != nil {
			return err
		}
		rec, err = openSession(tx, u, group)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &session{svc: s, key: rec.Key, user: rec.User, group: rec.Group}, nil
}

// checkSudoTarget refuses a sudo that would give the administrator rights
// they do not hold: the user's privileges must all be the sudoer's, so the
// session's rights are those of the user and, at most, the sudoer's.
func checkSudoTarget(op string, sudoer, target *core.Actor, username string) error {
	if !target.Admin {
		return nil
	}
	if target.FullAdmin() && !sudoer.FullAdmin() {
		return core.Errorf(op, core.Permission, "%s is a full administrator; only a full administrator can log in as them", username)
	}
	var lacking []string
	for _, p := range core.AllPrivileges {
		if target.Privileges[p] && !sudoer.Privileges[p] {
			lacking = append(lacking, string(p))
		}
	}
	if len(lacking) > 0 {
		return core.Errorf(op, core.Permission, "you may not log in as %s: they hold administrator privileges you lack (%s)", username, strings.Join(lacking, ", "))
	}
	return nil
}

// Resume implements core.Service. It only reads: a command that reads (tree,
// obj list, render info) works on a full disk or a read-only copy of the
// repository. The session's expiry is pushed back at most once an hour
// (sessionRenewal), and a failure to save that is ignored: the session is
// valid either way, and a command that writes fails at its own write with
// the reason.
func (s *Service) Resume(ctx context.Context, key string) (core.Session, error) {
	var rec core.SessionRecord
	expired := false
	err := s.store.Read(ctx, func(tx core.Tx) error {
		var err error
		rec, err = s.sessionRecord(tx, key)
		if err != nil {
			return err
		}
		if time.Now().After(rec.Expires) {
			expired = true
			return core.Errorf("", core.Auth, "your session has expired; log in again")
		}
		return nil
	})
	if err != nil {
		if expired {
			// Expired: drop the row when we can (best effort, like the renewal).
			s.store.Write(ctx, func(tx core.Tx) error { return tx.DeleteSession(key) })
		}
		return nil, err
	}
	if _, unsaved := s.unsaved.get(key); !unsaved && time.Until(rec.Expires) < SessionLifetime-sessionRenewal {
		s.store.Write(ctx, func(tx core.Tx) error {
			cur, err := tx.Session(key)
			if err != nil {
				return err
			}
			cur.Expires = time.Now().Add(SessionLifetime)
			return tx.UpdateSession(cur)
		})
	}
	return &session{svc: s, key: key, user: rec.User, group: rec.Group}, nil
}

// sessionRenewal is how often, at most, Resume writes a session's new
// expiry: a burst of commands (a script, a watch station's restarts) costs
// one write an hour, not one each.
const sessionRenewal = time.Hour

func newKey() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on Linux
	}
	return hex.EncodeToString(b)
}

func hasGroup(ms []core.Membership, g core.ID) bool {
	for _, m := range ms {
		if m.Group == g {
			return true
		}
	}
	return false
}

// loadActor builds the security context of a user from the repository.
func loadActor(tx core.Tx, user core.ID) (*core.Actor, error) {
	a, _, err := loadActorUser(tx, user)
	return a, err
}

// loadActorUser is loadActor that also returns the user's record.
func loadActorUser(tx core.Tx, user core.ID) (*core.Actor, core.Experimenter, error) {
	e, err := tx.Experimenter(user)
	if err != nil {
		return nil, e, err
	}
	ms, err := tx.Memberships(user)
	if err != nil {
		return nil, e, err
	}
	a := &core.Actor{UserID: user, Guest: user == core.GuestUserID, Member: map[core.ID]bool{}, Privileges: map[core.Privilege]bool{}}
	for _, m := range ms {
		a.Member[m.Group] = m.Owner
		if m.Group == core.SystemGroupID {
			a.Admin = true
		}
	}
	if a.Admin {
		privs := e.Privileges
		if privs == nil {
			privs = core.AllPrivileges
		}
		for _, p := range privs {
			a.Privileges[p] = true
		}
	}
	return a, e, nil
}

// resolveGroup finds a group by name, ID or ExperimenterGroup:ID.
func resolveGroup(tx core.Tx, s string) (core.Group, error) {
	s = strings.TrimSpace(s)
	if r, err := core.ParseRef(s); err == nil && r.Class == core.ClassExperimenterGroup {
		return tx.Group(r.ID)
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return tx.Group(core.ID(n))
	}
	g, err := tx.GroupByName(s)
	if err != nil && core.Is(core.NotFound, err) {
		return g, core.Errorf("", core.NotFound, "group %q not found", s)
	}
	return g, err
}

// resolveUser finds a user by username, ID or Experimenter:ID.
func resolveUser(tx core.Tx, s string) (core.Experimenter, error) {
	s = strings.TrimSpace(s)
	if r, err := core.ParseRef(s); err == nil && r.Class == core.ClassExperimenter {
		return tx.Experimenter(r.ID)
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return tx.Experimenter(core.ID(n))
	}
	e, err := tx.ExperimenterByName(s)
	if err != nil && core.Is(core.NotFound, err) {
		return e, core.Errorf("", core.NotFound, "user %q not found", s)
	}
	return e, err
}

func checkPassword(hash, pw string) bool {
	return hash != "" && bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}
