package browse

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/render"
)

// The browser's Rendering menu (OMERO.insight's right-click "Rendering
// settings" menu): actions on the rendering settings of every image of the
// selected image, dataset, plate or run at once. The rules here decide which
// items a selection offers and how the outcome is told; ui/browser only
// shows them.

// RenderingAction is one item of the Rendering menu.
type RenderingAction string

// The Rendering menu's items, as the menu labels them.
const (
	CopySettings   RenderingAction = "Copy Settings"
	PasteSettings  RenderingAction = "Paste Settings"
	SetMinMax      RenderingAction = "Set Min/Max"
	SetFullRange   RenderingAction = "Set Full Range"
	SetImported    RenderingAction = "Set Imported"
	SetOwners      RenderingAction = "Set Owner's"
	RenameChannels RenderingAction = "Rename Channels…"
	// SaveToAll is the viewer's "Save to All" (not a menu item): the
	// settings shown on one image saved onto every image of its dataset,
	// plate or run.
	SaveToAll RenderingAction = "Save to All"
)

// RenderingActions are the menu's items in order; a separator goes after
// the first two (the clipboard) and before the last (names, not settings).
var RenderingActions = []RenderingAction{CopySettings, PasteSettings, SetMinMax, SetFullRange, SetImported, SetOwners, RenameChannels}

// RenderingSelection is what the Rendering menu would act on.
type RenderingSelection struct {
	// Target is the selected tree node or thumbnail; zero when nothing is.
	Target core.ObjectView
	Me     core.Me
	// Copied is the image whose settings were copied (zero: none yet).
	Copied core.Ref
	// Busy is set while an earlier action still runs.
	Busy bool
}

// RenderingItem is one menu item: whether it can be chosen and, when not,
// why, in a sentence for the status bar.
type RenderingItem struct {
	Action  RenderingAction
	Enabled bool
	Why     string
}

// RenderingTargets says which classes the menu acts on.
func RenderingTargets(c core.Class) bool {
	switch c {
	case core.Image, core.Dataset, core.Plate, core.PlateAcquisition:
		return true
	}
	return false
}

// RenderingMenu decides, for each item, whether the selection allows it.
// The repository checks again when the action runs; these rules only keep
// users from choosing what is bound to be refused (spec §5.2).
func RenderingMenu(s RenderingSelection) []RenderingItem {
	t := s.Target
	what := TargetPhrase(t)
	mine := t.Owner == s.Me.User.ID
	// Anyone who can read an image in a shared group keeps their own
	// settings on it; in a private group only its owner does.
	keep, keepWhy := true, ""
	switch {
	case s.Me.IsGuest:
		keep, keepWhy = false, "The guest account cannot keep rendering settings."
	case t.Level == core.Private && !mine:
		keep, keepWhy = false, fmt.Sprintf("%s belongs to %s in a private group, where only the owner keeps rendering settings.",
			capitalize(what), ownerOf(t))
	}
	items := make([]RenderingItem, 0, len(RenderingActions))
	for _, a := range RenderingActions {
		it := RenderingItem{Action: a, Enabled: true}
		deny := func(why string) { it.Enabled, it.Why = false, why }
		switch {
		case s.Busy:
			deny("Wait until the rendering change under way has finished.")
		case t.Ref.IsZero() || !RenderingTargets(t.Class):
			deny("Select an image, a dataset, a plate or a run to change rendering settings.")
		case a == CopySettings:
			if t.Class != core.Image {
				deny("Copy takes the settings of one image: select an image.")
			}
		case a == RenameChannels:
			switch {
			case t.Class == core.PlateAcquisition:
				deny("Channels are renamed on an image, a dataset or a whole plate, not on one run.")
			case !t.Flags.CanEdit:
				deny(fmt.Sprintf("You may not rename the channels of %s: it belongs to %s and the group is %s.", what, ownerOf(t), t.Level))
			}
		case !keep:
			deny(keepWhy)
		case a == PasteSettings && s.Copied.IsZero():
			deny("Copy the settings of an image first (Copy Settings on an image, or Copy in a viewer).")
		case a == SetOwners && mine && (t.Class == core.Image || t.Level != core.ReadWrite):
			// Only in a read-write group do others put their images into
			// one's dataset or plate.
			if t.Class == core.Image {
				deny(fmt.Sprintf("You own %s: its owner's settings are yours already.", what))
			} else {
				deny(fmt.Sprintf("You own %s and its images: the owner's settings are yours already.", what))
			}
		}
		items = append(items, it)
	}
	return items
}

// RenderingWhy is the reason to show when the menu opens with items
// disabled: the first one that is not about the selection's class (which
// the menu makes plain) or an empty clipboard.
func RenderingWhy(items []RenderingItem) string {
	for _, it := range items {
		if !it.Enabled && it.Action != PasteSettings && it.Action != CopySettings {
			return it.Why
		}
	}
	return ""
}

// TargetPhrase names a selection in a sentence: dataset “Cells”.
func TargetPhrase(v core.ObjectView) string {
	if v.Ref.IsZero() {
		return "nothing"
	}
	noun := strings.ToLower(string(v.Class))
	switch v.Class {
	case core.PlateAcquisition:
		noun = "run"
	case core.OrphanedImages:
		return "Orphaned Images" // a folder, not an object of a class
	}
	return noun + " “" + v.DisplayName() + "”"
}

func ownerOf(v core.ObjectView) string {
	if v.OwnerName != "" {
		return v.OwnerName
	}
	return "another user"
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// RenderingRequest is one run of a menu item.
type RenderingRequest struct {
	Action RenderingAction
	Target core.ObjectView
	// From is the copied image (Paste), FromName its name.
	From     core.Ref
	FromName string
	// Names are the new channel names (Rename Channels); "" keeps one.
	Names []string
	// Settings are what Save to All saves, shown on image From.
	Settings *render.Settings
}

// RenderingOutcome is what a run did, with the names of the images it
// skipped (for the summary).
type RenderingOutcome struct {
	Result core.RenderingResult
	Names  map[core.Ref]string
}

// maxNamed bounds the skipped images looked up by name: the summary lists
// that many and counts the rest.
const maxNamed = 50

// RunRendering performs a request through the session and looks up the
// names of the images it skipped. It runs off the UI goroutine.
func RunRendering(ctx context.Context, s core.Session, r RenderingRequest) (RenderingOutcome, error) {
	targets := []core.Ref{r.Target.Ref}
	var res core.RenderingResult
	var err error
	switch r.Action {
	case PasteSettings:
		res, err = s.PasteRendering(ctx, r.From, targets)
	case SetMinMax:
		res, err = s.SetRenderingWindows(ctx, targets, core.WindowMinMax)
	case SetFullRange:
		res, err = s.SetRenderingWindows(ctx, targets, core.WindowFullRange)
	case SetImported:
		res, err = s.ResetRendering(ctx, targets)
	case SetOwners:
		res, err = s.SetOwnersRendering(ctx, targets)
	case RenameChannels:
		res, err = s.RenameChannels(ctx, r.Target.Ref, r.Names)
	case SaveToAll:
		if r.Settings == nil {
			return RenderingOutcome{}, core.Errorf("rendering", core.Invalid, "Save to All needs the settings to save")
		}
		res, err = s.SaveRenderingToAll(ctx, r.From, *r.Settings, r.Target.Ref)
	default:
		return RenderingOutcome{}, core.Errorf("rendering", core.Invalid, "%s does not change settings in the repository", r.Action)
	}
	if err != nil {
		return RenderingOutcome{}, err
	}
	out := RenderingOutcome{Result: res, Names: map[core.Ref]string{}}
	for i, sk := range res.Skipped {
		if i == maxNamed {
			break
		}
		if v, err := s.Get(ctx, sk.Image); err == nil {
			out.Names[sk.Image] = v.DisplayName()
		}
	}
	return out, nil
}

// FirstImage is the image whose channels the Rename Channels dialog shows:
// the target itself, or the first image of a dataset or plate. ok is false
// when there is none.
func FirstImage(ctx context.Context, s core.Session, group core.ID, target core.ObjectView) (img core.Ref, ok bool, err error) {
	if target.Class == core.Image {
		return target.Ref, true, nil
	}
	req := core.BrowseRequest{Group: group, Owner: core.AnyID, Parent: target.Ref}
	for depth := 0; depth < 2; depth++ { // a plate's images sit one level down, in its wells
		kids, err := s.Browse(ctx, req)
		if err != nil {
			return core.Ref{}, false, err
		}
		for _, k := range kids {
			if k.Class == core.Image {
				return k.Ref, true, nil
			}
		}
		if len(kids) == 0 || kids[0].Class != core.Well {
			break
		}
		req.Parent = kids[0].Ref
	}
	return core.Ref{}, false, nil
}

// RenderingSummary tells the user what a run did.
type RenderingSummary struct {
	// Title is the dialog's title; Headline its first sentence ("Changed 2
	// images; skipped 1:"), Lines one per skipped image ("name: reason").
	Title    string
	Headline string
	Lines    []string
	// Status is the one sentence for the status bar.
	Status string
	// Dialog is set when something was skipped: the user should read why.
	Dialog bool
}

// SummarizeRendering words a run's outcome.
func SummarizeRendering(r RenderingRequest, o RenderingOutcome) RenderingSummary {
	res := o.Result
	what := TargetPhrase(r.Target)
	s := RenderingSummary{Title: strings.TrimSuffix(string(r.Action), "…")}
	changed := plural(len(res.Changed), "image")
	switch {
	case len(res.Changed) == 0 && len(res.Skipped) == 0:
		s.Status = capitalize(what) + " holds no images: nothing changed."
		s.Headline = s.Status
		return s
	case len(res.Skipped) == 0:
		s.Status = doneSentence(r, changed, what)
		s.Headline = s.Status
		return s
	}
	s.Dialog = true
	s.Headline = fmt.Sprintf("Changed %s; skipped %d:", changed, len(res.Skipped))
	s.Status = fmt.Sprintf("%s on %s: changed %s, skipped %d.", s.Title, what, changed, len(res.Skipped))
	for i, sk := range res.Skipped {
		if i == maxNamed {
			s.Lines = append(s.Lines, fmt.Sprintf("… and %d more.", len(res.Skipped)-maxNamed))
			break
		}
		name, ok := o.Names[sk.Image]
		if !ok {
			name = sk.Image.String()
		}
		s.Lines = append(s.Lines, name+": "+SkipReason(sk))
	}
	return s
}

// doneSentence is the status line of a run that skipped nothing.
func doneSentence(r RenderingRequest, changed, what string) string {
	var verb string
	switch r.Action {
	case PasteSettings:
		from := r.FromName
		if from == "" {
			from = r.From.String()
		}
		verb = "Pasted the settings of “" + from + "” onto"
	case SetMinMax:
		verb = "Set the channel windows to min/max on"
	case SetFullRange:
		verb = "Set the channel windows to the full range on"
	case SetImported:
		verb = "Restored the imported settings on"
	case SetOwners:
		verb = "Copied the owner's settings onto"
	case RenameChannels:
		verb = "Renamed the channels of"
	case SaveToAll:
		verb = "Saved these settings to"
	default:
		verb = string(r.Action) + ":"
	}
	if r.Target.Class == core.Image {
		return verb + " " + what + "."
	}
	return verb + " " + changed + " of " + what + "."
}

// reasons reword the repository's skip reasons for microscopists; others
// are shown as they come.
var reasons = []struct {
	re   *regexp.Regexp
	text string
}{
	{regexp.MustCompile(`^channel count differs \((\d+), target (\d+)\)$`), "it has $2 channels; the copied image has $1"},
	{regexp.MustCompile(`^pixel type differs \((\w+), target (\w+)\)$`), "its pixel type is $2; the copied image's is $1"},
	{regexp.MustCompile(`^emission wavelength (\S+) nm of the source is not among the target's channels$`),
		"none of its channels has the copied image's emission wavelength of $1 nm"},
	{regexp.MustCompile(`^the source has a channel without emission wavelength and the target has none such$`),
		"the copied image has a channel without an emission wavelength and this one has none"},
	{regexp.MustCompile(`^(\d+) names given but this image has (\d+) channels$`), "it has $2 channels, but $1 names were given"},
}

// SkipReason is why an image was skipped, as a sentence about "this image".
func SkipReason(sk core.SkippedImage) string {
	why := strings.TrimSpace(sk.Reason)
	if why == "" {
		return "skipped without a reason given"
	}
	why = strings.ReplaceAll(why, sk.Image.String(), "this image")
	for _, r := range reasons {
		if r.re.MatchString(why) {
			why = r.re.ReplaceAllString(why, r.text)
			break
		}
	}
	return strings.TrimSuffix(why, ".")
}
