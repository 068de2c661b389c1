package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

func init() {
	Register(&Command{Name: "user add", Args: "USERNAME FIRST LAST [GROUP...] --group-name GROUP [--group-name G2] -P PASSWORD [-e EMAIL] [-i INSTITUTION] [-a [--privileges P1,P2]]",
		Short: "create a user (the first group is the default group)", Run: runUserAdd})
	Register(&Command{Name: "user list", Short: "list the users", Run: runUserList})
	Register(&Command{Name: "user info", Args: "USER", Short: "show a user and their groups", Run: runUserInfo})
	Register(&Command{Name: "user password", Args: "[USER] [--password NEW] [--old-password OLD]",
		Short: "change your password, or (administrators) another user's", Run: runUserPassword})
	Register(&Command{Name: "user privileges", Args: "USER --set P1,P2",
		Short: "set the privileges of a restricted administrator", Run: runUserPrivileges})
}

func runUserAdd(env *Env, args []string) error {
	fs := env.Flags()
	groups := fs.StringArray("group-name", nil, "a group of the user; repeat for several (the first is the default group)")
	pw := fs.StringP("userpassword", "P", "", "the new user's password (asked on the terminal when absent)")
	email := fs.StringP("email", "e", "", "e-mail address")
	inst := fs.StringP("institution", "i", "", "institution")
	admin := fs.BoolP("admin", "a", false, "make the user an administrator (full, unless --privileges restricts it)")
	privs := fs.String("privileges", "", "with -a: a restricted administrator holding these privileges (comma-separated, e.g. Chown,Sudo)")
	pos, err := env.Parse(fs, args, 3, -1)
	if err != nil {
		return err
	}
	nu := core.NewUser{Username: pos[0], FirstName: pos[1], LastName: pos[2], Email: *email, Institution: *inst, Admin: *admin}
	if fs.Changed("privileges") {
		if !*admin {
			return env.Usagef("--privileges makes a restricted administrator; add -a/--admin")
		}
		if nu.Privileges, err = parsePrivileges(*privs); err != nil {
			return err
		}
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	names := append(slices.Clone(*groups), pos[3:]...) // OMERO also takes groups after LAST
	var groupNames []string
	for _, n := range names {
		g, err := s.Group(env.Ctx, n)
		if err != nil {
			return err
		}
		nu.Groups = append(nu.Groups, g.ID)
		groupNames = append(groupNames, g.Name)
	}
	if len(nu.Groups) == 0 {
		return env.Usagef("give the user's group with --group-name GROUP")
	}
	nu.Password = *pw
	if nu.Password == "" {
		if nu.Password, err = env.newPassword(nu.Username, "give it with -P PASSWORD"); err != nil {
			return err
		}
	}
	e, err := s.CreateUser(env.Ctx, nu)
	if err != nil {
		return err
	}
	return env.Print(e, func(w io.Writer) {
		fmt.Fprintf(w, "Added user %s (Experimenter:%d) to %s.\n", safe(e.Username), e.ID, safe(strings.Join(groupNames, ", ")))
	})
}

func runUserList(env *Env, args []string) error {
	fs := env.Flags()
	if _, err := env.Parse(fs, args, 0, 0); err != nil {
		return err
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	users, err := s.Users(env.Ctx)
	if err != nil {
		return err
	}
	if users == nil {
		users = []core.UserInfo{}
	}
	return env.Print(users, func(w io.Writer) {
		rows := make([][]string, len(users))
		for i, u := range users {
			rows[i] = []string{fmt.Sprint(u.ID), u.Username, u.FullName(), u.Email, u.DefaultName,
				strings.Join(u.GroupNames, ","), role(u)}
		}
		table(w, []string{"ID", "USERNAME", "NAME", "EMAIL", "DEFAULT GROUP", "GROUPS", "ROLE"}, rows)
	})
}

func role(u core.UserInfo) string {
	switch {
	case u.Admin && u.Privileges == nil:
		return "admin"
	case u.Admin:
		return "restricted admin"
	}
	return "user"
}

func runUserInfo(env *Env, args []string) error {
	fs := env.Flags()
	pos, err := env.Parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	u, err := s.User(env.Ctx, pos[0])
	if err != nil {
		return err
	}
	return env.Print(u, func(w io.Writer) { writeUserInfo(w, u) })
}

func writeUserInfo(w io.Writer, u core.UserInfo) {
	fmt.Fprintf(w, "id=%d\nusername=%s\nfirstName=%s\nlastName=%s\n", u.ID, safe(u.Username), safe(u.FirstName), safe(u.LastName))
	if u.Email != "" {
		fmt.Fprintf(w, "email=%s\n", safe(u.Email))
	}
	if u.Institution != "" {
		fmt.Fprintf(w, "institution=%s\n", safe(u.Institution))
	}
	fmt.Fprintf(w, "role=%s\n", role(u))
	if u.Admin && u.Privileges != nil {
		fmt.Fprintf(w, "privileges=%s\n", joinPrivs(u.Privileges))
	}
	fmt.Fprintf(w, "defaultGroup=%s\n", safe(u.DefaultName))
	var gs []string
	for i, m := range u.Groups {
		n := safe(u.GroupNames[i])
		if m.Owner {
			n += " (owner)"
		}
		gs = append(gs, n)
	}
	fmt.Fprintf(w, "groups=%s\n", strings.Join(gs, ", "))
}

func runUserPassword(env *Env, args []string) error {
	fs := env.Flags("password") // --password is the new one here; -w stays the login password
	newPW := fs.String("password", "", "the new password (asked on the terminal when absent)")
	oldPW := fs.String("old-password", "", "your current password, when changing your own")
	pos, err := env.Parse(fs, args, 0, 1)
	if err != nil {
		return err
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	me, err := s.Me(env.Ctx)
	if err != nil {
		return err
	}
	target := me.User
	if len(pos) == 1 {
		u, err := s.User(env.Ctx, pos[0])
		if err != nil {
			return err
		}
		target = u.Experimenter
	}
	old := *oldPW
	self := target.ID == me.User.ID
	if self && old == "" && !slices.Contains(me.Privileges, core.PrivModifyUser) {
		if env.User != "" && env.Password != "" {
			old = env.Password // just logged in with it
		} else if old, err = env.readPassword("Current password: ", "give it with --old-password OLD"); err != nil {
			return err
		}
	}
	pw := *newPW
	if pw == "" {
		if pw, err = env.newPassword(target.Username, "give it with --password NEW"); err != nil {
			return err
		}
	}
	if err := s.SetPassword(env.Ctx, target.ID, old, pw); err != nil {
		return err
	}
	return env.Print(struct {
		User    string `json:"user"`
		Changed bool   `json:"passwordChanged"`
	}{target.Username, true}, func(w io.Writer) {
		fmt.Fprintf(w, "Changed the password of %s.\n", safe(target.Username))
	})
}

func runUserPrivileges(env *Env, args []string) error {
	fs := env.Flags()
	set := fs.String("set", "", "the privileges to hold, comma-separated (\"\" for none): "+allPrivNames())
	pos, err := env.Parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if !fs.Changed("set") {
		return env.Usagef("give the privileges with --set P1,P2")
	}
	privs, err := parsePrivileges(*set)
	if err != nil {
		return err
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	u, err := s.User(env.Ctx, pos[0])
	if err != nil {
		return err
	}
	if err := s.SetPrivileges(env.Ctx, u.ID, privs); err != nil {
		return err
	}
	if u, err = s.User(env.Ctx, fmt.Sprint(u.ID)); err != nil {
		return err
	}
	return env.Print(u, func(w io.Writer) {
		fmt.Fprintf(w, "%s now holds: %s\n", safe(u.Username), joinPrivs(u.Privileges))
	})
}

func allPrivNames() string {
	s := make([]string, len(core.AllPrivileges))
	for i, p := range core.AllPrivileges {
		s[i] = string(p)
	}
	return strings.Join(s, ",")
}
