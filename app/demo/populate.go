package demo

import (
	"context"
	"strconv"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/core"
)

// populate gives one user their copy of the training data in the
// read-annotate group. root creates everything in the user's name (root
// holds WriteOwned), so the objects, links and filesets are the user's own,
// exactly as if they had imported the files themselves.
func (b *builder) populate(ctx context.Context, u User) error {
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
	for _, fs := range b.cat {
		res, err := b.importFileset(ctx, u, fs, dsRef[fs.dataset], screen.Ref)
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

// importFileset imports one fileset of the training set for user u through
// the import pipeline, as if they had imported the files themselves: root
// imports on their behalf, hard-linking the one set of files into the user's
// folder of the managed repository (user_id/yyyy-mm/dd/hh-mm-ss.sss/). The
// pipeline's memo makes every user after the first cost no pixel reading.
func (b *builder) importFileset(ctx context.Context, u User, fs filesetSpec, dataset, screen core.Ref) (core.ImportResult, error) {
	var paths []string
	opts := importer.Options{Owner: u.Username, Transfer: importer.Hardlink, Dataset: dataset}
	if fs.plate {
		// The companion is the file a reader opens; it brings the fields.
		paths = []string{b.files[companionName].path}
		opts.Dataset, opts.Screen = core.Ref{}, screen
	} else {
		for _, im := range fs.images {
			paths = append(paths, b.files[im.file].path)
		}
	}
	sum, err := importer.Run(ctx, b.importer, paths, opts, nil)
	if err != nil {
		return core.ImportResult{}, err
	}
	var res core.ImportResult
	for _, r := range sum.Results {
		res.Fileset, res.Plate = r.Fileset, r.Plate
		res.Images = append(res.Images, r.Images...)
	}
	if len(res.Images) != len(fs.images) {
		return res, core.Errorf(b.op, core.Internal, "the training fileset gave %d images, want %d", len(res.Images), len(fs.images))
	}
	return res, nil
}
