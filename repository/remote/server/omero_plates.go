package server

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/omejson"
)

// routesOMEROPlates registers plates, wells and runs (PlateAcquisition).
func (s *Server) routesOMEROPlates(m string) {
	s.omero("GET "+m+"plates/{$}", (*api).plates)
	s.omero("GET "+m+"plates/{plate}/{$}", a1(core.Plate, (*api).getPlate))
	s.omero("DELETE "+m+"plates/{plate}/{$}", notAllowed)
	s.omero("GET "+m+"plates/{plate}/wells/{$}", a1(core.Plate, func(a *api, p core.Ref) error {
		return a.plateWells(p, func(pr *plateRead, w core.ObjectView) []core.ObjectView { return pr.samples[w.ID] })
	}))
	s.omero("GET "+m+"plates/{plate}/wellsampleindex/{index}/wells/{$}", a1(core.Plate, func(a *api, p core.Ref) error {
		return a.fieldWells(p, 0)
	}))
	s.omero("GET "+m+"plates/{plate}/plateacquisitions/{$}", a1(core.Plate, func(a *api, p core.Ref) error {
		return a.containers(nil, func() (listing, error) {
			pr, err := a.readPlate(p)
			if pr == nil || err != nil {
				return listing{}, err
			}
			return listing{views: pr.runs}, nil
		})
	}))
	s.omero("GET "+m+"plates/{plate}/screens/{$}", a1(core.Plate, func(a *api, p core.Ref) error {
		return a.containers(nil, func() (listing, error) { return a.parentsVia(core.ScreenPlateLink, p, core.Screen) })
	}))

	s.omero("GET "+m+"plateacquisitions/{plateacquisition}/{$}", a1(core.PlateAcquisition, func(a *api, r core.Ref) error {
		v, err := a.get(r)
		if err != nil {
			return err
		}
		a.loadOwners([]core.ObjectView{v})
		return a.writeOne(http.StatusOK, a.enc.Object(v))
	}))
	s.omero("GET "+m+"plateacquisitions/{plateacquisition}/wells/{$}", a1(core.PlateAcquisition, func(a *api, r core.Ref) error {
		run, err := a.get(r)
		if core.Is(core.NotFound, err) {
			return a.writeList(nil, 0)
		}
		if err != nil {
			return err
		}
		pr, err := a.readPlate(core.Ref{Class: core.Plate, ID: run.Parent})
		if err != nil {
			return err
		}
		if pr == nil {
			return a.writeList(nil, 0)
		}
		pick := func(pr *plateRead, w core.ObjectView) []core.ObjectView { return inRun(pr.samples[w.ID], run.ID) }
		// Only the wells the run imaged, as OMERO's query by run finds.
		wells := slices.DeleteFunc(slices.Clone(pr.wells), func(w core.ObjectView) bool { return len(pick(pr, w)) == 0 })
		return a.encodeWells(pr, wells, pick)
	}))
	s.omero("GET "+m+"plateacquisitions/{plateacquisition}/wellsampleindex/{index}/wells/{$}", a1(core.PlateAcquisition, func(a *api, r core.Ref) error {
		run, err := a.get(r)
		if core.Is(core.NotFound, err) {
			return a.writeList(nil, 0)
		}
		if err != nil {
			return err
		}
		return a.fieldWells(core.Ref{Class: core.Plate, ID: run.Parent}, run.ID)
	}))

	s.omero("GET "+m+"wells/{$}", (*api).wells)
	s.omero("GET "+m+"wells/{well}/{$}", a1(core.Well, (*api).getWell))
	s.omero("GET "+m+"wells/{well}/plates/{$}", a1(core.Well, func(a *api, w core.Ref) error {
		return a.containers(nil, func() (listing, error) { return a.plateOfWell(w) })
	}))
}

// plates is GET m/plates/ with its filters screen=, well= and orphaned=true.
func (a *api) plates() error {
	if sc, ok, err := a.idParam("screen"); err != nil || ok {
		return a.containers(err, func() (listing, error) { return a.childrenOf(core.Ref{Class: core.Screen, ID: sc}) })
	}
	if w, ok, err := a.idParam("well"); err != nil || ok {
		return a.containers(err, func() (listing, error) { return a.plateOfWell(core.Ref{Class: core.Well, ID: w}) })
	}
	if a.opts.orphaned {
		return a.containers(nil, func() (listing, error) { return a.orphans(core.Plate) })
	}
	return a.containers(nil, func() (listing, error) { return a.list(core.Plate) })
}

// plateOfWell lists the plate holding a well (none for a hidden well).
func (a *api) plateOfWell(w core.Ref) (listing, error) {
	well, err := a.get(w)
	if core.Is(core.NotFound, err) {
		return listing{}, nil
	}
	if err != nil {
		return listing{}, err
	}
	p, err := a.get(core.Ref{Class: core.Plate, ID: well.Parent})
	if core.Is(core.NotFound, err) {
		return listing{}, nil
	}
	return listing{views: []core.ObjectView{p}}, err
}

// plateRead is what core's Browse with Fields gives of one plate: its
// runs, wells, each well's fields (ordered by ID, so a field's index is
// stable) and the fields' images, all as the caller may see them.
type plateRead struct {
	plate   core.ObjectView
	runs    []core.ObjectView
	wells   []core.ObjectView
	samples map[core.ID][]core.ObjectView
	objs    map[core.ID]core.ObjectView // images and runs by ID
}

// readPlate reads a plate in one Browse; a hidden or missing plate gives
// nil and no error (it has nothing to list).
func (a *api) readPlate(ref core.Ref) (*plateRead, error) {
	p, err := a.get(ref)
	if core.Is(core.NotFound, err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	vs, err := a.sess.Browse(a.r.Context(), core.BrowseRequest{Group: p.Group, Owner: core.AnyID, Parent: ref, Fields: true})
	if err != nil {
		return nil, err
	}
	pr := &plateRead{plate: p, samples: map[core.ID][]core.ObjectView{}, objs: map[core.ID]core.ObjectView{}}
	for _, v := range vs {
		switch v.Class {
		case core.Well:
			pr.wells = append(pr.wells, v)
		case core.WellSample:
			pr.samples[v.Parent] = append(pr.samples[v.Parent], v)
		case core.PlateAcquisition:
			pr.runs = append(pr.runs, v)
			pr.objs[v.ID] = v
		case core.Image:
			pr.objs[v.ID] = v
		}
	}
	sortWells(pr.wells)
	sortByName(pr.runs)
	for _, ss := range pr.samples {
		slices.SortFunc(ss, func(x, y core.ObjectView) int { return cmp.Compare(x.ID, y.ID) })
	}
	return pr, nil
}

// sortWells orders wells as OMERO does: by column, then row.
func sortWells(ws []core.ObjectView) {
	slices.SortStableFunc(ws, func(x, y core.ObjectView) int {
		if c := cmp.Compare(x.AttrInt("column"), y.AttrInt("column")); c != 0 {
			return c
		}
		if c := cmp.Compare(x.AttrInt("row"), y.AttrInt("row")); c != 0 {
			return c
		}
		return cmp.Compare(x.ID, y.ID)
	})
}

// fields pairs samples with their images and runs; with pixels, each
// image's Pixels are read too (a single well's images carry them).
func (a *api) fields(pr *plateRead, samples []core.ObjectView, pixels bool) ([]omejson.Field, error) {
	out := make([]omejson.Field, 0, len(samples))
	for _, s := range samples {
		f := omejson.Field{Sample: s}
		if im, ok := pr.objs[s.Child]; ok && im.Class == core.Image {
			f.Image = &im
			if pixels {
				p, _, err := a.sess.ImageDetails(a.r.Context(), im.Ref)
				if err == nil {
					f.Pixels = &p
				} else if !core.Is(core.NotFound, err) {
					return nil, err
				}
			}
		}
		if run, ok := pr.objs[s.Ref2]; ok && run.Class == core.PlateAcquisition {
			f.Run = &run
		}
		out = append(out, f)
	}
	return out, nil
}

// inRun keeps the samples of one run.
func inRun(ss []core.ObjectView, run core.ID) []core.ObjectView {
	var out []core.ObjectView
	for _, s := range ss {
		if s.Ref2 == run {
			out = append(out, s)
		}
	}
	return out
}

// plateWells lists a plate's wells, each with the samples pick chooses.
func (a *api) plateWells(p core.Ref, pick func(pr *plateRead, w core.ObjectView) []core.ObjectView) error {
	pr, err := a.readPlate(p)
	if err != nil {
		return err
	}
	if pr == nil {
		return a.writeList(nil, 0)
	}
	return a.encodeWells(pr, pr.wells, pick)
}

func (a *api) encodeWells(pr *plateRead, wells []core.ObjectView, pick func(pr *plateRead, w core.ObjectView) []core.ObjectView) error {
	return a.answer(listing{views: wells, counted: true}, func(w core.ObjectView) (omejson.M, error) {
		fs, err := a.fields(pr, pick(pr, w), false)
		if err != nil {
			return nil, err
		}
		a.loadOwners(fieldViews(fs))
		return a.enc.Well(w, fs), nil
	})
}

// fieldViews lists the objects a well's fields name, for loadOwners.
func fieldViews(fs []omejson.Field) []core.ObjectView {
	var out []core.ObjectView
	for _, f := range fs {
		out = append(out, f.Sample)
		if f.Image != nil {
			out = append(out, *f.Image)
		}
		if f.Run != nil {
			out = append(out, *f.Run)
		}
	}
	return out
}

// fieldWells is .../wellsampleindex/{index}/wells/: each well with only
// its index-th field (of the run, when run is set), wells without one
// left out.
func (a *api) fieldWells(p core.Ref, run core.ID) error {
	idx, err := strconv.Atoi(a.r.PathValue("index"))
	if err != nil || idx < 0 {
		return core.Errorf("", core.Invalid, "the well sample index must be a whole number of 0 or more")
	}
	pr, err := a.readPlate(p)
	if err != nil {
		return err
	}
	if pr == nil {
		return a.writeList(nil, 0)
	}
	pick := func(pr *plateRead, w core.ObjectView) []core.ObjectView {
		ss := pr.samples[w.ID]
		if run != 0 {
			ss = inRun(ss, run)
		}
		if idx < len(ss) {
			return ss[idx : idx+1]
		}
		return nil
	}
	var wells []core.ObjectView
	for _, w := range pr.wells {
		if len(pick(pr, w)) > 0 {
			wells = append(wells, w)
		}
	}
	return a.encodeWells(pr, wells, pick)
}

// getPlate answers one plate with the range of its field indexes and the
// URL of each field's wells, as OMERO's plate does.
func (a *api) getPlate(ref core.Ref) error {
	pr, err := a.readPlate(ref)
	if err != nil {
		return err
	}
	if pr == nil {
		return notFound(ref)
	}
	a.loadOwners([]core.ObjectView{pr.plate})
	m := a.enc.Object(pr.plate)
	most := 0
	for _, ss := range pr.samples {
		most = max(most, len(ss))
	}
	if most > 0 {
		m["omero:wellsampleIndex"] = []int{0, most - 1}
		urls := make([]string, most)
		for i := range urls {
			urls[i] = a.enc.URL("m/plates/" + strconv.FormatInt(int64(ref.ID), 10) + "/wellsampleindex/" + strconv.Itoa(i) + "/wells/")
		}
		m["url:wellsampleindex_wells"] = urls
	}
	return a.writeOne(http.StatusOK, m)
}

// wells is GET m/wells/ (filter plate=): the page's plates are read once
// each for the wells' fields.
func (a *api) wells() error {
	if p, ok, err := a.idParam("plate"); err != nil || ok {
		if err != nil {
			return err
		}
		return a.plateWells(core.Ref{Class: core.Plate, ID: p}, func(pr *plateRead, w core.ObjectView) []core.ObjectView { return pr.samples[w.ID] })
	}
	l, err := a.list(core.Well)
	if err != nil {
		return err
	}
	sortWells(l.views)
	plates := map[core.ID]*plateRead{}
	return a.answer(l, func(w core.ObjectView) (omejson.M, error) {
		pr, ok := plates[w.Parent]
		if !ok {
			if pr, err = a.readPlate(core.Ref{Class: core.Plate, ID: w.Parent}); err != nil {
				return nil, err
			}
			plates[w.Parent] = pr
		}
		var fs []omejson.Field
		if pr != nil {
			if fs, err = a.fields(pr, pr.samples[w.ID], false); err != nil {
				return nil, err
			}
		}
		a.loadOwners(fieldViews(fs))
		return a.enc.Well(w, fs), nil
	})
}

// getWell answers one well with its fields' images and their Pixels.
func (a *api) getWell(ref core.Ref) error {
	w, err := a.get(ref)
	if err != nil {
		return err
	}
	pr, err := a.readPlate(core.Ref{Class: core.Plate, ID: w.Parent})
	if err != nil {
		return err
	}
	var fs []omejson.Field
	if pr != nil {
		if fs, err = a.fields(pr, pr.samples[w.ID], true); err != nil {
			return err
		}
	}
	a.loadOwners(append(fieldViews(fs), w))
	return a.writeOne(http.StatusOK, a.enc.Well(w, fs))
}
