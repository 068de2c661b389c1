package browser

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
)

// annotationsPanel is the Annotations tab of the details panel: tags,
// rating, comments, key-value pairs and attachments of the selected objects
// (one, or many for batch annotation), who added each, and a filter. What
// the rules refuse is disabled with the reason written next to it.
//
// Threading: every method runs on the UI goroutine; reads and writes go
// through opts.Run and come back here.
type annotationsPanel struct {
	opts Options
	// targets are the objects shown; views and found their latest state.
	targets []core.Ref
	views   []core.ObjectView
	found   [][]core.AnnotationOn
	shown   browse.Annotated
	filter  browse.AnnotationFilter
	// token changes with every load, so a late answer for an earlier
	// selection is dropped.
	token int
	busy  bool
	// onChanged, when set, is told which objects an action annotated (the
	// grid's filters read their annotations again).
	onChanged func([]core.Ref)

	heading  *widget.Label
	message  *widget.Label // the outcome of the last action, or what went wrong
	why      *widget.Label // why nothing may be added, when so
	filterBy *widget.Select
	tags     *fyne.Container
	rating   *fyne.Container
	comments *fyne.Container
	kvs      *fyne.Container
	files    *fyne.Container
	body     *fyne.Container
	content  fyne.CanvasObject

	comment *widget.Entry
	// kvClip holds rows copied from a key-value table, to paste into
	// another object's table (OMERO.insight's "Copy rows" / "Paste rows").
	kvClip []core.KeyValue
	// editors are the key-value tables being edited, by annotation ID (0:
	// a new table not saved yet).
	editors map[core.ID]*kvEditor
	// onStatus shows a message in the window's status bar.
	onStatus func(string)
	last     string // the last message
}

func newAnnotationsPanel(o Options) *annotationsPanel {
	p := &annotationsPanel{opts: o, editors: map[core.ID]*kvEditor{}}
	p.heading = widget.NewLabel("")
	p.heading.Wrapping = fyne.TextWrapWord
	p.heading.Importance = widget.LowImportance
	p.message = widget.NewLabel("")
	p.message.Wrapping = fyne.TextWrapWord
	p.message.Hide()
	p.why = widget.NewLabel("")
	p.why.Wrapping = fyne.TextWrapWord
	p.why.Importance = widget.WarningImportance
	p.why.Hide()
	p.filterBy = widget.NewSelect(browse.AnnotationFilters, nil)
	p.filterBy.SetSelectedIndex(0)
	p.filterBy.OnChanged = func(string) {
		p.filter = browse.AnnotationFilter(p.filterBy.SelectedIndex())
		p.redraw()
	}
	p.comment = widget.NewMultiLineEntry()
	p.comment.SetPlaceHolder("Write a comment…")
	p.comment.Wrapping = fyne.TextWrapWord
	p.comment.SetMinRowsVisible(2)
	p.tags, p.rating, p.comments = container.NewVBox(), container.NewVBox(), container.NewVBox()
	p.kvs, p.files = container.NewVBox(), container.NewVBox()
	filterRow := container.NewBorder(nil, nil, widget.NewLabel("Show"), nil, p.filterBy)
	p.body = container.NewVBox(p.heading, filterRow, p.why, p.message,
		section("Tags"), p.tags, widget.NewSeparator(),
		section("Rating"), p.rating, widget.NewSeparator(),
		section("Comments"), p.comments, widget.NewSeparator(),
		section("Key-value pairs"), p.kvs, widget.NewSeparator(),
		section("Attachments"), p.files)
	p.content = p.body
	return p
}

func section(title string) *widget.Label {
	l := widget.NewLabel(title)
	l.TextStyle.Bold = true
	return l
}

// show loads and shows the annotations of targets: one object, or a
// multi-selection whose actions then apply to every one of them.
func (p *annotationsPanel) show(targets []core.Ref) {
	if slices.Equal(targets, p.targets) && len(targets) > 0 {
		p.reload() // the same objects, changed elsewhere: keep what is being typed
		return
	}
	p.targets = append([]core.Ref(nil), targets...)
	p.editors = map[core.ID]*kvEditor{}
	p.comment.SetText("")
	p.setMessage("", false)
	p.reload()
}

// reload reads the targets' annotations again (after an action, or when
// another window changed them).
func (p *annotationsPanel) reload() {
	p.token++
	token, targets := p.token, p.targets
	if len(targets) == 0 {
		p.views, p.found = nil, nil
		p.redraw()
		return
	}
	sess := p.opts.Session
	p.opts.Run.Go(func() func() {
		views, found, err := browse.LoadAnnotations(context.Background(), sess, targets)
		return func() {
			if token != p.token {
				return
			}
			if err != nil {
				p.views, p.found = nil, nil
				p.redraw()
				p.setMessage(core.UserMessage(err), true)
				return
			}
			p.views, p.found = views, found
			p.redraw()
			p.event()
		}
	})
}

// event tells scripts what the panel shows once it has loaded.
func (p *annotationsPanel) event() {
	if p.opts.OnEvent == nil || len(p.targets) == 0 {
		return
	}
	a := p.shown
	p.opts.OnEvent(fmt.Sprintf("annotations %s tags=%d comments=%d rating=%d ratings=%d kv=%d files=%d",
		p.targets[0], len(a.Tags), len(a.Comments), a.Rating.Mine, a.Rating.Count, len(a.KeyValues), len(a.Files)))
}

// setMessage tells the outcome of an action. Progress and successes go to
// the status bar (the panel does not jump under the mouse); what went wrong
// is also written at the top of the tab, in red, until the next action.
func (p *annotationsPanel) setMessage(msg string, bad bool) {
	p.last = msg
	p.message.SetText(msg)
	p.message.Importance = widget.DangerImportance
	p.message.Hidden = !bad || msg == ""
	p.message.Refresh()
	if p.onStatus != nil && msg != "" {
		p.onStatus(msg)
	}
}

// Message is the panel's last message (tests read it).
func (p *annotationsPanel) Message() string { return p.last }

// act runs an action off the UI goroutine, then reloads and says how it went.
func (p *annotationsPanel) act(doing, done string, work func(ctx context.Context, s core.Session) error) {
	p.actThen(doing, done, work, nil)
}

// actThen is act with a step run on the UI goroutine after a success.
func (p *annotationsPanel) actThen(doing, done string, work func(ctx context.Context, s core.Session) error, then func()) {
	if p.busy {
		return
	}
	p.busy = true
	p.setMessage(doing, false)
	sess := p.opts.Session
	token := p.token
	p.opts.Run.Go(func() func() {
		err := work(context.Background(), sess)
		return func() {
			p.busy = false
			if token != p.token {
				return // the selection changed meanwhile: the new one is shown
			}
			if err != nil {
				p.setMessage(core.UserMessage(err), true)
				p.reload() // someone else may have changed things: show what is true now
				return
			}
			p.setMessage(done, false)
			if then != nil {
				then()
			}
			if p.onChanged != nil {
				p.onChanged(p.targets)
			}
			p.reload()
		}
	})
}

// redraw rebuilds the sections from what was loaded.
func (p *annotationsPanel) redraw() {
	p.shown = browse.Summarise(p.opts.Me, p.views, p.found, p.filter)
	switch len(p.views) {
	case 0:
		p.heading.SetText("")
	case 1:
		p.heading.SetText("Annotations of “" + p.views[0].DisplayName() + "”")
	default:
		p.heading.SetText(fmt.Sprintf("Annotations of %d selected objects: what you add goes on all of them.", len(p.views)))
	}
	p.why.SetText(p.shown.AnnotateWhy)
	p.why.Hidden = p.shown.CanAnnotate || len(p.views) == 0
	p.why.Refresh()
	p.drawTags()
	p.drawRating()
	p.drawComments()
	p.drawKeyValues()
	p.drawFiles()
	p.body.Refresh()
}

// disabledUnless disables b (keeping it visible) when the rules refuse it.
func disabledUnless(b *widget.Button, ok bool) *widget.Button {
	if !ok {
		b.Disable()
	}
	return b
}

// reasons lists, once each, why some buttons of a section are disabled.
func reasons(whys []string) fyne.CanvasObject {
	seen := map[string]bool{}
	var lines []string
	for _, w := range whys {
		if w != "" && !seen[w] {
			seen[w] = true
			lines = append(lines, w)
		}
	}
	l := widget.NewLabel(strings.Join(lines, "\n"))
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.LowImportance
	l.Hidden = len(lines) == 0
	return l
}

// addedBy is the low-key "Added by …" line under every annotation.
func addedBy(a browse.Annotation, extra string) *widget.Label {
	s := "Added by " + a.AddedBy
	if a.Mine {
		s = "Added by you"
	}
	if extra != "" {
		s += " · " + extra
	}
	l := widget.NewLabel(s)
	l.Importance = widget.LowImportance
	l.Wrapping = fyne.TextWrapWord
	return l
}

func (p *annotationsPanel) drawTags() {
	c := p.tags
	c.Objects = nil
	can := p.shown.CanAnnotate
	add := disabledUnless(widget.NewButtonWithIcon("Add tags…", theme.ContentAddIcon(), p.chooseTag), can)
	c.Add(container.NewHBox(add))
	var whys []string
	for _, a := range p.shown.Tags {
		a := a
		name := widget.NewLabel(a.Annotation.TextValue)
		name.TextStyle.Bold = true
		name.Wrapping = fyne.TextWrapWord
		extra := ""
		if len(a.TagSets) > 0 {
			extra = "in tag set " + strings.Join(a.TagSets, ", ")
		}
		if n := len(a.Links); len(p.views) > 1 {
			extra = strings.TrimPrefix(extra+fmt.Sprintf(" · on %d of %d", n, len(p.views)), " · ")
		}
		remove := disabledUnless(widget.NewButtonWithIcon("Remove", theme.ContentRemoveIcon(), func() {
			p.act("Removing the tag “"+a.Annotation.TextValue+"”…", "Removed the tag “"+a.Annotation.TextValue+"” (the tag itself is kept).",
				func(ctx context.Context, s core.Session) error { return browse.RemoveLinks(ctx, s, a.Links) })
		}), a.CanRemove)
		whys = append(whys, a.RemoveWhy)
		c.Add(container.NewBorder(nil, nil, nil, container.NewCenter(remove), container.NewVBox(name, addedBy(a, extra))))
	}
	if len(p.shown.Tags) == 0 {
		c.Add(none("No tags."))
	}
	c.Add(reasons(whys))
	c.Refresh()
}

func none(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Importance = widget.LowImportance
	return l
}

func (p *annotationsPanel) drawComments() {
	c := p.comments
	c.Objects = nil
	var whys []string
	for _, a := range p.shown.Comments {
		a := a
		text := widget.NewLabel(a.Annotation.TextValue)
		text.Wrapping = fyne.TextWrapWord
		text.Selectable = true
		del := disabledUnless(widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), func() {
			p.act("Deleting the comment…", "Deleted the comment.",
				func(ctx context.Context, s core.Session) error {
					return browse.DeleteAnnotation(ctx, s, a)
				})
		}), a.CanDelete)
		whys = append(whys, a.DeleteWhy)
		c.Add(container.NewBorder(nil, nil, nil, container.NewCenter(del),
			container.NewVBox(text, addedBy(a, browse.When(a.Annotation.Created)))))
	}
	if len(p.shown.Comments) == 0 {
		c.Add(none("No comments."))
	}
	c.Add(reasons(whys))
	add := disabledUnless(widget.NewButtonWithIcon("Add comment", theme.MailComposeIcon(), func() {
		text, views := p.comment.Text, p.views
		p.actThen("Adding the comment…", "Added the comment.", func(ctx context.Context, s core.Session) error {
			return browse.AddComment(ctx, s, views, text)
		}, func() { p.comment.SetText("") })
	}), p.shown.CanAnnotate)
	if p.shown.CanAnnotate {
		p.comment.Enable()
	} else {
		p.comment.Disable()
	}
	c.Add(p.comment)
	c.Add(container.NewHBox(add))
	c.Refresh()
}
