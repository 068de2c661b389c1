package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	c := newCLI(t) // needs no repository and no login
	if out := c.ok("version"); !strings.HasPrefix(out, "ocular-cli dev") || !strings.Contains(out, "repository schema") {
		t.Errorf("version = %q", out)
	}
	var v struct {
		Version string
		Schema  int
		Go      string
	}
	if err := json.Unmarshal([]byte(c.ok("version", "--json")), &v); err != nil || v.Version != "dev" || v.Schema < 1 || !strings.HasPrefix(v.Go, "go") {
		t.Errorf("version --json: %+v %v", v, err)
	}
}
