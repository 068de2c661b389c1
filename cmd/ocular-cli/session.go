package main

import (
	"github.com/ocular-lab/ocular/app/cliconfig"
	"github.com/ocular-lab/ocular/core"
)

// configPath is the saved-session file.
func (e *Env) configPath() (string, error) {
	if e.main.ConfigPath != "" {
		return e.main.ConfigPath, nil
	}
	return cliconfig.DefaultPath()
}

// Session returns the logged-in session for this command: with -u, a login
// for this command only (ended when the command ends); otherwise the
// session saved by `login` for this repository. Against a server (--server,
// or a saved login on one and no --repo) the session is the server's
// (remote.go). With -g it works in that
// group for this command only: the group lives in this process's session
// value, so the saved login, and every other command using it at the same
// moment, keep their group whatever happens to this one.
func (e *Env) Session() (core.Session, error) {
	if e.sess != nil {
		return e.sess, nil
	}
	if e.Password != "" && e.User == "" {
		return nil, e.Usagef("-w gives the password of -u USER; give both")
	}
	if addr := e.remoteAddress(); addr != "" {
		return e.remoteSession(addr)
	}
	svc, err := e.Service()
	if err != nil {
		return nil, err
	}
	if e.User != "" {
		pw, err := e.loginPassword()
		if err != nil {
			return nil, err
		}
		// A login for this command only need not be stored: on a full disk
		// it is kept in memory, and reading commands still work.
		svc.AllowUnsavedSessions(true)
		s, err := svc.Login(e.Ctx, e.User, pw, e.Group)
		if err != nil {
			return nil, err
		}
		e.cleanup = append(e.cleanup, func() { s.Logout(e.Ctx) })
		e.sess = s
		return s, nil
	}
	s, err := e.resumeSaved()
	if err != nil {
		return nil, err
	}
	if e.Group != "" {
		if s, err = e.inGroupForCommand(s); err != nil {
			return nil, err
		}
	}
	e.sess = s
	return s, nil
}

// loginPassword is -w, or a prompt when stdin is a terminal.
func (e *Env) loginPassword() (string, error) {
	if e.Password != "" {
		return e.Password, nil
	}
	return e.readPassword("Password for "+e.User+": ", "give the password with -w PASSWORD")
}

// resumeSaved continues the session saved by `login`, if it belongs to the
// repository of this command.
func (e *Env) resumeSaved() (core.Session, error) {
	path, err := e.configPath()
	if err != nil {
		return nil, err
	}
	saved, ok, err := cliconfig.Load(path)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, core.Errorf("", core.Auth, "you are not logged in; run 'ocular-cli login -u USER' or give -u USER -w PASSWORD")
	}
	if saved.Remote() || !cliconfig.SameRepository(saved.Repository, e.Repo) {
		return nil, core.Errorf("", core.Auth, "you are logged in to %s, not to %s; log in to this repository with 'ocular-cli --repo %s login -u USER'", saved.Where(), e.Repo, e.Repo)
	}
	svc, err := e.Service()
	if err != nil {
		return nil, err
	}
	s, err := svc.Resume(e.Ctx, saved.Key)
	if err != nil {
		if core.Is(core.Auth, err) || core.Is(core.NotFound, err) {
			return nil, core.Errorf("", core.Auth, "your saved session for %s has ended or expired; log in again with 'ocular-cli login -u %s'", saved.Username, saved.Username)
		}
		return nil, err
	}
	return s, nil
}

// inGroupForCommand gives a resumed session working in -g's group for this
// command only (nothing is written to the repository or the session file).
func (e *Env) inGroupForCommand(s core.Session) (core.Session, error) {
	g, err := s.Group(e.Ctx, e.Group)
	if err != nil {
		return nil, err
	}
	return s.InGroup(e.Ctx, g.ID)
}

// readPassword reads a password without echo. It refuses, with hint, when
// there is no terminal to ask on (a password is never read from a pipe).
func (e *Env) readPassword(prompt, hint string) (string, error) {
	if e.main.ReadPassword != nil {
		return e.main.ReadPassword(prompt)
	}
	pw, isTerm, err := e.main.terminalPassword(e.Ctx, prompt)
	if !isTerm {
		return "", e.Usagef("no password given and standard input is not a terminal to ask on; %s", hint)
	}
	if err != nil {
		if e.Ctx.Err() != nil {
			return "", e.Ctx.Err()
		}
		return "", core.E("read password", core.IO, "cannot read the password from the terminal", err)
	}
	return pw, nil
}

// newPassword asks twice for a new password and checks both agree.
func (e *Env) newPassword(whose, hint string) (string, error) {
	pw, err := e.readPassword("New password for "+whose+": ", hint)
	if err != nil {
		return "", err
	}
	if pw == "" {
		return "", core.Errorf("", core.Invalid, "the password must not be empty; nothing was changed")
	}
	again, err := e.readPassword("Repeat the password: ", hint)
	if err != nil {
		return "", err
	}
	if again != pw {
		return "", core.Errorf("", core.Invalid, "the two passwords differ; nothing was changed")
	}
	return pw, nil
}
