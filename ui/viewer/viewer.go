// Package viewer is the image viewer window: the image rendered at the size
// shown (fitted to the window at first, redrawn on resize; the mouse wheel
// zooms at the cursor, a drag pans, a double-click or Fit fits it again,
// 100% shows full resolution, reading only the pyramid tiles on screen:
// zoom.go); a row per channel (on/off, colour or lookup table, name, a
// range slider for the display window with its numbers, and a "⋯" popup
// with the name, reverse intensity, family and coefficient:
// channel_options.go); Z and T sliders; intensity projections
// (projection.go); greyscale; and the rendering settings buttons: Min/Max,
// Full Range, Imported, Owner's, Copy, Paste, every user's settings, Save
// and Save to All (settings_all.go).
//
// The viewer opens the user's own settings, else the owner's (spec §5.5).
// The buttons change what is shown; Save stores it as the user's settings
// (refused, with the reason, where the user may not keep any: another
// user's image in a private group). The rules are in app/viewer.
//
// A slider move redraws in the background; redraws are coalesced
// (app/viewer.Redraw), so while one runs only the latest state is drawn next.
//
// Threading: every method runs on the UI goroutine; repository reads and
// rendering go through Options.Run.
package viewer

import (
	"context"
	"fmt"
	"image"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/rendering"
	appviewer "github.com/ocular-lab/ocular/app/viewer"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/render"
	"github.com/ocular-lab/ocular/ui/async"
)

// Renderer draws views of images and lists their resolution levels
// (app/rendering.Service).
type Renderer interface {
	Render(ctx context.Context, img core.Ref, s render.Settings, v rendering.View) (*image.RGBA, error)
	Levels(ctx context.Context, img core.Ref) ([]image.Point, error)
}

// Clipboard holds the image whose settings were copied, shared by every
// viewer window of the session.
type Clipboard struct {
	From core.Ref
	Name string
}

// Options configure a viewer window.
type Options struct {
	App       fyne.App
	Run       async.Runner
	Session   core.Session
	Render    Renderer
	Clipboard *Clipboard
	// OnSaved runs after the user's settings on an image were stored (Save,
	// Paste, Save to All): thumbnails that show them may change.
	OnSaved func(core.Ref)
	// Container is where the image was opened from (its dataset, plate or
	// run in the grid): Save to All saves onto every image of it. Zero, or
	// another class, disables Save to All.
	Container core.ObjectView
	// OnClosed runs when the window closes.
	OnClosed func()
	// OnError, when set, is told why the image could not be opened or
	// drawn, with what tries again: the main window shows a server that
	// cannot be reached or a session that expired. The viewer's status
	// says what failed either way.
	OnError func(err error, retry func())
	// OnSettled, when set, runs each time a picture is on screen and no
	// other draw is pending, with a one-line description of what it shows
	// (see View.Shown). Scripts wait on it instead of guessing at timings.
	OnSettled func(shown string)
}

// DefaultSize is the viewer window's size when it opens.
var DefaultSize = fyne.NewSize(1180, 780)

// View is one viewer window.
type View struct {
	opts   Options
	Window fyne.Window
	image  core.ObjectView
	model  *appviewer.Model

	pic    *picture
	zoom   *ZoomControls
	vp     *appviewer.Viewport
	header *widget.Label
	whose  *widget.Label
	status *widget.Label
	panel  *fyne.Container
	c      *Controls

	redraw       appviewer.Redraw
	front, back  *image.RGBA        // shown, and drawn into next
	frontVP      appviewer.Viewport // the viewport front was drawn for
	frontAt      image.Rectangle    // where front goes on the screen
	drawn        rendering.View     // the view front shows
	ctx          context.Context
	cancel       context.CancelFunc
	closed       bool
	LastDrawTook time.Duration
	draws        int
	shown        string
	users        []core.RenderingDefView // every user's settings, for the Settings of menu
}

// Open opens a viewer window on an image and starts loading it.
func Open(o Options, img core.ObjectView) *View {
	if o.Clipboard == nil {
		o.Clipboard = &Clipboard{}
	}
	v := &View{opts: o, image: img}
	v.ctx, v.cancel = context.WithCancel(context.Background())
	v.Window = o.App.NewWindow(img.DisplayName() + " — Ocular viewer")
	v.Window.Resize(DefaultSize)
	v.Window.SetOnClosed(v.close)
	// Ctrl+W closes the viewer, as a document window closes in most apps.
	v.Window.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyW, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { v.Window.Close() })

	v.pic = newPicture(func(fyne.Size) { v.request() })
	v.pic.onScroll, v.pic.onDrag = v.scrolled, v.dragged
	v.pic.onDoubleTap = func(*fyne.PointEvent) { v.fit() }
	var zoomBar fyne.CanvasObject
	v.zoom, zoomBar = v.newZoomControls()
	v.header = widget.NewLabel(img.DisplayName())
	v.header.TextStyle.Bold = true
	v.header.Wrapping = fyne.TextWrapWord
	v.whose = widget.NewLabel("")
	v.whose.TextStyle.Italic = true
	v.whose.Wrapping = fyne.TextWrapWord
	v.status = widget.NewLabel("Loading…")
	v.status.Wrapping = fyne.TextWrapWord
	v.panel = container.NewVBox()
	side := container.NewBorder(
		container.NewVBox(container.New(layout.NewCustomPaddedVBoxLayout(0), v.header, v.whose), widget.NewSeparator()),
		container.NewVBox(widget.NewSeparator(), v.status), nil, nil,
		container.NewVScroll(v.panel))
	split := container.NewHSplit(container.NewBorder(nil, zoomBar, nil, nil, v.pic), container.NewPadded(side))
	split.SetOffset(0.66)
	v.Window.SetContent(split)
	v.Window.Show()
	v.load()
	return v
}

// load reads the image's settings and builds the controls.
func (v *View) load() {
	sess, ref, ctx, r := v.opts.Session, v.image.Ref, v.ctx, v.opts.Render
	v.opts.Run.Go(func() func() {
		m, err := appviewer.Load(ctx, sess, ref)
		var levels []image.Point
		if err == nil {
			// Without its levels the image is read at full resolution; a
			// file that cannot be read says so when drawn.
			levels, _ = r.Levels(ctx, ref)
		}
		return func() {
			if v.closed {
				return
			}
			if err != nil {
				v.setStatus("Cannot open this image: "+core.UserMessage(err), true)
				v.trouble(err, v.load)
				return
			}
			v.model = m
			v.startViewport(levels)
			v.c = newControls(v)
			v.panel.Objects = v.c.objects()
			v.panel.Refresh()
			v.c.sync()
			v.updateWhose()
			v.setStatus("", false)
			v.request()
			v.loadUsersSettings()
		}
	})
}

// Controls are the viewer's widgets (nil while loading).
func (v *View) Controls() *Controls { return v.c }

// Model is the viewer's state (nil while loading).
func (v *View) Model() *appviewer.Model { return v.model }

// Picture is the image shown now (nil before the first draw).
func (v *View) Picture() *image.RGBA { return v.front }

// Status is the message under the Controls.
func (v *View) Status() string { return v.status.Text }

// Shown describes the picture on screen in one line: its longest side in
// pixels, the window's size, the plane, channel 1's window, and the zoom
// ("size=770 window=1180x780 z=1 t=0 ch1=0-4095 zoom=38%").
func (v *View) Shown() string { return v.shown }

// describe is the line Shown returns for a picture of longest side size
// drawn in window w with settings s.
func describe(size int, w fyne.Window, s render.Settings) string {
	c := w.Canvas().Size()
	line := fmt.Sprintf("size=%d window=%.0fx%.0f z=%d t=%d", size, c.Width, c.Height, s.DefaultZ, s.DefaultT)
	if len(s.Channels) > 0 {
		line += fmt.Sprintf(" ch1=%g-%g", s.Channels[0].Start, s.Channels[0].End)
	}
	return line
}

// Draws counts the pictures drawn since the viewer opened.
func (v *View) Draws() int { return v.draws }

func (v *View) setStatus(msg string, isErr bool) {
	v.status.Importance = widget.MediumImportance
	if isErr {
		v.status.Importance = widget.DangerImportance
	}
	v.status.SetText(msg)
}

// trouble passes a failure to OnError; its retry does nothing once the
// window is closed.
func (v *View) trouble(err error, retry func()) {
	if v.opts.OnError != nil {
		v.opts.OnError(err, func() {
			if !v.closed {
				retry()
			}
		})
	}
}

// changed is called after the user changed the settings shown: the header
// says whether they are saved, and the picture follows.
func (v *View) changed() {
	v.updateWhose()
	v.request()
}

func (v *View) updateWhose() {
	s := v.model.Whose()
	if v.model.Unsaved() {
		s += " — changed, not saved"
	}
	v.whose.SetText(s)
}

// request asks for a redraw of the current state (coalesced).
func (v *View) request() {
	if v.model == nil || v.closed {
		return
	}
	if v.redraw.Request() {
		v.draw()
	}
}

// draw renders the current state in the background, into the buffer not on
// screen, and shows it; if the state changed meanwhile it draws once more.
// The viewport says which level and region to read and where the picture
// goes in the area.
func (v *View) draw() {
	screen := v.pic.pixels(v.Window.Canvas().Scale())
	view, at := v.vp.View(screen)
	if view.Size == 0 {
		v.redraw.Done() // not laid out yet: the first layout asks again
		return
	}
	v.zoom.Label.SetText(v.vp.Label()) // a fitted image's zoom follows the area
	vp := *v.vp
	s := v.model.Settings.Clone()
	view.Z, view.T, view.Dst = s.DefaultZ, s.DefaultT, v.back
	r, ref, ctx := v.opts.Render, v.image.Ref, v.ctx
	v.opts.Run.Go(func() func() {
		start := time.Now()
		img, err := r.Render(ctx, ref, s, view)
		took := time.Since(start)
		return func() {
			if v.closed {
				return
			}
			if err != nil {
				v.setStatus("Cannot draw this image: "+core.UserMessage(err), true)
				v.trouble(err, v.request)
			} else {
				v.back, v.front = v.front, img
				v.frontVP, v.frontAt, v.drawn = vp, at, view
				v.drawn.Dst = nil
				// The viewport may have moved while this was drawn (a
				// drag): show the picture where the image is now.
				d, _ := v.vp.Moved(vp)
				v.pic.show(img, at.Min.Add(d), screen)
				v.LastDrawTook = took
				v.draws++
				v.shown = describe(view.Size, v.Window, s) + " zoom=" + vp.Label()
			}
			if v.redraw.Done() {
				v.draw()
			} else if err == nil && v.opts.OnSettled != nil {
				v.opts.OnSettled(v.shown)
			}
		}
	})
}

func (v *View) close() {
	if v.closed {
		return
	}
	v.closed = true
	v.cancel()
	if v.opts.OnClosed != nil {
		v.opts.OnClosed()
	}
}

// Close closes the window.
func (v *View) Close() { v.Window.Close() }

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
