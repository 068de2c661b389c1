package demo

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"time"

	"github.com/ocular-lab/ocular/core"
)

// populate gives one user their copy of the training data in the
// read-annotate group. root creates everything in the user's name (root
// holds WriteOwned), so the objects, links and filesets are the user's own,
// exactly as if they had imported the files themselves.
func (b *builder) populate(ctx context.Context, idx int, u User, base time.Time) error {
	owner := strconv.FormatInt(int64(u.ID), 10)
	create := func(class core.Class, fields map[string]string) (core.ObjectView, error) {
		fields["owner"] = owner
		return b.root.Create(ctx, class, fields)
	}
	link := func(class core.Class, parent, child core.Ref) error {
		_, err := create(class, map[string]string{"parent": parent.String(), "child": child.String()})
		return err
	}

	project, err := create(core.Project, map[string]string{"name": ProjectName,
		"description": "The training data: rename the channels (457 → DAPI, 528 → GFP, 617 → Aurora-B, 685 → CY-6), tag, rate and share."})
	if err != nil {
		return err
	}
	dsRef := map[string]core.Ref{}
	for _, d := range datasets {
		ds, err := create(core.Dataset, map[string]string{"name": d.name, "description": d.description})
		if err != nil {
			return err
		}
		if err := link(core.ProjectDatasetLink, project.Ref, ds.Ref); err != nil {
			return err
		}
		dsRef[d.name] = ds.Ref
	}
	screen, err := create(core.Screen, map[string]string{"name": ScreenName, "description": "A 2×3-well plate, two fields per well, one run."})
	if err != nil {
		return err
	}

	images := map[string]core.Ref{}
	for k, fs := range b.cat {
		when := base.Add(time.Duration(idx*len(b.cat)+k)*time.Second + time.Duration(k*137)*time.Millisecond)
		res, err := b.importFileset(ctx, u, fs, when, dsRef[fs.dataset], screen.Ref)
		if err != nil {
			return err
		}
		for i, im := range fs.images {
			images[im.file] = res.Images[i]
		}
	}

	// A little annotation, so the right-hand panel has something to show.
	tag, err := create(core.TagAnnotation, map[string]string{"textValue": "mitosis", "description": "Cells in division"})
	if err != nil {
		return err
	}
	if err := link(core.DatasetAnnotationLink, dsRef["Mitosis"], tag.Ref); err != nil {
		return err
	}
	if err := link(core.ImageAnnotationLink, images["mitosis-1.ome.tiff"], tag.Ref); err != nil {
		return err
	}
	comment, err := create(core.CommentAnnotation, map[string]string{"textValue": "Two metaphase plates near the centre; best seen in channel 617 at Z 4."})
	if err != nil {
		return err
	}
	if err := link(core.ImageAnnotationLink, images["mitosis-1.ome.tiff"], comment.Ref); err != nil {
		return err
	}
	rating, err := create(core.LongAnnotation, map[string]string{"ns": core.RatingNamespace, "longValue": "4"})
	if err != nil {
		return err
	}
	return link(core.ImageAnnotationLink, images["overview-1.ome.tiff"], rating.Ref)
}

// importFileset places one fileset's files in the user's folder of the
// managed repository, as OMERO's template names it
// (user_id/yyyy-mm/dd/hh-mm-ss.sss/), and registers them.
func (b *builder) importFileset(ctx context.Context, u User, fs filesetSpec, when time.Time, dataset, screen core.Ref) (core.ImportResult, error) {
	rel := path.Join(fmt.Sprintf("%s_%d", u.Username, u.ID), when.Format("2006-01"), when.Format("02"), when.Format("15-04-05.000"))
	dir := filepath.Join(b.managed, filepath.FromSlash(rel))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return core.ImportResult{}, core.E(b.op, core.IO, "cannot create the fileset folder", err)
	}
	req := core.FilesetImport{Owner: u.ID, Dataset: dataset}
	var names []string
	if fs.plate {
		// The companion first: it is the file a reader opens.
		names = append(names, companionName)
		_, req.Plate = plateLayout(fs, acquired)
		req.Screen = screen
	}
	for i, im := range fs.images {
		names = append(names, im.file)
		ni := newImage(im.series(acquired))
		if fs.plate {
			ni.Pixels.Series = i
		}
		req.Images = append(req.Images, ni)
	}
	for _, name := range names {
		mf, ok := b.files[name]
		if !ok {
			return core.ImportResult{}, core.Errorf(b.op, core.Internal, "the training file %s was not written", name)
		}
		transfer, err := linkOrCopy(mf.path, filepath.Join(dir, name))
		if err != nil {
			return core.ImportResult{}, core.E(b.op, core.IO, fmt.Sprintf("cannot place %s in the managed repository", name), err)
		}
		if b.transfer == "" || transfer == "copy" {
			b.transfer = transfer
		}
		req.Files = append(req.Files, core.FilesetEntry{ClientPath: "training/" + name, RepoPath: path.Join(rel, name),
			Size: mf.size, SHA256: mf.sha256, Transfer: transfer})
	}
	return b.root.RegisterFileset(ctx, req)
}
