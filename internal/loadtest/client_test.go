package loadtest

import (
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/core"
)

// step does one thing a user does, chosen at random with a desk's weights:
// mostly browsing and looking, sometimes annotating and moving, rarely
// importing. It returns the operation's name and its error.
func (c *client) step(ctx context.Context, rng *rand.Rand, n int, src string, i int, all []*client) (string, error) {
	var op string
	var err error
	began := time.Now()
	switch r := rng.Intn(100); {
	case n%40 == 5: // early, so even a short run imports under load
		op, err = "import", c.importOne(ctx, src, i, n)
	case r < 30:
		op = "browse"
		_, err = c.sess.Browse(ctx, core.BrowseRequest{Group: c.group, Owner: core.AnyID, Parent: c.datasets[c.in], Fields: true})
	case r < 45:
		op = "get"
		_, err = c.sess.Get(ctx, c.image)
	case r < 60:
		op = "thumbnails"
		refs := make([]core.Ref, 10)
		for k := range refs {
			refs[k] = all[rng.Intn(len(all))].image
		}
		var got map[core.ID][]byte
		if got, err = c.sess.Thumbnails(ctx, refs, 96); err == nil && len(got) == 0 {
			err = fmt.Errorf("no thumbnail came back for %v", refs)
		}
	case r < 75:
		op = "render"
		var def core.RenderingDefView
		if def, err = c.sess.ViewerRendering(ctx, c.image); err == nil {
			_, err = c.sess.RenderRegion(ctx, c.image, def.Settings, core.RegionRequest{Size: 256})
		}
	case r < 90:
		op = "annotate"
		err = c.comment(ctx, n)
	default:
		op = "move"
		err = c.move(ctx)
	}
	c.lat[op] = append(c.lat[op], time.Since(began))
	return op, err
}

func (c *client) comment(ctx context.Context, n int) error {
	a, err := c.sess.Create(ctx, core.CommentAnnotation, map[string]string{"textValue": fmt.Sprintf("note %d", n)})
	if err != nil {
		return err
	}
	if _, err := c.sess.Create(ctx, core.ImageAnnotationLink, map[string]string{"parent": c.image.String(), "child": a.Ref.String()}); err != nil {
		return err
	}
	c.comments++
	return nil
}

// move cuts the image from its dataset and pastes it into the other one, as
// the desktop's drag and drop does.
func (c *client) move(ctx context.Context) error {
	to := 1 - c.in
	l, err := c.sess.Create(ctx, core.DatasetImageLink, map[string]string{"parent": c.datasets[to].String(), "child": c.image.String()})
	if err != nil {
		return err
	}
	if err := c.sess.Delete(ctx, c.link); err != nil {
		return err
	}
	c.in, c.link = to, l.Ref
	return nil
}

func (c *client) importOne(ctx context.Context, src string, i, n int) error {
	path := filepath.Join(src, fmt.Sprintf("c%d.tif", i))
	sum, err := importer.Run(ctx, importer.Config{Session: c.sess}, []string{path}, importer.Options{Dataset: c.datasets[c.in]}, nil)
	if err == nil {
		err = sum.Err()
	}
	if err != nil {
		// The count of failed files alone does not say what went wrong.
		for _, r := range sum.Results {
			if r.Error != "" {
				err = fmt.Errorf("%w: %s: %s", err, r.Path, r.Error)
			}
		}
		return err
	}
	c.imported++
	return nil
}

// check compares what the server holds with what this client did: the
// image in the dataset it was last moved to and not the other, every
// comment there, every import counted. It reports whether all was so:
// a lost or a duplicated update fails it.
func (c *client) check(t *testing.T, ctx context.Context) (ok bool) {
	t.Helper()
	ok = true
	bad := func(format string, args ...any) {
		t.Helper()
		ok = false
		t.Errorf(format, args...)
	}
	images := 0
	for k, d := range c.datasets {
		kids, err := c.sess.Browse(ctx, core.BrowseRequest{Group: c.group, Owner: core.AnyID, Parent: d})
		if err != nil {
			bad("%s: browse %s: %v", c.user, d, err)
			return false
		}
		has := false
		for _, v := range kids {
			if v.Ref == c.image {
				has = true
			}
		}
		images += len(kids)
		if has != (k == c.in) {
			bad("%s: %s holds %s: %v, but the last move put it in %s", c.user, d, c.image, has, c.datasets[c.in])
		}
	}
	if want := 1 + c.imported; images != want {
		bad("%s: its datasets hold %d images, want %d (1 + %d imported): an update was lost or duplicated", c.user, images, want, c.imported)
	}
	anns, err := c.sess.Annotations(ctx, c.image)
	if err != nil {
		bad("%s: annotations: %v", c.user, err)
		return false
	}
	comments := 0
	for _, a := range anns {
		if a.Annotation.Class == core.CommentAnnotation {
			comments++
		}
	}
	if comments != c.comments {
		bad("%s: %s has %d comments, this client added %d: an update was lost or duplicated", c.user, c.image, comments, c.comments)
	}
	return ok
}

// findLink is the link that puts image in dataset.
func findLink(t *testing.T, s core.Session, dataset, image core.Ref) core.Ref {
	t.Helper()
	ls, err := s.List(context.Background(), core.DatasetImageLink, core.AnyID, core.AnyID)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if l.Parent == dataset.ID && l.Child == image.ID {
			return l.Ref
		}
	}
	t.Fatalf("no link of %s in %s", image, dataset)
	return core.Ref{}
}
