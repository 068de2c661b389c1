package importwin

import (
	"context"
	"sort"

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

// loadTargets lists the datasets and screens of the user imported for in
// the group, after the fixed choices.
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
		var found []targetChoice
		var firstErr error
		for _, class := range []core.Class{core.Dataset, core.Screen} {
			objs, err := sess.List(context.Background(), class, owner, group)
			if err != nil && firstErr == nil {
				firstErr = err
			}
			sort.Slice(objs, func(i, j int) bool { return objs[i].Name < objs[j].Name })
			for _, o := range objs {
				found = append(found, targetChoice{label: string(class) + ": " + o.Name + " (" + o.Ref.String() + ")", ref: o.Ref})
			}
		}
		return func() {
			if w.group() != group {
				return // the user chose another group meanwhile
			}
			if firstErr != nil {
				w.problem("The datasets of this group cannot be listed: " + core.UserMessage(firstErr))
			}
			keep := w.Target.Selected
			w.setTargets(append(fixed, found...), keep)
			w.event("import targets " + itoa(len(found)))
		}
	})
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
