// Package bigrepo generates a repository of a million images for the
// benchmarks of issue 13: users and groups of every permission level made
// through the in-process service (so passwords, memberships and defaults are
// the real ones), then projects, datasets of 10,000 images, filesets, pixels,
// channels, shared tags, key-value pairs, ratings and comments written in
// bulk (COPY on PostgreSQL, prepared inserts on SQLite) into a store opened
// by the repository's own code, so the schema, migrations and search index
// are the real ones. internal/tools/pggen is its command line; the
// benchmarks in this package run on what it made.
package bigrepo

import "github.com/ocular-lab/ocular/core"

// DefaultImages is the size.
const DefaultImages = 1_000_000

// DefaultPerDataset is the dataset size the issue browses.
const DefaultPerDataset = 10_000

// TagsPerGroup shared tags are made in each group; every image carries
// TagsPerImage of them, so each tag is on 1 image in 50 of its group.
const (
	TagsPerGroup = 200
	TagsPerImage = 4
)

// slotsPerImage object IDs are reserved for each image, in this order (an
// image with no comment leaves its two slots unused: IDs are never reused,
// so gaps are harmless):
//
//	0 Fileset, 1 Image (parent: the fileset), 2 DatasetImageLink,
//	3..6 ImageAnnotationLinks to shared tags, 7 MapAnnotation, 8 its link,
//	9 LongAnnotation (rating), 10 its link, 11 CommentAnnotation, 12 its link.
const slotsPerImage = 13

// Annotations and links per image, counted as the issue counts them (the
// dataset link, four tag links, two key-value objects, two rating objects,
// and a comment with its link on every other image).
const AnnotationsAndLinksPerImage = 1 + TagsPerImage + 2 + 2 + 1

// project is one project of the layout with its datasets (indexes).
type project struct {
	group, owner int // indexes into People.Groups and People.Users
	datasets     []int
}

// Layout is where every generated object goes and which ID it has. It is a
// pure function of the sizes, the people and the first free object ID, so
// the loaders and the checks agree without passing rows around.
type Layout struct {
	Images, PerDataset int
	FirstID            int64
	People             People

	projects []project
	// datasetProject is each dataset's project index.
	datasetProject []int
}

// NewLayout lays out images in datasets of perDataset. Project 0 holds
// dataset 0 alone (the 10,000-image project the move benchmarks move);
// every other project holds up to five datasets. Projects go round the
// data groups, and within a group round its users.
func NewLayout(images, perDataset int, firstID int64, people People) *Layout {
	l := &Layout{Images: images, PerDataset: perDataset, FirstID: firstID, People: people}
	nds := (images + perDataset - 1) / perDataset
	for d := 0; d < nds; {
		k := len(l.projects)
		n := 5
		if k == 0 {
			n = 1
		}
		g := k % len(people.DataGroups)
		users := people.DataGroups[g].Users
		p := project{group: g, owner: users[(k/len(people.DataGroups))%len(users)]}
		for ; n > 0 && d < nds; n-- {
			p.datasets = append(p.datasets, d)
			l.datasetProject = append(l.datasetProject, k)
			d++
		}
		l.projects = append(l.projects, p)
	}
	return l
}

// Datasets is the number of datasets.
func (l *Layout) Datasets() int { return len(l.datasetProject) }

// Projects is the number of projects.
func (l *Layout) Projects() int { return len(l.projects) }

// header IDs: projects, then datasets, then project-dataset links, then tags.
func (l *Layout) ProjectID(k int) int64 { return l.FirstID + int64(k) }
func (l *Layout) DatasetID(d int) int64 { return l.FirstID + int64(len(l.projects)+d) }
func (l *Layout) pdLinkID(d int) int64 {
	return l.FirstID + int64(len(l.projects)+len(l.datasetProject)+d)
}
func (l *Layout) TagID(group, t int) int64 {
	return l.FirstID + int64(len(l.projects)+2*len(l.datasetProject)+group*TagsPerGroup+t)
}
func (l *Layout) headerSize() int64 {
	return int64(len(l.projects) + 2*len(l.datasetProject) + len(l.People.DataGroups)*TagsPerGroup)
}

// slot is the ID of object s of image i.
func (l *Layout) slot(i, s int) int64 {
	return l.FirstID + l.headerSize() + int64(i)*slotsPerImage + int64(s)
}

// ImageID is the ID of image i.
func (l *Layout) ImageID(i int) int64 { return l.slot(i, 1) }

// NextID is the first ID after everything the layout uses.
func (l *Layout) NextID() int64 { return l.slot(l.Images, 0) }

// DatasetOf is image i's dataset; GroupOf and OwnerOf its group and owner
// (those of its project).
func (l *Layout) DatasetOf(i int) int { return i / l.PerDataset }
func (l *Layout) projectOf(i int) project {
	return l.projects[l.datasetProject[l.DatasetOf(i)]]
}

// Objects counts the object rows the layout makes.
func (l *Layout) Objects() int64 {
	comments := int64((l.Images + 1) / 2)
	return l.headerSize() + int64(l.Images)*(slotsPerImage-2) + 2*comments
}

// AnnotationsAndLinks counts the annotation and link rows (the issue's
// "10,000,000 annotations and links" at a million images).
func (l *Layout) AnnotationsAndLinks() int64 {
	comments := int64((l.Images + 1) / 2)
	return int64(len(l.datasetProject)) + int64(len(l.People.DataGroups)*TagsPerGroup) +
		int64(l.Images)*(1+TagsPerImage+4) + 2*comments
}

// Info is what the benchmarks need to know about a generated repository;
// the generator stores it in the repository's meta table under MetaKey.
type Info struct {
	Images, PerDataset, Datasets, Projects int
	Objects, AnnotationsAndLinks           int64
	// BrowseDataset is a 10,000-image dataset in a read-annotate group that
	// belongs to someone other than Member; MoveProject the project of one
	// dataset that MoveOwner moves to DestGroup.
	BrowseDataset core.ID
	BrowseGroup   core.ID
	MoveProject   core.ID
	MoveOwner     string
	DestGroup     core.ID
	SourceGroup   core.ID
	// Member belongs to every group and owns nothing: every object it sees
	// needs the whole permission decision. Password is every user's.
	Member   string
	Password string
}

// MetaKey is the meta table key holding Info as JSON.
const MetaKey = "bigrepo.info"

// Info describes the layout for the benchmarks.
func (l *Layout) Info() Info {
	inf := Info{Images: l.Images, PerDataset: l.PerDataset, Datasets: l.Datasets(), Projects: l.Projects(),
		Objects: l.Objects(), AnnotationsAndLinks: l.AnnotationsAndLinks(),
		MoveProject: core.ID(l.ProjectID(0)), MoveOwner: l.People.Users[l.projects[0].owner].Name,
		DestGroup: l.People.Dest, SourceGroup: l.People.DataGroups[l.projects[0].group].ID,
		Member: l.People.Member, Password: l.People.Password}
	// The browse dataset: the first full dataset outside project 0 in the
	// read-annotate group (group 0), or dataset 0 in a small repository.
	inf.BrowseDataset, inf.BrowseGroup = core.ID(l.DatasetID(0)), l.People.DataGroups[0].ID
	for d := 1; d < l.Datasets(); d++ {
		p := l.projects[l.datasetProject[d]]
		if p.group == 0 && (d+1)*l.PerDataset <= l.Images {
			inf.BrowseDataset = core.ID(l.DatasetID(d))
			break
		}
	}
	return inf
}
