package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

// The membership verbs seen from the group's side, as in OMERO's CLI.

func init() {
	Register(&Command{Name: "group adduser", Args: "--name GROUP USER... [--as-owner]",
		Short: "add users to a group", Run: groupMembers("add")})
	Register(&Command{Name: "group removeuser", Args: "--name GROUP USER...",
		Short: "remove users from a group", Run: groupMembers("remove")})
	Register(&Command{Name: "group addowner", Args: "--name GROUP USER...",
		Short: "make users owners (PIs) of a group, adding them if needed", Run: groupMembers("addowner")})
	Register(&Command{Name: "group removeowner", Args: "--name GROUP USER...",
		Short: "make owners ordinary members again", Run: groupMembers("removeowner")})
}

func groupMembers(action string) func(*Env, []string) error {
	return func(env *Env, args []string) error {
		s, g, users, asOwner, err := membershipArgs(env, args, action == "add", 1)
		if err != nil {
			return err
		}
		before, err := userInfos(env, s, users) // names for the message, read before a removal
		if err != nil {
			return err
		}
		var verb string
		switch action {
		case "add":
			err, verb = s.AddToGroup(env.Ctx, g.ID, users, asOwner), "Added"
		case "addowner":
			err, verb = s.AddToGroup(env.Ctx, g.ID, users, true), "Made owners:"
		case "remove":
			err, verb = s.RemoveFromGroup(env.Ctx, g.ID, users, false), "Removed"
		case "removeowner":
			err, verb = s.RemoveFromGroup(env.Ctx, g.ID, users, true), "No longer owners:"
		}
		if err != nil {
			return err
		}
		after, err := s.Group(env.Ctx, fmt.Sprint(g.ID))
		if err != nil {
			return err
		}
		if after.Members == nil {
			after.Members = []core.MemberInfo{}
		}
		return env.Print(after, func(w io.Writer) {
			names := make([]string, len(before))
			for i, u := range before {
				names[i] = safe(u.Username)
			}
			fmt.Fprintf(w, "%s %s (group %s).\n", verb, strings.Join(names, ", "), safe(g.Name))
		})
	}
}
