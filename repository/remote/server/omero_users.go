package server

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/omejson"
)

// routesOMEROUsers registers experimenters and groups.
func (s *Server) routesOMEROUsers(m string) {
	s.omero("GET "+m+"experimenters/{$}", func(a *api) error {
		g, ok, err := a.idParam("experimentergroup")
		if err != nil {
			return err
		}
		us, err := a.visibleUsers()
		if err != nil {
			return err
		}
		if ok {
			us = slices.DeleteFunc(us, func(u core.UserInfo) bool { return !memberOf(u, g) })
		}
		return a.answerUsers(us)
	})
	s.omero("GET "+m+"experimenters/{experimenter}/{$}", func(a *api) error {
		u, err := a.visibleUser(a.r.PathValue("experimenter"))
		if err != nil {
			return err
		}
		return a.writeOne(http.StatusOK, a.encodeUser(u))
	})
	s.omero("GET "+m+"experimenters/{experimenter}/experimentergroups/{$}", func(a *api) error {
		u, err := a.visibleUser(a.r.PathValue("experimenter"))
		if core.Is(core.NotFound, err) {
			return a.writeList(nil, 0)
		}
		if err != nil {
			return err
		}
		return a.groupsOf(&u)
	})

	s.omero("GET "+m+"experimentergroups/{$}", func(a *api) error {
		uid, ok, err := a.idParam("experimenter")
		if err != nil || !ok {
			if err != nil {
				return err
			}
			return a.groupsOf(nil)
		}
		u, err := a.visibleUser(strconv.FormatInt(int64(uid), 10))
		if core.Is(core.NotFound, err) {
			return a.writeList(nil, 0)
		}
		if err != nil {
			return err
		}
		return a.groupsOf(&u)
	})
	s.omero("GET "+m+"experimentergroups/{experimentergroup}/{$}", func(a *api) error {
		g, err := a.group(a.r.PathValue("experimentergroup"))
		if err != nil {
			return err
		}
		return a.writeOne(http.StatusOK, a.encodeGroup(g.Group))
	})
	s.omero("GET "+m+"experimentergroups/{experimentergroup}/experimenters/{$}", func(a *api) error {
		g, err := a.group(a.r.PathValue("experimentergroup"))
		if core.Is(core.NotFound, err) {
			return a.writeList(nil, 0)
		}
		if err != nil {
			return err
		}
		us, err := a.visibleUsers()
		if err != nil {
			return err
		}
		us = slices.DeleteFunc(us, func(u core.UserInfo) bool { return !memberOf(u, g.ID) })
		return a.answerUsers(us)
	})
}

func memberOf(u core.UserInfo, g core.ID) bool {
	return slices.ContainsFunc(u.Groups, func(m core.Membership) bool { return m.Group == g })
}

// visibleUsers are the users the caller may see, as OMERO shows them: an
// administrator sees everyone; others see themselves and the members of
// the groups they share with them, except private groups they do not own
// (there OMERO shows a user nobody else's data or names). core lists every
// account to anyone, so the rule is applied here.
func (a *api) visibleUsers() ([]core.UserInfo, error) {
	me, err := a.sess.Me(a.r.Context())
	if err != nil {
		return nil, err
	}
	all, err := a.sess.Users(a.r.Context())
	if err != nil {
		return nil, err
	}
	if me.Admin {
		return all, nil
	}
	shared := map[core.ID]bool{}
	for _, g := range me.Groups {
		if !core.IsSpecialGroup(g.ID) && (g.Level != core.Private || slices.Contains(me.OwnedGroups, g.ID)) {
			shared[g.ID] = true
		}
	}
	return slices.DeleteFunc(all, func(u core.UserInfo) bool {
		return u.ID != me.User.ID && !slices.ContainsFunc(u.Groups, func(m core.Membership) bool { return shared[m.Group] })
	}), nil
}

// visibleUser is one user by ID, or the not-found answer for a user the
// caller may not see.
func (a *api) visibleUser(id string) (core.UserInfo, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n < 0 {
		return core.UserInfo{}, core.Errorf("", core.NotFound, "Experimenter not found")
	}
	us, err := a.visibleUsers()
	if err != nil {
		return core.UserInfo{}, err
	}
	for _, u := range us {
		if u.ID == core.ID(n) {
			return u, nil
		}
	}
	return core.UserInfo{}, notFound(core.Ref{Class: core.ClassExperimenter, ID: core.ID(n)})
}

// answerUsers pages users ordered by last name, first name.
func (a *api) answerUsers(us []core.UserInfo) error {
	slices.SortStableFunc(us, func(x, y core.UserInfo) int {
		return cmp.Or(strings.Compare(strings.ToLower(x.LastName), strings.ToLower(y.LastName)),
			strings.Compare(strings.ToLower(x.FirstName), strings.ToLower(y.FirstName)), cmp.Compare(x.ID, y.ID))
	})
	lo := min(a.opts.offset, len(us))
	pg := us[lo:min(lo+a.opts.limit, len(us))]
	data := make([]omejson.M, len(pg))
	for i, u := range pg {
		data[i] = a.encodeUser(u)
	}
	return a.writeList(data, len(us))
}

func (a *api) encodeUser(u core.UserInfo) omejson.M {
	return a.enc.WithURLs(omejson.Experimenter(u.Experimenter), core.ClassExperimenter, u.ID)
}

func (a *api) encodeGroup(g core.Group) omejson.M {
	return a.enc.WithURLs(omejson.Group(g), core.ClassExperimenterGroup, g.ID)
}

// group is one group by ID; every group is listed to every user by core,
// so only a missing one is not found.
func (a *api) group(id string) (core.GroupInfo, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n < 0 {
		return core.GroupInfo{}, core.Errorf("", core.NotFound, "ExperimenterGroup not found")
	}
	g, err := a.sess.Group(a.r.Context(), strconv.FormatInt(n, 10))
	if core.Is(core.NotFound, err) {
		return g, notFound(core.Ref{Class: core.ClassExperimenterGroup, ID: core.ID(n)})
	}
	return g, err
}

// groupsOf pages the groups (of user u, or all) ordered by name.
func (a *api) groupsOf(u *core.UserInfo) error {
	gs, err := a.sess.Groups(a.r.Context())
	if err != nil {
		return err
	}
	if u != nil {
		gs = slices.DeleteFunc(gs, func(g core.GroupInfo) bool { return !memberOf(*u, g.ID) })
	}
	slices.SortStableFunc(gs, func(x, y core.GroupInfo) int {
		return cmp.Or(strings.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name)), cmp.Compare(x.ID, y.ID))
	})
	lo := min(a.opts.offset, len(gs))
	pg := gs[lo:min(lo+a.opts.limit, len(gs))]
	data := make([]omejson.M, len(pg))
	for i, g := range pg {
		data[i] = a.encodeGroup(g.Group)
	}
	return a.writeList(data, len(gs))
}
