package core

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Class is a model class name as in OMERO's model ("Image", "DatasetImageLink").
type Class string

// The model classes. Keep the names exactly as OMERO spells them: users type
// them on the command line and in --include/--exclude options.
const (
	Project          Class = "Project"
	Dataset          Class = "Dataset"
	Image            Class = "Image"
	Screen           Class = "Screen"
	Plate            Class = "Plate"
	Well             Class = "Well"
	WellSample       Class = "WellSample"
	PlateAcquisition Class = "PlateAcquisition"
	Fileset          Class = "Fileset"
	OriginalFile     Class = "OriginalFile"
	Roi              Class = "Roi"

	TagAnnotation     Class = "TagAnnotation"
	CommentAnnotation Class = "CommentAnnotation"
	LongAnnotation    Class = "LongAnnotation"
	DoubleAnnotation  Class = "DoubleAnnotation"
	BooleanAnnotation Class = "BooleanAnnotation"
	MapAnnotation     Class = "MapAnnotation"
	FileAnnotation    Class = "FileAnnotation"

	ProjectDatasetLink             Class = "ProjectDatasetLink"
	DatasetImageLink               Class = "DatasetImageLink"
	ScreenPlateLink                Class = "ScreenPlateLink"
	ProjectAnnotationLink          Class = "ProjectAnnotationLink"
	DatasetAnnotationLink          Class = "DatasetAnnotationLink"
	ImageAnnotationLink            Class = "ImageAnnotationLink"
	ScreenAnnotationLink           Class = "ScreenAnnotationLink"
	PlateAnnotationLink            Class = "PlateAnnotationLink"
	WellAnnotationLink             Class = "WellAnnotationLink"
	PlateAcquisitionAnnotationLink Class = "PlateAcquisitionAnnotationLink"
	AnnotationAnnotationLink       Class = "AnnotationAnnotationLink"
	ClassExperimenter              Class = "Experimenter"
	ClassExperimenterGroup         Class = "ExperimenterGroup"
	Annotation                     Class = "Annotation"     // abstract: every *Annotation class
	TextAnnotation                 Class = "TextAnnotation" // abstract: Comment and Tag annotations (OMERO's XmlAnnotation too)
	IAnnotationLink                Class = "IAnnotationLink"
	Pixels                         Class = "Pixels"
	RenderingDef                   Class = "RenderingDef"
	OrphanedImages                 Class = "OrphanedImages" // the tree's virtual folder, not a model class
	abstractLinkSuffix                   = "Link"
	annotationSuffix                     = "Annotation"
	RatingNamespace                      = "openmicroscopy.org/omero/insight/rating"
	TagSetNamespace                      = "openmicroscopy.org/omero/insight/tagset"
	ClientMapNamespace                   = "openmicroscopy.org/omero/client/mapAnnotation"
	OriginalMetadataNamespace            = "openmicroscopy.org/omero/import/originalMetadata"
)

// ClassKind says what role a class plays in the graph.
type ClassKind uint8

const (
	KindContainer  ClassKind = iota // Project, Dataset, Screen, Plate: linked by owned links
	KindImage                       // Image
	KindContained                   // has exactly one structural parent (Well in Plate, Roi on Image)
	KindAnnotation                  // attached to objects through annotation links
	KindLink                        // a first-class owned link between two objects
	KindFile                        // Fileset, OriginalFile
)

// ClassInfo describes a class: its kind, for links the classes of both ends,
// for contained classes the parent class, and the fields `obj new` accepts.
type ClassInfo struct {
	Name   Class
	Kind   ClassKind
	Parent Class // link parent class, or structural parent (Well -> Plate); "Annotation" matches any annotation
	Child  Class // link child class
	// Fields lists the settable fields besides name/description (which containers have).
	Fields []string
	// Annotatable is the annotation link class for this class, if it can be annotated.
	AnnotationLink Class
}

var classes = map[Class]*ClassInfo{}

func register(ci ClassInfo) { c := ci; classes[c.Name] = &c }

func init() {
	for _, c := range []ClassInfo{
		{Name: Project, Kind: KindContainer, Fields: []string{"name", "description"}, AnnotationLink: ProjectAnnotationLink},
		{Name: Dataset, Kind: KindContainer, Fields: []string{"name", "description"}, AnnotationLink: DatasetAnnotationLink},
		{Name: Screen, Kind: KindContainer, Fields: []string{"name", "description"}, AnnotationLink: ScreenAnnotationLink},
		{Name: Plate, Kind: KindContainer, Fields: []string{"name", "description", "rows", "columns", "rowNamingConvention", "columnNamingConvention"}, AnnotationLink: PlateAnnotationLink},
		{Name: Image, Kind: KindImage, Parent: Fileset, Fields: []string{"name", "description", "fileset", "acquisitionDate", "series"}, AnnotationLink: ImageAnnotationLink},
		{Name: Well, Kind: KindContained, Parent: Plate, Fields: []string{"plate", "row", "column"}, AnnotationLink: WellAnnotationLink},
		{Name: WellSample, Kind: KindContained, Parent: Well, Fields: []string{"well", "image", "plateAcquisition", "positionX", "positionY"}},
		{Name: PlateAcquisition, Kind: KindContained, Parent: Plate, Fields: []string{"plate", "name", "description", "startTime", "endTime"}, AnnotationLink: PlateAcquisitionAnnotationLink},
		{Name: Roi, Kind: KindContained, Parent: Image, Fields: []string{"image", "name", "description", "shapes"}},
		// RenderingDef holds one user's rendering settings for one image (spec §5.1): owned by
		// that user, structurally inside the image, so graph operations treat it like a ROI.
		{Name: RenderingDef, Kind: KindContained, Parent: Image, Fields: []string{"image", "settings"}},
		{Name: Fileset, Kind: KindFile, Fields: []string{"templatePrefix"}},
		{Name: OriginalFile, Kind: KindFile, Fields: []string{"name", "path", "size", "hash", "mimetype"}},

		{Name: TagAnnotation, Kind: KindAnnotation, Fields: []string{"textValue", "description", "ns"}, AnnotationLink: AnnotationAnnotationLink},
		{Name: CommentAnnotation, Kind: KindAnnotation, Fields: []string{"textValue", "ns"}},
		{Name: LongAnnotation, Kind: KindAnnotation, Fields: []string{"longValue", "ns"}},
		{Name: DoubleAnnotation, Kind: KindAnnotation, Fields: []string{"doubleValue", "ns"}},
		{Name: BooleanAnnotation, Kind: KindAnnotation, Fields: []string{"boolValue", "ns"}},
		{Name: MapAnnotation, Kind: KindAnnotation, Fields: []string{"mapValue", "ns"}},
		{Name: FileAnnotation, Kind: KindAnnotation, Fields: []string{"file", "description", "ns"}},

		{Name: ProjectDatasetLink, Kind: KindLink, Parent: Project, Child: Dataset},
		{Name: DatasetImageLink, Kind: KindLink, Parent: Dataset, Child: Image},
		{Name: ScreenPlateLink, Kind: KindLink, Parent: Screen, Child: Plate},
		{Name: ProjectAnnotationLink, Kind: KindLink, Parent: Project, Child: Annotation},
		{Name: DatasetAnnotationLink, Kind: KindLink, Parent: Dataset, Child: Annotation},
		{Name: ImageAnnotationLink, Kind: KindLink, Parent: Image, Child: Annotation},
		{Name: ScreenAnnotationLink, Kind: KindLink, Parent: Screen, Child: Annotation},
		{Name: PlateAnnotationLink, Kind: KindLink, Parent: Plate, Child: Annotation},
		{Name: WellAnnotationLink, Kind: KindLink, Parent: Well, Child: Annotation},
		{Name: PlateAcquisitionAnnotationLink, Kind: KindLink, Parent: PlateAcquisition, Child: Annotation},
		{Name: AnnotationAnnotationLink, Kind: KindLink, Parent: Annotation, Child: Annotation},
	} {
		register(c)
	}
}

// Info returns the class description, or nil for an unknown class.
func (c Class) Info() *ClassInfo { return classes[c] }

// IsAnnotation reports whether c is a concrete annotation class.
func (c Class) IsAnnotation() bool {
	ci := classes[c]
	return ci != nil && ci.Kind == KindAnnotation
}

// IsLink reports whether c is a link class.
func (c Class) IsLink() bool {
	ci := classes[c]
	return ci != nil && ci.Kind == KindLink
}

// IsAnnotationLink reports whether c links an object to an annotation.
func (c Class) IsAnnotationLink() bool {
	ci := classes[c]
	return ci != nil && ci.Kind == KindLink && ci.Child == Annotation
}

// Matches reports whether an object of class c is covered by the class name
// pattern p: the class itself, or an abstract superclass ("Annotation" covers
// every annotation class, "IAnnotationLink" every annotation link).
func (c Class) Matches(p Class) bool {
	switch p {
	case c:
		return true
	case Annotation:
		return c.IsAnnotation()
	case TextAnnotation:
		return c == CommentAnnotation || c == TagAnnotation
	case IAnnotationLink:
		return c.IsAnnotationLink()
	}
	return false
}

// Abstract reports whether c is one of OMERO's abstract class names, which
// stand for the concrete classes they cover (see Matches).
func (c Class) Abstract() bool {
	return c == Annotation || c == TextAnnotation || c == IAnnotationLink
}

// Classes lists the concrete model classes, sorted.
func Classes() []Class {
	out := make([]Class, 0, len(classes))
	for c := range classes {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// ParseClass resolves a class name case-insensitively, accepting OMERO's
// abstract names (Annotation, TextAnnotation, IAnnotationLink) and the
// names of OMERO's Java and Python model classes, which end in I
// (ImageI, TagAnnotationI), as OMERO's CLI does.
func ParseClass(s string) (Class, error) {
	s = strings.TrimSpace(s)
	known := append(Classes(), Annotation, TextAnnotation, IAnnotationLink, ClassExperimenter, ClassExperimenterGroup)
	for _, name := range []string{s, strings.TrimSuffix(s, "I")} {
		for _, c := range known {
			if strings.EqualFold(string(c), name) {
				return c, nil
			}
		}
	}
	return "", Errorf("", Invalid, "unknown class %q (known classes include Project, Dataset, Image, Screen, Plate, Well, TagAnnotation, DatasetImageLink)", s)
}

// ID identifies an object. IDs are unique across all classes of one repository.
type ID int64

// Ref names one object as Class:ID, the way OMERO's CLI does.
type Ref struct {
	Class Class `json:"class"`
	ID    ID    `json:"id"`
}

func (r Ref) String() string { return fmt.Sprintf("%s:%d", r.Class, r.ID) }

// IsZero reports whether r names nothing.
func (r Ref) IsZero() bool { return r.Class == "" && r.ID == 0 }

// Target is a graph-operation target: Class:ID[,ID...], optionally
// Class/SubClass:ID to act only on the contents ("Project/Image:1").
type Target struct {
	Class    Class
	SubClass Class // empty unless the contents form "Project/Image:1" was used
	IDs      []ID
}

// Refs lists the Class:ID refs of the target.
func (t Target) Refs() []Ref {
	out := make([]Ref, len(t.IDs))
	for i, id := range t.IDs {
		out[i] = Ref{t.Class, id}
	}
	return out
}

func (t Target) String() string {
	ids := make([]string, len(t.IDs))
	for i, id := range t.IDs {
		ids[i] = strconv.FormatInt(int64(id), 10)
	}
	c := string(t.Class)
	if t.SubClass != "" {
		c += "/" + string(t.SubClass)
	}
	return c + ":" + strings.Join(ids, ",")
}

// ParseRef parses "Class:ID".
func ParseRef(s string) (Ref, error) {
	t, err := ParseTarget(s)
	if err != nil {
		return Ref{}, err
	}
	if len(t.IDs) != 1 || t.SubClass != "" {
		return Ref{}, Errorf("", Invalid, "%q names more than one object; give one Class:ID such as Image:42", s)
	}
	return Ref{t.Class, t.IDs[0]}, nil
}

// ParseTarget parses "Class:ID[,ID...]" or "Class/SubClass:ID[,...]".
func ParseTarget(s string) (Target, error) {
	bad := func() (Target, error) {
		return Target{}, Errorf("", Invalid, "%q is not a valid object: write Class:ID, for example Image:42 or Dataset:3,4", s)
	}
	name, idPart, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || name == "" || idPart == "" {
		return bad()
	}
	var t Target
	cls, sub, hasSub := strings.Cut(name, "/")
	c, err := ParseClass(cls)
	if err != nil {
		return Target{}, err
	}
	t.Class = c
	if hasSub {
		if t.SubClass, err = ParseClass(sub); err != nil {
			return Target{}, err
		}
	}
	for _, p := range strings.Split(idPart, ",") {
		n, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64)
		if err != nil || n < 0 {
			return bad()
		}
		t.IDs = append(t.IDs, ID(n))
	}
	return t, nil
}

// CountsText writes counts by class as "1 Dataset, 10 Image", classes in
// name order: the wording the CLI's reports and the desktop's reviews
// share.
func CountsText(m map[Class]int) string {
	if len(m) == 0 {
		return "nothing"
	}
	keys := make([]string, 0, len(m))
	for c := range m {
		keys = append(keys, string(c))
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d %s", m[Class(k)], k))
	}
	return strings.Join(parts, ", ")
}
