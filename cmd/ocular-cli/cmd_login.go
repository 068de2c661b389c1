package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/ocular-lab/ocular/app/cliconfig"
	"github.com/ocular-lab/ocular/core"
)

func init() {
	Register(&Command{Name: "login", Args: "[-s URL [--fingerprint SHA256:...]] -u USER [-w PASSWORD] [-g GROUP] [--sudo ADMIN]",
		Short: "log in and keep the session for later commands, to a repository folder or to a server with -s URL (--sudo ADMIN: an administrator works as -u USER, as omero login --sudo)", Run: runLogin})
	Register(&Command{Name: "logout", Short: "end the saved session", Run: runLogout})
	Register(&Command{Name: "whoami", Short: "show who is logged in, in which group", Run: runWhoami})
}

func runLogin(env *Env, args []string) error {
	fs := env.Flags("server")
	fs.StringVarP(&env.Server, "server", "s", env.Server, "log in to the Ocular server at `URL` (https://host:port), as omero login -s")
	fs.StringVar(&env.Fingerprint, "fingerprint", "", "trust the server whose certificate has this fingerprint `SHA256:...` (printed by 'ocular-cli serve') without asking")
	fs.BoolVar(&env.InsecureHTTP, "insecure", false, "allow plain http:// to a server that is not on this machine (passwords travel unencrypted)")
	sudo := fs.String("sudo", "", "log in as -u USER on the authority of the administrator `ADMIN`, whose password -w gives, as omero login --sudo (ADMIN needs the Sudo privilege; everything created is USER's)")
	pos, err := env.Parse(fs, args, 0, 1)
	if err != nil {
		return err
	}
	if len(pos) == 1 && env.User == "" { // `login USER` as a shorthand
		env.User = pos[0]
	}
	if env.User == "" {
		return env.Usagef("give the user to log in as with -u USER")
	}
	if addr := env.remoteAddress(); addr != "" {
		return runLoginRemote(env, addr, *sudo)
	}
	path, err := env.configPath()
	if err != nil {
		return err
	}
	svc, err := env.Service()
	if err != nil {
		return err
	}
	pw, err := env.loginPassword()
	if err != nil {
		return err
	}
	var s core.Session
	if *sudo != "" {
		s, err = svc.Sudo(env.Ctx, *sudo, pw, env.User, env.Group)
	} else {
		s, err = svc.Login(env.Ctx, env.User, pw, env.Group)
	}
	if err != nil {
		return err
	}
	me, err := s.Me(env.Ctx)
	if err != nil {
		s.Logout(env.Ctx)
		return err
	}
	// End the previous saved session of this repository: one login, one
	// live session.
	if old, ok, _ := cliconfig.Load(path); ok && cliconfig.SameRepository(old.Repository, env.Repo) && old.Key != s.Key() {
		if prev, err := svc.Resume(env.Ctx, old.Key); err == nil {
			prev.Logout(env.Ctx)
		}
	}
	saved := cliconfig.Session{Repository: cliconfig.CanonicalPath(env.Repo), Key: s.Key(),
		Username: me.User.Username, Group: me.Group.Name}
	if err := cliconfig.Save(path, saved); err != nil {
		s.Logout(env.Ctx)
		return err
	}
	return env.Print(me, func(w io.Writer) {
		by := ""
		if *sudo != "" {
			by = " (sudo by " + safe(*sudo) + ")"
		}
		fmt.Fprintf(w, "Logged in as %s%s in group %s (%s) on %s.\n", safe(me.User.Username), by, safe(me.Group.Name), me.Group.Level, safe(saved.Repository))
	})
}

func runLogout(env *Env, args []string) error {
	fs := env.Flags()
	if _, err := env.Parse(fs, args, 0, 0); err != nil {
		return err
	}
	path, err := env.configPath()
	if err != nil {
		return err
	}
	saved, ok, err := cliconfig.Load(path)
	if err != nil {
		return err
	}
	type result struct {
		LoggedOut  bool   `json:"loggedOut"`
		User       string `json:"user,omitempty"`
		Repository string `json:"repository,omitempty"`
	}
	if !ok {
		return env.Print(result{}, func(w io.Writer) { fmt.Fprintln(w, "Not logged in.") })
	}
	if saved.Remote() {
		return logoutRemote(env, path, saved)
	}
	// End the session in the repository it belongs to, whatever --repo
	// says; a repository that is gone has nothing left to end.
	env.Repo = saved.Repository
	if svc, err := env.Service(); err == nil {
		if s, err := svc.Resume(env.Ctx, saved.Key); err == nil {
			if err := s.Logout(env.Ctx); err != nil {
				return err
			}
		}
	}
	if err := cliconfig.Clear(path); err != nil {
		return err
	}
	return env.Print(result{true, saved.Username, saved.Repository}, func(w io.Writer) {
		fmt.Fprintf(w, "Logged out %s from %s.\n", safe(saved.Username), safe(saved.Repository))
	})
}

func runWhoami(env *Env, args []string) error {
	fs := env.Flags()
	if _, err := env.Parse(fs, args, 0, 0); err != nil {
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
	if me.Groups == nil {
		me.Groups = []core.GroupInfo{}
	}
	return env.Print(me, func(w io.Writer) {
		role := "user"
		switch {
		case me.FullAdmin:
			role = "full administrator"
		case me.Admin:
			role = "restricted administrator (" + joinPrivs(me.Privileges) + ")"
		}
		var groups []string
		for _, g := range me.Groups {
			groups = append(groups, safe(g.Name))
		}
		fmt.Fprintf(w, "user:       %s (%s), Experimenter:%d\n", safe(me.User.Username), safe(me.User.FullName()), me.User.ID)
		fmt.Fprintf(w, "group:      %s (%s)\n", safe(me.Group.Name), me.Group.Level)
		fmt.Fprintf(w, "groups:     %s\n", strings.Join(groups, ", "))
		fmt.Fprintf(w, "role:       %s\n", role)
		if env.Remote() {
			fmt.Fprintf(w, "server:     %s\n", safe(env.rsvc.Address()))
			return
		}
		fmt.Fprintf(w, "repository: %s\n", safe(me.Repository))
	})
}

func joinPrivs(ps []core.Privilege) string {
	if len(ps) == 0 {
		return "no privileges"
	}
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = string(p)
	}
	return strings.Join(s, ",")
}
