package main

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// safe makes a user-controlled string (a name, a description, a tag value,
// a key-value pair, a file name, a value read from a file's metadata) fit
// for text output on a terminal, as `ls -b` does: it cannot move the
// cursor, change colours, set the window title or start a new line, so
// another user's data cannot replay escape sequences in your terminal or
// forge lines of `key=value` output. A backslash becomes \\, newline, tab
// and carriage return \n, \t and \r, every other control character (C0,
// DEL, C1) and each byte of invalid UTF-8 \xNN, and the characters that
// reorder or break lines (bidirectional overrides, line and paragraph
// separators) \uNNNN. Everything else, accents and CJK included, is kept.
// --json output is never passed through here: it stays exact.
func safe(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x80 && r <= 0x9f: // C1 controls: escape the bytes that encode them
			for _, c := range []byte(s[i : i+size]) {
				fmt.Fprintf(&b, `\x%02x`, c)
			}
		case reorders(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// needsEscape is the quick test that lets ordinary names through unchanged.
func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f || c == '\\' {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size <= 1) || (r >= 0x80 && r <= 0x9f) || reorders(r) {
			return true
		}
		i += size
	}
	return false
}

// reorders reports the characters that change how a line displays without
// being control characters: the bidirectional embeddings, overrides and
// isolates, and the Unicode line and paragraph separators.
func reorders(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x2028 || r == 0x2029 ||
		r == 0x200e || r == 0x200f || r == 0x061c
}

// safeAll escapes each string of ss.
func safeAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = safe(s)
	}
	return out
}
