package browser

import (
	"context"
	"fmt"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
)

// Attachments (FileAnnotations): name and size, who added it, Download,
// Remove (unlink: OMERO's minus) and Delete (the file itself: OMERO's
// cross), and Attach file… to upload one.

func (p *annotationsPanel) drawFiles() {
	c := p.files
	c.Objects = nil
	var whys []string
	for _, a := range p.shown.Files {
		a := a
		name, size := "(file missing)", ""
		var file core.Ref
		if f := a.File; f != nil {
			name, file = f.Name, f.Ref
			size = browse.FileSize(f.AttrInt("size"))
		}
		title := widget.NewLabel(name)
		title.TextStyle.Bold = true
		title.Wrapping = fyne.TextWrapWord
		download := widget.NewButtonWithIcon("Download", theme.DownloadIcon(), func() { p.download(file, name) })
		if file.IsZero() {
			download.Disable()
		}
		remove := disabledUnless(widget.NewButtonWithIcon("Remove", theme.ContentRemoveIcon(), func() {
			p.act("Removing the attachment…", "Removed “"+name+"” from here (the file is kept).",
				func(ctx context.Context, s core.Session) error { return browse.RemoveLinks(ctx, s, a.Links) })
		}), a.CanRemove)
		del := disabledUnless(widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), func() {
			dialog.ShowConfirm("Delete the file", "Delete “"+name+"” from the repository? It is removed from every object it is attached to.", func(ok bool) {
				if ok {
					p.act("Deleting the file…", "Deleted “"+name+"”.",
						func(ctx context.Context, s core.Session) error {
							return browse.DeleteAnnotation(ctx, s, a)
						})
				}
			}, p.opts.Window)
		}), a.CanDelete)
		whys = append(whys, a.RemoveWhy, a.DeleteWhy)
		c.Add(container.NewVBox(title, addedBy(a, size), container.NewHBox(download, remove, del)))
	}
	if len(p.shown.Files) == 0 {
		c.Add(none("No attachments."))
	}
	c.Add(reasons(whys))
	attach := disabledUnless(widget.NewButtonWithIcon("Attach file…", theme.UploadIcon(), p.chooseFile), p.shown.CanAnnotate)
	c.Add(container.NewHBox(attach))
	c.Refresh()
}

func (p *annotationsPanel) chooseFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			p.setMessage("Cannot open the file: "+err.Error(), true)
			return
		}
		if r == nil {
			return // cancelled
		}
		p.attach(r.URI().Name(), r)
	}, p.opts.Window)
	d.Show()
}

// attach uploads content as name and attaches it to the selection; it
// closes content.
func (p *annotationsPanel) attach(name string, content io.ReadCloser) {
	views := p.views
	p.act("Attaching “"+name+"”…", "Attached “"+name+"”.", func(ctx context.Context, s core.Session) error {
		defer content.Close()
		if err := browse.Attach(ctx, s, views, name, content); err != nil {
			if core.Is(core.IO, err) {
				return core.Errorf("attach", core.IO, "cannot read %s: %s; choose a file you can read", name, core.UserMessage(err))
			}
			return err
		}
		return nil
	})
}

func (p *annotationsPanel) download(file core.Ref, name string) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			p.setMessage("Cannot save there: "+err.Error(), true)
			return
		}
		if w == nil {
			return
		}
		p.saveFile(file, name, w)
	}, p.opts.Window)
	d.SetFileName(name)
	d.Show()
}

// saveFile copies an attachment into w, which it closes.
func (p *annotationsPanel) saveFile(file core.Ref, name string, w io.WriteCloser) {
	sess := p.opts.Session
	p.setMessage("Downloading “"+name+"”…", false)
	p.opts.Run.Go(func() func() {
		err := browse.Download(context.Background(), sess, file, w)
		if cerr := w.Close(); err == nil && cerr != nil {
			err = core.Errorf("download", core.IO, "cannot save %s: %v", name, cerr)
		}
		return func() {
			if err != nil {
				p.setMessage(core.UserMessage(err), true)
				return
			}
			p.setMessage(fmt.Sprintf("Saved “%s”.", name), false)
		}
	})
}
