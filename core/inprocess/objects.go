package inprocess

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

// ownUseCase lists the classes whose rows must be made by their own use
// case, which checks what the generic fields cannot: a fileset's files are
// placed by an import, an original file's bytes by an upload (a forged path
// could name another user's file), and rendering settings are validated
// against the image and kept one per user and image.
var ownUseCase = map[core.Class]string{
	core.Fileset:      "filesets are made by `ocular-cli import`",
	core.OriginalFile: "files are stored with `ocular-cli upload FILE`, which prints the OriginalFile:ID to attach with `obj new FileAnnotation file=OriginalFile:ID`",
	core.RenderingDef: "rendering settings are saved with `ocular-cli render set` (or the viewer)",
}

// get loads an object the actor can read, of the class the ref names; any
// other case (missing, other class, invisible) is the same NotFound.
func (d *ctxData) get(op string, r core.Ref) (*core.Object, error) {
	o, err := d.tx.Object(r.ID)
	if err != nil {
		if core.Is(core.NotFound, err) {
			return nil, core.ErrNotFound(op, r)
		}
		return nil, err
	}
	if !o.Class.Matches(r.Class) || !d.actor.CanRead(o.Owner, d.perm(o.Group)) {
		return nil, core.ErrNotFound(op, r)
	}
	return o, nil
}

func (d *ctxData) end(o *core.Object) core.ObjectPerm {
	return core.ObjectPerm{Ref: o.Ref, Owner: o.Owner, Group: d.perm(o.Group)}
}

func (s *session) Create(ctx context.Context, class core.Class, fields map[string]string) (core.ObjectView, error) {
	const op = "obj new"
	var view core.ObjectView
	info := class.Info()
	if info == nil {
		return view, core.Errorf(op, core.Invalid, "%q is not a class that can be created", class)
	}
	if why, ok := ownUseCase[class]; ok {
		return view, core.Errorf(op, core.Invalid, "%s objects are not made with obj new: %s", class, why)
	}
	write := s.write
	if core.SharedWrite(class) {
		write = s.writeShared
	}
	err := write(ctx, func(d *ctxData) error {
		if d.actor.Guest {
			return core.Errorf(op, core.Permission, "the guest account cannot create anything")
		}
		group := s.group
		if g := fields["group"]; g != "" {
			gr, err := resolveGroup(d.tx, g)
			if err != nil {
				return core.E(op, err)
			}
			group = gr.ID
		}
		if _, ok := d.groups[group]; !ok || (!d.actor.IsMember(group) && !d.actor.Admin) {
			return core.ErrNotFound(op, core.Ref{Class: core.ClassExperimenterGroup, ID: group})
		}
		// Spec §3.3: creating data in a group one does not belong to is the
		// WriteOwned privilege; without it an administrator only reads there.
		if !d.actor.IsMember(group) && !d.actor.Has(core.PrivWriteOwned) {
			return core.Errorf(op, core.Permission, "you are not a member of %q; creating data in other groups needs the WriteOwned privilege", d.groups[group].Name)
		}
		if group == core.UserGroupID || group == core.GuestGroupID {
			return core.Errorf(op, core.Invalid, "objects cannot be created in the %q group; switch to one of your groups", d.groups[group].Name)
		}
		o := &core.Object{Ref: core.Ref{Class: class}, Details: core.Details{Owner: d.actor.UserID, Group: group}}
		explicitOwner := false
		if u := fields["owner"]; u != "" {
			e, err := resolveUser(d.tx, u)
			if err != nil {
				return core.E(op, err)
			}
			if e.ID != d.actor.UserID {
				// Admins (WriteOwned) and PIs create in another user's name (spec §3.4).
				if !d.actor.Has(core.PrivWriteOwned) && !d.actor.IsOwnerOf(group) {
					return core.Errorf(op, core.Permission, "only an administrator with WriteOwned or an owner of the group can create data in another user's name")
				}
				o.Owner, explicitOwner = e.ID, true
			}
		}
		refs, err := applyFields(op, o, fields, true)
		if err != nil {
			return err
		}
		if info.Kind == core.KindLink {
			if err := s.prepareLink(op, d, o, info, refs); err != nil {
				return err
			}
		} else if err := s.prepareRefs(op, d, o, refs); err != nil {
			return err
		}
		if explicitOwner {
			if _, member := d.groups[o.Group]; member {
				ms, err := d.tx.Memberships(o.Owner)
				if err != nil {
					return err
				}
				if !hasGroup(ms, o.Group) {
					return core.Errorf(op, core.Invalid, "the new owner is not a member of %q", d.groups[o.Group].Name)
				}
			}
		}
		if err := d.tx.CreateObject(o); err != nil {
			return core.E(op, err)
		}
		view = d.view(o)
		return nil
	})
	return view, err
}

// prepareLink checks a new link against the class definition and the linking
// rules of spec §1.5, and decides its group and owner.
func (s *session) prepareLink(op string, d *ctxData, o *core.Object, info *core.ClassInfo, refs map[string]core.Ref) error {
	pr, okP := refs["parent"]
	cr, okC := refs["child"]
	if !okP || !okC {
		return core.Errorf(op, core.Invalid, "a %s needs parent=%s:ID and child=%s:ID", o.Class, info.Parent, info.Child)
	}
	if !pr.Class.Matches(info.Parent) || !cr.Class.Matches(info.Child) {
		return core.Errorf(op, core.Invalid, "a %s links a %s to a %s, not %s to %s", o.Class, info.Parent, info.Child, pr, cr)
	}
	parent, err := d.get(op, pr)
	if err != nil {
		return err
	}
	child, err := d.get(op, cr)
	if err != nil {
		return err
	}
	if o.Class == core.AnnotationAnnotationLink && (parent.Class != core.TagAnnotation || parent.Ns != core.TagSetNamespace) {
		return core.Errorf(op, core.Invalid, "only a tag set (a TagAnnotation with ns=%s) can contain annotations", core.TagSetNamespace)
	}
	// A link belongs to whoever makes it, administrators included (spec
	// §3.4, server level; testLinkNoSudo): working for a user means naming
	// them with owner=USER, and giving an administrator's link to the user
	// afterwards is a chown of the link, which needs the Chown privilege.
	if err := d.actor.CheckLink(op, o.Class, o.Owner, d.end(parent), d.end(child)); err != nil {
		return err
	}
	if _, err := d.tx.FindLink(o.Class, parent.ID, child.ID); err == nil {
		return core.Errorf(op, core.Conflict, "%s is already linked to %s", child.Ref, parent.Ref)
	}
	o.Group = parent.Group
	o.Parent, o.Child = parent.ID, child.ID
	return nil
}

// prepareRefs checks the structural references of a non-link object (a well's
// plate, a ROI's image, a well sample's image) with the same linking rules.
func (s *session) prepareRefs(op string, d *ctxData, o *core.Object, refs map[string]core.Ref) error {
	if info := o.Class.Info(); info.Kind == core.KindContained && o.Class != core.PlateAcquisition {
		col := "parent"
		if _, ok := refs[col]; !ok {
			return core.Errorf(op, core.Invalid, "a %s needs its %s (e.g. %s=%s:ID)", o.Class, strings.ToLower(string(info.Parent)), lowerFirst(string(info.Parent)), info.Parent)
		}
	}
	if o.Class == core.PlateAcquisition {
		if _, ok := refs["parent"]; !ok {
			return core.Errorf(op, core.Invalid, "a PlateAcquisition needs plate=Plate:ID")
		}
	}
	for _, col := range []string{"parent", "child", "ref2"} {
		r, ok := refs[col]
		if !ok {
			continue
		}
		target, err := d.get(op, r)
		if err != nil {
			return err
		}
		if target.Group != o.Group {
			return core.Errorf(op, core.Invalid, "%s is in group %q but you are working in %q; switch group (-g) to add to it", r, d.groups[target.Group].Name, d.groups[o.Group].Name)
		}
		if err := d.actor.CheckLink(op, o.Class, o.Owner, d.end(target)); err != nil {
			return err
		}
		switch col {
		case "parent":
			o.Parent = target.ID
		case "child":
			o.Child = target.ID
		case "ref2":
			o.Ref2 = target.ID
		}
	}
	return nil
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func (s *session) Update(ctx context.Context, ref core.Ref, fields map[string]string) (core.ObjectView, error) {
	const op = "obj update"
	var view core.ObjectView
	err := s.write(ctx, func(d *ctxData) error {
		o, err := d.get(op, ref)
		if err != nil {
			return err
		}
		if !d.flags(o).CanEdit {
			return core.Errorf(op, core.Permission, "you may not edit %s: it belongs to %s and %q is %s", ref, d.ownerName(o.Owner), d.groups[o.Group].Name, d.groups[o.Group].Level)
		}
		if why, ok := ownUseCase[o.Class]; ok {
			return core.Errorf(op, core.Invalid, "%s objects are not changed with obj update: %s", o.Class, why)
		}
		if o.Class.IsLink() {
			return core.Errorf(op, core.Invalid, "links cannot be edited; delete %s and create a new one", ref)
		}
		refs, err := applyFields(op, o, fields, false)
		if err != nil {
			return err
		}
		if len(refs) > 0 {
			return core.Errorf(op, core.Invalid, "references of %s cannot change", ref)
		}
		if err := d.tx.UpdateObject(o); err != nil {
			return core.E(op, err)
		}
		view = d.view(o)
		return nil
	})
	return view, err
}

func (s *session) Get(ctx context.Context, ref core.Ref) (core.ObjectView, error) {
	var view core.ObjectView
	err := s.read(ctx, func(d *ctxData) error {
		o, err := d.get("obj get", ref)
		if err != nil {
			return err
		}
		view = d.view(o)
		return nil
	})
	return view, err
}

func (s *session) List(ctx context.Context, class core.Class, owner, group core.ID) ([]core.ObjectView, error) {
	var out []core.ObjectView
	err := s.read(ctx, func(d *ctxData) error {
		q := core.NewQuery(concreteClasses(class)...)
		q.Owner, q.Group = owner, group
		objs, err := d.tx.Find(q)
		if err != nil {
			return err
		}
		for _, o := range objs {
			if d.actor.CanRead(o.Owner, d.perm(o.Group)) {
				out = append(out, d.view(o))
			}
		}
		return nil
	})
	return out, err
}

// concreteClasses expands an abstract class name into the classes it covers.
func concreteClasses(c core.Class) []core.Class {
	if c.Info() != nil {
		return []core.Class{c}
	}
	var out []core.Class
	for _, k := range core.Classes() {
		if k.Matches(c) {
			out = append(out, k)
		}
	}
	return out
}

func (s *session) Delete(ctx context.Context, refs ...core.Ref) error {
	const op = "obj delete"
	// Deleting links only is a shared write (core.WriteHint.Shared): the
	// statement deletes nothing still referenced, and nothing refers to a
	// link. deleteOne checks the class of what it deletes again.
	write := s.writeShared
	for _, r := range refs {
		if !r.Class.IsLink() {
			write = s.write
		}
	}
	return write(ctx, func(d *ctxData) error {
		done := map[core.ID]bool{}
		for _, ref := range refs {
			if done[ref.ID] { // the same object named twice is deleted once
				continue
			}
			if err := deleteOne(op, d, ref); err != nil {
				return err
			}
			done[ref.ID] = true
		}
		return nil
	})
}

// deleteOne deletes a single object or link inside the caller's transaction.
func deleteOne(op string, d *ctxData, ref core.Ref) error {
	o, err := d.get(op, ref)
	if err != nil {
		return err
	}
	if !d.flags(o).CanDelete {
		return core.Errorf(op, core.Permission, "you may not delete %s: it belongs to %s and %q is %s", ref, d.ownerName(o.Owner), d.groups[o.Group].Name, d.groups[o.Group].Level)
	}
	if !o.Class.IsLink() {
		if d.shared {
			// Delete chose a shared write for links only.
			return core.Errorf(op, core.Internal, "%s is not a link, and cannot be deleted beside other writes", ref)
		}
		q := core.NewQuery()
		q.Child = o.ID
		n1, err := d.tx.Count(q)
		if err != nil {
			return err
		}
		q = core.NewQuery()
		q.Parent = o.ID
		n2, err := d.tx.Count(q)
		if err != nil {
			return err
		}
		if n1+n2 > 0 {
			return core.Errorf(op, core.Conflict, "%s is still linked to %d other object(s); unlink them first, or delete it with its contents using `delete %s`", ref, n1+n2, ref)
		}
	}
	return d.tx.DeleteObject(o.ID)
}

func (s *session) Flags(ctx context.Context, refs []core.Ref) ([]core.ObjectFlags, error) {
	var out []core.ObjectFlags
	err := s.read(ctx, func(d *ctxData) error {
		for _, r := range refs {
			o, err := d.get("perms", r)
			if err != nil {
				return err
			}
			out = append(out, core.ObjectFlags{Object: r.String(), Flags: d.flags(o)})
		}
		return nil
	})
	return out, err
}

func (s *session) ImageDetails(ctx context.Context, ref core.Ref) (core.PixelsInfo, []core.ChannelInfo, error) {
	var p core.PixelsInfo
	var chs []core.ChannelInfo
	err := s.read(ctx, func(d *ctxData) error {
		if _, err := d.get("image", ref); err != nil {
			return err
		}
		var err error
		if p, err = d.tx.Pixels(ref.ID); err != nil {
			return err
		}
		chs, err = d.tx.Channels(ref.ID)
		return err
	})
	return p, chs, err
}

// sortViews orders tree nodes as OMERO.insight does: by name, then by ID.
// The lower-case keys are computed once, not per comparison, so that a
// dataset of 10,000 images sorts in a few milliseconds.
func sortViews(vs []core.ObjectView) {
	type keyed struct {
		key string
		id  core.ID
		i   int
	}
	ks := make([]keyed, len(vs))
	for i := range vs {
		ks[i] = keyed{strings.ToLower(vs[i].DisplayName()), vs[i].ID, i}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	// The views are moved into place along the permutation's cycles rather
	// than through a sorted copy: a view is several hundred bytes, and a
	// second slice of 10,000 of them cost more than the sort itself. Rows
	// mostly come already in name order, so most cycles are of one.
	for j := range ks {
		if ks[j].i < 0 || ks[j].i == j {
			continue
		}
		tmp := vs[j]
		at := j
		for {
			from := ks[at].i
			ks[at].i = -1
			if from == j {
				vs[at] = tmp
				break
			}
			vs[at] = vs[from]
			at = from
		}
	}
}
