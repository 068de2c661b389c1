package browser

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
)

// The tag chooser: the group's tags, the user's own first, narrowed by a
// search box; a tap on a tag adds it; "Create tag" makes a new one from
// what was typed.

// maxTagButtons bounds the tags drawn at once; typing narrows the rest.
const maxTagButtons = 60

func (p *annotationsPanel) chooseTag() {
	if len(p.views) == 0 {
		return
	}
	views, group, me := p.views, p.views[0].Group, p.opts.Me
	sess := p.opts.Session
	token := p.token
	p.setMessage("Reading the group's tags…", false)
	p.opts.Run.Go(func() func() {
		tags, err := sess.List(context.Background(), core.TagAnnotation, core.AnyID, group)
		return func() {
			if token != p.token {
				return
			}
			if err != nil {
				p.setMessage(core.UserMessage(err), true)
				return
			}
			p.setMessage("", false)
			if p.onStatus != nil {
				p.onStatus("") // the status bar stops saying it is reading
			}
			usable, unusable := browse.TagChoices(me, tags)
			p.showTagChooser(views, usable, unusable)
		}
	})
}

func (p *annotationsPanel) showTagChooser(views []core.ObjectView, tags []core.ObjectView, unusable int) {
	var d dialog.Dialog
	search := widget.NewEntry()
	search.SetPlaceHolder("Search tags, or type a new one")
	list := container.NewVBox()
	note := widget.NewLabel("")
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	create := widget.NewButtonWithIcon("Create tag", theme.ContentAddIcon(), nil)
	fill := func() {
		q := search.Text
		list.Objects = nil
		exact, shown, matched := false, 0, 0
		for _, t := range tags {
			if !browse.MatchTag(t, q) {
				continue
			}
			matched++
			exact = exact || strings.EqualFold(strings.TrimSpace(q), t.TextValue)
			if shown == maxTagButtons {
				continue
			}
			shown++
			t := t
			b := widget.NewButton(browse.TagLabel(p.opts.Me, t), func() {
				d.Hide()
				p.act("Adding the tag “"+t.TextValue+"”…", "Added the tag “"+t.TextValue+"”.", func(ctx context.Context, s core.Session) error {
					_, err := browse.AddTag(ctx, s, views, t.Ref)
					return err
				})
			})
			b.Alignment = widget.ButtonAlignLeading
			list.Add(b)
		}
		var lines []string
		if matched > shown {
			lines = append(lines, fmt.Sprintf("%d more tags match: type to narrow the list.", matched-shown))
		}
		if len(tags) == 0 {
			lines = append(lines, "The group has no tags yet: type a name and create one.")
		} else if matched == 0 {
			lines = append(lines, "No tag matches “"+strings.TrimSpace(q)+"”.")
		}
		if unusable > 0 {
			lines = append(lines, fmt.Sprintf("%d tags of other users are not listed: the group's permissions do not let you use them.", unusable))
		}
		note.SetText(strings.Join(lines, "\n"))
		note.Hidden = len(lines) == 0
		name := strings.TrimSpace(q)
		create.SetText("Create tag “" + name + "”")
		if name == "" || exact {
			create.SetText("Create tag")
			create.Disable()
		} else {
			create.Enable()
		}
		list.Refresh()
	}
	create.OnTapped = func() {
		text := search.Text
		if _, err := browse.CheckTagName(text); err != nil {
			note.SetText(core.UserMessage(err))
			note.Show()
			return
		}
		d.Hide()
		p.act("Creating the tag…", "Created and added the tag “"+strings.TrimSpace(text)+"”.", func(ctx context.Context, s core.Session) error {
			return browse.CreateTag(ctx, s, views, text)
		})
	}
	search.OnChanged = func(string) { fill() }
	search.OnSubmitted = func(string) {
		if !create.Disabled() {
			create.OnTapped()
		}
	}
	fill()
	scroll := container.NewVScroll(list)
	scroll.SetMinSize(fyne.NewSize(360, 260))
	body := container.NewBorder(container.NewVBox(search, note), create, nil, nil, scroll)
	d = dialog.NewCustom("Add tags", "Close", body, p.opts.Window)
	d.Show()
	p.opts.Window.Canvas().Focus(search)
	if p.opts.OnEvent != nil {
		p.opts.OnEvent(fmt.Sprintf("tag chooser %d tags", len(tags)))
	}
}
