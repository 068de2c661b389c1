package wire

import (
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/render"
)

// Graph jobs (docs/server/jobs.md): a real graph run is a job on the
// server, followed by GET /ocular/v1/jobs/{job}.

// Job states.
const (
	JobRunning   = "running"
	JobFinished  = "finished"  // Result is set
	JobFailed    = "failed"    // Error is set; nothing was changed
	JobCancelled = "cancelled" // rolled back; nothing was changed
)

// JobStatus is a graph job as GET /ocular/v1/jobs/{job} answers it.
type JobStatus struct {
	ID    string `json:"id"`
	Op    string `json:"op"`
	State string `json:"state"`
	Done  int    `json:"done"`
	Total int    `json:"total"`
	// Result is the outcome of a finished job.
	Result *core.GraphResult `json:"result,omitempty"`
	// Error is why a job failed or was cancelled.
	Error    *ErrorBody `json:"error,omitempty"`
	Started  time.Time  `json:"started"`
	Finished time.Time  `json:"finished,omitzero"`
}

// PlanError is the body of a refused dry run: the error, and the plan with
// its Blockers and review (the split filesets a dialog offers to add), as
// PlanGraph returns both in-process.
type PlanError struct {
	ErrorBody
	Plan *core.GraphPlan `json:"ocular:plan,omitempty"`
}

// RepairRequest is the body of POST /ocular/v1/repair-files.
type RepairRequest struct {
	MinAgeSeconds int `json:"minAgeSeconds"`
}

// Rendering settings (docs/server/rendering-settings.md).

// RenderingTargets is the body of the batch routes and of paste: the
// images, or the containers whose images, to act on.
type RenderingTargets struct {
	Targets []core.Ref `json:"targets"`
}

// SaveToAllRequest is the body of POST .../rendering/save-to-all: the
// viewer's current settings of the image and the container to apply them to.
type SaveToAllRequest struct {
	Settings  render.Settings `json:"settings"`
	Container core.Ref        `json:"container"`
}

// WindowsRequest is the body of POST /ocular/v1/rendering/windows.
type WindowsRequest struct {
	Targets []core.Ref      `json:"targets"`
	Mode    core.WindowMode `json:"mode"`
}

// ChannelNamesRequest is the body of POST /ocular/v1/rendering/channel-names:
// an image, or a dataset or plate whose images all get the names.
type ChannelNamesRequest struct {
	Target core.Ref `json:"target"`
	Names  []string `json:"names"`
}
