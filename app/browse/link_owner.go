package browse

import (
	"context"
	"strconv"

	"github.com/ocular-lab/ocular/core"
)

// linkFields are the fields of a new link the desktop makes, as OMERO.web
// (5.8.0 and later) makes them: when an administrator who may write other
// users' data (WriteOwned) links an object that is not theirs, the link
// belongs to the object's owner, so that the owner can unlink it later.
// A group owner's (PI's) links stay the PI's. At the server's level (the
// CLI's obj new) a link belongs to its maker; the desktop names the owner
// with owner=ID, and the core checks that the maker may.
func linkFields(me core.Me, parent core.Ref, child core.ObjectView) map[string]string {
	f := map[string]string{"parent": parent.String(), "child": child.Ref.String()}
	if me.Has(core.PrivWriteOwned) && child.Owner != 0 && child.Owner != me.User.ID {
		f["owner"] = strconv.FormatInt(int64(child.Owner), 10)
	}
	return f
}

// createLink makes one link with linkFields (callers read me once per
// batch).
func createLink(ctx context.Context, s core.Session, me core.Me, class core.Class, parent core.Ref, child core.ObjectView) (core.ObjectView, error) {
	return s.Create(ctx, class, linkFields(me, parent, child))
}
