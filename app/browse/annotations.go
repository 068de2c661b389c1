package browse

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/core"
)

// The Annotations section of the details panel (OMERO.insight's and
// OMERO.web's right-hand pane): tags, comments, ratings, key-value pairs and
// attachments on one or more selected objects, who added each, and, for
// every action, whether the permission engine allows it and why not. The
// rules live here; ui/browser only shows them.

// AnnotationFilter is OMERO's "Show all / added by me / added by others".
type AnnotationFilter int

const (
	ShowAll AnnotationFilter = iota
	AddedByMe
	AddedByOthers
)

// AnnotationFilters label the filter's choices in order.
var AnnotationFilters = []string{"Show all", "Added by me", "Added by others"}

// Annotation is one annotation as the panel lists it, merged over the
// selected objects it is linked to.
type Annotation struct {
	core.AnnotationOn
	// Links are the links that hold it, one per selected object it is on.
	Links []core.ObjectView
	// AddedBy names who linked it ("Olive Owner"); Mine when that is me.
	AddedBy string
	Mine    bool
	// CanRemove says whether every link may be removed (unlinking, not
	// deleting); RemoveWhy is the reason when not.
	CanRemove bool
	RemoveWhy string
	// CanDelete and DeleteWhy are about the annotation itself (a comment,
	// an attachment's file).
	CanDelete bool
	DeleteWhy string
	// CanEdit and EditWhy are about changing it (a key-value table).
	CanEdit bool
	EditWhy string
}

// Rating sums up the ratings on the selection: mine, and everyone's.
type Rating struct {
	Mine      int64 // 0: not rated by me
	Others    int   // how many ratings by other users
	Average   float64
	Count     int
	MyRatings []Annotation // my LongAnnotations (one per object rated)
}

// Annotated is everything the section shows for a selection.
type Annotated struct {
	Tags, Comments, KeyValues, Files []Annotation
	Rating                           Rating
	// CanAnnotate and AnnotateWhy decide every "add" action at once.
	CanAnnotate bool
	AnnotateWhy string
}

// Summarise groups the annotations found on targets (per target, in the
// order of targets) for me, keeping only what filter shows.
func Summarise(me core.Me, targets []core.ObjectView, found [][]core.AnnotationOn, filter AnnotationFilter) Annotated {
	var out Annotated
	out.CanAnnotate, out.AnnotateWhy = MayAnnotate(me, targets)
	byID := map[core.ID]*Annotation{}
	var order []core.ID
	var sum int64
	for _, ons := range found {
		for _, on := range ons {
			a := on.Annotation
			if a.Class == core.LongAnnotation && a.Ns == core.RatingNamespace {
				out.Rating.Count++
				sum += a.LongValue
				if on.Link.Owner == me.User.ID {
					out.Rating.Mine = a.LongValue
					out.Rating.MyRatings = append(out.Rating.MyRatings, annotation(me, on))
				} else {
					out.Rating.Others++
				}
				continue
			}
			key := a.ID
			if x, ok := byID[key]; ok {
				x.Links = append(x.Links, on.Link)
				if ok, why := mayRemove(me, on.Link); !ok {
					x.CanRemove, x.RemoveWhy = false, why
				}
				continue
			}
			x := annotation(me, on)
			byID[key] = &x
			order = append(order, key)
		}
	}
	if out.Rating.Count > 0 {
		out.Rating.Average = float64(sum) / float64(out.Rating.Count)
	}
	for _, id := range order {
		x := *byID[id]
		if (filter == AddedByMe && !x.Mine) || (filter == AddedByOthers && x.Mine) {
			continue
		}
		switch x.Annotation.Class {
		case core.TagAnnotation:
			out.Tags = append(out.Tags, x)
		case core.CommentAnnotation:
			out.Comments = append(out.Comments, x)
		case core.MapAnnotation:
			out.KeyValues = append(out.KeyValues, x)
		case core.FileAnnotation:
			out.Files = append(out.Files, x)
		}
	}
	slices.SortStableFunc(out.Tags, func(a, b Annotation) int {
		return cmp.Compare(strings.ToLower(a.Annotation.TextValue), strings.ToLower(b.Annotation.TextValue))
	})
	return out
}

func annotation(me core.Me, on core.AnnotationOn) Annotation {
	x := Annotation{AnnotationOn: on, Links: []core.ObjectView{on.Link}, AddedBy: on.Link.OwnerName, Mine: on.Link.Owner == me.User.ID}
	x.CanRemove, x.RemoveWhy = mayRemove(me, on.Link)
	a := on.Annotation
	x.CanDelete = a.Flags.CanDelete
	if !x.CanDelete {
		x.DeleteWhy = fmt.Sprintf("Added by %s: only they, the group's owner or an administrator may delete it.", a.OwnerName)
	}
	x.CanEdit = a.Flags.CanEdit
	if !x.CanEdit {
		x.EditWhy = fmt.Sprintf("Added by %s: only they, the group's owner or an administrator may change it.", a.OwnerName)
	}
	return x
}

func mayRemove(me core.Me, link core.ObjectView) (bool, string) {
	if link.Flags.CanDelete {
		return true, ""
	}
	return false, fmt.Sprintf("Added by %s: in a %s group you may remove only what you added.", link.OwnerName, link.Level)
}

// MayAnnotate says whether me may annotate every target, and if not, why,
// naming the first one refused (spec §1.4: annotate on others' data).
func MayAnnotate(me core.Me, targets []core.ObjectView) (bool, string) {
	if len(targets) == 0 {
		return false, "Select an object to annotate."
	}
	for _, t := range targets {
		if t.Flags.CanAnnotate {
			continue
		}
		name := "“" + t.DisplayName() + "”"
		switch {
		case me.IsGuest:
			return false, "The guest account cannot annotate."
		case t.Level == core.Private:
			return false, fmt.Sprintf("%s belongs to %s and “%s” is private: nobody else may annotate it.", name, t.OwnerName, t.GroupName)
		case t.Level == core.ReadOnly:
			return false, fmt.Sprintf("%s belongs to %s and “%s” is read-only: only its owner, the group's owner and administrators may annotate it.", name, t.OwnerName, t.GroupName)
		default:
			return false, fmt.Sprintf("You may not annotate %s.", name)
		}
	}
	return true, ""
}

// TagChoices are the tags of the group a user may link, for the chooser:
// mine first, then others', each by name. Tag sets are not offered (they
// hold tags; they are not put on images). unusable counts the tags left
// out because the rules refuse them.
func TagChoices(me core.Me, tags []core.ObjectView) (usable []core.ObjectView, unusable int) {
	for _, t := range tags {
		if t.Ns == core.TagSetNamespace {
			continue
		}
		if !t.Flags.CanAnnotate {
			unusable++
			continue
		}
		usable = append(usable, t)
	}
	slices.SortStableFunc(usable, func(a, b core.ObjectView) int {
		am, bm := a.Owner == me.User.ID, b.Owner == me.User.ID
		if am != bm {
			if am {
				return -1
			}
			return 1
		}
		return cmp.Compare(strings.ToLower(a.TextValue), strings.ToLower(b.TextValue))
	})
	return usable, unusable
}

// TagLabel is how the chooser lists a tag: its text, and whose it is when
// it is not mine.
func TagLabel(me core.Me, t core.ObjectView) string {
	if t.Owner == me.User.ID {
		return t.TextValue
	}
	return t.TextValue + " (" + t.OwnerName + ")"
}

// MatchTag is the chooser's search: case-insensitive, anywhere in the text.
func MatchTag(t core.ObjectView, query string) bool {
	return strings.Contains(strings.ToLower(t.TextValue), strings.ToLower(strings.TrimSpace(query)))
}

// Limits on what a user types, so no input makes Ocular store or draw
// without bound.
const (
	MaxTagLength     = 255
	MaxCommentLength = 10000
	MaxKeyValueRows  = 1000
	MaxKeyLength     = 255
	MaxValueLength   = 10000
)

// CheckTagName refuses an empty or overlong tag.
func CheckTagName(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", core.Errorf("tag", core.Invalid, "a tag needs a name; type one")
	case len(s) > MaxTagLength:
		return "", core.Errorf("tag", core.Invalid, "a tag name is at most %d characters", MaxTagLength)
	}
	return s, nil
}

// CheckComment refuses an empty or overlong comment.
func CheckComment(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", core.Errorf("comment", core.Invalid, "the comment is empty; type some text first")
	case len(s) > MaxCommentLength:
		return "", core.Errorf("comment", core.Invalid, "a comment is at most %d characters", MaxCommentLength)
	}
	return s, nil
}

// CheckKeyValues refuses a table with an empty key, or too long, and
// returns the rows trimmed, ready to save.
func CheckKeyValues(rows []core.KeyValue) ([]core.KeyValue, error) {
	if len(rows) > MaxKeyValueRows {
		return nil, core.Errorf("key-value pairs", core.Invalid, "a table holds at most %d rows", MaxKeyValueRows)
	}
	out := make([]core.KeyValue, len(rows))
	for i, r := range rows {
		k := strings.TrimSpace(r.Key)
		switch {
		case k == "":
			return nil, core.Errorf("key-value pairs", core.Invalid, "row %d has no key; type a key or remove the row", i+1)
		case len(k) > MaxKeyLength:
			return nil, core.Errorf("key-value pairs", core.Invalid, "the key of row %d is longer than %d characters", i+1, MaxKeyLength)
		case len(r.Value) > MaxValueLength:
			return nil, core.Errorf("key-value pairs", core.Invalid, "the value of row %d is longer than %d characters", i+1, MaxValueLength)
		}
		out[i] = core.KeyValue{Key: k, Value: strings.TrimSpace(r.Value)}
	}
	return out, nil
}

// KeyValuesOf reads a MapAnnotation's rows.
func KeyValuesOf(a core.ObjectView) []core.KeyValue {
	list, _ := a.Attrs["mapValue"].([]any)
	out := make([]core.KeyValue, 0, len(list))
	for _, e := range list {
		switch v := e.(type) {
		case map[string]any:
			k, _ := v["key"].(string)
			val, _ := v["value"].(string)
			out = append(out, core.KeyValue{Key: k, Value: val})
		case []any:
			if len(v) == 2 {
				k, _ := v[0].(string)
				val, _ := v[1].(string)
				out = append(out, core.KeyValue{Key: k, Value: val})
			}
		}
	}
	if len(out) == 0 {
		if kvs, ok := a.Attrs["mapValue"].([]core.KeyValue); ok {
			return kvs
		}
	}
	return out
}

// When is an annotation's time as the panel shows it.
func When(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02 15:04")
}

// FileSize is "12.3 KB".
func FileSize(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " bytes"
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "KMGTP"[exp])
}
