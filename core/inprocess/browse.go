package inprocess

import (
	"context"

	"github.com/ocular-lab/ocular/core"
)

// childLink says which link class holds a container's children in the tree.
var childLink = map[core.Class]core.Class{
	core.Project: core.ProjectDatasetLink,
	core.Dataset: core.DatasetImageLink,
	core.Screen:  core.ScreenPlateLink,
}

// orphanImageQuery selects the images of the Orphaned Images folder: in no
// dataset (anyone's) and used by no well sample (spec §4.6).
func orphanImageQuery(group, owner core.ID) core.Query {
	q := core.NewQuery(core.Image)
	q.Group, q.Owner = group, owner
	q.NotChildOf = []core.Class{core.DatasetImageLink, core.WellSample}
	return q
}

// Browse returns one level of the data tree with child counts and flags.
func (s *session) Browse(ctx context.Context, req core.BrowseRequest) ([]core.ObjectView, error) {
	const op = "browse"
	var out []core.ObjectView
	err := s.read(ctx, func(d *ctxData) error {
		if _, ok := d.groups[req.Group]; !ok || (!d.actor.IsMember(req.Group) && !d.actor.Admin) {
			return core.ErrNotFound(op, core.Ref{Class: core.ClassExperimenterGroup, ID: req.Group})
		}
		var err error
		switch req.Parent.Class {
		case "":
			out, err = s.browseTop(d, req)
		case core.OrphanedImages:
			out, err = d.visible(orphanImageQuery(req.Group, req.Owner))
			sortViews(out)
		case core.Project, core.Dataset, core.Screen:
			parent, err2 := d.get(op, req.Parent)
			if err2 != nil {
				return err2
			}
			q := core.NewQuery()
			q.LinkedFrom = &core.Ref{Class: childLink[parent.Class], ID: parent.ID}
			out, err = d.visible(q)
			if err == nil {
				err = d.countChildren(out)
			}
			sortViews(out)
		case core.Plate:
			plate, err2 := d.get(op, req.Parent)
			if err2 != nil {
				return err2
			}
			if req.Fields {
				out, err = d.plateFields(plate.ID)
				break
			}
			q := core.NewQuery(core.Well)
			q.Parent = plate.ID
			out, err = d.visible(q)
			if err == nil {
				err = d.countChildren(out)
			}
		case core.Well:
			well, err2 := d.get(op, req.Parent)
			if err2 != nil {
				return err2
			}
			q := core.NewQuery(core.Image)
			q.LinkedFrom = &core.Ref{Class: core.WellSample, ID: well.ID}
			out, err = d.visible(q)
		default:
			return core.Errorf(op, core.Invalid, "%s has no children in the tree", req.Parent.Class)
		}
		return err
	})
	return out, err
}

func (s *session) browseTop(d *ctxData, req core.BrowseRequest) ([]core.ObjectView, error) {
	var out []core.ObjectView
	for _, c := range []struct {
		class   core.Class
		orphans []core.Class
	}{
		{core.Project, nil},
		{core.Dataset, []core.Class{core.ProjectDatasetLink}},
		{core.Screen, nil},
		{core.Plate, []core.Class{core.ScreenPlateLink}},
	} {
		q := core.NewQuery(c.class)
		q.Group, q.Owner, q.NotChildOf = req.Group, req.Owner, c.orphans
		vs, err := d.visible(q)
		if err != nil {
			return nil, err
		}
		if err := d.countChildren(vs); err != nil {
			return nil, err
		}
		sortViews(vs)
		out = append(out, vs...)
	}
	orphans, err := d.visible(orphanImageQuery(req.Group, req.Owner))
	if err != nil {
		return nil, err
	}
	folder := core.ObjectView{Object: core.Object{Ref: core.Ref{Class: core.OrphanedImages}, Name: "Orphaned Images",
		Details: core.Details{Owner: req.Owner, Group: req.Group}}, ChildCount: len(orphans),
		GroupName: d.groups[req.Group].Name, Level: d.groups[req.Group].Level}
	return append(out, folder), nil
}

// visible runs a query and keeps what the actor may read, with flags.
func (d *ctxData) visible(q core.Query) ([]core.ObjectView, error) {
	objs, err := d.tx.Find(q)
	if err != nil {
		return nil, err
	}
	out := make([]core.ObjectView, 0, len(objs))
	for _, o := range objs {
		if d.actor.CanRead(o.Owner, d.perm(o.Group)) {
			out = append(out, d.view(o))
		}
	}
	return out, nil
}

// countChildren fills ChildCount for containers (links to children) and
// plates (wells) and wells (fields).
func (d *ctxData) countChildren(vs []core.ObjectView) error {
	// Only classes with children are collected: the images of an opened
	// dataset have none, and collecting their 10,000 IDs only to skip
	// them was wasted work on every open.
	byClass := map[core.Class][]core.ID{}
	for _, v := range vs {
		if childClassOf(v.Class) != "" {
			byClass[v.Class] = append(byClass[v.Class], v.ID)
		}
	}
	if len(byClass) == 0 {
		return nil
	}
	counts := map[core.ID]int{}
	for class, ids := range byClass {
		m, err := d.tx.CountChildren(childClassOf(class), ids)
		if err != nil {
			return err
		}
		for k, v := range m {
			counts[k] = v
		}
	}
	for i := range vs {
		vs[i].ChildCount = counts[vs[i].ID]
	}
	return nil
}

// childClassOf is the class countChildren counts for a node of class c, or
// "" for a class with no children in the tree.
func childClassOf(c core.Class) core.Class {
	switch c {
	case core.Plate:
		return core.Well
	case core.Well:
		return core.WellSample
	}
	return childLink[c]
}
