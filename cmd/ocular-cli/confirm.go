package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"
)

// canAsk reports whether confirm has someone to ask.
func (e *Env) canAsk() bool {
	if e.main.Confirm != nil {
		return true
	}
	f, ok := e.main.Stdin.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// confirm asks a yes/no question on the terminal; only "y" or "yes" is yes.
// Without a terminal (canAsk false) the answer is no: a script must say
// what it trusts with a flag.
func (e *Env) confirm(prompt string) (bool, error) {
	if e.main.Confirm != nil {
		return e.main.Confirm(prompt)
	}
	f, ok := e.main.Stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return false, nil
	}
	fmt.Fprint(e.Stderr, prompt)
	done := make(chan string, 1)
	go func() {
		// A line of an answer is short; a longer one is no "yes".
		line, _ := bufio.NewReaderSize(f, 256).ReadString('\n')
		done <- line
	}()
	select {
	case line := <-done:
		a := strings.ToLower(strings.TrimSpace(line))
		return a == "y" || a == "yes", nil
	case <-e.Ctx.Done():
		fmt.Fprintln(e.Stderr)
		return false, e.Ctx.Err()
	}
}
