package inprocess

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/pixel"
)

// ManagedDirName is the folder of a repository that holds imported files,
// one folder per fileset (OMERO's ManagedRepository).
const ManagedDirName = "ManagedRepository"

// ManagedDir implements core.Importer: the app layer places fileset files
// below it before registering them.
func (s *session) ManagedDir() string {
	return filepath.Join(s.svc.store.Dir(), ManagedDirName)
}

// RegisterFileset implements core.Importer. The files are already in the
// managed repository; this checks who may import what where, then creates
// the fileset, its images with their pixels and channels, and the dataset
// links or the plate layout in one transaction, so an error registers
// nothing.
func (s *session) RegisterFileset(ctx context.Context, req core.FilesetImport) (core.ImportResult, error) {
	const op = "import"
	var res core.ImportResult
	if err := validateImport(op, req); err != nil {
		return res, err
	}
	managed := s.ManagedDir()
	// A registration only adds rows of its own and links to its target,
	// which only non-shared writes (delete, move) change: it may run beside
	// comments, links and other imports (core.WriteHint.Shared).
	err := s.writeShared(ctx, func(d *ctxData) error {
		owner, err := s.importOwner(op, d, req.Owner)
		if err != nil {
			return err
		}
		imp := &importer{op: op, d: d, owner: owner, group: s.group, managed: managed}
		res, err = imp.run(req)
		return err
	})
	if err != nil {
		return core.ImportResult{}, err
	}
	return res, nil
}

// importOwner checks that the caller may import into the session's group and
// returns who will own the data: the caller, or the user named by owner when
// an administrator imports on their behalf.
func (s *session) importOwner(op string, d *ctxData, owner core.ID) (core.ID, error) {
	a := d.actor
	if a.Guest {
		return 0, core.Errorf(op, core.Permission, "the guest account cannot import")
	}
	g, ok := d.groups[s.group]
	if !ok || (!a.IsMember(s.group) && !a.Admin) {
		return 0, core.ErrNotFound(op, core.Ref{Class: core.ClassExperimenterGroup, ID: s.group})
	}
	if g.ID == core.UserGroupID || g.ID == core.GuestGroupID {
		return 0, core.Errorf(op, core.Invalid, "nothing can be imported into the %q group; switch to one of your groups", g.Name)
	}
	if owner == core.AnyID || owner == a.UserID {
		return a.UserID, nil
	}
	if !a.Has(core.PrivWriteOwned) && !a.Has(core.PrivSudo) {
		if owner == core.RootUserID {
			return 0, core.Errorf(op, core.Permission, "only an administrator with WriteOwned or Sudo can import data for another user (Owner 0 is root; use core.AnyID to import as yourself)")
		}
		return 0, core.Errorf(op, core.Permission, "only an administrator with WriteOwned or Sudo can import data for another user")
	}
	e, err := d.tx.Experimenter(owner)
	if err != nil {
		if core.Is(core.NotFound, err) {
			return 0, core.Errorf(op, core.NotFound, "user %d not found: cannot import on their behalf", owner)
		}
		return 0, err
	}
	ms, err := d.tx.Memberships(owner)
	if err != nil {
		return 0, err
	}
	if !hasGroup(ms, core.UserGroupID) {
		return 0, core.Errorf(op, core.Invalid, "the account %q is disabled; data cannot be imported in its name", e.Username)
	}
	if !hasGroup(ms, g.ID) {
		return 0, core.Errorf(op, core.Invalid, "%s is not a member of %q; switch to one of their groups to import on their behalf", e.FullName(), g.Name)
	}
	return owner, nil
}

// validateImport checks the request's shape before any database work.
func validateImport(op string, req core.FilesetImport) error {
	if len(req.Images) == 0 {
		return core.Errorf(op, core.Invalid, "the fileset has no images to register")
	}
	if len(req.Files) == 0 {
		return core.Errorf(op, core.Invalid, "the fileset has no files")
	}
	for i, f := range req.Files {
		if err := checkRepoPath(f.RepoPath); err != nil {
			return core.Errorf(op, core.Invalid, "file %d (%s): %s", i+1, f.ClientPath, err)
		}
	}
	for i, im := range req.Images {
		if err := checkImage(im); err != nil {
			name := im.Name
			if name == "" {
				name = fmt.Sprintf("image %d", i+1)
			}
			return core.Errorf(op, core.Invalid, "%s: %s", name, err)
		}
	}
	if req.Plate != nil {
		if !req.Dataset.IsZero() {
			return core.Errorf(op, core.Invalid, "a plate goes into a screen, not a dataset; choose a screen as the import target")
		}
		if err := checkPlate(req.Plate, len(req.Images)); err != nil {
			return core.Errorf(op, core.Invalid, "plate %q: %s", req.Plate.Name, err)
		}
	} else if !req.Screen.IsZero() {
		return core.Errorf(op, core.Invalid, "only plates can be imported into a screen; choose a dataset as the target for these images")
	}
	return nil
}

// checkRepoPath accepts a clean, relative, slash-separated path that stays
// inside the managed repository.
func checkRepoPath(p string) error {
	switch {
	case p == "":
		return fmt.Errorf("no repository path")
	case strings.HasPrefix(p, "/") || filepath.IsAbs(p) || strings.Contains(p, "\\"):
		return fmt.Errorf("repository path %q must be relative to the managed repository", p)
	case path.Clean(p) != p || p == "." || p == ".." || strings.HasPrefix(p, "../"):
		return fmt.Errorf("repository path %q is not a clean path inside the managed repository", p)
	}
	return nil
}

var validOrders = map[string]bool{"XYZCT": true, "XYZTC": true, "XYCZT": true, "XYCTZ": true, "XYTZC": true, "XYTCZ": true}

func checkImage(im core.NewImage) error {
	p := im.Pixels
	if p.SizeX < 1 || p.SizeY < 1 || p.SizeZ < 1 || p.SizeC < 1 || p.SizeT < 1 {
		return fmt.Errorf("invalid dimensions X=%d Y=%d Z=%d C=%d T=%d (each must be at least 1)", p.SizeX, p.SizeY, p.SizeZ, p.SizeC, p.SizeT)
	}
	if _, err := pixel.ParseType(p.PixelType); err != nil {
		return err
	}
	if p.DimensionOrder != "" && !validOrders[p.DimensionOrder] {
		return fmt.Errorf("unknown dimension order %q", p.DimensionOrder)
	}
	if len(im.Channels) != 0 && len(im.Channels) != p.SizeC {
		return fmt.Errorf("%d channels described for an image with SizeC=%d", len(im.Channels), p.SizeC)
	}
	return nil
}

func checkPlate(p *core.NewPlate, nImages int) error {
	if p.Rows < 1 || p.Columns < 1 {
		return fmt.Errorf("a plate needs at least one row and one column (got %dx%d)", p.Rows, p.Columns)
	}
	used := map[int]bool{}
	for i, f := range p.Fields {
		switch {
		case f.Row < 0 || f.Row >= p.Rows || f.Column < 0 || f.Column >= p.Columns:
			return fmt.Errorf("field %d is in well row %d column %d, outside the %dx%d plate", i+1, f.Row, f.Column, p.Rows, p.Columns)
		case f.Image < 0 || f.Image >= nImages:
			return fmt.Errorf("field %d names image %d but the fileset has %d images", i+1, f.Image, nImages)
		case used[f.Image]:
			return fmt.Errorf("image %d is placed in more than one field", f.Image)
		case f.Run < -1 || f.Run >= len(p.Runs):
			return fmt.Errorf("field %d names run %d but the plate has %d runs", i+1, f.Run, len(p.Runs))
		}
		used[f.Image] = true
	}
	return nil
}

// importer is one registration inside its transaction.
type importer struct {
	op      string
	d       *ctxData
	owner   core.ID
	group   core.ID
	managed string
	now     time.Time
}

func (im *importer) run(req core.FilesetImport) (core.ImportResult, error) {
	var res core.ImportResult
	d := im.d
	// Resolve the targets first: a refused target registers nothing.
	var dataset, screen *core.Object
	var err error
	if !req.Dataset.IsZero() {
		if dataset, err = im.target(req.Dataset, core.Dataset, core.DatasetImageLink); err != nil {
			return res, err
		}
	}
	if !req.Screen.IsZero() {
		if screen, err = im.target(req.Screen, core.Screen, core.ScreenPlateLink); err != nil {
			return res, err
		}
	}
	if err := im.checkFiles(req.Files); err != nil {
		return res, err
	}

	fs := im.object(core.Fileset, "", 0)
	fs.Name = path.Base(req.Files[0].RepoPath)
	fs.SetAttr("templatePrefix", commonDir(req.Files))
	if err := im.create(fs); err != nil {
		return res, err
	}
	res.Fileset = fs.Ref
	for i, f := range req.Files {
		f.Fileset, f.Index = fs.ID, i
		if f.Transfer == "" {
			f.Transfer = "copy"
		}
		if err := d.tx.AddFilesetEntry(f); err != nil {
			return res, core.E(im.op, err)
		}
	}

	for i, spec := range req.Images {
		img, err := im.image(fs.ID, i, spec)
		if err != nil {
			return res, err
		}
		res.Images = append(res.Images, img.Ref)
		if dataset != nil {
			if err := im.link(core.DatasetImageLink, dataset.ID, img.ID); err != nil {
				return res, err
			}
		}
	}

	if req.Plate != nil {
		plate, wells, err := im.plate(req.Plate, res.Images)
		if err != nil {
			return res, err
		}
		res.Plate, res.Wells = plate.Ref, wells
		if screen != nil {
			if err := im.link(core.ScreenPlateLink, screen.ID, plate.ID); err != nil {
				return res, err
			}
		}
	}
	return res, nil
}

// target loads the dataset or screen the import goes into and checks that
// the caller and the new owner may both link to it.
func (im *importer) target(r core.Ref, class, link core.Class) (*core.Object, error) {
	if r.Class != class {
		return nil, core.Errorf(im.op, core.Invalid, "%s cannot be an import target here; give a %s", r, class)
	}
	d := im.d
	o, err := d.get(im.op, r)
	if err != nil {
		return nil, err
	}
	if o.Group != im.group {
		return nil, core.Errorf(im.op, core.Invalid, "%s is in group %q but the import goes to %q; switch group to import into it",
			r, d.groups[o.Group].Name, d.groups[im.group].Name)
	}
	if err := d.actor.CheckLink(im.op, link, im.owner, d.end(o)); err != nil {
		return nil, err
	}
	if im.owner != d.actor.UserID {
		// The links will be the owner's: they must be allowed to make them too.
		oa, err := loadActor(d.tx, im.owner)
		if err != nil {
			return nil, err
		}
		if !oa.CanRead(o.Owner, d.perm(o.Group)) {
			return nil, core.Errorf(im.op, core.Permission, "%s cannot see %s, so their data cannot be imported into it", d.ownerName(im.owner), r)
		}
		if err := oa.CheckLink(im.op, link, im.owner, d.end(o)); err != nil {
			return nil, core.Errorf(im.op, core.Permission, "%s may not add to %s: %s", d.ownerName(im.owner), r, core.UserMessage(err))
		}
	}
	return o, nil
}

// checkFiles makes sure every file the fileset names is in place, so a
// registered image never points at nothing.
func (im *importer) checkFiles(files []core.FilesetEntry) error {
	seen := map[string]bool{}
	for _, f := range files {
		if seen[f.RepoPath] {
			return core.Errorf(im.op, core.Invalid, "%s is listed twice in the fileset", f.RepoPath)
		}
		seen[f.RepoPath] = true
		st, err := os.Stat(filepath.Join(im.managed, filepath.FromSlash(f.RepoPath)))
		if err != nil || !st.Mode().IsRegular() {
			return core.Errorf(im.op, core.Invalid, "%s is not in the managed repository; copy the file there before registering it", f.RepoPath)
		}
		if f.Size != st.Size() {
			return core.Errorf(im.op, core.Invalid, "%s has %d bytes in the managed repository but the import says %d; the copy is incomplete", f.RepoPath, st.Size(), f.Size)
		}
	}
	return nil
}

func (im *importer) object(class core.Class, name string, parent core.ID) *core.Object {
	if im.now.IsZero() {
		im.now = time.Now().UTC().Truncate(time.Millisecond)
	}
	return &core.Object{Ref: core.Ref{Class: class}, Name: name, Parent: parent,
		Details: core.Details{Owner: im.owner, Group: im.group, Created: im.now, Updated: im.now}}
}

func (im *importer) create(o *core.Object) error {
	if err := im.d.tx.CreateObject(o); err != nil {
		return core.E(im.op, err)
	}
	return nil
}

func (im *importer) link(class core.Class, parent, child core.ID) error {
	l := im.object(class, "", parent)
	l.Child = child
	return im.create(l)
}

// image creates one image inside the fileset with its pixels and channels.
func (im *importer) image(fileset core.ID, i int, spec core.NewImage) (*core.Object, error) {
	o := im.object(core.Image, spec.Name, fileset)
	o.Description = spec.Description
	for k, v := range spec.Attrs {
		o.SetAttr(k, v)
	}
	o.SetAttr("series", spec.Pixels.Series)
	if !spec.AcquisitionDate.IsZero() {
		o.SetAttr("acquisitionDate", spec.AcquisitionDate.UTC().Format(time.RFC3339Nano))
	}
	if err := im.create(o); err != nil {
		return nil, err
	}
	p := spec.Pixels
	p.Image = o.ID
	if p.DimensionOrder == "" {
		p.DimensionOrder = "XYZCT"
	}
	if err := im.d.tx.SetPixels(p); err != nil {
		return nil, core.E(im.op, err)
	}
	chs := make([]core.ChannelInfo, p.SizeC)
	for c := range chs {
		if c < len(spec.Channels) {
			chs[c] = spec.Channels[c]
		}
		chs[c].Index = c
	}
	if err := im.d.tx.SetChannels(o.ID, chs); err != nil {
		return nil, core.E(im.op, err)
	}
	if len(spec.Rendering) > 0 {
		var settings any
		if err := json.Unmarshal(spec.Rendering, &settings); err != nil {
			return nil, core.Errorf(im.op, core.Invalid, "image %d has unreadable rendering settings: %v", i+1, err)
		}
		rdef := im.object(core.RenderingDef, "", o.ID)
		rdef.SetAttr("settings", settings)
		if err := im.create(rdef); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// plate creates the plate, its runs, the wells that hold fields and one
// well sample per field.
func (im *importer) plate(np *core.NewPlate, images []core.Ref) (*core.Object, []core.Ref, error) {
	plate := im.object(core.Plate, np.Name, 0)
	plate.SetAttr("rows", np.Rows)
	plate.SetAttr("columns", np.Columns)
	if np.RowNamingConvention != "" {
		plate.SetAttr("rowNamingConvention", np.RowNamingConvention)
	}
	if np.ColNamingConvention != "" {
		plate.SetAttr("columnNamingConvention", np.ColNamingConvention)
	}
	if err := im.create(plate); err != nil {
		return nil, nil, err
	}
	runs := make([]core.ID, len(np.Runs))
	for i, name := range np.Runs {
		r := im.object(core.PlateAcquisition, name, plate.ID)
		if err := im.create(r); err != nil {
			return nil, nil, err
		}
		runs[i] = r.ID
	}
	// Wells in row-major order, one per position that holds a field.
	type pos struct{ row, col int }
	var order []pos
	byPos := map[pos][]core.NewField{}
	for _, f := range np.Fields {
		k := pos{f.Row, f.Column}
		if _, ok := byPos[k]; !ok {
			order = append(order, k)
		}
		byPos[k] = append(byPos[k], f)
	}
	sort.Slice(order, func(i, j int) bool {
		if order[i].row != order[j].row {
			return order[i].row < order[j].row
		}
		return order[i].col < order[j].col
	})
	var wells []core.Ref
	for _, k := range order {
		w := im.object(core.Well, "", plate.ID)
		w.SetAttr("row", k.row)
		w.SetAttr("column", k.col)
		if err := im.create(w); err != nil {
			return nil, nil, err
		}
		wells = append(wells, w.Ref)
		for _, f := range byPos[k] {
			ws := im.object(core.WellSample, "", w.ID)
			ws.Child = images[f.Image].ID
			if f.Run >= 0 {
				ws.Ref2 = runs[f.Run]
			}
			ws.SetAttr("positionX", f.PositionX)
			ws.SetAttr("positionY", f.PositionY)
			if err := im.create(ws); err != nil {
				return nil, nil, err
			}
		}
	}
	return plate, wells, nil
}

// commonDir is the folder shared by every file of the fileset, with a
// trailing slash (OMERO's templatePrefix).
func commonDir(files []core.FilesetEntry) string {
	dir := path.Dir(files[0].RepoPath)
	for _, f := range files[1:] {
		for dir != "." && !strings.HasPrefix(f.RepoPath, dir+"/") {
			dir = path.Dir(dir)
		}
	}
	if dir == "." {
		return ""
	}
	return dir + "/"
}
