package inprocess

import (
	"context"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/graph"
)

// What the tests of planning from the roots outward reach inside the package.

// PlanView is what the cross-check compares of a plan.
type PlanView = planView

// SetCrossCheckPlans makes every plan of delete, chgrp, chown and
// duplicate also be made over the whole groups and given to fn with the
// plan made from the roots outward (nil stops it).
func SetCrossCheckPlans(fn func(req core.GraphRequest, closure, whole PlanView)) {
	crossCheckPlans = fn
}

// SetPlanWholeGroups plans over the whole groups, as before issue 13.
func SetPlanWholeGroups(on bool) { planWholeGroups = on }

// SetNoGraphStepper plans from the roots outward as over a store without
// core.GraphStepper (GraphNeighbours and Objects only).
func SetNoGraphStepper(on bool) { noGraphStepper = on }

// ClosureOf lists the objects planning op on targets reads from the roots
// outward (groups are the groups concerned).
func ClosureOf(ctx context.Context, st core.Store, op core.GraphOp, targets []core.Target, groups ...core.ID) ([]core.Ref, error) {
	var out []core.Ref
	err := st.Read(ctx, func(tx core.Tx) error {
		gs := map[core.ID]bool{}
		for _, g := range groups {
			gs[g] = true
		}
		g, err := loadClosure(tx, gs, graph.Request{Op: op, Targets: targets})
		if err != nil {
			return err
		}
		g.Each(func(o *core.Object) { out = append(out, o.Ref) })
		return nil
	})
	return out, err
}
