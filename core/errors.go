package core

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an error so that the UI, the CLI and the wire protocol can
// react to it without parsing messages.
type Kind uint8

const (
	Other       Kind = iota
	NotFound         // the object does not exist or the user may not see it (never distinguish the two)
	Permission       // the user may see the object but may not do this to it
	Conflict         // the request clashes with existing state (duplicate link, name taken)
	Invalid          // the request itself is malformed (bad Class:ID, unknown group type, bad value)
	IO               // the file system or the database failed
	Auth             // wrong credentials or an expired session
	Unsupported      // a format or feature Ocular does not handle
	Internal         // a bug
)

var kindNames = [...]string{"error", "not found", "permission denied", "conflict", "invalid request",
	"I/O error", "authentication failed", "unsupported", "internal error"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "error"
}

// Error is Ocular's error type, in the manner of upspin.io/errors: the
// operation that failed, what kind of failure it was, a sentence a user can
// act on, and the wrapped cause for the log.
type Error struct {
	Op   string // e.g. "obj new", "link", "login"
	Kind Kind
	Msg  string // a sentence for the user; may be empty when Err says it all
	Err  error  // the cause, logged but not always shown
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	switch {
	case e.Msg != "":
		b.WriteString(e.Msg)
		if e.Err != nil {
			b.WriteString(": ")
			b.WriteString(e.Err.Error())
		}
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	default:
		b.WriteString(e.Kind.String())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// UserMessage is the sentence to show a user: the message without the
// operation prefix or the low-level cause chain (which goes to the log).
func UserMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		if e.Msg != "" {
			return e.Msg
		}
		if e.Err != nil {
			return UserMessage(e.Err)
		}
		return e.Kind.String()
	}
	if err == nil {
		return ""
	}
	return err.Error()
}

// E builds an *Error. Arguments may be, in any order: a string (first one is
// the Op, a second one the Msg), a Kind, an error (the cause).
func E(args ...any) error {
	e := &Error{}
	strs := 0
	for _, a := range args {
		switch v := a.(type) {
		case string:
			if strs == 0 {
				e.Op = v
			} else {
				e.Msg = v
			}
			strs++
		case Kind:
			e.Kind = v
		case error:
			e.Err = v
		}
	}
	if e.Kind == Other {
		var inner *Error
		if errors.As(e.Err, &inner) {
			e.Kind = inner.Kind
		}
	}
	return e
}

// Errorf builds an *Error with a formatted message.
func Errorf(op string, kind Kind, format string, args ...any) error {
	return &Error{Op: op, Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// KindOf returns the kind of the first *Error in err's chain, or Other.
func KindOf(err error) Kind {
	var e *Error
	for err != nil {
		if errors.As(err, &e) {
			if e.Kind != Other {
				return e.Kind
			}
			err = e.Err
			continue
		}
		break
	}
	return Other
}

// Is reports whether err's chain carries kind k.
func Is(k Kind, err error) bool { return KindOf(err) == k }

// ErrNotFound builds the one message used for objects that are missing or
// invisible, so that the two cannot be told apart.
func ErrNotFound(op string, ref Ref) error {
	return &Error{Op: op, Kind: NotFound, Msg: fmt.Sprintf("%s not found", ref)}
}
