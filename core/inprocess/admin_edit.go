package inprocess

import (
	"context"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

// maxAdminText bounds names, emails and descriptions an edit may store.
const maxAdminText = 4096

func (s *session) UpdateUser(ctx context.Context, user core.ID, first, last, email, institution string) error {
	const op = "edit user"
	first, last = strings.TrimSpace(first), strings.TrimSpace(last)
	email, institution = strings.TrimSpace(email), strings.TrimSpace(institution)
	if first == "" || last == "" {
		return core.Errorf(op, core.Invalid, "a user needs a first and a last name")
	}
	if len(first)+len(last)+len(email)+len(institution) > maxAdminText {
		return core.Errorf(op, core.Invalid, "the names and email are too long")
	}
	return s.write(ctx, func(d *ctxData) error {
		e, err := d.tx.Experimenter(user)
		if err != nil {
			return err
		}
		if user != d.actor.UserID {
			if err := requirePriv(op, d.actor, core.PrivModifyUser); err != nil {
				return err
			}
			target, err := loadActor(d.tx, user)
			if err != nil {
				return err
			}
			if target.FullAdmin() && !d.actor.FullAdmin() {
				return core.Errorf(op, core.Permission, "only a full administrator can edit a full administrator")
			}
		}
		e.FirstName, e.LastName, e.Email, e.Institution = first, last, email, institution
		return d.tx.UpdateExperimenter(e)
	})
}

func (s *session) UpdateGroup(ctx context.Context, group core.ID, name, description string) error {
	const op = "edit group"
	name = strings.TrimSpace(name)
	if name == "" {
		return core.Errorf(op, core.Invalid, "a group needs a name")
	}
	if len(name)+len(description) > maxAdminText {
		return core.Errorf(op, core.Invalid, "the name and description are too long")
	}
	return s.write(ctx, func(d *ctxData) error {
		g, ok := d.groups[group]
		if !ok {
			return core.ErrNotFound(op, core.Ref{Class: core.ClassExperimenterGroup, ID: group})
		}
		if core.IsSpecialGroup(group) {
			return core.Errorf(op, core.Invalid, "the built-in %q group cannot change", g.Name)
		}
		if !d.actor.Has(core.PrivModifyGroup) && !d.actor.IsOwnerOf(group) {
			return core.Errorf(op, core.Permission, "only an owner of %q or an administrator with the ModifyGroup privilege can edit it", g.Name)
		}
		for id, o := range d.groups {
			if id != group && o.Name == name {
				return core.Errorf(op, core.Conflict, "a group named %q already exists", name)
			}
		}
		g.Name, g.Description = name, description
		if err := d.tx.UpdateGroup(g); err != nil {
			return err
		}
		d.groups[group] = g
		return nil
	})
}
