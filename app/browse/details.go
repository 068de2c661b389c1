package browse

import (
	"strconv"

	"github.com/ocular-lab/ocular/core"
)

// Field is one labelled line of the details panel.
type Field struct {
	Label, Value string
}

// Flag is one of the six permission flags with a human label.
type Flag struct {
	Name  string // as in OMERO's API: canEdit
	Label string // as a user reads it: Can edit
	Value bool
}

// Details describes the selected node for the right-hand panel.
type Details struct {
	Title  string
	Fields []Field
	Flags  []Flag // empty for the Orphaned Images folder, which is not an object
	// Editable is set for objects with a name and a description the panel
	// edits in place (with a pencil); their description is then not among
	// Fields. EditWhy, when not empty, is why this user may not edit them:
	// the pencil is disabled and the reason shown beside it.
	Editable    bool
	Name        string
	Description string
	EditWhy     string
}

// Describe builds the details of a node.
func Describe(n *Node) Details {
	v := n.View
	d := Details{Title: v.DisplayName()}
	if v.Class == core.OrphanedImages {
		d.Fields = []Field{
			{"Contains", plural(v.ChildCount, "image")},
			{"Group", v.GroupName},
			{"Permissions", LevelLabel(v.Level)},
			{"About", "Images in no dataset and on no plate."},
		}
		return d
	}
	d.Fields = append(d.Fields, Field{"ID", v.Ref.String()})
	if HasName(v.Class) {
		d.Editable, d.Name, d.Description = true, v.Name, v.Description
		d.EditWhy = EditWhy(v)
	} else if v.Description != "" {
		d.Fields = append(d.Fields, Field{"Description", v.Description})
	}
	d.Fields = append(d.Fields,
		Field{"Owner", v.OwnerName},
		Field{"Group", v.GroupName},
		Field{"Permissions", LevelLabel(v.Level)},
	)
	if hasChildren(v.Class) {
		d.Fields = append(d.Fields, Field{"Contains", plural(v.ChildCount, childNoun(v.Class))})
	}
	if !v.Created.IsZero() {
		label := "Created"
		if v.Class == core.Image {
			label = "Imported" // an image is created by its import
		}
		d.Fields = append(d.Fields, Field{label, v.Created.Local().Format("2006-01-02 15:04")})
	}
	f := v.Flags
	d.Flags = []Flag{
		{"canEdit", "Can edit", f.CanEdit},
		{"canAnnotate", "Can annotate", f.CanAnnotate},
		{"canDelete", "Can delete", f.CanDelete},
		{"canLink", "Can link", f.CanLink},
		{"canChgrp", "Can move to another group", f.CanChgrp},
		{"canChown", "Can change owner", f.CanChown},
	}
	return d
}

// HasName reports whether objects of a class have a name and a
// description a user may change (Rename… and Edit Description…).
func HasName(c core.Class) bool {
	return isData(c) || c == core.Well || c == core.PlateAcquisition
}

// EditWhy is why the user may not rename v or change its description, in
// the rename menu item's words ("" when they may).
func EditWhy(v core.ObjectView) string { return editWhy([]Item{{View: v}}, "rename") }

// LevelLabel is "read-annotate (rwra--)".
func LevelLabel(l core.Level) string { return l.String() + " (" + l.Perms() + ")" }

func childNoun(c core.Class) string {
	switch c {
	case core.Project:
		return "dataset"
	case core.Screen:
		return "plate"
	case core.Plate:
		return "well"
	case core.Well:
		return "field"
	}
	return "image"
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// PixelFields describes an image's pixels for the details panel:
// dimensions, pixel type, pixel size and channel names.
func PixelFields(p core.PixelsInfo, chs []core.ChannelInfo) []Field {
	dims := strconv.Itoa(p.SizeX) + " × " + strconv.Itoa(p.SizeY) + " pixels"
	for _, d := range []struct {
		n    int
		noun string
	}{{p.SizeZ, "Z-section"}, {p.SizeC, "channel"}, {p.SizeT, "timepoint"}} {
		if d.n > 1 {
			dims += ", " + plural(d.n, d.noun)
		}
	}
	out := []Field{{"Dimensions", dims}}
	if p.PixelType != "" {
		out = append(out, Field{"Pixel type", p.PixelType})
	}
	if p.PhysicalSizeX > 0 {
		size := um(p.PhysicalSizeX) + " × " + um(p.PhysicalSizeY)
		if p.SizeZ > 1 && p.PhysicalSizeZ > 0 {
			size += " × " + um(p.PhysicalSizeZ)
		}
		out = append(out, Field{"Pixel size", size + " µm"})
	}
	if len(chs) > 0 {
		names := ""
		for i, c := range chs {
			if i > 0 {
				names += ", "
			}
			if c.Name != "" {
				names += c.Name
			} else {
				names += "Channel " + strconv.Itoa(c.Index+1)
			}
		}
		out = append(out, Field{"Channels", names})
	}
	return out
}

func um(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }
