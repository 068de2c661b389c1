package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/ocular-lab/ocular/app/housekeeping"
	"io"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/repository/local"
	"github.com/ocular-lab/ocular/repository/remote"
)

// Env is what a verb works with: the command line's global options, the
// output streams, and lazily the repository and the logged-in session. One
// Env serves one run of Main.
type Env struct {
	Ctx            context.Context
	Stdin          io.Reader
	Stdout, Stderr io.Writer

	// Global options.
	Repo     string // --repo
	User     string // -u: log in for this command only
	Password string // -w
	Group    string // -g: work in this group for this command
	JSON     bool   // --json
	Debug    bool   // --debug: show the whole error chain
	Server   string // --server: work against this server (remote.go)
	// DB is --db (or $OCULAR_DB): the PostgreSQL database holding the
	// repository's rows, its managed files staying in Repo.
	DB string

	// repoGiven is set when --repo was on the command line: the command
	// works on that folder even when the saved login is on a server.
	repoGiven bool
	// Fingerprint is login's --fingerprint: the server certificate to trust.
	Fingerprint string
	// InsecureHTTP is login's --insecure: plain http:// off loopback.
	InsecureHTTP bool

	main    *Main
	cmd     *Command
	omit    []string // global long options the verb uses for itself
	svc     *inprocess.Service
	rsvc    *remote.Service // the server dialled, when the command works on one
	sess    core.Session
	cleanup []func() // run in reverse order when the command ends
}

func newEnv(ctx context.Context, m *Main) *Env {
	e := &Env{Ctx: ctx, Stdin: m.Stdin, Stdout: m.Stdout, Stderr: m.Stderr, main: m}
	if d := m.getenv(local.EnvRepo); d != "" {
		e.Repo = d
	} else {
		e.Repo = local.DefaultDir()
	}
	e.DB = m.getenv(EnvDB)
	return e
}

// EnvDB names the PostgreSQL database of the repository when --db is not
// given: a server's service file can set it without putting a password on
// the command line, where every account sees it (ps).
const EnvDB = "OCULAR_DB"

// usageError is a mistake on the command line; it exits 2 with a usage line.
type usageError struct{ msg string }

func (u *usageError) Error() string { return u.msg }

// errHelpShown ends a run that printed help on request (exit 0).
var errHelpShown = errors.New("help shown")

// Usagef reports a command-line mistake (exit status 2, with the verb's
// usage line).
func (e *Env) Usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// globalFlags declares the global options on fs, bound to e so that values
// given before the verb survive. Long options in e.omit are left out (their
// short forms stay) for verbs that use the name themselves, like
// `user password --password NEW`.
func (e *Env) globalFlags(fs *pflag.FlagSet) {
	long := func(name string) string {
		if slices.Contains(e.omit, name) {
			return "login-" + name
		}
		return name
	}
	fs.StringVar(&e.Repo, "repo", e.Repo, "the repository folder")
	fs.StringVar(&e.DB, "db", e.DB, "keep the repository's rows in the PostgreSQL database at `URL` (postgres://user@host/db), its files in --repo")
	fs.StringVar(&e.Server, long("server"), e.Server, "work against the Ocular server at `URL` (https://host:port)")
	fs.StringVarP(&e.User, "user", "u", e.User, "log in as USER for this command only")
	fs.StringVarP(&e.Password, long("password"), "w", e.Password, "the password for -u")
	fs.StringVarP(&e.Group, long("group"), "g", e.Group, "work in GROUP for this command")
	fs.BoolVar(&e.JSON, "json", e.JSON, "machine-readable output")
	fs.BoolVar(&e.Debug, "debug", e.Debug, "show the full error chain on failure")
}

// Flags returns an empty flag set for a verb's own options; Parse adds the
// global ones. omitGlobals names global long options (password, group) the
// verb defines itself; the global option keeps its short form (-w, -g).
func (e *Env) Flags(omitGlobals ...string) *pflag.FlagSet {
	name := "ocular-cli"
	if e.cmd != nil {
		name = e.cmd.Name
	}
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, by Main
	fs.SortFlags = false
	e.omit = omitGlobals
	return fs
}

// Parse parses a verb's arguments (flags may come before, between or after
// the positional arguments, as in OMERO's CLI) and returns the positional
// ones, of which there must be at least min and at most max (-1: any).
// --help prints the verb's usage and options and ends the run with status 0.
func (e *Env) Parse(fs *pflag.FlagSet, args []string, min, max int) ([]string, error) {
	local := fs.FlagUsages()
	e.globalFlags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			e.writeVerbHelp(local)
			return nil, errHelpShown
		}
		return nil, e.Usagef("%s", err.Error())
	}
	if f := fs.Lookup("repo"); f != nil && f.Changed {
		e.repoGiven = true
	}
	if e.repoGiven && e.Server != "" {
		return nil, e.Usagef("give --repo DIR for a repository folder or --server URL for a server, not both")
	}
	if f := fs.Lookup("db"); f != nil && f.Changed && e.Server != "" {
		return nil, e.Usagef("give --db URL for a repository in PostgreSQL or --server URL for a server, not both")
	}
	pos := fs.Args()
	switch {
	case len(pos) < min:
		return nil, e.Usagef("missing arguments")
	case max >= 0 && len(pos) > max:
		return nil, e.Usagef("too many arguments: %s", strings.Join(pos[max:], " "))
	}
	return pos, nil
}

func (e *Env) writeVerbHelp(localUsage string) {
	w := e.Stdout
	if e.cmd == nil {
		writeHelp(w)
		return
	}
	fmt.Fprintf(w, "usage: %s\n\n%s\n", e.cmd.Usage(), e.cmd.Short)
	if localUsage != "" {
		fmt.Fprintf(w, "\nOptions:\n%s", localUsage)
	}
	fmt.Fprintf(w, "\n%s", globalHelp)
}

// Print writes v as one line of JSON with --json, else calls text.
func (e *Env) Print(v any, text func(w io.Writer)) error {
	if !e.JSON {
		text(e.Stdout)
		return nil
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return core.E("print", core.Internal, err)
	}
	if _, err := e.Stdout.Write(b.Bytes()); err != nil {
		return core.E("print", core.IO, "cannot write the output", err)
	}
	return nil
}

// Service opens the repository named by --repo (once per run).
func (e *Env) Service() (*inprocess.Service, error) {
	if e.svc != nil {
		return e.svc, nil
	}
	open := local.Open
	if e.DB != "" {
		open = func(ctx context.Context, dir string) (*inprocess.Service, error) {
			return local.OpenPostgres(ctx, dir, e.DB)
		}
	}
	svc, err := open(e.Ctx, e.Repo)
	if err != nil {
		return nil, err
	}
	e.useFastHash(svc)
	// A delete drops the deleted images' cached thumbnails and pyramids.
	svc.OnImagesDeleted(housekeeping.Dropper(e.Repo))
	e.svc = svc
	return svc, nil
}

// useFastHash lowers the bcrypt cost of new passwords when the tests ask for
// it through the environment (OCULAR_TEST_FAST_HASH=1); never in normal use.
func (e *Env) useFastHash(svc *inprocess.Service) {
	if e.main.getenv("OCULAR_TEST_FAST_HASH") == "1" {
		svc.SetPasswordCost(4) // bcrypt.MinCost
	}
}

// dispatch parses the global options before the verb, finds the verb and
// runs it.
func (e *Env) dispatch(args []string) error {
	fs := e.Flags()
	fs.SetInterspersed(false) // stop at the verb
	help := fs.BoolP("help", "h", false, "show the verbs")
	if _, err := e.Parse(fs, args, 0, -1); err != nil {
		return err
	}
	rest := fs.Args()
	if *help {
		writeHelp(e.Stdout)
		return errHelpShown
	}
	if len(rest) == 0 {
		return e.Usagef("no verb given; run 'ocular-cli help' for the list")
	}
	cmd, cmdArgs, family := lookup(rest)
	if cmd == nil {
		if family != "" {
			if len(rest) > 1 && !strings.HasPrefix(rest[1], "-") {
				return e.Usagef("unknown verb %q; the %s verbs are: %s", rest[0]+" "+rest[1], family, familyNames(family))
			}
			return e.Usagef("%q needs a subcommand: %s", family, familyNames(family))
		}
		return e.Usagef("unknown verb %q; run 'ocular-cli help' for the list", rest[0])
	}
	e.cmd = cmd
	e.omit = nil
	return cmd.Run(e, cmdArgs)
}

func familyNames(family string) string {
	var names []string
	for _, c := range commandsUnder(family) {
		names = append(names, strings.TrimPrefix(c.Name, family+" "))
	}
	return strings.Join(names, ", ")
}

// report prints err and returns the exit status.
func (e *Env) report(err error) int {
	switch {
	case err == nil, errors.Is(err, errHelpShown):
		return ExitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(e.Stderr, "error: %s\n", safe(oneLine(ue.msg)))
		if e.cmd != nil {
			fmt.Fprintf(e.Stderr, "usage: %s\n", e.cmd.Usage())
		} else {
			fmt.Fprintln(e.Stderr, "usage: ocular-cli [--repo DIR] [-u USER -w PASSWORD] [--json] VERB [arguments]")
		}
		return ExitUsage
	}
	msg := core.UserMessage(err)
	if errors.Is(err, context.Canceled) {
		msg = "interrupted; nothing was changed by the unfinished step"
	}
	fmt.Fprintf(e.Stderr, "error: %s\n", safe(oneLine(msg)))
	if e.Debug {
		fmt.Fprintf(e.Stderr, "debug: %s (kind: %s)\n", safe(err.Error()), core.KindOf(err))
	}
	return ExitError
}

// oneLine keeps an error message on one line.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "failed"
	}
	return s
}

// close ends the temporary session and closes the repository.
func (e *Env) close() {
	for i := len(e.cleanup) - 1; i >= 0; i-- {
		e.cleanup[i]()
	}
	e.cleanup = nil
	if e.svc != nil {
		e.svc.Close()
		e.svc = nil
	}
	if e.rsvc != nil {
		e.rsvc.Close()
		e.rsvc = nil
	}
}
