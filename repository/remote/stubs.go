package remote

// The methods here are not on the wire yet: each answers Unsupported until
// it is implemented in its own file (and removed from here).

import (
	"context"
	"io"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/render"
)

var _ core.Service = (*Service)(nil)
var _ core.Session = (*Session)(nil)

func notYet(name string) error {
	return core.Errorf(name, core.Unsupported, "%s is not available over the wire yet", name)
}

func (s *Service) Login(_ context.Context, _, _, _ string) (core.Session, error) {
	return nil, notYet("Login")
}

func (s *Service) Sudo(_ context.Context, _, _, _, _ string) (core.Session, error) {
	return nil, notYet("Sudo")
}

func (s *Service) Resume(_ context.Context, _ string) (core.Session, error) {
	return nil, notYet("Resume")
}

// Close releases idle connections.
func (s *Service) Close() error {
	s.hc.CloseIdleConnections()
	return nil
}

func (s *Session) AddToGroup(_ context.Context, _ core.ID, _ []core.ID, _ bool) error {
	return notYet("AddToGroup")
}

func (s *Session) Annotations(_ context.Context, _ core.Ref) ([]core.AnnotationOn, error) {
	return nil, notYet("Annotations")
}

func (s *Session) Browse(_ context.Context, _ core.BrowseRequest) ([]core.ObjectView, error) {
	return nil, notYet("Browse")
}

func (s *Session) Create(_ context.Context, _ core.Class, _ map[string]string) (core.ObjectView, error) {
	return core.ObjectView{}, notYet("Create")
}

func (s *Session) CreateGroup(_ context.Context, _ string, _ core.Level, _ string) (core.Group, error) {
	return core.Group{}, notYet("CreateGroup")
}

func (s *Session) CreateUser(_ context.Context, _ core.NewUser) (core.Experimenter, error) {
	return core.Experimenter{}, notYet("CreateUser")
}

func (s *Session) Delete(_ context.Context, _ ...core.Ref) error {
	return notYet("Delete")
}

func (s *Session) Flags(_ context.Context, _ []core.Ref) ([]core.ObjectFlags, error) {
	return nil, notYet("Flags")
}

func (s *Session) Get(_ context.Context, _ core.Ref) (core.ObjectView, error) {
	return core.ObjectView{}, notYet("Get")
}

func (s *Session) Group(_ context.Context, _ string) (core.GroupInfo, error) {
	return core.GroupInfo{}, notYet("Group")
}

func (s *Session) Groups(_ context.Context) ([]core.GroupInfo, error) {
	return nil, notYet("Groups")
}

func (s *Session) ImageDetails(_ context.Context, _ core.Ref) (core.PixelsInfo, []core.ChannelInfo, error) {
	return core.PixelsInfo{}, nil, notYet("ImageDetails")
}

func (s *Session) ImportedFiles(_ context.Context, _ string) ([]core.FilesetEntry, error) {
	return nil, notYet("ImportedFiles")
}

func (s *Session) InGroup(_ context.Context, _ core.ID) (core.Session, error) {
	return nil, notYet("InGroup")
}

func (s *Session) Key() string { return s.currentKey() }

func (s *Session) List(_ context.Context, _ core.Class, _ core.ID, _ core.ID) ([]core.ObjectView, error) {
	return nil, notYet("List")
}

func (s *Session) Logout(_ context.Context) error {
	return notYet("Logout")
}

func (s *Session) ManagedDir() string {
	return ""
}

func (s *Session) Me(_ context.Context) (core.Me, error) {
	return core.Me{}, notYet("Me")
}

func (s *Session) OpenFile(_ context.Context, _ core.Ref) (io.ReadCloser, error) {
	return nil, notYet("OpenFile")
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

func (s *Session) RegisterFileset(_ context.Context, _ core.FilesetImport) (core.ImportResult, error) {
	return core.ImportResult{}, notYet("RegisterFileset")
}

func (s *Session) RemoveFromGroup(_ context.Context, _ core.ID, _ []core.ID, _ bool) error {
	return notYet("RemoveFromGroup")
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

func (s *Session) SaveWatchRecord(_ context.Context, _ core.WatchRecord) error {
	return notYet("SaveWatchRecord")
}

func (s *Session) SetDefaultGroup(_ context.Context, _ core.ID, _ core.ID) error {
	return notYet("SetDefaultGroup")
}

func (s *Session) SetGroup(_ context.Context, _ core.ID) error {
	return notYet("SetGroup")
}

func (s *Session) SetGroupLevel(_ context.Context, _ core.ID, _ core.Level) error {
	return notYet("SetGroupLevel")
}

func (s *Session) SetOwnersRendering(_ context.Context, _ []core.Ref) (core.RenderingResult, error) {
	return core.RenderingResult{}, notYet("SetOwnersRendering")
}

func (s *Session) SetPassword(_ context.Context, _ core.ID, _ string, _ string) error {
	return notYet("SetPassword")
}

func (s *Session) SetPrivileges(_ context.Context, _ core.ID, _ []core.Privilege) error {
	return notYet("SetPrivileges")
}

func (s *Session) SetRenderingWindows(_ context.Context, _ []core.Ref, _ core.WindowMode) (core.RenderingResult, error) {
	return core.RenderingResult{}, notYet("SetRenderingWindows")
}

func (s *Session) ThumbnailRendering(_ context.Context, _ core.Ref) (core.RenderingDefView, error) {
	return core.RenderingDefView{}, notYet("ThumbnailRendering")
}

func (s *Session) Update(_ context.Context, _ core.Ref, _ map[string]string) (core.ObjectView, error) {
	return core.ObjectView{}, notYet("Update")
}

func (s *Session) UpdateGroup(_ context.Context, _ core.ID, _ string, _ string) error {
	return notYet("UpdateGroup")
}

func (s *Session) UpdateUser(_ context.Context, _ core.ID, _ string, _ string, _ string, _ string) error {
	return notYet("UpdateUser")
}

func (s *Session) Upload(_ context.Context, _ string, _ io.Reader) (core.ObjectView, error) {
	return core.ObjectView{}, notYet("Upload")
}

func (s *Session) User(_ context.Context, _ string) (core.UserInfo, error) {
	return core.UserInfo{}, notYet("User")
}

func (s *Session) Users(_ context.Context) ([]core.UserInfo, error) {
	return nil, notYet("Users")
}

func (s *Session) ViewerRendering(_ context.Context, _ core.Ref) (core.RenderingDefView, error) {
	return core.RenderingDefView{}, notYet("ViewerRendering")
}

func (s *Session) WatchRecords(_ context.Context, _ string) ([]core.WatchRecord, error) {
	return nil, notYet("WatchRecords")
}

func (s *Session) Search(_ context.Context, _ core.SearchRequest) (core.SearchResult, error) {
	return core.SearchResult{}, notYet("Search")
}
