package graph

import (
	"encoding/binary"
	"hash"
	"sort"

	"github.com/ocular-lab/ocular/core"
)

// dupAction is what duplicate does with one object or link (spec §4.5).
type dupAction uint8

const (
	dupCopy   dupAction = iota // make a new object
	dupRef                     // link the duplicates to the original
	dupIgnore                  // neither copy nor link
)

// decideDup applies --ignore, --reference and --duplicate to a class: the
// more specific class wins (TagAnnotation over Annotation); on a tie
// --duplicate wins, then --ignore.
func decideDup(c core.Class, o core.DuplicateOptions) dupAction {
	best, act := 0, dupCopy
	try := func(list []core.Class, a dupAction) {
		for _, k := range list {
			if !c.Matches(k) {
				continue
			}
			spec := 1
			if k == c {
				spec = 2
			}
			if spec > best {
				best, act = spec, a
			}
		}
	}
	try(o.Duplicate, dupCopy)
	try(o.Ignore, dupIgnore)
	try(o.Reference, dupRef)
	return act
}

// DupLink is one link of the duplicated tree: between two duplicates, or
// from a duplicate to a referenced original.
type DupLink struct {
	Orig          *core.Object // the original link
	ChildIsOrigin bool         // the child end is the referenced original
}

// DupPlan lists what a duplicate creates, in creation order.
type DupPlan struct {
	// Objects are the originals to copy, parents before children.
	Objects []*core.Object
	// Copied says which originals are copied (for remapping references).
	Copied map[core.ID]bool
	Links  []DupLink
}

// Total is the number of objects and links created.
func (d *DupPlan) Total() int { return len(d.Objects) + len(d.Links) }

func (d *DupPlan) hash(h hash.Hash) {
	var buf [9]byte
	for _, o := range d.Objects {
		binary.LittleEndian.PutUint64(buf[:8], uint64(o.ID))
		h.Write(buf[:])
	}
	for _, l := range d.Links {
		binary.LittleEndian.PutUint64(buf[:8], uint64(l.Orig.ID))
		buf[8] = 1
		if l.ChildIsOrigin {
			buf[8] = 2
		}
		h.Write(buf[:])
	}
}

// createRank orders creation so that every reference points at an
// existing row: filesets and files, containers and annotations, images and
// plate parts, fields, ROIs and settings, then links.
func createRank(o *core.Object) int {
	switch c := o.Class; {
	case c == core.Fileset, c == core.OriginalFile:
		return 0
	case c == core.Image, c == core.Well, c == core.PlateAcquisition:
		return 2
	case c == core.WellSample, c == core.Roi, c == core.RenderingDef:
		return 3
	case c.IsLink():
		return 4
	}
	return 1
}

// planDuplicate walks the subtree below the targets (spec §4.5): contents,
// plate parts, ROIs, the image owner's rendering settings, annotations and
// their files, applying the class options; the targets are linked to no
// parent. Links to referenced originals must pass the linking rules.
func planDuplicate(g *Graph, env *Env, req Request) *Plan {
	pl := &Plan{Op: core.OpDuplicate, State: newStates(g), g: g}
	dp := &DupPlan{Copied: map[core.ID]bool{}}
	pl.Dup = dp
	a := env.Actor
	block := func(k core.Kind, msg string) { pl.Blockers = append(pl.Blockers, Blocker{k, msg}) }
	readable := func(o *core.Object) bool { return a.CanRead(o.Owner, env.perm(o.Group)) }
	var visit func(o *core.Object)
	visit = func(o *core.Object) {
		if dp.Copied[o.ID] {
			return
		}
		dp.Copied[o.ID] = true
		dp.Objects = append(dp.Objects, o)
		for _, e := range g.children(o) {
			c := e.child
			if !readable(c) {
				continue
			}
			if e.via != nil && decideDup(e.via.Class, req.Dup) == dupIgnore {
				continue
			}
			act := decideDup(c.Class, req.Dup)
			switch {
			case c.Class == core.RenderingDef && c.Owner != o.Owner:
				continue // only the image owner's settings
			case c.Class == core.FileAnnotation && (c.Ref2 == 0 || decideDup(core.OriginalFile, req.Dup) == dupIgnore):
				continue // an attachment without its file is not duplicated (ruling 8)
			case c.Class == core.WellSample && decideDup(core.Image, req.Dup) == dupIgnore:
				continue // a field cannot exist without its image
			case act == dupIgnore:
				continue
			}
			switch e.kind {
			case part:
				if act == dupRef {
					block(core.Invalid, string(c.Class)+" cannot be referenced: it belongs to exactly one parent; use --ignore "+string(c.Class))
					continue
				}
				visit(c)
			case file:
				if act == dupCopy {
					visit(c)
				}
			default: // a link to a child
				dp.Links = append(dp.Links, DupLink{Orig: e.via, ChildIsOrigin: act == dupRef})
				pl.State.Set(e.via.ID, Process)
				if act == dupRef {
					end := core.ObjectPerm{Ref: c.Ref, Owner: c.Owner, Group: env.perm(c.Group)}
					if err := a.CheckLink("duplicate", e.via.Class, a.UserID, end); err != nil {
						block(core.KindOf(err), "the duplicate cannot be linked to "+c.Ref.String()+": "+core.UserMessage(err)+" (ignore the link class, e.g. --ignore "+string(e.via.Class)+")")
					}
					continue
				}
				visit(c)
			}
		}
	}
	for _, t := range req.Targets {
		for _, id := range t.IDs {
			o := g.Get(id)
			if o == nil {
				continue
			}
			if o.Class.IsLink() {
				block(core.Invalid, o.Ref.String()+" is a link: duplicate the objects it joins")
				continue
			}
			if t.SubClass != "" {
				for _, d := range g.descendants(o, t.SubClass) {
					pl.Targets = append(pl.Targets, d.ID)
					visit(d)
				}
				continue
			}
			pl.Targets = append(pl.Targets, o.ID)
			if o.Class == core.Fileset {
				for _, im := range g.imagesOf(o) {
					visit(im)
				}
				continue
			}
			visit(o)
		}
	}
	// Filesets come whole: copied when all their images are.
	seen := map[core.ID]bool{}
	for _, o := range append([]*core.Object(nil), dp.Objects...) {
		if o.Class != core.Image || o.Parent == 0 || seen[o.Parent] {
			continue
		}
		fs := g.Get(o.Parent)
		if fs == nil {
			continue
		}
		seen[fs.ID] = true
		var in, out []*core.Object
		for _, im := range g.imagesOf(fs) {
			if dp.Copied[im.ID] {
				in = append(in, im)
			} else {
				out = append(out, im)
			}
		}
		if len(out) > 0 {
			pl.Review.SplitFilesets = append(pl.Review.SplitFilesets, splitOf(fs, in, out))
			block(core.Conflict, "within "+fs.Ref.String()+" may not duplicate "+refList(in)+" without "+refList(out)+" also (a fileset goes only whole)")
			continue
		}
		dp.Copied[fs.ID] = true
		dp.Objects = append(dp.Objects, fs)
	}
	sort.SliceStable(dp.Objects, func(i, j int) bool { return createRank(dp.Objects[i]) < createRank(dp.Objects[j]) })
	pl.Review.Counts = map[core.Class]int{}
	for _, o := range dp.Objects {
		pl.State.Set(o.ID, Process)
		pl.Review.Counts[o.Class]++
	}
	return pl
}

func splitOf(fs *core.Object, in, out []*core.Object) core.SplitFileset {
	s := core.SplitFileset{Fileset: fs.Ref}
	for _, o := range in {
		s.Selected = append(s.Selected, o.Ref)
	}
	for _, o := range out {
		s.Missing = append(s.Missing, o.Ref)
	}
	return s
}
