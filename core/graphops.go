package core

import "context"

// Graph operations (spec §2 and §4): delete, move to group (chgrp), change
// owner (chown), duplicate and a group's downgrade to private (chmod). Each
// one first computes a plan over the object graph; a dry run returns the
// plan, a real run applies exactly that plan in one transaction, or nothing.

// GraphOp names a graph operation.
type GraphOp string

const (
	OpDelete    GraphOp = "delete"
	OpChgrp     GraphOp = "chgrp"
	OpChown     GraphOp = "chown"
	OpDuplicate GraphOp = "duplicate"
	OpChmod     GraphOp = "chmod"
)

// ChildOptions are OMERO's childOptions (spec §4.1). Include makes matching
// children be treated as orphans (processed even when linked elsewhere);
// Exclude makes them be treated as attached (never processed, only their
// links to processed objects go). Include wins when both match. They apply
// to container contents and annotations; parts that cannot exist alone
// (ROIs, rendering settings, wells, fields) always follow their parent.
type ChildOptions struct {
	Include   []Class  `json:"include,omitempty"`
	Exclude   []Class  `json:"exclude,omitempty"`
	IncludeNs []string `json:"includeNs,omitempty"`
	ExcludeNs []string `json:"excludeNs,omitempty"`
}

// DuplicateOptions are the class options of duplicate (spec §4.5); the more
// specific class wins (TagAnnotation over Annotation).
type DuplicateOptions struct {
	// Ignore: neither duplicate nor link.
	Ignore []Class `json:"ignore,omitempty"`
	// Reference: do not duplicate; link the duplicates to the originals.
	Reference []Class `json:"reference,omitempty"`
	// Duplicate: force duplication of a subclass of an ignored or referenced class.
	Duplicate []Class `json:"duplicate,omitempty"`
}

// GraphRequest asks for one graph operation.
type GraphRequest struct {
	Op      GraphOp  `json:"op"`
	Targets []Target `json:"targets,omitempty"`
	ChildOptions

	// Group is the destination of a chgrp, or the group of a chmod.
	Group ID `json:"group,omitempty"`
	// TargetContainer links the moved objects into an existing container of
	// the destination group (chgrp).
	TargetContainer Ref `json:"targetContainer,omitempty"`
	// NewContainer and NewContainerName create a container in the
	// destination, owned by the data owner, and link the moved objects into it.
	NewContainer     Class  `json:"newContainer,omitempty"`
	NewContainerName string `json:"newContainerName,omitempty"`
	// KeepAnnotations carries the tags, files and key-value pairs whose links
	// a move would remove into the destination group (a same-named tag there
	// is reused, otherwise a copy is made).
	KeepAnnotations bool `json:"keepAnnotations,omitempty"`
	// AddMissingFilesetImages adds the images a selection leaves out of its
	// filesets (the "Move All" of the fileset check).
	AddMissingFilesetImages bool `json:"addMissingFilesetImages,omitempty"`

	// User is the recipient of a chown.
	User ID `json:"user,omitempty"`

	DuplicateOptions

	// Level is the new level of a chmod.
	Level Level `json:"level,omitempty"`

	DryRun bool `json:"dryRun,omitempty"`
	// Expect, when set, is the Fingerprint of the plan the user reviewed: a
	// real run whose plan came out different (the data changed meanwhile)
	// is refused with Conflict instead of doing something else.
	Expect string `json:"expect,omitempty"`
	// Progress, when set, is called with the rows done of the total while a
	// real run applies its plan (from the calling goroutine).
	Progress func(done, total int) `json:"-"`
}

// Named is an object with the name a user knows it by.
type Named struct {
	Ref  Ref    `json:"ref"`
	Name string `json:"name"`
}

// SplitFileset is a fileset of which a selection holds only some images.
type SplitFileset struct {
	Fileset  Ref   `json:"fileset"`
	Selected []Ref `json:"selected"`
	Missing  []Ref `json:"missing"`
}

// DoublyLinked warns that deleting an image directly removes it from every
// dataset it is in.
type DoublyLinked struct {
	Image    Named   `json:"image"`
	Datasets []Named `json:"datasets"`
}

// KeptAnnotation says how chgrp --keep-annotations carries one annotation
// into the destination: Action is "reuse" (Into names the same-named tag
// already there) or "copy".
type KeptAnnotation struct {
	Annotation Named  `json:"annotation"`
	Class      Class  `json:"class"`
	Action     string `json:"action"`
	Into       Ref    `json:"into,omitempty"`
	On         []Ref  `json:"on"` // the moved objects it was on
}

// GraphReview is what users see before they confirm (spec §4.6).
type GraphReview struct {
	// Counts of processed objects by class (moved, given, deleted, duplicated).
	Counts map[Class]int `json:"counts"`
	// DeletedCounts counts, by class, objects deleted because they cannot
	// come along (chgrp, chown, chmod).
	DeletedCounts map[Class]int `json:"deletedCounts,omitempty"`
	// NotIncluded: container children left behind.
	NotIncluded []Named `json:"notIncluded,omitempty"`
	// Annotations whose links from processed objects are removed.
	NotIncludedTags     []string `json:"notIncludedTags,omitempty"`
	NotIncludedFiles    []string `json:"notIncludedFiles,omitempty"`
	NotIncludedComments int      `json:"notIncludedComments,omitempty"`
	NotIncludedOthers   int      `json:"notIncludedOthers,omitempty"`
	// RemovedFrom: containers the processed objects will be unlinked from.
	RemovedFrom   []Named          `json:"removedFrom,omitempty"`
	SplitFilesets []SplitFileset   `json:"splitFilesets,omitempty"`
	DoublyLinked  []DoublyLinked   `json:"doublyLinked,omitempty"`
	Kept          []KeptAnnotation `json:"kept,omitempty"`
}

// GraphPlan is the outcome of planning a request.
type GraphPlan struct {
	Op GraphOp `json:"op"`
	// Processed: moved, given, deleted or duplicated, with the links that go
	// with them (spec §4.1 includedObjects; for delete, deletedObjects).
	Processed []Ref `json:"processed"`
	// Deleted: objects deleted because they cannot come along.
	Deleted []Ref `json:"deleted,omitempty"`
	// Severed: links removed between a processed object and one that stays.
	Severed []Ref       `json:"severed,omitempty"`
	Review  GraphReview `json:"review"`
	// Blockers are the reasons a request is refused; PlanGraph then also
	// returns an error saying them.
	Blockers []string `json:"blockers,omitempty"`
	// Total is the number of changes a real run makes (for progress).
	Total int `json:"total"`
	// Fingerprint identifies the plan (see GraphRequest.Expect).
	Fingerprint string `json:"fingerprint"`
}

// DuplicatePair maps an original to its duplicate.
type DuplicatePair struct {
	Original Ref `json:"original"`
	Copy     Ref `json:"copy"`
}

// GraphResult is what a real run changed.
type GraphResult struct {
	GraphPlan
	// Created: target containers, new links, carried annotations.
	Created    []Ref           `json:"created,omitempty"`
	Duplicates []DuplicatePair `json:"duplicates,omitempty"`
	// Files on disk removed (delete), hard-linked or copied (duplicate).
	FilesRemoved int `json:"filesRemoved,omitempty"`
	FilesLinked  int `json:"filesLinked,omitempty"`
	FilesCopied  int `json:"filesCopied,omitempty"`
}

// RepairReport lists the unreferenced files a repair sweep removed.
type RepairReport struct {
	Removed []string `json:"removed"`
	Bytes   int64    `json:"bytes"`
}

// Graph runs graph operations. Errors: NotFound for a target, group or user
// that does not exist or that the caller may not see (one message for
// both); Invalid for a malformed request (unknown class option, wrong
// target class); Permission or Conflict when the rules refuse the request,
// naming the objects that block it. A refused request changes nothing.
type Graph interface {
	// PlanGraph computes the plan without changing anything (the dry run).
	// When the rules refuse the request it returns the plan (with Blockers
	// and the review, e.g. the split filesets) together with the error.
	PlanGraph(ctx context.Context, req GraphRequest) (GraphPlan, error)
	// RunGraph computes the plan and applies it in one transaction. Files
	// are written before the rows that name them and removed only after
	// the rows are gone.
	RunGraph(ctx context.Context, req GraphRequest) (GraphResult, error)
	// RepairFiles removes files of the managed repository that no fileset
	// names and that are older than minAgeSeconds (what a crash between a
	// commit and the file removal, or during a duplicate, leaves behind).
	// Administrators only.
	RepairFiles(ctx context.Context, minAgeSeconds int) (RepairReport, error)
}
