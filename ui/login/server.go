package login

import "strings"

// The two places to log in, as the Mode radio shows them.
const (
	ModeFolder = "Folder"
	ModeServer = "Server"
)

// Preferences the login screen keeps between runs: the mode used last, the
// servers used before (the last one first) and, per server address, the
// certificate fingerprint the user trusted (prefPin + address).
const (
	prefMode    = "login.mode"
	prefServers = "login.servers"
	prefPin     = "login.pin."
)

// maxServers bounds the remembered servers: the list is a convenience, not
// a history.
const maxServers = 10

// ServerMode reports whether the form logs in to a server.
func (v *View) ServerMode() bool { return v.Mode.Selected == ModeServer }

// modeChanged shows the folder or the server address, with its label.
func (v *View) modeChanged() {
	server := v.ServerMode()
	label := "Repository"
	if server {
		label = "Server"
		v.folder.Hide()
		v.Server.Show()
	} else {
		v.Server.Hide()
		v.folder.Show()
	}
	if v.form != nil && len(v.form.Items) > 0 && v.form.Items[0].Text != label {
		v.form.Items[0].Text = label
		v.form.Refresh()
	}
	if v.Error != nil {
		v.Error.Hide() // a folder's error says nothing about a server
	}
}

// address is what the user typed as a server address, in the form pins
// and the list are kept under: no spaces, no trailing slash. A bare
// host:port gets https://, the only scheme a remote server speaks.
func address(s string) string {
	s = strings.TrimRight(strings.TrimSpace(s), "/")
	if s != "" && !strings.Contains(s, "://") {
		s = "https://" + s
	}
	return s
}

func (v *View) remembered(key string) string {
	if v.opts.Prefs == nil {
		return ""
	}
	return v.opts.Prefs.String(key)
}

// servers are the addresses logged in to before, the last one first.
func (v *View) servers() []string {
	if v.opts.Prefs == nil {
		return nil
	}
	return v.opts.Prefs.StringList(prefServers)
}

// pin is the trusted certificate of a server: the one given on the command
// line, else the one the user trusted before ("" on first contact).
func (v *View) pin(addr string) string {
	if v.opts.Fingerprint != "" && address(v.opts.Server) == addr {
		return v.opts.Fingerprint
	}
	return v.remembered(prefPin + addr)
}

// Pin is the certificate fingerprint trusted for a server address ("" when
// none is).
func (v *View) Pin(addr string) string { return v.pin(address(addr)) }

// trust remembers the certificate the user has just trusted for addr.
func (v *View) trust(addr, fingerprint string) {
	if v.opts.Prefs != nil {
		v.opts.Prefs.SetString(prefPin+addr, fingerprint)
	}
	if v.opts.Fingerprint != "" && address(v.opts.Server) == addr {
		v.opts.Fingerprint = fingerprint
	}
}

// remember keeps the mode and, after a login to a server, puts it first in
// the list of servers and keeps the pin it was reached with.
func (v *View) remember(r Result) {
	p := v.opts.Prefs
	if p == nil {
		return
	}
	if r.Server == "" {
		p.SetString(prefMode, ModeFolder)
		return
	}
	p.SetString(prefMode, ModeServer)
	list := []string{r.Server}
	for _, s := range p.StringList(prefServers) {
		if s != r.Server && len(list) < maxServers {
			list = append(list, s)
		}
	}
	p.SetStringList(prefServers, list)
	v.Server.SetOptions(list)
	if pin := v.pin(r.Server); pin != "" {
		p.SetString(prefPin+r.Server, pin)
	}
}
