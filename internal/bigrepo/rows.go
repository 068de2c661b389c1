package bigrepo

import (
	"fmt"
	"iter"
	"strconv"
	"time"

	"github.com/ocular-lab/ocular/core"
)

// Millis is a timestamp in milliseconds since 1970; a sink stores it as its
// schema stores created/updated (an integer on SQLite, timestamptz or an
// integer on PostgreSQL).
type Millis int64

// JSON is a JSON document for a column holding one (attrs).
type JSON string

// Table is the rows of one table, streamed: a chunk of 20,000 images is
// 260,000 object rows, which are made as they are written.
type Table struct {
	Name string
	Cols []string
	Rows iter.Seq[[]any]
}

// ObjectCols are the object table's columns, as in both stores' schemas.
var ObjectCols = []string{"id", "class", "owner_id", "group_id", "created", "updated", "name", "description",
	"parent_id", "child_id", "ref2_id", "ns", "text_value", "long_value", "attrs"}

var pixelsCols = []string{"image_id", "size_x", "size_y", "size_z", "size_c", "size_t", "pixel_type",
	"dimension_order", "physical_x", "physical_y", "physical_z", "time_increment", "series", "levels"}

var channelCols = []string{"image_id", "idx", "name", "color", "excitation", "emission", "fluor", "lut",
	"stats_min", "stats_max"}

var filesetEntryCols = []string{"fileset_id", "idx", "client_path", "repo_path", "size", "checksum", "transfer"}

// epoch is when the generated data were "acquired": image i a second later
// than image i-1, so newest-first orders are the reverse of the layout.
var epoch = time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC).UnixMilli()

// obj is one object row; zero IDs are NULL references.
type obj struct {
	id                  int64
	class               core.Class
	owner, group        core.ID
	at                  int64
	name, desc          string
	parent, child, ref2 int64
	ns, text            string
	long                int64
	attrs               string
}

func ref(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func (o obj) row() []any {
	var attrs any
	if o.attrs != "" {
		attrs = JSON(o.attrs)
	}
	return []any{o.id, string(o.class), int64(o.owner), int64(o.group), Millis(o.at), Millis(o.at), o.name, o.desc,
		ref(o.parent), ref(o.child), ref(o.ref2), o.ns, o.text, o.long, attrs}
}

// HeaderTables are the projects, datasets, their links and the shared tags.
func (l *Layout) HeaderTables() []Table {
	return []Table{{Name: "object", Cols: ObjectCols, Rows: func(yield func([]any) bool) {
		for k, p := range l.projects {
			o := obj{id: l.ProjectID(k), class: core.Project, owner: l.People.Users[p.owner].ID,
				group: l.People.DataGroups[p.group].ID, at: epoch, name: fmt.Sprintf("Project %03d", k),
				desc: "generated screen of " + strconv.Itoa(len(p.datasets)) + " datasets"}
			if k == 0 {
				o.name = "Project 000 (moved by the benchmarks)"
			}
			if !yield(o.row()) {
				return
			}
		}
		for d, k := range l.datasetProject {
			p := l.projects[k]
			owner, group := l.People.Users[p.owner].ID, l.People.DataGroups[p.group].ID
			if !yield(obj{id: l.DatasetID(d), class: core.Dataset, owner: owner, group: group, at: epoch,
				name: fmt.Sprintf("Dataset %03d", d)}.row()) {
				return
			}
		}
		for d, k := range l.datasetProject {
			p := l.projects[k]
			owner, group := l.People.Users[p.owner].ID, l.People.DataGroups[p.group].ID
			if !yield(obj{id: l.pdLinkID(d), class: core.ProjectDatasetLink, owner: owner, group: group, at: epoch,
				parent: l.ProjectID(k), child: l.DatasetID(d)}.row()) {
				return
			}
		}
		for g, dg := range l.People.DataGroups {
			for t := range TagsPerGroup {
				if !yield(obj{id: l.TagID(g, t), class: core.TagAnnotation, owner: l.People.Users[dg.Users[0]].ID,
					group: dg.ID, at: epoch, text: "tag" + strconv.Itoa(t)}.row()) {
					return
				}
			}
		}
	}}}
}

var comments = []string{"out of focus at the edges", "nice mitosis in the upper half", "bleached in the second channel", "reimage at 63x"}

// ImageTables are the rows of images [from, to): objects first (the other
// tables refer to them), then pixels, channels and fileset entries.
func (l *Layout) ImageTables(from, to int) []Table {
	objects := func(yield func([]any) bool) {
		for i := from; i < to; i++ {
			p := l.projectOf(i)
			g := p.group
			owner, group := l.People.Users[p.owner].ID, l.People.DataGroups[g].ID
			at := epoch + int64(i)*1000
			mk := func(s int, class core.Class) obj {
				return obj{id: l.slot(i, s), class: class, owner: owner, group: group, at: at}
			}
			img := l.ImageID(i)
			link := func(s int, child int64) []any {
				o := mk(s, core.ImageAnnotationLink)
				o.parent, o.child = img, child
				return o.row()
			}
			fs := mk(0, core.Fileset)
			fs.name = fmt.Sprintf("cell_%07d.tif", i)
			fs.attrs = fmt.Sprintf(`{"templatePrefix":"gen/%d/%07d"}`, owner, i)
			im := mk(1, core.Image)
			im.name = fmt.Sprintf("cell %07d well %c%d", i, 'A'+i%8, i%12+1)
			im.desc = "confocal stack"
			im.parent = fs.id
			im.attrs = `{"series":0}`
			dl := mk(2, core.DatasetImageLink)
			dl.parent, dl.child = l.DatasetID(l.DatasetOf(i)), img
			rows := [][]any{fs.row(), im.row(), dl.row()}
			for j := range TagsPerImage {
				rows = append(rows, link(3+j, l.TagID(g, (i*TagsPerImage+j)%TagsPerGroup)))
			}
			kv := mk(7, core.MapAnnotation)
			objective := "40x"
			if i%10 == 0 {
				objective = "63x"
			}
			kv.attrs = fmt.Sprintf(`{"mapValue":[{"key":"exposure","value":"%d"},{"key":"objective","value":"%s"}]}`, i%1000, objective)
			rating := mk(9, core.LongAnnotation)
			rating.ns, rating.long = core.RatingNamespace, int64(i%5+1)
			rows = append(rows, kv.row(), link(8, kv.id), rating.row(), link(10, rating.id))
			if i%2 == 0 {
				c := mk(11, core.CommentAnnotation)
				c.text = comments[(i/2)%len(comments)]
				rows = append(rows, c.row(), link(12, c.id))
			}
			for _, r := range rows {
				if !yield(r) {
					return
				}
			}
		}
	}
	pixels := func(yield func([]any) bool) {
		for i := from; i < to; i++ {
			if !yield([]any{l.ImageID(i), int64(512), int64(512), int64(1), int64(2), int64(1), "uint16", "XYZCT",
				0.1, 0.1, 0.0, 0.0, int64(0), int64(1)}) {
				return
			}
		}
	}
	channels := func(yield func([]any) bool) {
		for i := from; i < to; i++ {
			if !yield([]any{l.ImageID(i), int64(0), "DAPI", int64(0x0000FFFF), 358.0, 461.0, "DAPI", "", nil, nil}) ||
				!yield([]any{l.ImageID(i), int64(1), "GFP", int64(0x00FF00FF), 488.0, 507.0, "GFP", "", nil, nil}) {
				return
			}
		}
	}
	entries := func(yield func([]any) bool) {
		for i := from; i < to; i++ {
			owner := l.People.Users[l.projectOf(i).owner].ID
			rel := fmt.Sprintf("gen/%d/%07d/cell_%07d.tif", owner, i, i)
			if !yield([]any{l.slot(i, 0), int64(0), "/data/scope/2026-01-01/" + rel, rel, int64(1 << 20),
				fmt.Sprintf("%064x", i), "copy"}) {
				return
			}
		}
	}
	return []Table{
		{Name: "object", Cols: ObjectCols, Rows: objects},
		{Name: "pixels", Cols: pixelsCols, Rows: pixels},
		{Name: "channel", Cols: channelCols, Rows: channels},
		{Name: "fileset_entry", Cols: filesetEntryCols, Rows: entries},
	}
}
