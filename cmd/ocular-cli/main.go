// Command ocular-cli is Ocular's headless client: repository set-up, users
// and groups, objects and links, permissions, and (from other files) import,
// graph operations, rendering and the training demo. Verbs and flags follow
// OMERO's CLI (`ocular-cli user add USERNAME FIRST LAST --group-name G -P PW`,
// `ocular-cli obj new Project name=P1`), every verb accepts --json, and errors
// go to stderr as one sentence with a non-zero exit status.
//
// It links no Fyne, X11 or OpenGL (deps_test.go checks it), so it runs on a
// server or an import station with no display.
//
// Layout, in the manner of restic: main.go and Main (this file), command.go
// (the verb registry), env.go (what a verb gets: flags, output, the session),
// then one file per verb or verb family (cmd_*.go), each with its integration
// test beside it running the real verbs in-process on a temporary repository.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"golang.org/x/term"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// A signal cancels ctx, and every long verb stops at it (an import
	// within seconds). Should a verb not, the process still ends: a second
	// signal ends it at once, and it ends by itself after forceExitAfter.
	// Every change is one transaction, so ending leaves none half-done.
	context.AfterFunc(ctx, func() {
		stop()
		time.AfterFunc(forceExitAfter, func() {
			fmt.Fprintf(os.Stderr, "error: interrupted; the command did not stop within %s and was ended (no change is left half-done)\n", forceExitAfter)
			os.Exit(ExitError)
		})
	})
	m := &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	code := m.Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// forceExitAfter bounds how long a command may go on after a signal: well
// past an import's grace and a station child's, so that those end cleanly.
var forceExitAfter = 30 * time.Second

// Exit statuses.
const (
	ExitOK    = 0
	ExitError = 1 // the command ran and failed; nothing changed
	ExitUsage = 2 // the command line itself is wrong
)

// Main is one run of the CLI with its inputs and outputs, so that tests run
// the real commands in-process (like benbjohnson/wtf's cmd Main).
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv reads the environment; nil means os.Getenv. Tests pass a map.
	Getenv func(string) string
	// ConfigPath is the saved-session file; "" means
	// cliconfig.DefaultPath() (~/.config/ocular/session.json).
	ConfigPath string
	// ReadPassword reads a password without echo after showing prompt.
	// nil means: from the terminal when stdin is one, else refuse (a
	// password is never read from a pipe unless a flag gives it).
	ReadPassword func(prompt string) (string, error)
	// Confirm asks a yes/no question (trusting a server's certificate).
	// nil means: on the terminal when stdin is one, else there is no one
	// to ask and the question is refused.
	Confirm func(prompt string) (bool, error)
}

// Run executes one command line (without the program name) and returns the
// exit status. It never panics: a bug in a verb is reported as an internal
// error.
func (m *Main) Run(ctx context.Context, args []string) (code int) {
	if m.Stdin == nil {
		m.Stdin = strings.NewReader("")
	}
	if m.Stdout == nil {
		m.Stdout = io.Discard
	}
	if m.Stderr == nil {
		m.Stderr = io.Discard
	}
	env := newEnv(ctx, m)
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(m.Stderr, "error: internal error: %v (this is a bug in ocular-cli; please report it)\n", r)
			if env.Debug {
				m.Stderr.Write(debug.Stack())
			}
			code = ExitError
		}
		env.close()
	}()
	err := env.dispatch(args)
	return env.report(err)
}

func (m *Main) getenv(k string) string {
	if m.Getenv != nil {
		return m.Getenv(k)
	}
	return os.Getenv(k)
}

// terminalPassword reads a password from stdin when it is a terminal. Echo
// is off while typing; Ctrl-C (which cancels ctx) restores the terminal and
// gives up instead of leaving echo off.
func (m *Main) terminalPassword(ctx context.Context, prompt string) (string, bool, error) {
	f, ok := m.Stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", false, nil
	}
	fd := int(f.Fd())
	state, err := term.GetState(fd)
	if err != nil {
		return "", true, err
	}
	fmt.Fprint(m.Stderr, prompt)
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := term.ReadPassword(fd)
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		fmt.Fprintln(m.Stderr)
		return string(r.b), true, r.err
	case <-ctx.Done():
		term.Restore(fd, state)
		fmt.Fprintln(m.Stderr)
		return "", true, ctx.Err()
	}
}
