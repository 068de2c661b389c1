package grid_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"

	appgrid "github.com/ocular-lab/ocular/app/grid"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

func names(imgs []core.ObjectView) []string {
	var out []string
	for _, im := range imgs {
		out = append(out, im.Name)
	}
	return out
}

// TestFilters: each filter narrows a dataset's images as a user expects,
// and they combine.
func TestFilters(t *testing.T) {
	ctx := context.Background()
	svc, _ := testrepo.New(t)
	root := testrepo.Root(t, svc)
	g, err := root.CreateGroup(ctx, "lab", core.ReadAnnotate, "")
	must(t, err)
	_, err = root.CreateUser(ctx, core.NewUser{Username: "olive", Password: "pw", Groups: []core.ID{g.ID}})
	must(t, err)
	olive := testrepo.Login(t, svc, "olive", "pw")
	mk := func(class core.Class, f map[string]string) core.ObjectView {
		t.Helper()
		v, err := olive.Create(ctx, class, f)
		must(t, err)
		return v
	}
	ds := mk(core.Dataset, map[string]string{"name": "d"})
	var imgs []core.ObjectView
	for _, n := range []string{"alpha", "beta", "gamma", "delta"} {
		im := mk(core.Image, map[string]string{"name": n})
		mk(core.DatasetImageLink, map[string]string{"parent": ds.Ref.String(), "child": im.Ref.String()})
		imgs = append(imgs, im)
	}
	annotate := func(im core.ObjectView, class core.Class, f map[string]string) {
		a := mk(class, f)
		mk(core.ImageAnnotationLink, map[string]string{"parent": im.Ref.String(), "child": a.Ref.String()})
	}
	annotate(imgs[0], core.MapAnnotation, map[string]string{"mapValue": "exposure=150;channel=GFP"})
	annotate(imgs[1], core.MapAnnotation, map[string]string{"mapValue": "exposure=50;channel=DAPI"})
	annotate(imgs[2], core.MapAnnotation, map[string]string{"mapValue": "Exposure=100"})
	annotate(imgs[0], core.TagAnnotation, map[string]string{"textValue": "Live imaging"})
	annotate(imgs[2], core.TagAnnotation, map[string]string{"textValue": "fixed"})
	annotate(imgs[0], core.LongAnnotation, map[string]string{"longValue": "4", "ns": core.RatingNamespace})
	annotate(imgs[1], core.LongAnnotation, map[string]string{"longValue": "2", "ns": core.RatingNamespace})

	fc := appgrid.NewFactsCache()
	for _, c := range []struct {
		f    appgrid.Filter
		want []string
	}{
		{appgrid.Filter{}, []string{"alpha", "beta", "gamma", "delta"}},
		{appgrid.Filter{Name: "ET"}, []string{"beta"}},
		{appgrid.Filter{Tag: "live"}, []string{"alpha"}},
		{appgrid.Filter{Rating: 3}, []string{"alpha"}},
		{appgrid.Filter{Rating: 2}, []string{"alpha", "beta"}},
		{appgrid.Filter{Rating: appgrid.Unrated}, []string{"gamma", "delta"}},
		{appgrid.Filter{KeyValue: "exposure>100"}, []string{"alpha"}},
		{appgrid.Filter{KeyValue: "exposure>=100"}, []string{"alpha", "gamma"}},
		{appgrid.Filter{KeyValue: "exposure<100"}, []string{"beta"}},
		{appgrid.Filter{KeyValue: "channel=gfp"}, []string{"alpha"}},
		{appgrid.Filter{KeyValue: "key:exposure"}, []string{"alpha", "beta", "gamma"}},
		{appgrid.Filter{KeyValue: "exposure>10 channel=dapi"}, []string{"beta"}},
		{appgrid.Filter{Name: "a", KeyValue: "exposure>=50", Rating: appgrid.Unrated}, []string{"gamma"}},
	} {
		cf, err := c.f.Compile()
		must(t, err)
		got, err := appgrid.Apply(ctx, olive, fc, cf, imgs)
		must(t, err)
		if !slices.Equal(names(got), c.want) {
			t.Errorf("%+v: %q, want %q", c.f, names(got), c.want)
		}
	}
	if fc.Len() != len(imgs) {
		t.Errorf("facts of %d images read, want %d (once each)", fc.Len(), len(imgs))
	}
	for _, bad := range []string{"mitosis", `exposure>"a`, "exposure>abc"} {
		if _, err := (appgrid.Filter{KeyValue: bad}).Compile(); !core.Is(core.Invalid, err) || core.UserMessage(err) == "" {
			t.Errorf("key-value filter %q: %v, want a sentence", bad, err)
		}
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// bigDataset makes a dataset of n images owned by one user, each with a
// key-value table (exposure 0..999) and one image in ten tagged, written in
// one transaction; it returns a session of another member and the images.
func bigDataset(b testing.TB, n int) (core.Session, []core.ObjectView) {
	ctx := context.Background()
	svc, _ := testrepo.New(b)
	root := testrepo.Root(b, svc)
	g, err := root.CreateGroup(ctx, "lab", core.ReadAnnotate, "")
	must(b, err)
	owner, err := root.CreateUser(ctx, core.NewUser{Username: "owner", Password: "pw", Groups: []core.ID{g.ID}})
	must(b, err)
	_, err = root.CreateUser(ctx, core.NewUser{Username: "member", Password: "pw", Groups: []core.ID{g.ID}})
	must(b, err)
	var ds core.ID
	err = svc.Store().Write(ctx, func(tx core.Tx) error {
		mk := func(o core.Object) (core.ID, error) {
			o.Details = core.Details{Owner: owner.ID, Group: g.ID}
			err := tx.CreateObject(&o)
			return o.ID, err
		}
		var err error
		if ds, err = mk(core.Object{Ref: core.Ref{Class: core.Dataset}, Name: "big"}); err != nil {
			return err
		}
		tag, err := mk(core.Object{Ref: core.Ref{Class: core.TagAnnotation}, TextValue: "mitotic"})
		if err != nil {
			return err
		}
		for i := range n {
			img, err := mk(core.Object{Ref: core.Ref{Class: core.Image}, Name: fmt.Sprintf("cell %05d", i)})
			if err != nil {
				return err
			}
			if _, err := mk(core.Object{Ref: core.Ref{Class: core.DatasetImageLink}, Parent: ds, Child: img}); err != nil {
				return err
			}
			kv := core.Object{Ref: core.Ref{Class: core.MapAnnotation}}
			kv.SetAttr("mapValue", []core.KeyValue{{Key: "exposure", Value: strconv.Itoa(i % 1000)}, {Key: "objective", Value: "63x"}})
			a, err := mk(kv)
			if err != nil {
				return err
			}
			if _, err := mk(core.Object{Ref: core.Ref{Class: core.ImageAnnotationLink}, Parent: img, Child: a}); err != nil {
				return err
			}
			if i%10 == 0 {
				if _, err := mk(core.Object{Ref: core.Ref{Class: core.ImageAnnotationLink}, Parent: img, Child: tag}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	must(b, err)
	member := testrepo.Login(b, svc, "member", "pw")
	imgs, err := appgrid.Images(ctx, member, g.ID, core.AnyID, core.Ref{Class: core.Dataset, ID: ds})
	must(b, err)
	if len(imgs) != n {
		b.Fatalf("%d images listed, want %d", len(imgs), n)
	}
	return member, imgs
}

// BenchmarkFilter10k filters the grid of a 10,000-image dataset by a
// key-value comparison, as another member of the group: "cold" reads every
// image's annotations (in batches of appgrid.BatchSize), "warm" filters
// again with them known (the user changed the condition).
//
//	go test -tags "sqlite_fts5 migrated_fynedo" -run XXX -bench Filter10k ./app/grid/
func BenchmarkFilter10k(b *testing.B) {
	ctx := context.Background()
	sess, imgs := bigDataset(b, 10_000)
	cf, err := appgrid.Filter{KeyValue: "exposure>500"}.Compile()
	must(b, err)
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			got, err := appgrid.Apply(ctx, sess, appgrid.NewFactsCache(), cf, imgs)
			must(b, err)
			if len(got) != 4990 {
				b.Fatalf("%d images kept, want 4990", len(got))
			}
		}
	})
	b.Run("warm", func(b *testing.B) {
		fc := appgrid.NewFactsCache()
		must(b, fc.Load(ctx, sess, imgs))
		for b.Loop() {
			got, err := appgrid.Apply(ctx, sess, fc, cf, imgs)
			must(b, err)
			if len(got) != 4990 {
				b.Fatalf("%d images kept, want 4990", len(got))
			}
		}
	})
}
