package graph

import "github.com/ocular-lab/ocular/core"

// The rules of delete, chgrp and chown, as data: for each category of child
// reached from a processed parent, when it comes along and what happens
// otherwise. Each table cites the spec section it transcribes.

// cat is the category of a child reached from a processed parent.
type cat uint8

const (
	catContent   cat = iota // a container's child through a container link
	catStructure            // wells, runs, fields and the fields' images
	catRoi                  // ROIs on an image
	catRdef                 // rendering settings on an image
	catBasic                // comments, ratings, numbers, booleans
	catMap                  // key-value pairs (map annotations)
	catShared               // tags and file annotations
	catMember               // annotations in a tag set
	catFile                 // the OriginalFile of a file annotation
)

var catNames = [...]string{"content", "structure", "roi", "rdef", "basic", "map", "shared", "member", "file"}

func (c cat) String() string { return catNames[c] }

// cond is a set of conditions that must all hold; a rule's alternatives are
// a list of such sets, any one of which lets the child come along.
type cond uint8

const (
	sameOwner  cond = 1 << iota // owned by the owner of a processed parent
	mayDelete                   // the actor may delete it
	mayMove                     // the actor owns it or holds the Chgrp privilege
	sharedDest                  // the destination group is not private (chgrp)
	included                    // an include option names it
)

// always is the alternative that always holds.
var always = []cond{0}

// outcome is what happens to a child that does not come along.
type outcome uint8

const (
	stay        outcome = iota // it stays; its link to the processed parent goes
	remove                     // it is deleted
	removeIfMay                // it is deleted if the actor may, otherwise it stays
	refuse                     // the request is refused
)

// rule decides one category. orphan: it comes along only when no staying
// parent remains (otherwise attached applies). any: alternatives of
// conditions; nil never holds. otherwise: when no alternative holds.
type rule struct {
	orphan    bool
	attached  outcome
	any       []cond
	otherwise outcome
}

// deleteRules: spec §4.2.
func deleteRules() map[cat]rule {
	return map[cat]rule{
		// Containers consider children only if the user may delete them, and
		// only orphans; a child still in another container loses the link.
		catContent: {orphan: true, any: []cond{mayDelete}},
		// Wells, runs, fields and their images, ROIs, all users' rendering
		// settings: the parent's subgraph, regardless of permissions.
		catStructure: {any: always},
		catRoi:       {any: always},
		catRdef:      {any: always},
		// Comments and basic annotations: if orphaned, whoever owns them.
		catBasic: {orphan: true, any: always},
		// Map annotations: if orphaned and deletable.
		catMap: {orphan: true, any: []cond{mayDelete}},
		// Tags and files: if orphaned, owned by the deleted object's owner and deletable.
		catShared: {orphan: true, any: []cond{sameOwner | mayDelete}},
		// Deleting a tag set does not delete the tags in it (unless included).
		catMember: {orphan: true, any: []cond{included | mayDelete}},
		// A file annotation's file goes with it unless another annotation uses it.
		catFile: {orphan: true, any: []cond{mayDelete}},
	}
}

// chgrpRules: spec §4.3; toPrivate switches the sharedDest condition off.
func chgrpRules() map[cat]rule {
	return map[cat]rule{
		// A child moves if orphaned and same owner as its container, or (not
		// to a private group) the mover may delete or move it.
		catContent:   {orphan: true, any: []cond{sameOwner, sharedDest | mayDelete, sharedDest | mayMove}},
		catStructure: {any: always},
		// ROIs and rendering settings: the owner's always; others' move to a
		// shared destination and are deleted for a private one.
		catRoi:  {any: []cond{sameOwner, sharedDest}, otherwise: remove},
		catRdef: {any: []cond{sameOwner, sharedDest}, otherwise: remove},
		// Comments and basic annotations: orphaned ones of the data owner
		// move; others' move to a shared destination if the mover may delete
		// them; in every other case they are deleted.
		catBasic: {orphan: true, any: []cond{sameOwner, sharedDest | mayDelete}, otherwise: remove},
		// Map annotations: as comments, but never deleted without permission.
		catMap: {orphan: true, any: []cond{sameOwner, sharedDest | mayDelete}, otherwise: removeIfMay},
		// Tags and files: only the data owner's orphans move; otherwise they
		// stay in the source group and the link goes.
		catShared: {orphan: true, any: []cond{sameOwner}},
		catMember: {orphan: true, any: []cond{sameOwner}},
		// A file annotation and its file move together; two annotations
		// sharing one file can only move together.
		catFile: {orphan: true, attached: refuse, any: always, otherwise: refuse},
	}
}

// chownRules: spec §4.4 with rulings 3 and 4 of §8; the tables depend on
// the level of the data's group.
func chownRules(level core.Level) map[cat]rule {
	r := map[cat]rule{
		// Contents transfer only with the same owner as the container and
		// when in no other container.
		catContent:   {orphan: true, any: []cond{sameOwner}},
		catStructure: {any: []cond{sameOwner}},
		catFile:      {orphan: true, any: []cond{sameOwner}},
		// Read-annotate and read-write: annotations, ROIs and rendering
		// settings are not given; they stay with their owners. A tag set
		// goes alone unless its members are included (OMERO's rule "do not
		// give annotations in a read-annotate group", also read-write).
		catMember: {orphan: true, any: []cond{included | sameOwner}},
		catRoi:    {}, catRdef: {}, catBasic: {}, catMap: {}, catShared: {},
	}
	if level == core.Private || level == core.ReadOnly {
		// Private and read-only: the old owner's annotations and ROIs linked
		// only to given objects go to the recipient. In private groups,
		// other users' orphaned annotations are deleted.
		others := stay
		if level == core.Private {
			others = remove
		}
		r[catRoi] = rule{any: []cond{sameOwner}, otherwise: others}
		// Tag sets give the member tags linked only to them.
		r[catMember] = rule{orphan: true, any: []cond{sameOwner}}
		for _, c := range []cat{catBasic, catMap, catShared} {
			r[c] = rule{orphan: true, any: []cond{sameOwner}, otherwise: others}
		}
	}
	if level == core.Private {
		// Rendering settings are given only in private groups.
		r[catRdef] = rule{any: []cond{sameOwner}}
	}
	return r
}

// optionCats are the categories the include and exclude options act on;
// the other parts cannot exist without their parent.
func optionCat(c cat) bool {
	switch c {
	case catContent, catBasic, catMap, catShared, catMember:
		return true
	}
	return false
}

// annotationCat is the category of an annotation class.
func annotationCat(c core.Class) cat {
	switch c {
	case core.TagAnnotation, core.FileAnnotation:
		return catShared
	case core.MapAnnotation:
		return catMap
	}
	return catBasic
}

// qualifies reports whether a parent relation of kind k keeps a child of
// category c attached (the orphan principle counts only these).
func qualifies(c cat, k edgeKind) bool {
	switch c {
	case catContent:
		return k == contains || k == part
	case catBasic, catMap, catShared, catMember:
		return k == annotates || k == member
	case catFile:
		return k == file
	}
	return false
}
