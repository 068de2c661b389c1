package inprocess

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// TestSortViewsMatchesStableSort checks the in-place reordering against a
// plain stable sort by lower-case name then ID, over inputs with repeated
// names, cycles of every length and already sorted runs.
func TestSortViewsMatchesStableSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 60 {
		for round := range 5 {
			vs := make([]core.ObjectView, n)
			for i := range vs {
				vs[i].Ref = core.Ref{Class: core.Image, ID: core.ID(r.IntN(20) + 1)}
				vs[i].Name = fmt.Sprintf("Img-%d", r.IntN(n/2+1))
				if round == 0 {
					vs[i].Name = fmt.Sprintf("img-%03d", i)
				}
				vs[i].Description = fmt.Sprint(i) // tells equal keys apart
			}
			want := slices.Clone(vs)
			slices.SortStableFunc(want, func(a, b core.ObjectView) int {
				if c := strings.Compare(strings.ToLower(a.DisplayName()), strings.ToLower(b.DisplayName())); c != 0 {
					return c
				}
				return cmp.Compare(a.ID, b.ID)
			})
			sortViews(vs)
			for i := range vs {
				if vs[i].Name != want[i].Name || vs[i].ID != want[i].ID || vs[i].Description != want[i].Description {
					t.Fatalf("n=%d round %d: position %d holds %s/%d/%s, want %s/%d/%s", n, round, i,
						vs[i].Name, vs[i].ID, vs[i].Description, want[i].Name, want[i].ID, want[i].Description)
				}
			}
		}
	}
}
