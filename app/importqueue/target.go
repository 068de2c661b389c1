package importqueue

import (
	"sort"
	"strings"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/core"
)

// Target is where an entry's images go and how.
type Target struct {
	// Group is the group imported into; 0 = the session's.
	Group core.ID
	// Owner is the username of the user the data is imported for; "" = me.
	Owner string
	// Dataset or Screen is an existing container (zero: none).
	Dataset core.Ref
	Screen  core.Ref
	// NewDataset names a dataset made when the entry starts, inside
	// Project when it is set; NewScreen likewise a screen.
	NewDataset string
	Project    core.Ref
	NewScreen  string
	// FolderAsDataset makes a dataset per folder, named after it.
	FolderAsDataset bool
	Tags            []string
	// Transfer is importer.Copy (default), Hardlink or Symlink.
	Transfer string
	// Path is the container's path in the data tree ("Project:3/
	// Dataset:5"), for the activities' Show link; "" when unknown.
	Path string
	// Label says where the entry goes, in words, for the list ("Dataset
	// "Run 3" in Lab"); the window fills it.
	Label string
}

// Where is the target in words for the list.
func (t Target) Where() string {
	if t.Label != "" {
		return t.Label
	}
	switch {
	case t.NewDataset != "":
		return "New dataset " + quote(t.NewDataset)
	case t.NewScreen != "":
		return "New screen " + quote(t.NewScreen)
	case !t.Dataset.IsZero():
		return t.Dataset.String()
	case !t.Screen.IsZero():
		return t.Screen.String()
	case t.FolderAsDataset:
		return "A dataset per folder"
	}
	return "Orphaned Images"
}

func quote(s string) string { return "“" + s + "”" }

// sameNew reports whether t and o ask for the same new dataset or screen
// (same name, place, group and owner): entries that do share it, made once
// by the first of them to start, as when several files are queued into
// one "New dataset…".
func (t Target) sameNew(o Target) bool {
	return (t.NewDataset != "" || t.NewScreen != "") && t.NewDataset == o.NewDataset && t.NewScreen == o.NewScreen &&
		t.Project == o.Project && t.Group == o.Group && t.Owner == o.Owner
}

// options are the importer's options for the target.
func (t Target) options() importer.Options {
	return importer.Options{Dataset: t.Dataset, Screen: t.Screen, Owner: t.Owner, Transfer: t.Transfer,
		FolderAsDataset: t.FolderAsDataset, Tags: t.Tags}
}

// CanImportFor reports whether me may import data for other users: the
// rule of `ocular-cli import --owner`, which the repository applies again
// on every import (an administrator holding WriteOwned or Sudo).
func CanImportFor(me core.Me) bool {
	return me.Has(core.PrivWriteOwned) || me.Has(core.PrivSudo)
}

// ImportFor lists whom me may import for in group: me first, then, when
// CanImportFor, the other members by full name.
func ImportFor(me core.Me, group core.ID) []core.Experimenter {
	out := []core.Experimenter{me.User}
	if !CanImportFor(me) {
		return out
	}
	for _, g := range me.Groups {
		if g.ID != group {
			continue
		}
		var others []core.Experimenter
		for _, m := range g.Members {
			if m.ID != me.User.ID {
				others = append(others, m.Experimenter)
			}
		}
		sort.Slice(others, func(i, j int) bool { return others[i].FullName() < others[j].FullName() })
		out = append(out, others...)
	}
	return out
}

// Transfers are the transfers a session allows: against a server only a
// copy (the server keeps its own files).
func Transfers(s core.Session) []string {
	if _, remote := s.(core.UploadImporter); remote {
		return []string{importer.Copy}
	}
	return []string{importer.Copy, importer.Hardlink, importer.Symlink}
}

// TransferLabel words a transfer for a chooser.
func TransferLabel(t string) string {
	switch t {
	case importer.Hardlink:
		return "Hard link (same disk, no second copy)"
	case importer.Symlink:
		return "Leave the files in place (link to them)"
	}
	return "Copy into the repository"
}

// ParseTags splits a comma-separated list of tag names.
func ParseTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}
