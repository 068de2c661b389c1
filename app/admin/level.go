package admin

import (
	"fmt"
	"sort"

	"github.com/ocular-lab/ocular/core"
)

// LevelWarning is OMERO's warning on changing a group's permissions, in
// Ocular's words where they differ: downgrades between shared levels keep
// existing links and annotations (spec §2); only private deletes.
func LevelWarning(from, to core.Level) string {
	switch {
	case to == from:
		return fmt.Sprintf("The group is already %s.", from)
	case to > from:
		return fmt.Sprintf("Upgrading from %s to %s lets members see (and, above read-only, annotate or edit) each other's data. No data changes.", from, to)
	case to != core.Private:
		return fmt.Sprintf("Downgrading from %s to %s: members can no longer create the links and annotations %s allowed. Existing ones stay; no data is deleted.", from, to, from)
	}
	return "Downgrading to private removes every link between different users' data (a dataset of one user holding another's image), " +
		"other users' comments and ratings on each image, and their ROIs and rendering settings. Tags and attached files stay. " +
		"It fails, changing nothing, where a plate's field of one user shows another user's image. This cannot be undone."
}

// Loss is what one owner would lose in a downgrade: the objects and links
// of theirs the dry run deletes.
type Loss struct {
	Owner string // full name (username), or "unknown owner"
	// Lines are "Class:ID name" in the plan's order, deleted objects
	// first, then removed links.
	Lines []string
}

// Owned is the owner and name of an object in a plan; the UI looks them up
// (bounded by MaxLookups) before calling LossByOwner.
type Owned struct {
	Owner string
	Name  string
}

// MaxLookups bounds how many objects of a plan the preview names and
// attributes to owners; the rest are counted.
const MaxLookups = 2000

// LossByOwner groups a chmod plan's deleted objects and removed links by
// owner, owners sorted by name. Refs missing from who (beyond MaxLookups,
// or no longer readable) go to "unknown owner".
func LossByOwner(plan core.GraphPlan, who map[core.Ref]Owned) []Loss {
	byOwner := map[string]*Loss{}
	var order []string
	add := func(r core.Ref) {
		o, ok := who[r]
		owner := o.Owner
		if !ok || owner == "" {
			owner = "unknown owner"
		}
		l := byOwner[owner]
		if l == nil {
			l = &Loss{Owner: owner}
			byOwner[owner] = l
			order = append(order, owner)
		}
		line := r.String()
		if o.Name != "" {
			line += " " + o.Name
		}
		l.Lines = append(l.Lines, line)
	}
	for _, r := range plan.Deleted {
		add(r)
	}
	for _, r := range plan.Severed {
		add(r)
	}
	sort.Strings(order)
	out := make([]Loss, 0, len(order))
	for _, o := range order {
		out = append(out, *byOwner[o])
	}
	return out
}

// LossSummary is the preview's headline, as the CLI's dry run says it.
func LossSummary(group string, from, to core.Level, plan core.GraphPlan) string {
	if len(plan.Deleted)+len(plan.Severed) == 0 {
		return fmt.Sprintf("Changing group %s from %s to %s changes no data.", group, from, to)
	}
	return fmt.Sprintf("Changing group %s from %s to %s would delete %d objects and %d links of different owners:",
		group, from, to, len(plan.Deleted), len(plan.Severed))
}
