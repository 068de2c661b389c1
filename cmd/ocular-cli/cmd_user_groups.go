package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

// The membership verbs seen from the user's side; cmd_group_members.go has
// the same operations from the group's side (`group adduser`).

func init() {
	Register(&Command{Name: "user joingroup", Args: "--name GROUP USER... [--as-owner]",
		Short: "add users to a group", Run: runUserJoinGroup})
	Register(&Command{Name: "user leavegroup", Args: "--name GROUP USER...",
		Short: "remove users from a group", Run: runUserLeaveGroup})
	Register(&Command{Name: "user setdefaultgroup", Args: "--name GROUP [USER]",
		Short: "set the group a user starts in (yours without USER)", Run: runUserSetDefaultGroup})
}

// membershipArgs parses `--name GROUP USER...` and resolves both.
func membershipArgs(env *Env, args []string, withOwner bool, minUsers int) (s core.Session, g core.GroupInfo, users []core.ID, asOwner bool, err error) {
	fs := env.Flags()
	name := fs.String("name", "", "the group")
	var owner *bool
	if withOwner {
		owner = fs.Bool("as-owner", false, "make them owners (PIs) of the group")
	}
	pos, err := env.Parse(fs, args, minUsers, -1)
	if err != nil {
		return
	}
	if *name == "" {
		err = env.Usagef("give the group with --name GROUP")
		return
	}
	if s, err = env.Session(); err != nil {
		return
	}
	if g, err = s.Group(env.Ctx, *name); err != nil {
		return
	}
	if len(pos) == 0 { // only setdefaultgroup allows it: yourself
		me, err2 := s.Me(env.Ctx)
		if err = err2; err != nil {
			return
		}
		users = []core.ID{me.User.ID}
	} else if users, err = userIDs(env, s, pos); err != nil {
		return
	}
	if owner != nil {
		asOwner = *owner
	}
	return
}

// printUsers shows users after a membership change.
func printUsers(env *Env, s core.Session, ids []core.ID, verb string, g core.GroupInfo) error {
	infos, err := userInfos(env, s, ids)
	if err != nil {
		return err
	}
	return env.Print(infos, func(w io.Writer) {
		names := make([]string, len(infos))
		for i, u := range infos {
			names[i] = safe(u.Username)
		}
		fmt.Fprintf(w, "%s %s %s.\n", verb, strings.Join(names, ", "), safe(g.Name))
	})
}

func runUserJoinGroup(env *Env, args []string) error {
	s, g, users, asOwner, err := membershipArgs(env, args, true, 1)
	if err != nil {
		return err
	}
	if err := s.AddToGroup(env.Ctx, g.ID, users, asOwner); err != nil {
		return err
	}
	verb := "Added to"
	if asOwner {
		verb = "Made owners of"
	}
	return printUsers(env, s, users, verb, g)
}

func runUserLeaveGroup(env *Env, args []string) error {
	s, g, users, _, err := membershipArgs(env, args, false, 1)
	if err != nil {
		return err
	}
	if err := s.RemoveFromGroup(env.Ctx, g.ID, users, false); err != nil {
		return err
	}
	return printUsers(env, s, users, "Removed from", g)
}

func runUserSetDefaultGroup(env *Env, args []string) error {
	s, g, users, _, err := membershipArgs(env, args, false, 0)
	if err != nil {
		return err
	}
	if len(users) != 1 {
		return env.Usagef("give one user")
	}
	if err := s.SetDefaultGroup(env.Ctx, users[0], g.ID); err != nil {
		return err
	}
	infos, err := userInfos(env, s, users)
	if err != nil {
		return err
	}
	return env.Print(infos[0], func(w io.Writer) {
		fmt.Fprintf(w, "The default group of %s is now %s.\n", safe(infos[0].Username), safe(g.Name))
	})
}
