package server

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

func itoa(n int) string { return strconv.Itoa(n) }

// writeJSON writes v as the response with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, core.E("encode", core.Internal, err))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

// writeError answers err in OMERO's error shape with the status of its
// kind. NotFound bodies carry only the sentence, so an object the caller
// may not see answers exactly like a missing one.
func writeError(w http.ResponseWriter, err error) {
	writeJSON(w, wire.Status(core.KindOf(err)), wire.Body(err))
}

// errBodyTooLarge is returned by decodeJSON for a body over the limit.
var errBodyTooLarge = core.Errorf("", core.Invalid, "the request is too large")

// decodeJSON reads r's body into v: at most s.limits.MaxBody bytes, at most
// MaxJSONDepth levels deep, unknown fields refused.
func (s *Server) decodeJSON(r *http.Request, v any) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, s.limits.MaxBody+1))
	if err != nil {
		return core.E("read request", core.Invalid, err)
	}
	if int64(len(b)) > s.limits.MaxBody {
		return errBodyTooLarge
	}
	if err := checkDepth(b, s.limits.MaxJSONDepth); err != nil {
		return err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return core.Errorf("", core.Invalid, "the request is not valid JSON for this route: %v", err)
	}
	return nil
}

// checkDepth refuses JSON nested deeper than max before it is decoded (the
// decoder's own recursion would otherwise follow a hostile body).
func checkDepth(b []byte, max int) error {
	depth, inString, escaped := 0, false, false
	for _, c := range b {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			depth++
			if depth > max {
				return core.Errorf("", core.Invalid, "the request nests deeper than %d levels", max)
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return nil
}
