package inprocess

import "github.com/ocular-lab/ocular/core"

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
