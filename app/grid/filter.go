package grid

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/searchquery"
)

// The grid's filters, like OMERO.web's thumbnail filter over the centre
// pane: by name, by tag, by rating and by key-value pairs with numeric
// comparisons, all of them together (AND). They apply to whatever the grid
// lists (a dataset's images, or search results). Only the name needs no
// reading; the rest read the images' annotations, in batches, once per
// grid (Facts caches them), so changing a filter does not read again.

// Rating choices: AnyRating keeps every image, Unrated those nobody rated,
// and 1..5 those rated at least that many stars.
const (
	AnyRating = 0
	Unrated   = -1
)

// RatingChoices label the rating filter's choices, in the order of
// RatingOf's indexes.
var RatingChoices = []string{"Any rating", "Unrated", "★ or more", "★★ or more", "★★★ or more", "★★★★ or more", "★★★★★"}

// RatingOf is the filter value of the choice at index i of RatingChoices.
func RatingOf(i int) int {
	switch {
	case i <= 0:
		return AnyRating
	case i == 1:
		return Unrated
	}
	return min(i-1, 5)
}

// Filter is what the grid's filter bar asks for; the zero Filter keeps
// everything.
type Filter struct {
	Name   string // a substring of the name, any case
	Tag    string // a substring of a tag's text, any case
	Rating int    // AnyRating, Unrated, or at least 1..5 stars
	// KeyValue holds key-value terms of the search language: "exposure>100",
	// "channel=GFP", `"cell line"=HeLa`, key:exposure; all must hold.
	KeyValue string
}

// Empty reports whether the filter keeps everything.
func (f Filter) Empty() bool {
	return strings.TrimSpace(f.Name) == "" && !f.NeedsAnnotations()
}

// NeedsAnnotations reports whether the filter reads annotations (anything
// but the name).
func (f Filter) NeedsAnnotations() bool {
	return strings.TrimSpace(f.Tag) != "" || f.Rating != AnyRating || strings.TrimSpace(f.KeyValue) != ""
}

// Compiled is a checked filter, ready to test images.
type Compiled struct {
	name, tag string
	rating    int
	kv        []searchquery.Term
	needs     bool
}

// Compile checks the filter: a key-value part that is not key-value terms
// is Invalid with a sentence saying what to type.
func (f Filter) Compile() (Compiled, error) {
	c := Compiled{name: strings.ToLower(strings.TrimSpace(f.Name)), tag: strings.ToLower(strings.TrimSpace(f.Tag)),
		rating: f.Rating, needs: f.NeedsAnnotations()}
	if kv := strings.TrimSpace(f.KeyValue); kv != "" {
		q, err := searchquery.Parse(kv)
		if err != nil {
			return Compiled{}, core.Errorf("filter", core.Invalid, "%s", err.Error())
		}
		for _, t := range q.Terms {
			if t.Field != searchquery.KV {
				return Compiled{}, core.Errorf("filter", core.Invalid,
					"%q is not a key-value condition; type key=value, key>number or key:name, as in exposure>100", strings.Join(t.Words, " "))
			}
		}
		c.kv = q.Terms
	}
	return c, nil
}

// NeedsAnnotations reports whether Match needs the images' Facts.
func (c Compiled) NeedsAnnotations() bool { return c.needs }

// Facts are what the filters need to know of one image's annotations:
// small, so a grid of 10,000 images keeps them all.
type Facts struct {
	Tags []string // lower case
	// Pairs are the key-value pairs, keys in lower case.
	Pairs []core.KeyValue
	// Rating is the average of the ratings the user can see; Rated says
	// there is at least one.
	Rating float64
	Rated  bool
}

// FactsOf sums up one image's annotations.
func FactsOf(ons []core.AnnotationOn) Facts {
	var f Facts
	var sum float64
	var n int
	for _, on := range ons {
		a := on.Annotation
		switch {
		case a.Class == core.TagAnnotation:
			f.Tags = append(f.Tags, strings.ToLower(a.TextValue))
		case a.Class == core.MapAnnotation:
			for _, kv := range browse.KeyValuesOf(a) {
				f.Pairs = append(f.Pairs, core.KeyValue{Key: strings.ToLower(strings.TrimSpace(kv.Key)), Value: strings.TrimSpace(kv.Value)})
			}
		case a.Class == core.LongAnnotation && a.Ns == core.RatingNamespace:
			sum += float64(a.LongValue)
			n++
		}
	}
	if n > 0 {
		f.Rating, f.Rated = sum/float64(n), true
	}
	return f
}

// Match reports whether an image passes the filter; facts may be nil when
// the filter needs no annotations.
func (c Compiled) Match(img core.ObjectView, facts *Facts) bool {
	if c.name != "" && !strings.Contains(strings.ToLower(img.DisplayName()), c.name) {
		return false
	}
	if !c.needs {
		return true
	}
	if facts == nil {
		facts = &Facts{}
	}
	if c.tag != "" && !containsSub(facts.Tags, c.tag) {
		return false
	}
	switch {
	case c.rating == Unrated && facts.Rated:
		return false
	case c.rating > 0 && (!facts.Rated || facts.Rating+1e-9 < float64(c.rating)):
		return false
	}
	for _, t := range c.kv {
		if !matchKV(t, facts.Pairs) {
			return false
		}
	}
	return true
}

func containsSub(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// matchKV: some pair has the key (any case) and a value that satisfies the
// term: any value for key:K, the same text (any case) or number for =, and
// a number for the comparisons, as the search does.
func matchKV(t searchquery.Term, pairs []core.KeyValue) bool {
	key := strings.ToLower(strings.TrimSpace(t.Key))
	for _, p := range pairs {
		if p.Key != key {
			continue
		}
		if t.Op == "has" {
			return true
		}
		n, err := strconv.ParseFloat(p.Value, 64)
		isNum := err == nil
		switch t.Op {
		case "=":
			if strings.EqualFold(p.Value, t.Value) || (t.Numeric && isNum && n == t.Num) {
				return true
			}
		case ">":
			if isNum && n > t.Num {
				return true
			}
		case ">=":
			if isNum && n >= t.Num {
				return true
			}
		case "<":
			if isNum && n < t.Num {
				return true
			}
		case "<=":
			if isNum && n <= t.Num {
				return true
			}
		}
	}
	return false
}

// BatchSize is how many images' annotations one read asks for.
const BatchSize = 500

// fallbackReaders bounds the one-by-one reads of a session that cannot
// read a batch (a remote one).
const fallbackReaders = 4

// FactsCache keeps the Facts of the images a grid lists, read once.
// Safe for use from several goroutines.
type FactsCache struct {
	mu    sync.Mutex
	facts map[core.Ref]*Facts
}

// NewFactsCache makes an empty cache.
func NewFactsCache() *FactsCache { return &FactsCache{facts: map[core.Ref]*Facts{}} }

// Forget drops what is known of an image (its annotations changed).
func (fc *FactsCache) Forget(img core.Ref) {
	fc.mu.Lock()
	delete(fc.facts, img)
	fc.mu.Unlock()
}

// Len is the number of images whose facts are known.
func (fc *FactsCache) Len() int {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	return len(fc.facts)
}

// Load reads the facts of the images not yet known, BatchSize at a time.
func (fc *FactsCache) Load(ctx context.Context, s core.Annotations, imgs []core.ObjectView) error {
	var missing []core.Ref
	fc.mu.Lock()
	for _, im := range imgs {
		if _, ok := fc.facts[im.Ref]; !ok && annotatable(im.Class) {
			missing = append(missing, im.Ref)
		}
	}
	fc.mu.Unlock()
	for len(missing) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := min(len(missing), BatchSize)
		found, err := readBatch(ctx, s, missing[:n])
		if err != nil {
			return err
		}
		fc.mu.Lock()
		for i, ref := range missing[:n] {
			f := FactsOf(found[i])
			fc.facts[ref] = &f
		}
		fc.mu.Unlock()
		missing = missing[n:]
	}
	return nil
}

func annotatable(c core.Class) bool { return c.Info().AnnotationLink != "" }

// readBatch reads the annotations of refs in one call when the session can,
// otherwise one by one with a few readers at once.
func readBatch(ctx context.Context, s core.Annotations, refs []core.Ref) ([][]core.AnnotationOn, error) {
	if b, ok := s.(core.AnnotationsBatch); ok {
		return b.AnnotationsOf(ctx, refs)
	}
	out := make([][]core.AnnotationOn, len(refs))
	errs := make([]error, len(refs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range fallbackReaders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				ons, err := s.Annotations(ctx, refs[i])
				if err != nil && !core.Is(core.NotFound, err) {
					errs[i] = err
				}
				out[i] = ons
			}
		}()
	}
	for i := range refs {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Apply keeps the images that pass the filter, in order, reading the
// annotations it needs into fc first. It runs off the UI goroutine.
func Apply(ctx context.Context, s core.Annotations, fc *FactsCache, c Compiled, imgs []core.ObjectView) ([]core.ObjectView, error) {
	if c.needs {
		if err := fc.Load(ctx, s, imgs); err != nil {
			return nil, err
		}
	}
	out := make([]core.ObjectView, 0, len(imgs))
	fc.mu.Lock()
	defer fc.mu.Unlock()
	for _, im := range imgs {
		var f *Facts
		if c.needs {
			f = fc.facts[im.Ref]
		}
		if c.Match(im, f) {
			out = append(out, im)
		}
	}
	return out, nil
}

// Shown says how many of the listed images the filter shows ("12 of 300
// images").
func Shown(shown, of int, noun string) string {
	if shown == of {
		return plural(of, noun)
	}
	return fmt.Sprintf("%d of %s", shown, plural(of, noun))
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
