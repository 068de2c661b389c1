package browser

import "github.com/ocular-lab/ocular/app/browse"

// reload reads the tree again after an action changed the data (child
// counts, new or deleted nodes), reopening the branches that were open
// and selecting the row that was selected, as each level comes back; the
// grid and the details panel follow the selection.
func (v *View) reload() { v.reloadTo("") }

// reloadTo reloads and then selects uid (a node just made), opening the
// branches above it; "" keeps the selection.
func (v *View) reloadTo(uid string) {
	// A reload that could not finish (the server did not answer) still
	// holds what it was to reopen: the next one keeps it, so Reconnect
	// brings the window back as it was before the connection dropped.
	prev, prevSel := v.reopen, v.reselect
	if !v.reloading {
		prev, prevSel = nil, ""
	}
	v.reopen = map[string]bool{}
	for uid := range prev {
		v.reopen[uid] = true
	}
	for _, uid := range v.visibleRows() {
		if v.model.IsBranch(uid) && v.Tree.IsBranchOpen(uid) {
			v.reopen[uid] = true
		}
	}
	v.reselect = v.primary
	if v.reselect == "" {
		v.reselect = prevSel
	}
	v.reloading = true
	if uid != "" {
		v.reselect = uid
		path := browse.Path(uid)
		for _, p := range path[:len(path)-1] {
			v.reopen[p] = true
		}
	}
	v.pending = nil
	v.model.Reset(v.model.Group(), v.model.Owner())
	v.extending = true // keep the status bar's outcome message
	v.Tree.UnselectAll()
	v.extending = false
	v.Tree.CloseAllBranches()
	v.marked, v.anchor, v.primary, v.fromGrid = map[string]bool{}, "", "", false
	v.Grid.Clear(gridHint)
	v.loadTop()
}

// restore reopens and reselects, under uid just loaded, what reload saw.
func (v *View) restore(uid string) {
	v.restoring++
	defer func() {
		v.restoring--
		v.reloadDone()
	}()
	if len(v.reopen) == 0 && v.reselect == "" {
		return
	}
	for _, c := range v.model.Children(uid) {
		if c == v.reselect {
			v.reselect = ""
			status := v.status.Text
			v.Tree.Select(c)
			v.setStatus(status) // the action's outcome stays readable
		}
		if v.reopen[c] {
			delete(v.reopen, c)
			v.Tree.OpenBranch(c)
		}
	}
	if uid == browse.Root {
		v.Tree.Refresh()
	}
}

// reloadDone tells scripts ("reloaded") once a reload has nothing left to
// reopen and no level is still loading; the selection is back by then (or
// it was deleted).
func (v *View) reloadDone() {
	if !v.reloading || len(v.reopen) > 0 || v.inflight > 0 || v.restoring > 0 {
		return
	}
	v.reloading, v.reselect = false, ""
	v.event("reloaded")
}
