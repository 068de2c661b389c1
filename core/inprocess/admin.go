package inprocess

import (
	"context"
	"slices"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

// Administration rules: spec §3. Who may do what is decided here, in one
// place per action, from the actor's privileges and group ownerships.

func requirePriv(op string, a *core.Actor, p core.Privilege) error {
	if a.Has(p) {
		return nil
	}
	return core.Errorf(op, core.Permission, "only an administrator with the %s privilege can do this", p)
}

// canManageMembers: an administrator with ModifyGroupMembership, or a PI of the group.
func canManageMembers(a *core.Actor, g core.ID) bool {
	return a.Has(core.PrivModifyGroupMembership) || a.IsOwnerOf(g)
}

// checkNoEscalation refuses to hand out administrator powers the actor lacks.
func checkNoEscalation(op string, a *core.Actor, admin bool, privs []core.Privilege) error {
	if !admin {
		return nil
	}
	if privs == nil && !a.FullAdmin() {
		return core.Errorf(op, core.Permission, "only a full administrator can create or promote a full administrator")
	}
	for _, p := range privs {
		if !a.Has(p) {
			return core.Errorf(op, core.Permission, "you cannot give the %s privilege because you do not hold it yourself", p)
		}
	}
	return nil
}

func (s *session) CreateUser(ctx context.Context, nu core.NewUser) (core.Experimenter, error) {
	const op = "add user"
	var e core.Experimenter
	nu.Username = strings.TrimSpace(nu.Username)
	if nu.Username == "" || strings.ContainsAny(nu.Username, " \t\n/:") {
		return e, core.Errorf(op, core.Invalid, "username %q is not valid: use letters, digits, '-', '_' or '.' without spaces", nu.Username)
	}
	if nu.Password == "" {
		return e, core.Errorf(op, core.Invalid, "a password is required for user %q", nu.Username)
	}
	hash, err := s.svc.hash(nu.Password)
	if err != nil {
		return e, err
	}
	err = s.write(ctx, func(d *ctxData) error {
		if err := requirePriv(op, d.actor, core.PrivModifyUser); err != nil {
			return err
		}
		if err := checkNoEscalation(op, d.actor, nu.Admin, nu.Privileges); err != nil {
			return err
		}
		var real []core.ID
		for _, g := range nu.Groups {
			if _, ok := d.groups[g]; !ok {
				return core.ErrNotFound(op, core.Ref{Class: core.ClassExperimenterGroup, ID: g})
			}
			if !core.IsSpecialGroup(g) && !slices.Contains(real, g) {
				real = append(real, g)
			}
		}
		if len(real) == 0 {
			return core.Errorf(op, core.Invalid, "user %q needs at least one group besides 'user' and 'system' (give --group-name)", nu.Username)
		}
		e = core.Experimenter{Username: nu.Username, FirstName: nu.FirstName, LastName: nu.LastName,
			Email: nu.Email, Institution: nu.Institution, DefaultGroup: real[0]}
		if nu.Admin && nu.Privileges != nil {
			e.Privileges = nu.Privileges
		}
		if err := d.tx.CreateExperimenter(&e, hash); err != nil {
			return err
		}
		groups := append([]core.ID{core.UserGroupID}, real...)
		if nu.Admin {
			groups = append(groups, core.SystemGroupID)
		}
		for _, g := range groups {
			if err := d.tx.SetMembership(core.Membership{Group: g, User: e.ID}); err != nil {
				return err
			}
		}
		return nil
	})
	return e, err
}

func userInfo(d *ctxData, e core.Experimenter) (core.UserInfo, error) {
	ui := core.UserInfo{Experimenter: e}
	ms, err := d.tx.Memberships(e.ID)
	if err != nil {
		return ui, err
	}
	ui.Groups = ms
	for _, m := range ms {
		ui.GroupNames = append(ui.GroupNames, d.groups[m.Group].Name)
		if m.Group == core.SystemGroupID {
			ui.Admin = true
		}
	}
	ui.DefaultName = d.groups[e.DefaultGroup].Name
	return ui, nil
}

func (s *session) Users(ctx context.Context) ([]core.UserInfo, error) {
	var out []core.UserInfo
	err := s.read(ctx, func(d *ctxData) error {
		es, err := d.tx.Experimenters()
		if err != nil {
			return err
		}
		for _, e := range es {
			ui, err := userInfo(d, e)
			if err != nil {
				return err
			}
			out = append(out, ui)
		}
		return nil
	})
	return out, err
}

func (s *session) User(ctx context.Context, nameOrID string) (core.UserInfo, error) {
	var ui core.UserInfo
	err := s.read(ctx, func(d *ctxData) error {
		e, err := resolveUser(d.tx, nameOrID)
		if err != nil {
			return err
		}
		ui, err = userInfo(d, e)
		return err
	})
	return ui, err
}

func (s *session) SetPassword(ctx context.Context, user core.ID, oldPassword, newPassword string) error {
	const op = "change password"
	if newPassword == "" {
		return core.Errorf(op, core.Invalid, "the new password must not be empty")
	}
	hash, err := s.svc.hash(newPassword)
	if err != nil {
		return err
	}
	return s.write(ctx, func(d *ctxData) error {
		target, err := loadActor(d.tx, user)
		if err != nil {
			return err
		}
		if user == d.actor.UserID && !d.actor.Has(core.PrivModifyUser) {
			old, err := d.tx.PasswordHash(user)
			if err != nil {
				return err
			}
			if !checkPassword(old, oldPassword) {
				return core.Errorf(op, core.Auth, "the current password is wrong")
			}
		} else if user != d.actor.UserID {
			if err := requirePriv(op, d.actor, core.PrivModifyUser); err != nil {
				return err
			}
			if target.FullAdmin() && !d.actor.FullAdmin() {
				return core.Errorf(op, core.Permission, "only a full administrator can change a full administrator's password")
			}
		}
		return d.tx.SetPasswordHash(user, hash)
	})
}

func (s *session) AddToGroup(ctx context.Context, group core.ID, users []core.ID, asOwner bool) error {
	const op = "add to group"
	return s.write(ctx, func(d *ctxData) error {
		g, ok := d.groups[group]
		if !ok {
			return core.ErrNotFound(op, core.Ref{Class: core.ClassExperimenterGroup, ID: group})
		}
		switch {
		case group == core.SystemGroupID:
			if !d.actor.FullAdmin() {
				return core.Errorf(op, core.Permission, "only a full administrator can make other users administrators")
			}
		case group == core.UserGroupID || group == core.GuestGroupID:
			if err := requirePriv(op, d.actor, core.PrivModifyUser); err != nil {
				return err
			}
		case !canManageMembers(d.actor, group):
			return core.Errorf(op, core.Permission, "only an owner of group %q or an administrator with the ModifyGroupMembership privilege can change its members", g.Name)
		}
		existing, err := d.tx.GroupMembers(group)
		if err != nil {
			return err
		}
		for _, u := range users {
			if _, err := d.tx.Experimenter(u); err != nil {
				return err
			}
			owner := asOwner
			for _, m := range existing {
				if m.User == u && m.Owner {
					owner = true
				}
			}
			if err := d.tx.SetMembership(core.Membership{Group: group, User: u, Owner: owner}); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *session) RemoveFromGroup(ctx context.Context, group core.ID, users []core.ID, ownerOnly bool) error {
	const op = "remove from group"
	return s.write(ctx, func(d *ctxData) error {
		g, ok := d.groups[group]
		if !ok {
			return core.ErrNotFound(op, core.Ref{Class: core.ClassExperimenterGroup, ID: group})
		}
		if !canManageMembers(d.actor, group) && !(core.IsSpecialGroup(group) && d.actor.Has(core.PrivModifyUser)) {
			return core.Errorf(op, core.Permission, "only an owner of group %q or an administrator with the ModifyGroupMembership privilege can change its members", g.Name)
		}
		for _, u := range users {
			e, err := d.tx.Experimenter(u)
			if err != nil {
				return err
			}
			ms, err := d.tx.Memberships(u)
			if err != nil {
				return err
			}
			if !hasGroup(ms, group) {
				return core.Errorf(op, core.Invalid, "%s is not a member of %q", e.Username, g.Name)
			}
			if ownerOnly {
				if err := d.tx.SetMembership(core.Membership{Group: group, User: u, Owner: false}); err != nil {
					return err
				}
				continue
			}
			if group == core.SystemGroupID || group == core.UserGroupID {
				if u == core.RootUserID {
					return core.Errorf(op, core.Invalid, "root always stays in the %q group", g.Name)
				}
				if u == d.actor.UserID {
					return core.Errorf(op, core.Invalid, "you cannot remove yourself from the %q group", g.Name)
				}
				if group == core.SystemGroupID && !d.actor.FullAdmin() {
					return core.Errorf(op, core.Permission, "only a full administrator can remove administrators")
				}
			}
			realLeft := 0
			var other core.ID = -1
			for _, m := range ms {
				if m.Group != group && m.Group != core.UserGroupID && m.Group != core.SystemGroupID {
					realLeft++
					if other < 0 {
						other = m.Group
					}
				}
			}
			if !core.IsSpecialGroup(group) && realLeft == 0 {
				return core.Errorf(op, core.Invalid, "%s cannot leave %q: a user must stay in at least one group besides 'user'; add them to another group first", e.Username, g.Name)
			}
			if err := d.tx.RemoveMembership(group, u); err != nil {
				return err
			}
			if e.DefaultGroup == group && other >= 0 {
				e.DefaultGroup = other
				if err := d.tx.UpdateExperimenter(e); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func (s *session) SetDefaultGroup(ctx context.Context, user, group core.ID) error {
	const op = "set default group"
	return s.write(ctx, func(d *ctxData) error {
		if user != d.actor.UserID {
			if err := requirePriv(op, d.actor, core.PrivModifyUser); err != nil {
				return err
			}
		}
		e, err := d.tx.Experimenter(user)
		if err != nil {
			return err
		}
		if group == core.UserGroupID {
			return core.Errorf(op, core.Invalid, "the 'user' group cannot be a default group; choose one of the user's groups")
		}
		g, ok := d.groups[group]
		if !ok {
			return core.ErrNotFound(op, core.Ref{Class: core.ClassExperimenterGroup, ID: group})
		}
		ms, err := d.tx.Memberships(user)
		if err != nil {
			return err
		}
		if !hasGroup(ms, group) {
			return core.Errorf(op, core.Invalid, "%s is not a member of %q; add them to the group first", e.Username, g.Name)
		}
		e.DefaultGroup = group
		return d.tx.UpdateExperimenter(e)
	})
}

func (s *session) CreateGroup(ctx context.Context, name string, level core.Level, description string) (core.Group, error) {
	const op = "add group"
	g := core.Group{Name: strings.TrimSpace(name), Level: level, Description: description}
	if g.Name == "" {
		return g, core.Errorf(op, core.Invalid, "a group needs a name")
	}
	if level > core.ReadWrite {
		return g, core.Errorf(op, core.Invalid, "unknown group type")
	}
	err := s.write(ctx, func(d *ctxData) error {
		if err := requirePriv(op, d.actor, core.PrivModifyGroup); err != nil {
			return err
		}
		return d.tx.CreateGroup(&g)
	})
	return g, err
}

func (s *session) Groups(ctx context.Context) ([]core.GroupInfo, error) {
	var out []core.GroupInfo
	err := s.read(ctx, func(d *ctxData) error {
		gs, err := d.tx.Groups()
		if err != nil {
			return err
		}
		for _, g := range gs {
			gi, err := groupInfo(d, g)
			if err != nil {
				return err
			}
			out = append(out, gi)
		}
		return nil
	})
	return out, err
}

func (s *session) Group(ctx context.Context, nameOrID string) (core.GroupInfo, error) {
	var gi core.GroupInfo
	err := s.read(ctx, func(d *ctxData) error {
		g, err := resolveGroup(d.tx, nameOrID)
		if err != nil {
			return err
		}
		gi, err = groupInfo(d, g)
		return err
	})
	return gi, err
}

// SetGroupLevel implements spec §2: an administrator with ModifyGroup or a PI
// of the group may change its level; upgrades and downgrades between shared
// levels change no data. A downgrade to private must delete cross-owner data
// and is done by the graph engine.
func (s *session) SetGroupLevel(ctx context.Context, group core.ID, level core.Level) error {
	const op = "change group permissions"
	return s.write(ctx, func(d *ctxData) error {
		g, ok := d.groups[group]
		if !ok {
			return core.ErrNotFound(op, core.Ref{Class: core.ClassExperimenterGroup, ID: group})
		}
		if core.IsSpecialGroup(group) {
			return core.Errorf(op, core.Invalid, "the permissions of the built-in %q group cannot change", g.Name)
		}
		if !d.actor.Has(core.PrivModifyGroup) && !d.actor.IsOwnerOf(group) {
			return core.Errorf(op, core.Permission, "only an owner of %q or an administrator with the ModifyGroup privilege can change its permissions", g.Name)
		}
		if level > core.ReadWrite {
			return core.Errorf(op, core.Invalid, "unknown group type")
		}
		if level == g.Level {
			return nil
		}
		if level == core.Private {
			return s.downgradeToPrivate(d, g) // spec §2: fails, or deletes the cross-owner material
		}
		g.Level = level
		return d.tx.UpdateGroup(g)
	})
}

func (s *session) SetPrivileges(ctx context.Context, user core.ID, privileges []core.Privilege) error {
	const op = "set privileges"
	return s.write(ctx, func(d *ctxData) error {
		if err := requirePriv(op, d.actor, core.PrivModifyUser); err != nil {
			return err
		}
		e, err := d.tx.Experimenter(user)
		if err != nil {
			return err
		}
		target, err := loadActor(d.tx, user)
		if err != nil {
			return err
		}
		if !target.Admin {
			return core.Errorf(op, core.Invalid, "%s is not an administrator; add them to the 'system' group first", e.Username)
		}
		if user == core.RootUserID {
			return core.Errorf(op, core.Invalid, "root is always a full administrator")
		}
		if target.FullAdmin() && !d.actor.FullAdmin() {
			return core.Errorf(op, core.Permission, "only a full administrator can restrict a full administrator")
		}
		if err := checkNoEscalation(op, d.actor, true, privileges); err != nil {
			return err
		}
		if privileges == nil {
			privileges = []core.Privilege{}
		}
		e.Privileges = privileges
		return d.tx.UpdateExperimenter(e)
	})
}
