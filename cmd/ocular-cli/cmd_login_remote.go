package main

// login and logout against a server (`ocular-cli --server URL login -u
// USER`, as `omero login -s host`): the certificate is checked on first
// contact (trust on first use, as ssh), then the server's session key and
// the pinned fingerprint are saved so later verbs need no --repo.

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ocular-lab/ocular/app/cliconfig"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote"
)

func runLoginRemote(env *Env, addr, sudo string) error {
	path, err := env.configPath()
	if err != nil {
		return err
	}
	svc, pin, err := dialTrusting(env, addr)
	if err != nil {
		return err
	}
	pw, err := env.loginPassword()
	if err != nil {
		return err
	}
	var s core.Session
	if sudo != "" {
		s, err = svc.Sudo(env.Ctx, sudo, pw, env.User, env.Group)
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
	server := cliconfig.CanonicalServer(svc.Address())
	// One login, one live session: end the previous saved session on the
	// same server.
	if old, ok, _ := cliconfig.Load(path); ok && cliconfig.SameServer(old.Server, server) && old.Key != s.Key() {
		if prev, err := svc.Resume(env.Ctx, old.Key); err == nil {
			prev.Logout(env.Ctx)
		}
	}
	saved := cliconfig.Session{Server: server, Fingerprint: pin, Insecure: env.InsecureHTTP, Key: s.Key(),
		Username: me.User.Username, Group: me.Group.Name}
	if err := cliconfig.Save(path, saved); err != nil {
		s.Logout(env.Ctx)
		return err
	}
	return env.Print(me, func(w io.Writer) {
		by := ""
		if sudo != "" {
			by = " (sudo by " + safe(sudo) + ")"
		}
		fmt.Fprintf(w, "Logged in as %s%s in group %s (%s) on %s.\n", safe(me.User.Username), by, safe(me.Group.Name), me.Group.Level, safe(server))
	})
}

// dialTrusting dials addr for login and settles the certificate question:
// a pinned certificate must match; a server seen for the first time is
// trusted when --fingerprint names its certificate, or when the user says
// so on the terminal after seeing the fingerprint. It returns the pin to
// save ("" when a certificate authority vouches for the server).
func dialTrusting(env *Env, addr string) (*remote.Service, string, error) {
	opts := env.remoteOptions(addr)
	svc, err := remote.Dial(env.Ctx, addr, opts)
	var ce *core.CertificateError
	if !errors.As(err, &ce) {
		if err != nil {
			return nil, "", err
		}
		env.rsvc = svc
		return svc, opts.Fingerprint, nil
	}
	switch {
	case ce.Pinned != "" && env.Fingerprint != "":
		return nil, "", core.Errorf("login", core.Permission, "the certificate of %s has the fingerprint %s, not the %s given with --fingerprint: check it with the server's administrator; nothing was saved", ce.Address, ce.Fingerprint, env.Fingerprint)
	case ce.Pinned != "":
		return nil, "", fmt.Errorf("%w; nothing was saved (if the administrator did replace the certificate, confirm the new fingerprint with them and log in again with --fingerprint and it)", err)
	}
	// First contact: show the fingerprint and ask.
	if !env.canAsk() {
		return nil, "", core.Errorf("login", core.Permission, "%s; standard input is not a terminal to ask on, so if you trust it, give its fingerprint: ocular-cli --server %s login -u %s --fingerprint %s",
			strings.TrimSuffix(ce.Error(), "."), addr, env.User, ce.Fingerprint)
	}
	fmt.Fprintf(env.Stderr, "The server %s is not known yet; no certificate authority vouches for its certificate.\n", safe(ce.Address))
	fmt.Fprintf(env.Stderr, "Certificate fingerprint: %s\n", ce.Fingerprint)
	fmt.Fprintln(env.Stderr, "Compare it with the fingerprint the server printed when it started ('ocular-cli serve'), or ask its administrator.")
	yes, err := env.confirm("Trust this server? [y/N] ")
	if err != nil {
		return nil, "", err
	}
	if !yes {
		return nil, "", core.Errorf("login", core.Permission, "%s was not trusted; nothing was saved", ce.Address)
	}
	opts.Fingerprint = ce.Fingerprint
	svc, err = remote.Dial(env.Ctx, addr, opts)
	if err != nil {
		return nil, "", err
	}
	env.rsvc = svc
	return svc, opts.Fingerprint, nil
}

// logoutRemote ends the saved session on its server and forgets it here. A
// server that cannot be reached keeps the session until it expires; the
// key is forgotten on this machine all the same, and the user is told.
func logoutRemote(env *Env, path string, saved cliconfig.Session) error {
	var warn string
	svc, err := remote.Dial(env.Ctx, saved.Server, remote.Options{Fingerprint: saved.Fingerprint, Insecure: saved.Insecure})
	if err == nil {
		env.rsvc = svc
		var s core.Session
		if s, err = svc.Resume(env.Ctx, saved.Key); err == nil {
			err = s.Logout(env.Ctx)
		} else if core.Is(core.Auth, err) || core.Is(core.NotFound, err) {
			err = nil // already ended or expired
		}
	}
	if err != nil {
		warn = core.UserMessage(err)
	}
	if err := cliconfig.Clear(path); err != nil {
		return err
	}
	if warn != "" {
		fmt.Fprintf(env.Stderr, "warning: the session could not be ended on the server (%s); it ends there when it expires\n", safe(oneLine(warn)))
	}
	type result struct {
		LoggedOut bool   `json:"loggedOut"`
		User      string `json:"user,omitempty"`
		Server    string `json:"server"`
		Ended     bool   `json:"endedOnServer"`
	}
	return env.Print(result{true, saved.Username, saved.Server, warn == ""}, func(w io.Writer) {
		fmt.Fprintf(w, "Logged out %s from %s.\n", safe(saved.Username), safe(saved.Server))
	})
}
