package main

// The CLI as a client of an Ocular server: which server a command works
// against, dialling it with the certificate pinned at login, and the
// sessions saved for it. Everything a verb does goes through core.Session,
// so verbs work the same on a folder and on a server; only the verbs that
// need the folder itself (init, repair, demo, watch, serve) refuse a server.

import (
	"errors"
	"fmt"

	"github.com/ocular-lab/ocular/app/cliconfig"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote"
)

// remoteAddress is the server this command works against, "" for the local
// repository: --server when given; else the server of the saved login,
// unless --repo names a folder on the command line.
func (e *Env) remoteAddress() string {
	if e.Server != "" {
		return cliconfig.CanonicalServer(e.Server)
	}
	if e.repoGiven {
		return ""
	}
	// A saved file that cannot be read leaves the command local: the
	// commands that need the saved login report the damage themselves.
	if saved, ok := e.savedSession(); ok && saved.Remote() {
		return saved.Server
	}
	return ""
}

// Remote reports whether this command works against a server (once its
// session or service was opened): the local thumbnail cache, pyramids and
// activity journal are then not this command's to touch.
func (e *Env) Remote() bool { return e.rsvc != nil }

// savedSession is the saved login, if any can be read.
func (e *Env) savedSession() (cliconfig.Session, bool) {
	path, err := e.configPath()
	if err != nil {
		return cliconfig.Session{}, false
	}
	saved, ok, err := cliconfig.Load(path)
	if err != nil {
		return cliconfig.Session{}, false
	}
	return saved, ok
}

// needLocal refuses a verb that works on a repository folder on this
// machine when the command would otherwise go to a server.
func (e *Env) needLocal() error {
	addr := e.remoteAddress()
	if addr == "" {
		return nil
	}
	verb := "this command"
	if e.cmd != nil {
		verb = "'ocular-cli " + e.cmd.Name + "'"
	}
	if e.Server != "" {
		return core.Errorf("", core.Invalid, "%s works on a repository folder on this machine, not on a server: give the folder with --repo DIR instead of --server", verb)
	}
	return core.Errorf("", core.Invalid, "you are logged in to the server %s, and %s works on a repository folder on this machine: give the folder with --repo DIR", addr, verb)
}

// remoteOptions are the connection options for addr: the certificate
// pinned by the saved login to the same server, or login's --fingerprint.
func (e *Env) remoteOptions(addr string) remote.Options {
	var o remote.Options
	if saved, ok := e.savedSession(); ok && cliconfig.SameServer(saved.Server, addr) {
		o.Fingerprint, o.Insecure = saved.Fingerprint, saved.Insecure
	}
	if e.Fingerprint != "" {
		o.Fingerprint = e.Fingerprint
	}
	o.Insecure = o.Insecure || e.InsecureHTTP
	return o
}

// RemoteService dials the server at addr (once per run) with the pinned
// certificate. A server not trusted yet is refused with a sentence saying
// to log in to it first, where its certificate is checked.
func (e *Env) RemoteService(addr string) (*remote.Service, error) {
	if e.rsvc != nil {
		return e.rsvc, nil
	}
	svc, err := remote.Dial(e.Ctx, addr, e.remoteOptions(addr))
	if err != nil {
		var ce *core.CertificateError
		if errors.As(err, &ce) && ce.Pinned == "" {
			return nil, fmt.Errorf("%w; log in to it first with 'ocular-cli --server %s login -u USER', which asks you to trust it", err, addr)
		}
		return nil, err
	}
	e.rsvc = svc
	return svc, nil
}

// remoteSession is Session for a command that works against a server: a
// login for this command only with -u, else the saved login's session.
func (e *Env) remoteSession(addr string) (core.Session, error) {
	if e.User == "" {
		saved, ok, err := e.loadSaved()
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, core.Errorf("", core.Auth, "you are not logged in to %s; run 'ocular-cli --server %s login -u USER' or give -u USER -w PASSWORD", addr, addr)
		}
		if !cliconfig.SameServer(saved.Server, addr) {
			return nil, core.Errorf("", core.Auth, "you are logged in to %s, not to %s; log in to this server with 'ocular-cli --server %s login -u USER'", saved.Where(), addr, addr)
		}
	}
	svc, err := e.RemoteService(addr)
	if err != nil {
		return nil, err
	}
	if e.User != "" {
		pw, err := e.loginPassword()
		if err != nil {
			return nil, err
		}
		s, err := svc.Login(e.Ctx, e.User, pw, e.Group)
		if err != nil {
			return nil, err
		}
		e.cleanup = append(e.cleanup, func() { s.Logout(e.Ctx) })
		e.sess = s
		return s, nil
	}
	saved, _, _ := e.loadSaved()
	s, err := svc.Resume(e.Ctx, saved.Key)
	if err != nil {
		if core.Is(core.Auth, err) || core.Is(core.NotFound, err) {
			return nil, core.Errorf("", core.Auth, "your saved session on %s has ended or expired; log in again with 'ocular-cli login -u %s'", addr, saved.Username)
		}
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

// loadSaved reads the saved login, reporting a damaged file.
func (e *Env) loadSaved() (cliconfig.Session, bool, error) {
	path, err := e.configPath()
	if err != nil {
		return cliconfig.Session{}, false, err
	}
	return cliconfig.Load(path)
}
