package core

import "fmt"

// CertificateError is a server whose TLS certificate the client was not told
// to trust: first contact (Pinned empty) or a certificate that changed since
// it was trusted (Pinned is the old fingerprint). The desktop and the CLI
// show the fingerprint and ask before trusting it, as ssh does.
type CertificateError struct {
	Address     string
	Fingerprint string // "SHA256:" and the hex of the SHA-256 of the certificate's DER
	Pinned      string
}

func (e *CertificateError) Error() string {
	if e.Pinned != "" {
		return fmt.Sprintf("the certificate of %s has changed (it was %s, it is now %s): if the server's administrator did not replace it, someone may be intercepting the connection", e.Address, e.Pinned, e.Fingerprint)
	}
	return fmt.Sprintf("%s is not known yet: its certificate fingerprint is %s; check it with the server's administrator before trusting it", e.Address, e.Fingerprint)
}
