package ui_test

import (
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/ui"
)

// TestAdminDialogScreenshots saves a picture of each account dialog, drawn
// by Fyne's software painter, into $OCULAR_ADMIN_SHOTS (skipped when
// unset): the dialogs the end-to-end run does not reach (chooser, users
// and groups pages, forms, a member's read-only panel) can be looked at.
func TestAdminDialogScreenshots(t *testing.T) {
	dir := os.Getenv("OCULAR_ADMIN_SHOTS")
	if dir == "" {
		t.Skip("set OCULAR_ADMIN_SHOTS to a folder to save the account dialogs' pictures")
	}
	must(t, os.MkdirAll(dir, 0o755))
	f := newFixture(t)
	crossOwnerData(t, f)
	save := func(u *ui.UI, name string) {
		// The browser behind is left out: the software painter cannot draw
		// its transparent spacer rectangles.
		orig := u.Window.Content()
		u.Window.SetContent(canvas.NewRectangle(color.Gray{Y: 40}))
		img := u.Window.Canvas().Capture()
		u.Window.SetContent(orig)
		out, err := os.Create(filepath.Join(dir, name+".png"))
		must(t, err)
		defer out.Close()
		must(t, png.Encode(out, img))
	}
	test.ApplyTheme(t, test.Theme())

	m := loggedIn(t, f, "mike")
	m.Admin.OpenGroup(f.groups[core.ReadOnly].ID)
	save(m, "member-group-panel")

	p := loggedIn(t, f, "pia")
	panel := p.Admin.OpenGroup(f.groups[core.ReadWrite].ID)
	panel.Level.SetSelected("private")
	test.Tap(panel.ChangeLevel)
	save(p, "pia-downgrade-preview")
	panel.LevelDialog.Hide()
	extra := extraGroup(t, f)
	panel.Hide()
	panel = p.Admin.OpenGroup(extra.ID)
	test.Tap(panel.Add)
	test.Type(panel.Chooser.Search, "m")
	save(p, "pia-member-chooser")
	s := p.Admin.OpenSettings()
	s.New.SetText("a")
	s.Repeat.SetText("b")
	s.Old.SetText("x")
	test.Tap(s.ChangePassword)
	save(p, "pia-settings-mismatch")

	a := loggedIn(t, f, "ada")
	pages := a.Admin.OpenPages()
	save(a, "ada-users-page")
	test.Tap(pages.NewUser)
	pages.UserForm.Role.SetSelected("Restricted administrator")
	pages.UserForm.Username.SetText("olive")
	pages.UserForm.FirstName.SetText("Olive")
	test.Tap(pages.UserForm.Save)
	save(a, "ada-new-user-refused")
	pages.UserForm.Hide()
	pages.SelectUser("mike")
	test.Tap(pages.EditUser)
	save(a, "ada-edit-user")
	pages.UserForm.Hide()
	pages.SelectUser("mike")
	test.Tap(pages.Reset)
	save(a, "ada-reset-password")
	pages.PasswordForm.Hide()
	test.Tap(pages.NewGroup)
	save(a, "ada-new-group")
	pages.GroupForm.Hide()
	pages.SelectGroup("Lab read-only")
	test.Tap(pages.EditGroup)
	save(a, "ada-edit-group")
}
