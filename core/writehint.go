package core

import "context"

// WriteHint tells a Store's Write whose session a write transaction runs
// for, before fn runs. Every session's write begins by reading the same
// rows (its session, user, memberships and the groups), and a store whose
// write lock is shared by server instances (PostgreSQL) can send those reads
// together with the lock request, so they run the moment the lock is
// granted instead of one network round trip each while holding it. A store
// may ignore the hint; it changes no result.
type WriteHint struct {
	SessionKey string
	User       ID
}

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
