package core

import "context"

// WriteHint tells a Store's Write whose session a write transaction runs
// for, before fn runs. Every session's write begins by reading the same
// rows (its session, user, memberships and the groups), and a store whose
// write lock is shared by server instances (PostgreSQL) can send those reads
// together with the lock request, so they run the moment the lock is
// granted instead of one network round trip each while holding it. A
// session's reads carry it too (without Shared), so that such a store can
// send the same four reads in one round trip. A store may ignore the hint;
// it changes no result.
type WriteHint struct {
	SessionKey string
	User       ID
	// Shared says the write only inserts new rows (comments, links, an
	// import's fileset with its images, pixels and channels) or deletes
	// links: rows no other write depends on but through what the database
	// itself guards (one link per parent, child and class; references to
	// existing objects). What such a write reads and checks (the session,
	// memberships, an import's target dataset) only non-shared writes
	// change. Such writes may run beside each other, not beside any other
	// write: a store whose writes are serial may let them share its write
	// lock (PostgreSQL: the lock in shared mode), so that the commonest
	// writes of many server instances do not wait in one line.
	Shared bool
}

// SharedWrite reports whether creating an object of class may be a
// shared write (WriteHint.Shared).
func SharedWrite(class Class) bool { return class.IsLink() || class == CommentAnnotation }

type writeHintKey struct{}

// WithWriteHint returns ctx carrying h for the next Store.Write.
func WithWriteHint(ctx context.Context, h WriteHint) context.Context {
	return context.WithValue(ctx, writeHintKey{}, h)
}

// WriteHintOf is the hint ctx carries, if any.
func WriteHintOf(ctx context.Context) (WriteHint, bool) {
	h, ok := ctx.Value(writeHintKey{}).(WriteHint)
	return h, ok
}
