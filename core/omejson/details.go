package omejson

import "github.com/ocular-lab/ocular/core"

// Details is "omero:details": the owner, the group and the caller's
// permissions on the object. The JSON API has canEdit, canAnnotate,
// canLink and canDelete but not canChgrp/canChown (spec §2).
func (e *Encoder) Details(v core.ObjectView) M {
	owner, ok := e.Users[v.Owner]
	if !ok {
		owner = core.Experimenter{ID: v.Owner}
	}
	group, ok := e.Groups[v.Group]
	if !ok {
		group = core.Group{ID: v.Group, Name: v.GroupName, Level: v.Level}
	}
	ow := Experimenter(owner)
	if !ok && v.OwnerName != "" && owner.Username == "" {
		// Only the display name is known: better than nothing for a reader.
		ow["omero:fullName"] = v.OwnerName
	}
	p := Permissions(group.Level)
	p["canEdit"] = v.Flags.CanEdit
	p["canAnnotate"] = v.Flags.CanAnnotate
	p["canLink"] = v.Flags.CanLink
	p["canDelete"] = v.Flags.CanDelete
	return M{"@type": "TBD#Details", "owner": ow, "group": Group(group), "permissions": p}
}

// Permissions encodes a group level as omero-marshal's Permissions: the
// six-character string and the booleans it stands for.
func Permissions(l core.Level) M {
	return M{
		"@type":           "TBD#Permissions",
		"perm":            l.Perms(),
		"isUserRead":      true,
		"isUserWrite":     true,
		"isGroupRead":     l >= core.ReadOnly,
		"isGroupAnnotate": l >= core.ReadAnnotate,
		"isGroupWrite":    l == core.ReadWrite,
		"isWorldRead":     false,
		"isWorldWrite":    false,
	}
}

// Experimenter encodes a user as omero-marshal's Experimenter.
func Experimenter(u core.Experimenter) M {
	m := M{"@id": int64(u.ID), "@type": Type("Experimenter")}
	setStr(m, "UserName", u.Username)
	setStr(m, "FirstName", u.FirstName)
	setStr(m, "LastName", u.LastName)
	setStr(m, "Email", u.Email)
	setStr(m, "Institution", u.Institution)
	return m
}

// Group encodes a group as omero-marshal's ExperimenterGroup, its level in
// its details' permissions.
func Group(g core.Group) M {
	m := M{"@id": int64(g.ID), "@type": Type("ExperimenterGroup")}
	setStr(m, "Name", g.Name)
	setStr(m, "Description", g.Description)
	m["omero:details"] = M{"@type": "TBD#Details", "permissions": Permissions(g.Level)}
	return m
}

// WithURLs adds an experimenter's or group's url:* links.
func (e *Encoder) WithURLs(m M, c core.Class, id core.ID) M {
	u := e.ObjectURL(c, id)
	if u == "" {
		return m
	}
	switch c {
	case core.ClassExperimenter:
		m["url:experimenter"] = u
		m["url:experimentergroups"] = u + "experimentergroups/"
	case core.ClassExperimenterGroup:
		m["url:experimentergroup"] = u
		m["url:experimenters"] = u + "experimenters/"
	}
	return m
}

// Normalize reduces the owner and group of each object's details to their
// @id and returns the distinct experimenters and groups, as the JSON API
// answers with normalize=true.
func Normalize(objs []M) (experimenters, groups []M) {
	seenU, seenG := map[any]bool{}, map[any]bool{}
	experimenters, groups = []M{}, []M{}
	for _, o := range objs {
		d, ok := o["omero:details"].(M)
		if !ok {
			continue
		}
		if u, ok := d["owner"].(M); ok {
			if !seenU[u["@id"]] {
				seenU[u["@id"]] = true
				experimenters = append(experimenters, u)
			}
			d["owner"] = M{"@id": u["@id"]}
		}
		if g, ok := d["group"].(M); ok {
			if !seenG[g["@id"]] {
				seenG[g["@id"]] = true
				groups = append(groups, g)
			}
			d["group"] = M{"@id": g["@id"]}
		}
	}
	return experimenters, groups
}
