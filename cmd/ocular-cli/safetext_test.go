package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSafeEscapesLikeLsB(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain name", "plain name"},
		{"Zürich 東京 µm", "Zürich 東京 µm"},
		{"a\nb", `a\nb`},
		{"tab\there", `tab\there`},
		{"cr\rover", `cr\rover`},
		{"\x1b[31mred\x1b]0;title\x07", `\x1b[31mred\x1b]0;title\x07`},
		{`back\slash`, `back\\slash`},
		{"nul\x00del\x7f", `nul\x00del\x7f`},
		{"c1\u009bcsi", `c1\xc2\x9bcsi`},
		{"bad\xff\xfeutf8", `bad\xff\xfeutf8`},
		{"evil\u202egnp.exe", `evil\u202egnp.exe`},
		{"line\u2028sep", `line\u2028sep`},
	} {
		if got := safe(c.in); got != c.want {
			t.Errorf("safe(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestHostileNamesPrintEscaped: another user's dataset whose name holds a
// terminal escape sequence (set the window title, clear the screen) and a
// newline followed by a forged field prints escaped in `tree`, `obj list`
// and `obj get`, and cannot add a line to `obj get`; --json keeps the
// exact name.
func TestHostileNamesPrintEscaped(t *testing.T) {
	c := newLab(t)
	ada, bob := c.as("ada"), c.as("bob")
	evil := "Day 1\x1b]0;pwned\x07\x1b[2J\nowner=root\tdescription=\\x"
	escaped := `Day 1\x1b]0;pwned\x07\x1b[2J\nowner=root\tdescription=\\x`
	d := bob.newRef("Dataset", "name="+evil, "description=line1\nname=forged")

	tree := ada.ok("tree")
	if strings.ContainsAny(tree, "\x1b\x07\t") || !strings.Contains(tree, d+" "+escaped+" [Bob Crick]\n") {
		t.Errorf("tree shows the name raw:\n%q", tree)
	}
	if list := ada.ok("obj", "list", "Dataset"); strings.ContainsAny(list, "\x1b\x07") || !strings.Contains(list, escaped) || strings.Count(list, "\n") != 2 {
		t.Errorf("obj list:\n%q", list)
	}
	get := ada.ok("obj", "get", d)
	if strings.ContainsAny(get, "\x1b\x07") {
		t.Errorf("obj get replays escape sequences:\n%q", get)
	}
	seen := map[string]int{}
	for _, line := range strings.Split(strings.TrimSuffix(get, "\n"), "\n") {
		k, _, ok := strings.Cut(line, "=")
		if !ok {
			t.Errorf("obj get line without key=value: %q", line)
		}
		seen[k]++
	}
	for k, n := range seen {
		if n > 1 {
			t.Errorf("obj get shows %s %d times (a forged line):\n%s", k, n, get)
		}
	}
	if !strings.Contains(get, "name="+escaped+"\n") || !strings.Contains(get, `description=line1\nname=forged`+"\n") {
		t.Errorf("obj get:\n%s", get)
	}
	if got := ada.ok("obj", "get", d, "name"); got != escaped+"\n" {
		t.Errorf("obj get %s name = %q", d, got)
	}
	var v struct{ Name string }
	if err := json.Unmarshal([]byte(ada.ok("obj", "get", d, "--json")), &v); err != nil || v.Name != evil {
		t.Errorf("--json name = %q, %v; want the exact name", v.Name, err)
	}
}
