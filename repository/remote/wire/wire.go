// Package wire holds what both ends of Ocular's HTTP protocol agree on: the
// route prefixes, the headers, the protocol version, and how a core.Error
// travels (status code and JSON body in OMERO's error shape, with the kind
// added so the client rebuilds the same core.Kind).
package wire

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

const (
	// APIPrefix is the OMERO JSON API (spec/omero-json-api.md §1–2).
	APIPrefix = "/api/v0/"
	// GatewayPrefix is OMERO's webgateway: rendered planes, thumbnails,
	// rendering settings (§3).
	GatewayPrefix = "/webgateway/"
	// OcularPrefix holds the operations OMERO.web has no route for.
	OcularPrefix = "/ocular/v1/"
	// ZarrPrefix serves images as read-only OME-Zarr.
	ZarrPrefix = "/zarr/v1/"

	// OMEROVersionHeader is on every JSON API response, as OMERO.web does.
	OMEROVersionHeader = "X-OMERO-ApiVersion"
	OMEROVersion       = "0.2"
	// VersionHeader carries Protocol on every response, so a client can tell
	// an Ocular server (and a newer one) from anything else.
	VersionHeader = "X-Ocular-Protocol"
	// Protocol is this build's protocol version. A server answers clients of
	// its own version or older; a client refuses a newer server with a
	// sentence saying to update.
	Protocol = 1
	// SessionHeader carries the session key of a non-browser client. Browsers
	// use SessionCookie plus CSRF instead.
	SessionHeader = "X-Ocular-Session"
	// SessionCookie is OMERO.web's (Django's) session cookie name.
	SessionCookie = "sessionid"
	// CSRFCookie and CSRFHeader are Django's names, as OMERO.web uses them.
	CSRFCookie = "csrftoken"
	CSRFHeader = "X-CSRFToken"
	// GroupHeader asks for one request to run in another group (the CLI's -g,
	// core.Session.InGroup): it changes nothing stored.
	GroupHeader = "X-Ocular-Group"
)

// ErrorBody is OMERO's error shape with Ocular's kind added.
type ErrorBody struct {
	Message string `json:"message"`
	// Kind is core.Kind's name ("NotFound"...): the client's errors have the
	// same kind as in-process ones.
	Kind string `json:"ocular:kind,omitempty"`
	Op   string `json:"ocular:op,omitempty"`
}

var kindNames = map[core.Kind]string{
	core.Other: "Other", core.NotFound: "NotFound", core.Permission: "Permission", core.Conflict: "Conflict",
	core.Invalid: "Invalid", core.IO: "IO", core.Auth: "Auth", core.Unsupported: "Unsupported", core.Internal: "Internal",
}

// KindName is k's wire name.
func KindName(k core.Kind) string { return kindNames[k] }

// ParseKind is KindName's inverse; unknown names are Other.
func ParseKind(s string) core.Kind {
	for k, n := range kindNames {
		if n == s {
			return k
		}
	}
	return core.Other
}

// Status is the HTTP status OMERO.web answers for an error of kind k. Auth is
// 403 as OMERO.web's "Not logged in".
func Status(k core.Kind) int {
	switch k {
	case core.NotFound:
		return http.StatusNotFound
	case core.Permission, core.Auth:
		return http.StatusForbidden
	case core.Conflict:
		return http.StatusConflict
	case core.Invalid:
		return http.StatusBadRequest
	case core.Unsupported:
		return http.StatusUnsupportedMediaType
	case core.IO:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Body is the error body for err: the user's sentence, never a stack trace
// or a file path of the server.
func Body(err error) ErrorBody {
	b := ErrorBody{Message: core.UserMessage(err), Kind: KindName(core.KindOf(err))}
	var e *core.Error
	if errors.As(err, &e) {
		b.Op = e.Op
	}
	return b
}

// Decode rebuilds a core error from a response's status and body. A body
// that is not Ocular's still gives an error of the status's kind.
func Decode(status int, body []byte) error {
	var b ErrorBody
	if json.Unmarshal(body, &b) != nil || b.Message == "" {
		msg := strings.TrimSpace(string(body))
		if len(msg) > 200 || strings.HasPrefix(msg, "<") {
			msg = http.StatusText(status)
		}
		b.Message = msg
	}
	k := ParseKind(b.Kind)
	if b.Kind == "" {
		switch status {
		case http.StatusNotFound:
			k = core.NotFound
		case http.StatusForbidden:
			k = core.Permission
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			k = core.Invalid
		case http.StatusConflict:
			k = core.Conflict
		case http.StatusUnauthorized:
			k = core.Auth
		}
	}
	return &core.Error{Op: b.Op, Kind: k, Msg: b.Message}
}
