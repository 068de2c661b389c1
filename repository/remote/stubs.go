package remote

// The methods here are not on the wire yet: each answers Unsupported until
// it is implemented in its own file (and removed from here).

import (
	"context"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/render"
)

var _ core.Service = (*Service)(nil)
var _ core.Session = (*Session)(nil)

func notYet(name string) error {
	return core.Errorf(name, core.Unsupported, "%s is not available over the wire yet", name)
}

func (s *Session) PasteRendering(_ context.Context, _ core.Ref, _ []core.Ref) (core.RenderingResult, error) {
	return core.RenderingResult{}, notYet("PasteRendering")
}

func (s *Session) PixelSource(_ context.Context, _ core.Ref) (core.PixelSource, error) {
	return core.PixelSource{}, notYet("PixelSource")
}

func (s *Session) PlanGraph(_ context.Context, _ core.GraphRequest) (core.GraphPlan, error) {
	return core.GraphPlan{}, notYet("PlanGraph")
}

func (s *Session) RenameChannels(_ context.Context, _ core.Ref, _ []string) (core.RenderingResult, error) {
	return core.RenderingResult{}, notYet("RenameChannels")
}

func (s *Session) RenderingDefs(_ context.Context, _ core.Ref) ([]core.RenderingDefView, error) {
	return nil, notYet("RenderingDefs")
}

func (s *Session) RepairFiles(_ context.Context, _ int) (core.RepairReport, error) {
	return core.RepairReport{}, notYet("RepairFiles")
}

func (s *Session) ResetRendering(_ context.Context, _ []core.Ref) (core.RenderingResult, error) {
	return core.RenderingResult{}, notYet("ResetRendering")
}

func (s *Session) RunGraph(_ context.Context, _ core.GraphRequest) (core.GraphResult, error) {
	return core.GraphResult{}, notYet("RunGraph")
}

func (s *Session) SaveRendering(_ context.Context, _ core.Ref, _ render.Settings) (core.RenderingDefView, error) {
	return core.RenderingDefView{}, notYet("SaveRendering")
}

func (s *Session) SaveRenderingAsOwner(_ context.Context, _ core.Ref, _ render.Settings) (core.RenderingDefView, error) {
	return core.RenderingDefView{}, notYet("SaveRenderingAsOwner")
}

func (s *Session) SaveRenderingToAll(_ context.Context, _ core.Ref, _ render.Settings, _ core.Ref) (core.RenderingResult, error) {
	return core.RenderingResult{}, notYet("SaveRenderingToAll")
}

func (s *Session) SetOwnersRendering(_ context.Context, _ []core.Ref) (core.RenderingResult, error) {
	return core.RenderingResult{}, notYet("SetOwnersRendering")
}

func (s *Session) SetRenderingWindows(_ context.Context, _ []core.Ref, _ core.WindowMode) (core.RenderingResult, error) {
	return core.RenderingResult{}, notYet("SetRenderingWindows")
}

func (s *Session) ThumbnailRendering(_ context.Context, _ core.Ref) (core.RenderingDefView, error) {
	return core.RenderingDefView{}, notYet("ThumbnailRendering")
}

func (s *Session) ViewerRendering(_ context.Context, _ core.Ref) (core.RenderingDefView, error) {
	return core.RenderingDefView{}, notYet("ViewerRendering")
}
