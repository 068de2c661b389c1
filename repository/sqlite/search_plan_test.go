package sqlite

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
// qualify), and every search a walk of the objects, with tag: and comment:
// checked against their annotations' set or by a probe per link. The plans differ only
// in speed: each must find the same objects in the same order, with the
// same read rule.
func TestSearchPlans(t *testing.T) {
	for _, p := range []struct {
		name    string
		large   bool
		textSet int
	}{{"large sets", true, textSetMax}, {"walk", false, textSetMax}, {"walk with probes", false, 0}} {
		t.Run(p.name, func(t *testing.T) {
			defer func(m, s int, l bool) { drivingSetMax, textSetMax, largeSets = m, s, l }(drivingSetMax, textSetMax, largeSets)
			drivingSetMax, textSetMax, largeSets = 0, p.textSet, p.large
			conformance.RunSearch(t, func(t *testing.T) (core.Service, string) {
				st, err := Create(context.Background(), t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
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
