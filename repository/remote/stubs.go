package remote

// The methods here are not on the wire yet: each answers Unsupported until
// it is implemented in its own file (and removed from here).

import (
	"context"
	"io"

	"github.com/ocular-lab/ocular/core"
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

func (s *Session) RegisterFileset(_ context.Context, _ core.FilesetImport) (core.ImportResult, error) {
	return core.ImportResult{}, notYet("RegisterFileset")
}

func (s *Session) RemoveFromGroup(_ context.Context, _ core.ID, _ []core.ID, _ bool) error {
	return notYet("RemoveFromGroup")
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

func (s *Session) SetPassword(_ context.Context, _ core.ID, _ string, _ string) error {
	return notYet("SetPassword")
}

func (s *Session) SetPrivileges(_ context.Context, _ core.ID, _ []core.Privilege) error {
	return notYet("SetPrivileges")
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

func (s *Session) WatchRecords(_ context.Context, _ string) ([]core.WatchRecord, error) {
	return nil, notYet("WatchRecords")
}
