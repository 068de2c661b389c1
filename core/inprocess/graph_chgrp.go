package inprocess

import (
	"strings"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/graph"
)

// The parts of a move beyond the plan's closure: the optional target
// container in the destination (spec §4.3, "Target container") and
// --keep-annotations (a move that loses nothing).

// containerReq links the moved objects into a container of the destination.
type containerReq struct {
	create    bool
	container *core.Object
	linkClass core.Class
	links     []*core.Object // the moved objects to link
}

// containerLink gives, for a container class, the link class to its
// children and the children's class.
func containerLink(c core.Class) (link, child core.Class, ok bool) {
	switch c {
	case core.Project:
		return core.ProjectDatasetLink, core.Dataset, true
	case core.Dataset:
		return core.DatasetImageLink, core.Image, true
	case core.Screen:
		return core.ScreenPlateLink, core.Plate, true
	}
	return "", "", false
}

func (r *graphRun) planContainer() error {
	req, op, d := r.req, r.op, r.d
	if req.TargetContainer.IsZero() && req.NewContainer == "" {
		return nil
	}
	if !req.TargetContainer.IsZero() && req.NewContainer != "" {
		return core.Errorf(op, core.Invalid, "give either an existing target container or a new one, not both")
	}
	cr := &containerReq{}
	cls := req.NewContainer
	if !req.TargetContainer.IsZero() {
		o, err := d.get(op, req.TargetContainer)
		if err != nil {
			return err
		}
		if o.Group != req.Group {
			return core.Errorf(op, core.Invalid, "the target %s is in %q, not in the destination %q", o.Ref, d.groups[o.Group].Name, d.groups[req.Group].Name)
		}
		cr.container, cls = o, o.Class
	}
	link, child, ok := containerLink(cls)
	if !ok {
		return core.Errorf(op, core.Invalid, "a target container must be a Project, Dataset or Screen, not %s", cls)
	}
	cr.linkClass = link
	for _, id := range r.plan.Targets {
		if o := r.g.Get(id); o != nil && o.Class == child && r.plan.State.Get(id) == graph.Process {
			cr.links = append(cr.links, o)
		}
	}
	if len(cr.links) == 0 {
		return core.Errorf(op, core.Invalid, "none of the moved objects can go into a %s: it holds %ss", cls, child)
	}
	owner := cr.links[0].Owner
	if cr.container == nil {
		name := strings.TrimSpace(req.NewContainerName)
		if name == "" {
			return core.Errorf(op, core.Invalid, "the new %s needs a name", cls)
		}
		// Created in the data owner's name, also when an admin moves on their behalf.
		cr.create = true
		cr.container = &core.Object{Ref: core.Ref{Class: cls}, Name: name, Details: core.Details{Owner: owner, Group: req.Group}}
	} else {
		dest := d.perm(req.Group)
		checked := map[core.ID]bool{}
		for _, o := range cr.links {
			if checked[o.Owner] {
				continue
			}
			checked[o.Owner] = true
			oa, err := loadActor(d.tx, o.Owner)
			if err != nil {
				return err
			}
			end := core.ObjectPerm{Ref: cr.container.Ref, Owner: cr.container.Owner, Group: dest}
			moved := core.ObjectPerm{Ref: o.Ref, Owner: o.Owner, Group: dest}
			if err := oa.CheckLink(op, link, o.Owner, end, moved); err != nil {
				return core.Errorf(op, core.Permission, "%s may not add to %s: %s", d.ownerName(o.Owner), cr.container.Ref, core.UserMessage(err))
			}
		}
	}
	r.into = cr
	return nil
}

func (r *graphRun) applyContainer(res *core.GraphResult, pr *progress) error {
	cr := r.into
	if cr == nil {
		return nil
	}
	tx := r.d.tx
	if cr.create {
		if err := tx.CreateObject(cr.container); err != nil {
			return core.E(r.op, err)
		}
		res.Created = append(res.Created, cr.container.Ref)
		pr.step()
	}
	for _, o := range cr.links {
		l := &core.Object{Ref: core.Ref{Class: cr.linkClass}, Parent: cr.container.ID, Child: o.ID,
			Details: core.Details{Owner: o.Owner, Group: r.req.Group}}
		if err := tx.CreateObject(l); err != nil {
			return core.E(r.op, err)
		}
		res.Created = append(res.Created, l.Ref)
		pr.step()
	}
	return nil
}

// keptAnn is one annotation --keep-annotations carries into the destination.
type keptAnn struct {
	src   *core.Object
	file  *core.Object // the OriginalFile of a file annotation
	on    []*core.Object
	owner core.ID
	reuse *core.Object // a same-named tag already in the destination
}

func (k keptAnn) review() core.KeptAnnotation {
	name := k.src.DisplayName()
	if k.file != nil && k.file.Name != "" {
		name = k.file.Name
	}
	out := core.KeptAnnotation{Annotation: core.Named{Ref: k.src.Ref, Name: name}, Class: k.src.Class, Action: "copy"}
	if k.reuse != nil {
		out.Action, out.Into = "reuse", k.reuse.Ref
	}
	for _, o := range k.on {
		out.On = append(out.On, o.Ref)
	}
	return out
}

// planKeep finds the tags, files and key-value pairs whose links from moved
// objects the move removes, and decides for each whether a same-named tag
// of the destination is reused or a copy is made.
func (r *graphRun) planKeep() error {
	plan, d := r.plan, r.d
	byID := map[core.ID]int{}
	for _, l := range plan.With(graph.Sever) {
		if !l.Class.IsAnnotationLink() || l.Class == core.AnnotationAnnotationLink {
			continue
		}
		obj, ann := r.g.Get(l.Parent), r.g.Get(l.Child)
		if obj == nil || ann == nil || plan.State.Get(obj.ID) != graph.Process {
			continue
		}
		switch ann.Class {
		case core.TagAnnotation, core.FileAnnotation, core.MapAnnotation:
		default:
			continue
		}
		if ann.Class == core.FileAnnotation && ann.Ref2 == 0 {
			continue
		}
		i, ok := byID[ann.ID]
		if !ok {
			i = len(r.keep)
			byID[ann.ID] = i
			k := keptAnn{src: ann, owner: obj.Owner}
			if ann.Class == core.FileAnnotation {
				k.file = r.g.Get(ann.Ref2)
			}
			r.keep = append(r.keep, k)
		}
		r.keep[i].on = append(r.keep[i].on, obj)
	}
	if len(r.keep) == 0 {
		return nil
	}
	if err := r.loadKept(); err != nil {
		return err
	}
	q := core.NewQuery(core.TagAnnotation)
	q.Group = r.req.Group
	tags, err := d.tx.Find(q)
	if err != nil {
		return err
	}
	dest := d.perm(r.req.Group)
	actors := map[core.ID]*core.Actor{}
	for i := range r.keep {
		k := &r.keep[i]
		if k.src.Class != core.TagAnnotation {
			continue
		}
		oa := actors[k.owner]
		if oa == nil {
			if oa, err = loadActor(d.tx, k.owner); err != nil {
				return err
			}
			actors[k.owner] = oa
		}
		for _, t := range tags {
			if t.TextValue != k.src.TextValue || t.Ns != k.src.Ns {
				continue
			}
			end := core.ObjectPerm{Ref: t.Ref, Owner: t.Owner, Group: dest}
			if oa.CheckLink(r.op, core.ImageAnnotationLink, k.owner, end) != nil {
				continue
			}
			if k.reuse == nil || (t.Owner == k.owner && k.reuse.Owner != k.owner) {
				k.reuse = t
			}
		}
	}
	return nil
}

// loadKept reads the carried annotations and files in full: the planning
// graph holds them without descriptions and attributes, and the copies
// must have every value.
func (r *graphRun) loadKept() error {
	var ids []core.ID
	for _, k := range r.keep {
		ids = append(ids, k.src.ID)
		if k.file != nil {
			ids = append(ids, k.file.ID)
		}
	}
	full, err := r.d.tx.Objects(ids)
	if err != nil {
		return err
	}
	for i := range r.keep {
		k := &r.keep[i]
		if o := full[k.src.ID]; o != nil {
			k.src = o
		}
		if k.file != nil {
			if o := full[k.file.ID]; o != nil {
				k.file = o
			}
		}
	}
	return nil
}

// applyKeep creates the copies (files first) and the links from the moved
// objects, owned by the data owner.
func (r *graphRun) applyKeep(res *core.GraphResult, pr *progress) error {
	tx, dest := r.d.tx, r.req.Group
	for _, k := range r.keep {
		target := k.reuse
		if target == nil {
			c := cloneObject(k.src)
			c.Owner, c.Group = k.owner, dest
			if k.file != nil {
				f, err := r.copyAttachment(k.file, k.owner, dest)
				if err != nil {
					return err
				}
				res.Created = append(res.Created, f.Ref)
				c.Ref2 = f.ID
			}
			if err := tx.CreateObject(c); err != nil {
				return core.E(r.op, err)
			}
			res.Created = append(res.Created, c.Ref)
			pr.step()
			target = c
		}
		for _, o := range k.on {
			lc := o.Class.Info().AnnotationLink
			if lc == "" {
				continue
			}
			l := &core.Object{Ref: core.Ref{Class: lc}, Parent: o.ID, Child: target.ID,
				Details: core.Details{Owner: o.Owner, Group: dest}}
			if err := tx.CreateObject(l); err != nil {
				return core.E(r.op, err)
			}
			res.Created = append(res.Created, l.Ref)
			pr.step()
		}
	}
	res.FilesCopied += r.files.copied
	return nil
}

// cloneObject copies an object's values for a new row (no ID, new stamps).
func cloneObject(o *core.Object) *core.Object {
	c := *o
	c.ID = 0
	c.Created, c.Updated = time.Time{}, time.Time{}
	if o.Attrs != nil {
		c.Attrs = make(map[string]any, len(o.Attrs))
		for k, v := range o.Attrs {
			c.Attrs[k] = v
		}
	}
	return &c
}

// copyAttachment copies an attachment's file on disk (before the rows) and
// creates its OriginalFile row.
func (r *graphRun) copyAttachment(f *core.Object, owner, group core.ID) (*core.Object, error) {
	c := cloneObject(f)
	c.Owner, c.Group = owner, group
	if rel := f.Attr("path"); rel != "" {
		src, ok := r.files.repoPath(rel)
		if !ok {
			return nil, core.Errorf(r.op, core.Invalid, "%s names %q, which is not a path inside the repository", f.Ref, rel)
		}
		nrel := dupPath(rel, uniqueSuffix())
		dst, _ := r.files.repoPath(nrel)
		if err := r.files.copyFile(src, dst); err != nil {
			return nil, core.E(r.op, core.IO, "cannot copy the attached file "+f.Name, err)
		}
		c.SetAttr("path", nrel)
	}
	if err := r.d.tx.CreateObject(c); err != nil {
		return nil, core.E(r.op, err)
	}
	return c, nil
}
