package core

import (
	"context"
	"time"
)

// AnyID in a Query field means "no constraint". (Zero is a real ID: root and
// the system group are 0, as in OMERO.)
const AnyID ID = -1

// Store is the storage port: what the in-process services need from a
// repository. repository/sqlite implements it. Every mutation happens inside
// Write, in one transaction that commits when fn returns nil and rolls back
// otherwise, so a request changes everything it planned or nothing.
type Store interface {
	Read(ctx context.Context, fn func(Tx) error) error
	Write(ctx context.Context, fn func(Tx) error) error
	// Dir is the repository folder; managed files live below it.
	Dir() string
	Close() error
}

// Query selects objects. Zero values mean "no constraint" except for the ID
// fields, which use AnyID.
type Query struct {
	Classes []Class
	Group   ID // AnyID for all groups
	Owner   ID // AnyID for all owners
	Parent  ID // AnyID, or the parent_id column (link parent, structural parent)
	Child   ID // AnyID, or the child_id column (link child, well sample image)
	// NotChildOf keeps only objects that are the child of no object of
	// these classes (orphans: Dataset not in a ProjectDatasetLink...).
	NotChildOf []Class
	// LinkedFrom keeps only objects that are the child of a link of class
	// LinkedFrom.Class whose parent is LinkedFrom.ID (images of a dataset).
	LinkedFrom *Ref
	IDs        []ID
	// Parents keeps objects whose parent_id is one of these (the links of
	// many objects in one query); empty means any.
	Parents []ID
	// Children keeps objects whose child_id is one of these (the links to
	// many objects in one query); empty means any.
	Children  []ID
	Ns        string
	TextValue string
	Limit     int
}

// NewQuery returns a query with every ID constraint open.
func NewQuery(classes ...Class) Query {
	return Query{Classes: classes, Group: AnyID, Owner: AnyID, Parent: AnyID, Child: AnyID}
}

// SessionRecord is a login session kept by the repository, so that the CLI
// can log in once and run later commands without the password.
type SessionRecord struct {
	Key     string
	User    ID
	Group   ID
	Created time.Time
	Expires time.Time
}

// Tx is one transaction over the repository.
type Tx interface {
	// Experimenters and groups.
	Experimenter(id ID) (Experimenter, error)
	ExperimenterByName(username string) (Experimenter, error)
	Experimenters() ([]Experimenter, error)
	CreateExperimenter(e *Experimenter, passwordHash string) error
	UpdateExperimenter(e Experimenter) error
	PasswordHash(id ID) (string, error)
	SetPasswordHash(id ID, hash string) error
	Group(id ID) (Group, error)
	GroupByName(name string) (Group, error)
	Groups() ([]Group, error)
	CreateGroup(g *Group) error
	UpdateGroup(g Group) error
	Memberships(user ID) ([]Membership, error)
	GroupMembers(group ID) ([]Membership, error)
	SetMembership(m Membership) error
	RemoveMembership(group, user ID) error

	// Sessions.
	CreateSession(s SessionRecord) error
	Session(key string) (SessionRecord, error)
	UpdateSession(s SessionRecord) error
	DeleteSession(key string) error

	// Objects (containers, images, annotations, links, files...).
	Object(id ID) (*Object, error)
	Objects(ids []ID) (map[ID]*Object, error)
	Find(q Query) ([]*Object, error)
	Count(q Query) (int, error)
	// Search returns the objects matching spec, newest first, at most
	// spec.Limit+1 of them (so the caller knows whether more follow).
	Search(spec SearchSpec) ([]*Object, error)
	// CountChildren counts, per parent, the objects of class childClass
	// whose parent_id is that parent (links of a container, wells of a plate).
	CountChildren(childClass Class, parents []ID) (map[ID]int, error)
	CreateObject(o *Object) error
	UpdateObject(o *Object) error
	DeleteObject(id ID) error
	// FindLink returns the link of class c between parent and child, or NotFound.
	FindLink(c Class, parent, child ID) (*Object, error)

	// Bulk changes and loading for graph operations, which touch 100,000+
	// rows in one transaction. The changes apply to the objects in the
	// order given, in batches; a missing object is NotFound and an object
	// still referenced by another (on delete) is a Conflict, as for the
	// one-row methods.
	//
	// GraphObjects loads every object of a group for planning: all columns
	// except Description, Created and Updated, and Attrs only for objects
	// of the classes in withAttrs. Such objects must never be written back
	// with UpdateObject (their other values would be lost).
	GraphObjects(group ID, withAttrs []Class) ([]*Object, error)
	// GraphNeighbours loads, with GraphObjects' columns, the objects whose
	// ID is one of ids and those whose parent, child or ref2 column names
	// one of them, in every group, each once, in ID order. Planning from the
	// requested roots outward calls it with each new frontier, so that a
	// plan reads the objects it concerns and not the whole group.
	GraphNeighbours(ids []ID, withAttrs []Class) ([]*Object, error)
	// SetObjectsGroup moves objects to a group; SetObjectsOwner gives them
	// to a user. Both stamp Updated.
	SetObjectsGroup(ids []ID, group ID) error
	SetObjectsOwner(ids []ID, owner ID) error
	// DeleteObjects deletes objects in the order given: whatever refers to
	// an object must come before it (or in the same batch).
	DeleteObjects(ids []ID) error

	// Pixels, channels and files of images.
	Pixels(image ID) (PixelsInfo, error)
	SetPixels(p PixelsInfo) error
	Channels(image ID) ([]ChannelInfo, error)
	SetChannels(image ID, chs []ChannelInfo) error
	FilesetEntries(fileset ID) ([]FilesetEntry, error)
	// FilesetEntriesOf returns the entries of many filesets at once.
	FilesetEntriesOf(filesets []ID) (map[ID][]FilesetEntry, error)
	AddFilesetEntry(e FilesetEntry) error
	// FilesetEntriesByClientPath finds earlier imports of a file by its origin.
	FilesetEntriesByClientPath(clientPath string) ([]FilesetEntry, error)

	// Import-station records.
	WatchRecords(station string) ([]WatchRecord, error)
	SaveWatchRecord(r WatchRecord) error

	// Repository-wide settings (schema version, creation date...).
	Meta(key string) (string, error)
	SetMeta(key, value string) error
}

// GraphStepper is an optional part of a store's Tx: planning a graph
// operation from the requested roots outward uses it to take one step
// along chosen columns, and to learn how many links name an annotation
// without loading them (a tag on a million images must not bring the
// million links into memory). A store without it is planned with
// GraphNeighbours and Objects, which gives the same plans with more reading.
type GraphStepper interface {
	// GraphStep loads, with GraphObjects' columns, the objects whose ID is
	// one of ids (ByID) and those whose columns in by name one of them, in
	// every group, each once, in ID order.
	GraphStep(ids []ID, by GraphColumns, withAttrs []Class) ([]*Object, error)
	// GraphChildCounts counts, for each of ids, the objects whose child
	// column names it, by class, in every group (ids nothing names are absent).
	GraphChildCounts(ids []ID) ([]GraphCount, error)
}

// GraphColumns chooses columns of the object table: the ID and the
// reference columns.
type GraphColumns uint8

const (
	ByID GraphColumns = 1 << iota
	ByParent
	ByChild
	ByRef2
	ByAnyColumn = ByID | ByParent | ByChild | ByRef2
)

// GraphCount is how many objects of one class name an object in their
// child column (links to an annotation, by link class).
type GraphCount struct {
	ID    ID
	Class Class
	N     int
}
