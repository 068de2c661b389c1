package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Command is one verb of ocular-cli.
//
// Adding a verb is one new file, cmd_<verb>.go, with its test beside it:
//
//	func init() {
//		Register(&Command{
//			Name:  "chgrp",                    // the verb words, e.g. "obj new"
//			Args:  "GROUP OBJECT... [--dry-run]", // synopsis shown in usage lines
//			Short: "move objects to another group",
//			Run:   runChgrp,
//		})
//	}
//
//	func runChgrp(env *Env, args []string) error {
//		fs := env.Flags()                 // has --json, --repo, -u/-w/-g already
//		dry := fs.Bool("dry-run", false, "show the plan without changing anything")
//		pos, err := env.Parse(fs, args, 2, -1) // at least 2 positional arguments
//		if err != nil {
//			return err                    // usage errors exit 2 with a usage line
//		}
//		s, err := env.Session()           // -u/-w login or the saved session
//		if err != nil {
//			return err
//		}
//		...
//		return env.Print(result, func(w io.Writer) { fmt.Fprintln(w, "...") })
//	}
//
// Run receives the arguments after the verb words, flags included, and
// returns nil or an error: a core.Error is shown as core.UserMessage (exit
// 1), env.Usagef errors print the usage line (exit 2). Verbs must change
// nothing when they fail: do the whole change in one core call (one
// transaction), after checking every argument.
type Command struct {
	Name  string
	Args  string
	Short string
	Run   func(env *Env, args []string) error
	// Hidden verbs are run by ocular-cli itself (a station's child
	// process) and are left out of the lists users read.
	Hidden bool
}

// Usage is the one-line synopsis.
func (c *Command) Usage() string {
	if c.Args == "" {
		return "ocular-cli " + c.Name
	}
	return "ocular-cli " + c.Name + " " + c.Args
}

var registry = map[string]*Command{}

// Register adds a verb; it is called from init functions and panics on a
// duplicate name, a programming error caught by any test run.
func Register(c *Command) {
	if c.Name == "" || c.Run == nil {
		panic("ocular-cli: Register needs a Name and a Run function")
	}
	if _, dup := registry[c.Name]; dup {
		panic("ocular-cli: verb registered twice: " + c.Name)
	}
	registry[c.Name] = c
}

// lookup finds the command named by the first one or two words of args
// ("user add" before "user") and returns it with the remaining arguments.
// family is set when args[0] only begins multi-word verbs ("user").
func lookup(args []string) (cmd *Command, rest []string, family string) {
	if len(args) == 0 {
		return nil, nil, ""
	}
	if len(args) > 1 {
		if c := registry[args[0]+" "+args[1]]; c != nil {
			return c, args[2:], ""
		}
	}
	if c := registry[args[0]]; c != nil {
		return c, args[1:], ""
	}
	for name := range registry {
		if strings.HasPrefix(name, args[0]+" ") {
			return nil, nil, args[0]
		}
	}
	return nil, nil, ""
}

// commandsUnder lists the registered commands, sorted, optionally only those
// of one family ("user").
func commandsUnder(family string) []*Command {
	var out []*Command
	for name, c := range registry {
		if c.Hidden {
			continue
		}
		if family == "" || strings.HasPrefix(name, family+" ") {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func writeCommandList(w io.Writer, family string) {
	cmds := commandsUnder(family)
	width := 0
	for _, c := range cmds {
		width = max(width, len(c.Name))
	}
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.Name, c.Short)
	}
}

const globalHelp = `Global options (accepted before or after the verb):
  --repo DIR        the repository folder (default: $OCULAR_REPO or ~/.local/share/ocular/repository)
  --db URL          keep the repository's rows in the PostgreSQL database at URL
                    (postgres://user@host/db; default: $OCULAR_DB), its files in --repo DIR
  --server URL      work against the Ocular server at URL (https://host:port); after
                    'ocular-cli --server URL login', later commands use it without --repo
  -u, --user USER   log in as USER for this command only (with -w, or a password prompt on a terminal)
  -w, --password PW the password for -u
  -g, --group GROUP work in GROUP for this command
  --json            machine-readable output
  --debug           show the full error chain
Without -u, commands use the session saved by 'ocular-cli login'.
Run 'ocular-cli VERB --help' for a verb's options.
`

func writeHelp(w io.Writer) {
	fmt.Fprintln(w, "usage: ocular-cli [global options] VERB [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Verbs:")
	writeCommandList(w, "")
	fmt.Fprintln(w)
	fmt.Fprint(w, globalHelp)
}

func init() {
	Register(&Command{Name: "help", Args: "[VERB]", Short: "show the verbs, or one verb's options", Run: runHelp})
}

func runHelp(env *Env, args []string) error {
	fs := env.Flags()
	pos, err := env.Parse(fs, args, 0, 2)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		writeHelp(env.Stdout)
		return nil
	}
	cmd, _, family := lookup(pos)
	switch {
	case cmd != nil:
		env.cmd = cmd
		return cmd.Run(env, []string{"--help"})
	case family != "":
		fmt.Fprintf(env.Stdout, "usage: ocular-cli %s SUBCOMMAND\n\n", family)
		writeCommandList(env.Stdout, family)
		return nil
	}
	return env.Usagef("unknown verb %q", strings.Join(pos, " "))
}
