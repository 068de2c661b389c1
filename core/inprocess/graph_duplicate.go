package inprocess

import (
	"path"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

// applyDuplicate creates the duplicates (spec §4.5): new objects owned by
// the user who duplicates, in the originals' group, references remapped to
// the duplicates (or left on referenced originals), pixels and channels
// copied, fileset files hard-linked where the file system allows (copied
// otherwise) and attachments copied, all before the rows that name them
// are committed.
func (r *graphRun) applyDuplicate(res *core.GraphResult, pr *progress) error {
	dp, tx, me := r.plan.Dup, r.d.tx, r.d.actor.UserID
	newID := make(map[core.ID]core.ID, len(dp.Objects))
	remap := func(id core.ID) core.ID { return newID[id] }
	suffix := uniqueSuffix()
	for _, o := range dp.Objects {
		c := cloneObject(o)
		c.Owner = me
		c.Parent, c.Child, c.Ref2 = remap(o.Parent), remap(o.Child), remap(o.Ref2)
		switch o.Class {
		case core.FileAnnotation:
			if c.Ref2 == 0 {
				c.Ref2 = o.Ref2 // --reference OriginalFile: share the original file
			}
		case core.OriginalFile:
			if err := r.dupAttachmentFile(o, c, suffix); err != nil {
				return err
			}
		case core.Fileset:
			if tp := o.Attr("templatePrefix"); tp != "" {
				c.SetAttr("templatePrefix", dupPrefix(tp, suffix))
			}
		}
		if err := tx.CreateObject(c); err != nil {
			return core.E(r.op, err)
		}
		newID[o.ID] = c.ID
		switch o.Class {
		case core.Fileset:
			if err := r.dupFilesetFiles(o, c, suffix); err != nil {
				return err
			}
		case core.Image:
			if err := r.dupPixels(o.ID, c.ID); err != nil {
				return err
			}
		}
		res.Duplicates = append(res.Duplicates, core.DuplicatePair{Original: o.Ref, Copy: c.Ref})
		pr.step()
	}
	for _, l := range dp.Links {
		c := cloneObject(l.Orig)
		c.Owner = me
		c.Parent, c.Child = newID[l.Orig.Parent], newID[l.Orig.Child]
		if l.ChildIsOrigin {
			c.Child = l.Orig.Child
		}
		if c.Parent == 0 || c.Child == 0 {
			continue
		}
		if err := tx.CreateObject(c); err != nil {
			return core.E(r.op, err)
		}
		res.Duplicates = append(res.Duplicates, core.DuplicatePair{Original: l.Orig.Ref, Copy: c.Ref})
		pr.step()
	}
	res.FilesLinked, res.FilesCopied = r.files.linked, r.files.copied
	return nil
}

// dupPrefix is the folder of a duplicated fileset: a sibling of the
// original's ("2026-11/24/12-00-00.000" becomes "2026-11/24/12-00-00.000-dup-1f2e3d4c").
func dupPrefix(tp, suffix string) string {
	tp = strings.TrimSuffix(tp, "/")
	if tp == "" || tp == "." {
		return "dup-" + suffix
	}
	return tp + "-dup-" + suffix
}

// dupFilesetFiles hard-links (or copies) every file of the original fileset
// into the duplicate's folder and records the new entries.
func (r *graphRun) dupFilesetFiles(orig, dup *core.Object, suffix string) error {
	es, err := r.d.tx.FilesetEntries(orig.ID)
	if err != nil {
		return err
	}
	tp := strings.TrimSuffix(orig.Attr("templatePrefix"), "/")
	for _, e := range es {
		var nrel string
		switch {
		case tp != "" && tp != "." && strings.HasPrefix(e.RepoPath, tp+"/"):
			nrel = dupPrefix(tp, suffix) + "/" + strings.TrimPrefix(e.RepoPath, tp+"/")
		case tp == "" || tp == ".":
			nrel = path.Join("dup-"+suffix, e.RepoPath)
		default:
			nrel = dupPath(e.RepoPath, suffix)
		}
		src, ok1 := r.files.managedPath(e.RepoPath)
		dst, ok2 := r.files.managedPath(nrel)
		if !ok1 || !ok2 {
			return core.Errorf(r.op, core.Invalid, "%s names %q, which is not a path inside the managed repository", orig.Ref, e.RepoPath)
		}
		if err := r.files.linkOrCopy(src, dst); err != nil {
			return core.E(r.op, core.IO, "cannot link or copy "+e.RepoPath+" for the duplicate", err)
		}
		e.Fileset, e.RepoPath = dup.ID, nrel
		if err := r.d.tx.AddFilesetEntry(e); err != nil {
			return core.E(r.op, err)
		}
	}
	return nil
}

// dupAttachmentFile copies an attachment's file (attachments are copied,
// never linked: spec §4.5).
func (r *graphRun) dupAttachmentFile(orig, dup *core.Object, suffix string) error {
	rel := orig.Attr("path")
	if rel == "" {
		return nil
	}
	src, ok := r.files.repoPath(rel)
	if !ok {
		return core.Errorf(r.op, core.Invalid, "%s names %q, which is not a path inside the repository", orig.Ref, rel)
	}
	nrel := dupPath(rel, suffix)
	dst, _ := r.files.repoPath(nrel)
	if err := r.files.copyFile(src, dst); err != nil {
		return core.E(r.op, core.IO, "cannot copy the attached file "+orig.Name, err)
	}
	dup.SetAttr("path", nrel)
	return nil
}

func (r *graphRun) dupPixels(orig, dup core.ID) error {
	p, err := r.d.tx.Pixels(orig)
	if core.Is(core.NotFound, err) {
		return nil // an image registered without pixels (tests, demo data)
	}
	if err != nil {
		return err
	}
	p.Image = dup
	if err := r.d.tx.SetPixels(p); err != nil {
		return err
	}
	chs, err := r.d.tx.Channels(orig)
	if err != nil {
		return err
	}
	if len(chs) > 0 {
		return r.d.tx.SetChannels(dup, chs)
	}
	return nil
}
