package postgres

import (
	"context"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/conformance"
	"github.com/ocular-lab/ocular/core/inprocess"
)

// TestSearchPlans runs the conformance suite's search part with each plan
// forced on its small repository: every term driven from a large set (the
// bounds scale with the repository, so the suite's tags and pairs all
// qualify), and every search a walk of the objects. The plans differ only
// in speed: each must find the same objects in the same order, with the
// same read rule. As the SQLite repository's test of the same name.
func TestSearchPlans(t *testing.T) {
	for _, p := range []struct {
		name  string
		large bool
	}{{"large sets", true}, {"walk", false}} {
		t.Run(p.name, func(t *testing.T) {
			defer func(m int, l bool) { drivingSetMax, largeSets = m, l }(drivingSetMax, largeSets)
			drivingSetMax, largeSets = 0, p.large
			conformance.RunSearch(t, func(t *testing.T) (core.Service, string) {
				st, _ := openTest(t)
				svc := inprocess.New(st)
				t.Cleanup(func() { svc.Close() })
				svc.SetPasswordCost(bcrypt.MinCost)
				if err := svc.Initialize(context.Background(), "root-password"); err != nil {
					t.Fatal(err)
				}
				return svc, "root-password"
			})
		})
	}
}
