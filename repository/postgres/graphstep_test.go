package postgres

import (
	"context"
	"slices"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// stepFixture makes n datasets and n images, each image in its dataset
// through a link, alternately in two groups (a step reads every group).
func stepFixture(t *testing.T, n int) (st *Store, ds, ims, links []core.ID) {
	st, _ = openTest(t)
	seed(t, st)
	write(t, st, func(tx core.Tx) error {
		lab := core.Group{Name: "lab"}
		if err := tx.CreateGroup(&lab); err != nil {
			return err
		}
		mk := func(o *core.Object, g core.ID) core.ID {
			o.Group = g
			if err := tx.CreateObject(o); err != nil {
				t.Fatal(err)
			}
			return o.ID
		}
		for i := 0; i < n; i++ {
			g := core.ID(0)
			if i%2 == 1 {
				g = lab.ID
			}
			d := mk(&core.Object{Ref: core.Ref{Class: core.Dataset}, Name: "d", Attrs: map[string]any{"d": "x"}}, g)
			im := mk(&core.Object{Ref: core.Ref{Class: core.Image}, Name: "i", Attrs: map[string]any{"i": "y"}}, g)
			ds, ims, links = append(ds, d), append(ims, im), append(links, mk(link(core.DatasetImageLink, d, im), g))
		}
		return nil
	})
	return st, ds, ims, links
}

func TestTx_GraphStepFollowsOnlyTheColumnsAskedForAndCountsLinks(t *testing.T) {
	old := graphBatch
	// 600 IDs make three batches; odd, so that some dataset and its image,
	// adjacent in ID order, fall in different batches and their link is
	// found by both.
	graphBatch = 255
	t.Cleanup(func() { graphBatch = old })
	st, ds, ims, links := stepFixture(t, 600)
	all := slices.Concat(ds, ims)
	slices.Sort(all)
	st.Read(context.Background(), func(tx core.Tx) error {
		step := tx.(core.GraphStepper)
		for _, c := range []struct {
			name string
			ids  []core.ID
			by   core.GraphColumns
			want int
		}{
			{"datasets and the links they are parents of", ds, core.ByID | core.ByParent, 1200},
			{"the links of the datasets", ds, core.ByParent, 600},
			{"datasets: nothing names them as a child", ds, core.ByID | core.ByChild | core.ByRef2, 600},
			{"images and the links they are children of", ims, core.ByID | core.ByChild, 1200},
			{"images alone", ims, core.ByID, 600},
			// A link names a dataset and an image of different batches: once.
			{"datasets, images and their links", all, core.ByAnyColumn, 1800},
			{"no column", ims, 0, 0},
			{"no IDs", nil, core.ByAnyColumn, 0},
		} {
			objs, err := step.GraphStep(c.ids, c.by, []core.Class{core.Image})
			if err != nil {
				t.Fatal(err)
			}
			if len(objs) != c.want {
				t.Errorf("%s: %d objects, want %d", c.name, len(objs), c.want)
			}
			for i, o := range objs {
				if i > 0 && objs[i-1].ID >= o.ID {
					t.Fatalf("%s: not in ID order at %d", c.name, i)
				}
				if (o.Attrs != nil) != (o.Class == core.Image) {
					t.Fatalf("%s: %s has attributes %v; only images' were asked for", c.name, o.Ref, o.Attrs)
				}
				if o.Class == core.DatasetImageLink && (o.Parent == 0 || o.Child == 0) {
					t.Fatalf("%s: link read as %+v", c.name, o)
				}
			}
		}
		counts, err := step.GraphChildCounts(append(slices.Clone(ims), ds[0]))
		if err != nil {
			t.Fatal(err)
		}
		if len(counts) != len(ims) {
			t.Fatalf("%d counts, want one per image (the dataset is nobody's child)", len(counts))
		}
		for _, c := range counts {
			if c.Class != core.DatasetImageLink || c.N != 1 || !slices.Contains(ims, c.ID) {
				t.Fatalf("count %+v, want one DatasetImageLink of an image", c)
			}
		}
		return nil
	})
	_ = links
}
