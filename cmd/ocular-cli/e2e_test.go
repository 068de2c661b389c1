package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBinaryEndToEnd builds the real ocular-cli and drives it as a user
// would, with the environment (not flags) choosing the repository and the
// configuration folder.
func TestBinaryEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "ocular-cli")
	build := exec.Command(goBin, "build", "-tags", "sqlite_fts5 migrated_fynedo", "-o", bin, ".")
	build.Env = goEnv
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	env := append(os.Environ(),
		"HOME="+filepath.Join(dir, "home"),
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"),
		"XDG_DATA_HOME="+filepath.Join(dir, "data"),
		"OCULAR_REPO="+filepath.Join(dir, "repo"),
	)
	run := func(wantCode int, args ...string) (string, string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != wantCode {
			t.Fatalf("ocular-cli %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, wantCode, stdout.String(), stderr.String())
		}
		return stdout.String(), stderr.String()
	}
	run(0, "init", "--root-password", "omero")
	run(0, "login", "-u", "root", "-w", "omero")
	if _, err := os.Stat(filepath.Join(dir, "config", "ocular", "session.json")); err != nil {
		t.Fatal("no session file in $XDG_CONFIG_HOME/ocular:", err)
	}
	run(0, "group", "add", "lab", "--type", "read-annotate")
	run(0, "user", "add", "ada", "Ada", "Lovelace", "--group-name", "lab", "-P", "pw")
	p, _ := run(0, "-u", "ada", "-w", "pw", "obj", "new", "Project", "name=P1")
	p = strings.TrimSpace(p)
	out, _ := run(0, "-u", "ada", "-w", "pw", "perms", p, "--json")
	if want := `[{"object":"` + p + `","canEdit":true,"canAnnotate":true,"canDelete":true,"canLink":true,"canChgrp":true,"canChown":false}]`; strings.TrimSpace(out) != want {
		t.Errorf("perms --json = %s, want %s", out, want)
	}
	_, stderr := run(1, "obj", "get", "Project:nope")
	if !strings.HasPrefix(stderr, "error: ") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("error output %q", stderr)
	}
	run(2, "obj")
	run(0, "logout")
	run(1, "whoami")
}
