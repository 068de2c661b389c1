package inprocess

import (
	"context"
	"sort"
	"time"

	"github.com/ocular-lab/ocular/core"
)

// session implements core.Session for one logged-in user. It is safe for use
// from several goroutines except for SetGroup racing with other calls.
type session struct {
	svc   *Service
	key   string
	user  core.ID
	group core.ID
	// transient marks a session made by InGroup: its group lives in this
	// value only and SetGroup never writes it to the repository.
	transient bool
}

var _ core.Session = (*session)(nil)

// ctxData is what every request loads first: the actor and the groups.
type ctxData struct {
	tx     core.Tx
	actor  *core.Actor
	groups map[core.ID]core.Group
	names  map[core.ID]string // experimenter names, loaded on demand
	// selfName is the actor's own full name, read with the actor: most
	// views are of the actor's own objects, and naming their owner then
	// costs no query (in a write, one statement fewer under the write lock).
	selfName string
	// shared marks a shared write (writeShared): it may only insert new
	// rows (comments, links, an import's objects) and delete links.
	shared bool
}

func (d *ctxData) perm(g core.ID) core.GroupPerm {
	return core.GroupPerm{ID: g, Level: d.groups[g].Level}
}

// flags computes an object's flags for the actor.
func (d *ctxData) flags(o *core.Object) core.Flags {
	return d.actor.FlagsFor(o.Class, o.Owner, d.perm(o.Group))
}

func (d *ctxData) ownerName(id core.ID) string {
	if d.names == nil && id == d.actor.UserID && d.selfName != "" {
		return d.selfName
	}
	if d.names == nil {
		d.names = map[core.ID]string{}
		if es, err := d.tx.Experimenters(); err == nil {
			for _, e := range es {
				d.names[e.ID] = e.FullName()
			}
		}
	}
	return d.names[id]
}

func (d *ctxData) view(o *core.Object) core.ObjectView {
	return core.ObjectView{Object: *o, Flags: d.flags(o), OwnerName: d.ownerName(o.Owner),
		GroupName: d.groups[o.Group].Name, Level: d.groups[o.Group].Level}
}

func (s *session) load(tx core.Tx) (*ctxData, error) {
	// Every request checks that the session still exists, so a session that
	// was logged out (here or from another terminal) or has expired stops
	// working at once, in-process as over the wire.
	rec, err := s.svc.sessionRecord(tx, s.key)
	if err != nil {
		return nil, err
	}
	if time.Now().After(rec.Expires) {
		return nil, core.Errorf("", core.Auth, "your session has expired; log in again")
	}
	a, e, err := loadActorUser(tx, s.user)
	if err != nil {
		return nil, err
	}
	gs, err := tx.Groups()
	if err != nil {
		return nil, err
	}
	d := &ctxData{tx: tx, actor: a, groups: make(map[core.ID]core.Group, len(gs)), selfName: e.FullName()}
	for _, g := range gs {
		d.groups[g.ID] = g
	}
	return d, nil
}

func (s *session) read(ctx context.Context, fn func(*ctxData) error) error {
	// As for writes, load's reads may go in one batch (core.WriteHint).
	if _, unsaved := s.svc.unsaved.get(s.key); !unsaved {
		ctx = core.WithWriteHint(ctx, core.WriteHint{SessionKey: s.key, User: s.user})
	}
	return s.svc.store.Read(ctx, func(tx core.Tx) error {
		d, err := s.load(tx)
		if err != nil {
			return err
		}
		return fn(d)
	})
}

func (s *session) write(ctx context.Context, fn func(*ctxData) error) error {
	return s.writeHinted(ctx, false, fn)
}

// writeShared is write for what only inserts new rows (comments, links, an
// import's objects) or deletes links (core.WriteHint.Shared): such writes
// may run beside each other.
func (s *session) writeShared(ctx context.Context, fn func(*ctxData) error) error {
	return s.writeHinted(ctx, true, fn)
}

func (s *session) writeHinted(ctx context.Context, shared bool, fn func(*ctxData) error) error {
	// load reads these rows first: the store may fetch them with its
	// write lock (core.WriteHint). An unsaved session is not in the store.
	if _, unsaved := s.svc.unsaved.get(s.key); !unsaved {
		ctx = core.WithWriteHint(ctx, core.WriteHint{SessionKey: s.key, User: s.user, Shared: shared})
	}
	return s.svc.store.Write(ctx, func(tx core.Tx) error {
		d, err := s.load(tx)
		if err != nil {
			return err
		}
		d.shared = shared
		return fn(d)
	})
}

func (s *session) Key() string { return s.key }

func (s *session) Logout(ctx context.Context) error {
	defer s.svc.touched()
	if s.svc.unsaved.drop(s.key) {
		return nil
	}
	return s.svc.store.Write(ctx, func(tx core.Tx) error { return tx.DeleteSession(s.key) })
}

func (s *session) Me(ctx context.Context) (core.Me, error) {
	var me core.Me
	err := s.read(ctx, func(d *ctxData) error {
		u, err := d.tx.Experimenter(s.user)
		if err != nil {
			return err
		}
		me = core.Me{User: u, Group: d.groups[s.group], Admin: d.actor.Admin, FullAdmin: d.actor.FullAdmin(),
			SessionKey: s.key, Repository: s.svc.store.Dir(), IsGuest: d.actor.Guest}
		for _, p := range core.AllPrivileges {
			if d.actor.Privileges[p] {
				me.Privileges = append(me.Privileges, p)
			}
		}
		ids := make([]core.ID, 0, len(d.groups))
		for id := range d.groups {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		for _, id := range ids {
			owner, member := d.actor.Member[id]
			if member {
				me.MemberGroups = append(me.MemberGroups, id)
				if owner {
					me.OwnedGroups = append(me.OwnedGroups, id)
				}
			}
			// The group switcher lists real groups: the user's own, or every one for admins.
			if (member || d.actor.Admin) && id != core.UserGroupID && id != core.GuestGroupID {
				gi, err := groupInfo(d, d.groups[id])
				if err != nil {
					return err
				}
				me.Groups = append(me.Groups, gi)
			}
		}
		return nil
	})
	return me, err
}

// checkGroup says whether the session's user may work in group.
func checkGroup(d *ctxData, group core.ID) error {
	g, ok := d.groups[group]
	if !ok || (!d.actor.IsMember(group) && !d.actor.Admin) {
		return core.ErrNotFound("switch group", core.Ref{Class: core.ClassExperimenterGroup, ID: group})
	}
	if g.ID == core.UserGroupID {
		return core.Errorf("switch group", core.Invalid, "the 'user' group cannot hold data; choose one of your groups")
	}
	return nil
}

// InGroup implements core.Session: a copy of the session with its own
// group, checked in a read transaction and never stored.
func (s *session) InGroup(ctx context.Context, group core.ID) (core.Session, error) {
	err := s.read(ctx, func(d *ctxData) error { return checkGroup(d, group) })
	if err != nil {
		return nil, err
	}
	return &session{svc: s.svc, key: s.key, user: s.user, group: group, transient: true}, nil
}

func (s *session) SetGroup(ctx context.Context, group core.ID) error {
	if rec, ok := s.svc.unsaved.get(s.key); ok || s.transient {
		if err := s.read(ctx, func(d *ctxData) error { return checkGroup(d, group) }); err != nil {
			return err
		}
		if ok && !s.transient {
			rec.Group = group
			s.svc.unsaved.put(rec)
		}
		s.group = group
		return nil
	}
	return s.svc.store.Write(ctx, func(tx core.Tx) error {
		d, err := s.load(tx)
		if err != nil {
			return err
		}
		if err := checkGroup(d, group); err != nil {
			return err
		}
		rec, err := tx.Session(s.key)
		if err != nil {
			return err
		}
		rec.Group = group
		if err := tx.UpdateSession(rec); err != nil {
			return err
		}
		s.group = group
		return nil
	})
}

func groupInfo(d *ctxData, g core.Group) (core.GroupInfo, error) {
	gi := core.GroupInfo{Group: g}
	ms, err := d.tx.GroupMembers(g.ID)
	if err != nil {
		return gi, err
	}
	for _, m := range ms {
		e, err := d.tx.Experimenter(m.User)
		if err != nil {
			return gi, err
		}
		gi.Members = append(gi.Members, core.MemberInfo{Experimenter: e, Owner: m.Owner})
	}
	return gi, nil
}
