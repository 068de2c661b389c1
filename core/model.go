package core

import (
	"encoding/json"
	"time"
)

// Experimenter is a user account. The password hash never leaves the
// repository layer: it is not a field here.
type Experimenter struct {
	ID          ID        `json:"id"`
	Username    string    `json:"username"`
	FirstName   string    `json:"firstName"`
	LastName    string    `json:"lastName"`
	Email       string    `json:"email,omitempty"`
	Institution string    `json:"institution,omitempty"`
	Created     time.Time `json:"created"`
	// Privileges held by a restricted administrator. Nil for a full
	// administrator and for ordinary users (see Admin).
	Privileges   []Privilege `json:"privileges,omitempty"`
	DefaultGroup ID          `json:"defaultGroup"`
}

// FullName is "First Last", or the username when both are empty.
func (e Experimenter) FullName() string {
	switch {
	case e.FirstName != "" && e.LastName != "":
		return e.FirstName + " " + e.LastName
	case e.FirstName+e.LastName != "":
		return e.FirstName + e.LastName
	}
	return e.Username
}

// Group is an experimenter group.
type Group struct {
	ID          ID        `json:"id"`
	Name        string    `json:"name"`
	Level       Level     `json:"-"`
	Description string    `json:"description,omitempty"`
	Created     time.Time `json:"created"`
}

// MarshalJSON writes the level by name and permission string.
func (g Group) MarshalJSON() ([]byte, error) {
	type plain Group
	return json.Marshal(struct {
		plain
		Type  string `json:"type"`
		Perms string `json:"perms"`
	}{plain(g), g.Level.String(), g.Level.Perms()})
}

// Membership is one user's membership in one group.
type Membership struct {
	Group ID   `json:"group"`
	User  ID   `json:"user"`
	Owner bool `json:"owner"` // the user is a PI (owner) of the group
}

// Details are the ownership and timestamps every object carries.
type Details struct {
	Owner   ID        `json:"owner"`
	Group   ID        `json:"group"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

// Object is any owned model object, stored generically: containers, images,
// wells, annotations, links and files share these columns. Class-specific
// values live in Attrs, keyed by the field names of ClassInfo.Fields.
type Object struct {
	Ref
	Details
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	// Parent is the link parent, or the structural parent (Well -> Plate,
	// Roi -> Image, WellSample -> Well, Image -> Fileset).
	Parent ID `json:"parent,omitempty"`
	// Child is the link child; for a WellSample, its image.
	Child ID `json:"child,omitempty"`
	// Ref2 is a secondary reference (FileAnnotation -> OriginalFile,
	// WellSample -> PlateAcquisition).
	Ref2 ID `json:"ref2,omitempty"`
	// Annotation values.
	Ns        string `json:"ns,omitempty"`
	TextValue string `json:"textValue,omitempty"`
	LongValue int64  `json:"longValue,omitempty"`
	// Attrs holds the remaining class-specific fields as JSON.
	Attrs map[string]any `json:"attrs,omitempty"`
}

// Attr returns a string attribute.
func (o *Object) Attr(key string) string {
	if v, ok := o.Attrs[key]; ok {
		if s, ok := v.(string); ok {
			return s
		}
		b, _ := json.Marshal(v)
		return string(b)
	}
	return ""
}

// AttrInt returns a numeric attribute as int64 (JSON numbers decode as float64).
func (o *Object) AttrInt(key string) int64 {
	switch v := o.Attrs[key].(type) {
	case float64:
		return int64(v)
	case int64:
		return v
	case int:
		return int64(v)
	}
	return 0
}

// SetAttr sets a class-specific attribute.
func (o *Object) SetAttr(key string, v any) {
	if o.Attrs == nil {
		o.Attrs = map[string]any{}
	}
	o.Attrs[key] = v
}

// DisplayName is what lists and trees show for the object.
func (o *Object) DisplayName() string {
	switch {
	case o.Name != "":
		return o.Name
	case o.Class == TagAnnotation || o.Class == CommentAnnotation:
		return o.TextValue
	case o.Class == Well:
		return WellName(int(o.AttrInt("row")), int(o.AttrInt("column")))
	}
	return o.Ref.String()
}

// WellName is the conventional name of a well: "A1", "B12" (rows by letter).
func WellName(row, col int) string {
	r := ""
	for n := row; ; n = n/26 - 1 {
		r = string(rune('A'+n%26)) + r
		if n < 26 {
			break
		}
	}
	return r + itoa(col+1)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// KeyValue is one pair of a MapAnnotation.
type KeyValue struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// PixelsInfo describes an image's pixels (OMERO's Pixels).
type PixelsInfo struct {
	Image          ID      `json:"image"`
	SizeX          int     `json:"sizeX"`
	SizeY          int     `json:"sizeY"`
	SizeZ          int     `json:"sizeZ"`
	SizeC          int     `json:"sizeC"`
	SizeT          int     `json:"sizeT"`
	PixelType      string  `json:"pixelType"`
	DimensionOrder string  `json:"dimensionOrder"`
	PhysicalSizeX  float64 `json:"physicalSizeX,omitempty"` // micrometres
	PhysicalSizeY  float64 `json:"physicalSizeY,omitempty"`
	PhysicalSizeZ  float64 `json:"physicalSizeZ,omitempty"`
	TimeIncrement  float64 `json:"timeIncrement,omitempty"` // seconds
	// Series is the series index of the image in its fileset's reader.
	Series int `json:"series"`
	// Levels is the number of pyramid levels available.
	Levels int `json:"levels"`
}

// ChannelInfo is one channel of an image.
type ChannelInfo struct {
	Index                int      `json:"index"`
	Name                 string   `json:"name"`
	Color                [4]uint8 `json:"color"`
	HasColor             bool     `json:"hasColor"`
	ExcitationWavelength float64  `json:"excitationWavelength,omitempty"`
	EmissionWavelength   float64  `json:"emissionWavelength,omitempty"`
	Fluor                string   `json:"fluor,omitempty"`
	LUT                  string   `json:"lut,omitempty"`
	StatsMin             float64  `json:"statsMin"`
	StatsMax             float64  `json:"statsMax"`
	HasStats             bool     `json:"hasStats"`
}

// FilesetEntry is one original file of a fileset.
type FilesetEntry struct {
	Fileset    ID     `json:"fileset"`
	Index      int    `json:"index"`
	ClientPath string `json:"clientPath"` // where it came from
	RepoPath   string `json:"repoPath"`   // relative to the managed repository
	Size       int64  `json:"size"`
	// Checksum of the bytes as placed, named by its algorithm
	// ("xxh3-128:hex"; bare hex is SHA-256, see core/checksum).
	Checksum string `json:"checksum"`
	// Transfer is how it got there: copy, hardlink or symlink (in place).
	Transfer string `json:"transfer"`
}
