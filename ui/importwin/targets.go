package importwin

import (
	"context"

	"github.com/ocular-lab/ocular/app/importqueue"
	"github.com/ocular-lab/ocular/core"
)

// groupChanged offers whom the user may import for in the group (only
// themselves unless they may import for others, as `ocular-cli import
// --owner` allows) and reloads the containers.
func (w *Window) groupChanged() {
	group := w.group()
	w.owners = importqueue.ImportFor(w.opts.Me, group)
	var ls []string
	for i, u := range w.owners {
		l := u.FullName() + " (" + u.Username + ")"
		if i == 0 {
			l = "Myself — " + l
		}
		ls = append(ls, l)
	}
	w.For.Options = ls
	w.For.SetSelectedIndex(0) // loads the targets
	if len(w.owners) > 1 {
		w.For.Enable()
	} else {
		w.For.Disable()
	}
}

func (w *Window) group() core.ID {
	if i := w.Group.SelectedIndex(); i >= 0 && i < len(w.groups) {
		return w.groups[i].ID
	}
	return 0
}

// loadTargets lists the containers of the user imported for in the
// group, after the fixed choices, as the tree shows them: each project's
// datasets ("Project / Dataset", and "New dataset in Project…"), the
// datasets in no project, the screens.
func (w *Window) loadTargets() {
	group := w.group()
	owner := w.opts.Me.User.ID
	if i := w.For.SelectedIndex(); i >= 0 && i < len(w.owners) {
		owner = w.owners[i].ID
	}
	fixed := []targetChoice{{label: NoDataset}, {label: NewDataset, new: core.Dataset}, {label: NewScreen, new: core.Screen}}
	w.setTargets(fixed, NoDataset)
	sess := w.opts.Session
	w.opts.Run.Go(func() func() {
		found, err := containers(sess, group, owner)
		return func() {
			if w.group() != group {
				return // the user chose another group meanwhile
			}
			if err != nil {
				w.problem("The datasets of this group cannot be listed: " + core.UserMessage(err))
			}
			keep := w.Target.Selected
			w.setTargets(append(fixed, found...), keep)
			w.event("import targets " + itoa(len(found)))
		}
	})
}

// containers reads the top level of the tree and the datasets of each
// project.
func containers(sess core.Session, group, owner core.ID) ([]targetChoice, error) {
	ctx := context.Background()
	top, err := sess.Browse(ctx, core.BrowseRequest{Group: group, Owner: owner})
	if err != nil {
		return nil, err
	}
	var projects, datasets, screens []targetChoice
	for _, o := range top {
		switch o.Class {
		case core.Project:
			kids, err := sess.Browse(ctx, core.BrowseRequest{Group: group, Owner: owner, Parent: o.Ref})
			if err != nil {
				return nil, err
			}
			for _, d := range kids {
				if d.Class == core.Dataset {
					projects = append(projects, targetChoice{label: "Dataset: " + o.Name + " / " + d.Name + " (" + d.Ref.String() + ")",
						ref: d.Ref, path: o.Ref.String() + "/" + d.Ref.String()})
				}
			}
			projects = append(projects, targetChoice{label: "New dataset in " + o.Name + "…", new: core.Dataset, project: o.Ref, projectName: o.Name})
		case core.Dataset:
			datasets = append(datasets, targetChoice{label: "Dataset: " + o.Name + " (" + o.Ref.String() + ")", ref: o.Ref, path: o.Ref.String()})
		case core.Screen:
			screens = append(screens, targetChoice{label: "Screen: " + o.Name + " (" + o.Ref.String() + ")", ref: o.Ref, path: o.Ref.String()})
		}
	}
	return append(append(datasets, projects...), screens...), nil
}

func (w *Window) setTargets(cs []targetChoice, selected string) {
	w.targets = cs
	var ls []string
	idx := 0
	for i, c := range cs {
		ls = append(ls, c.label)
		if c.label == selected {
			idx = i
		}
	}
	w.Target.Options = ls
	w.Target.SetSelectedIndex(idx)
}

// targetChanged shows the name field for a new dataset or screen.
func (w *Window) targetChanged() {
	i := w.Target.SelectedIndex()
	if i < 0 || i >= len(w.targets) || w.targets[i].new == "" {
		w.NewName.Hide()
		return
	}
	if w.targets[i].new == core.Screen {
		w.NewName.SetPlaceHolder("Name of the new screen")
	} else {
		w.NewName.SetPlaceHolder("Name of the new dataset")
	}
	w.NewName.Show()
	w.Window.Canvas().Focus(w.NewName)
}

// SelectTarget chooses the dataset chooser's entry labelled label (or the
// first starting with it); false when there is none.
func (w *Window) SelectTarget(label string) bool {
	for i, c := range w.targets {
		if c.label == label || (len(c.label) > len(label) && c.label[:len(label)] == label) {
			w.Target.SetSelectedIndex(i)
			return true
		}
	}
	return false
}
