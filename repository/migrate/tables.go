package migrate

// tableSpec says how one table is copied: in the order of its primary key,
// in chunks, with the columns that hold IDs translated.
type tableSpec struct {
	name string
	key  []string // primary key columns: chunks follow this order
	// Columns holding object, user and group IDs: object IDs are shifted
	// by the offset (when the target already held objects), user and
	// group IDs follow the maps (users and groups matched by name).
	objectIDs, userIDs, groupIDs []string
}

// copiedTables are the tables copied after users and groups, in an order
// that satisfies the foreign keys. Left out: session (logins; users log
// in to the server again), id_sequence (SQLite's; the target's sequence
// is advanced instead), the search index (the target's triggers index the
// rows as they arrive) and any table of the target's own (jobs).
var copiedTables = []tableSpec{
	{name: "object", key: []string{"id"}, objectIDs: []string{"id", "parent_id", "child_id", "ref2_id"},
		userIDs: []string{"owner_id"}, groupIDs: []string{"group_id"}},
	{name: "pixels", key: []string{"image_id"}, objectIDs: []string{"image_id"}},
	{name: "channel", key: []string{"image_id", "idx"}, objectIDs: []string{"image_id"}},
	{name: "fileset_entry", key: []string{"fileset_id", "idx"}, objectIDs: []string{"fileset_id"}},
	{name: "watch_record", key: []string{"station", "path"}, objectIDs: []string{"fileset_mark"}, userIDs: []string{"owner_id"}},
}

// forwardRefs are the object columns that may name an object with a
// larger ID (in a later chunk): such a value is set after all objects are
// copied (the foreign key would refuse it earlier).
var forwardRefs = []string{"parent_id", "child_id", "ref2_id"}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
