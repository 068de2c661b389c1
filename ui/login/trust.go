package login

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/core"
)

// TrustDialog asks whether to trust a server's certificate, as ssh does on
// first contact: the user compares the fingerprint with the one the
// administrator gives (ocular-cli serve prints it when it starts). When the
// certificate changed since it was trusted the dialog says so in stronger
// words, since someone may be intercepting the connection.
type TrustDialog struct {
	Address     string
	Fingerprint string // presented now
	Pinned      string // trusted before ("" on first contact)
	Title       string
	d           *dialog.ConfirmDialog
}

// Changed reports a certificate that is not the one trusted before.
func (t *TrustDialog) Changed() bool { return t.Pinned != "" }

// askTrust shows the certificate of the server at addr (as typed in the
// form) and, when the user trusts it, keeps its pin and logs in again.
func (v *View) askTrust(addr string, ce *core.CertificateError) {
	t := &TrustDialog{Address: addr, Fingerprint: ce.Fingerprint, Pinned: ce.Pinned}
	var items []fyne.CanvasObject
	confirm := "Trust"
	if t.Changed() {
		t.Title = "WARNING: the server's certificate has CHANGED"
		confirm = "Trust the new certificate"
		warn := wrapped("The certificate of " + addr + " is NOT the one this computer trusted before. " +
			"Someone may be intercepting the connection to read your password and your data, " +
			"or the server's administrator has replaced the certificate.")
		warn.Importance = widget.DangerImportance
		warn.TextStyle.Bold = true
		items = append(items, warn,
			wrapped("Trusted before:"), fingerprint(ce.Pinned),
			wrapped("Presented now:"), fingerprint(ce.Fingerprint),
			wrapped("Do not trust it unless your administrator confirms this new fingerprint."))
	} else {
		t.Title = "First contact with " + addr
		items = append(items,
			wrapped("This computer has never connected to "+addr+". The server presents this certificate fingerprint:"),
			fingerprint(ce.Fingerprint),
			wrapped("Check with your administrator that it is the same (the server prints it when it starts) "+
				"before you trust it. Ocular then remembers it and warns you if it ever changes."))
	}
	t.d = dialog.NewCustomConfirm(t.Title, confirm, "Cancel", container.NewVBox(items...), func(ok bool) {
		v.Trust = nil
		if !ok {
			v.showError("Not connected: the certificate of " + addr + " was not trusted.")
			return
		}
		v.trust(addr, ce.Fingerprint)
		v.Login()
	}, v.opts.Window)
	if t.Changed() {
		t.d.SetConfirmImportance(widget.DangerImportance)
	}
	t.d.Resize(fyne.NewSize(600, t.d.MinSize().Height))
	v.Trust = t
	t.d.Show()
	if v.opts.OnEvent != nil {
		kind := "first"
		if t.Changed() {
			kind = "changed"
		}
		v.opts.OnEvent("trust " + kind + " " + addr + " " + ce.Fingerprint)
	}
}

func wrapped(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// fingerprint shows "SHA256:" and the hex in a fixed-width font, split into
// lines short enough to compare by eye.
func fingerprint(fp string) fyne.CanvasObject {
	const line = 32
	text := fp
	if len(fp) > 7+line {
		head, hex := fp[:7], fp[7:]
		text = head
		for len(hex) > 0 {
			n := min(line, len(hex))
			text += "\n" + hex[:n]
			hex = hex[n:]
		}
	}
	l := widget.NewLabel(text)
	l.TextStyle.Monospace = true
	l.Selectable = true
	return l
}
