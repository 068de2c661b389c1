package main

import (
	"strings"
)

// Helpers for the graph verbs' tests.

// mk creates an object through `obj new` and returns its Class:ID.
func (c *testCLI) mk(args ...string) string {
	c.t.Helper()
	return strings.TrimSpace(c.ok(append([]string{"obj", "new"}, args...)...))
}

// exists reports whether the user of c sees ref.
func (c *testCLI) exists(ref string) bool {
	_, _, code := c.run("obj", "get", ref)
	return code == 0
}

// field reads one field of an object.
func (c *testCLI) field(ref, f string) string {
	c.t.Helper()
	return strings.TrimSpace(c.ok("obj", "get", ref, f))
}
