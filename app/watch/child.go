package watch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// Why a child process: a file can kill the process that imports it (the
// Go runtime's "fatal error: out of memory" cannot be recovered) or hang it
// in a loop that never looks at a context. In a child, such a file costs
// one child: the station lives on, records the crash or the time-out, and
// goes on with the files beside it. The child is the station's own program
// run for one file (ServeChild), so it reads files exactly as `import` does.

// ChildGrace is how long a child is given to stop cleanly (removing what it
// placed for an uncommitted fileset) after SIGTERM, at the time limit or when
// the station stops, before it is killed.
const ChildGrace = 10 * time.Second

// maxAnswer bounds what is read of a child's answer and of its error output.
const maxAnswer = 8 << 20

// ChildProcess tries each file in a new process: the program exe run with
// args and the environment env (which must let it reach the repository as
// the station's user), given the Job as JSON on standard input and
// answering with an Outcome as JSON on standard output (ServeChild). The
// first lines the child writes to standard error go to log (nil: none).
func ChildProcess(exe string, args, env []string, log func(format string, args ...any)) ImportFunc {
	return func(ctx context.Context, job Job) (Outcome, error) {
		in, err := json.Marshal(job)
		if err != nil {
			return Outcome{}, err
		}
		cmd := exec.CommandContext(ctx, exe, args...)
		cmd.Env = env
		cmd.Stdin = bytes.NewReader(in)
		stdout := &limitedBuffer{max: maxAnswer}
		stderr := &limitedBuffer{max: maxAnswer}
		cmd.Stdout, cmd.Stderr = stdout, stderr
		if log != nil {
			cmd.Stderr = io.MultiWriter(stderr, &lineLog{log: log, prefix: job.Path, left: childLogLines})
		}
		cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
		cmd.WaitDelay = ChildGrace
		dieWithStation(cmd)
		runtime.LockOSThread() // see dieWithStation
		runErr := cmd.Run()
		runtime.UnlockOSThread()
		var out Outcome
		if stdout.Len() > 0 && json.Unmarshal(stdout.Bytes(), &out) == nil {
			if out.Error != "" && len(out.Summary.Results) == 0 && !out.NotReady {
				return out, errors.New(out.Error)
			}
			return out, nil
		}
		if ctx.Err() != nil {
			return Outcome{}, ctx.Err()
		}
		return Outcome{}, &CrashError{Detail: exitDetail(runErr, stderr.String())}
	}
}

// ServeChild is the child's side: it reads one Job from r, tries it with
// try, and writes the Outcome to w.
func ServeChild(ctx context.Context, r io.Reader, w io.Writer, try ImportFunc) error {
	var job Job
	if err := json.NewDecoder(io.LimitReader(r, maxAnswer)).Decode(&job); err != nil {
		return fmt.Errorf("the station sent no valid job: %v", err)
	}
	out, err := try(ctx, job)
	if err != nil && out.Error == "" {
		out.Error = err.Error()
	}
	return json.NewEncoder(w).Encode(out)
}

// exitDetail describes how a child ended and what it said last that
// explains it ("exit status 2: fatal error: out of memory").
func exitDetail(err error, stderr string) string {
	how := "it ended without an answer"
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			how = "killed by " + ws.Signal().String()
		} else {
			how = fmt.Sprintf("exit status %d", ee.ExitCode())
		}
	} else if err != nil {
		how = err.Error()
	}
	if line := telling(stderr); line != "" {
		return how + ": " + line
	}
	return how
}

// telling picks the line of a child's error output that says why it died:
// the runtime's fatal error or panic, else the last line.
func telling(stderr string) string {
	var last string
	for _, l := range strings.Split(stderr, "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "fatal error:") || strings.HasPrefix(l, "panic:") {
			last = l
			break
		}
		if l != "" && !strings.HasPrefix(l, "goroutine ") {
			last = l
		}
	}
	if len(last) > 200 {
		last = last[:200] + "…"
	}
	return last
}

// limitedBuffer keeps the first max bytes written and drops the rest (a
// child dying of a fatal error prints every goroutine's stack).
type limitedBuffer struct {
	bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// childLogLines bounds what one child adds to the station's log (a child
// dying of a fatal error prints every goroutine's stack).
const childLogLines = 20

// lineLog passes whole lines to log, up to left of them.
type lineLog struct {
	log    func(format string, args ...any)
	prefix string
	part   []byte
	left   int
}

func (l *lineLog) Write(p []byte) (int, error) {
	if l.left <= 0 {
		return len(p), nil
	}
	l.part = append(l.part, p...)
	for l.left > 0 {
		i := bytes.IndexByte(l.part, '\n')
		if i < 0 {
			break
		}
		if line := strings.TrimSpace(string(l.part[:i])); line != "" {
			l.log("%s: %s", l.prefix, line)
			l.left--
		}
		l.part = l.part[i+1:]
	}
	if len(l.part) > 4096 {
		l.part = l.part[:0] // a line without end: not worth keeping
	}
	return len(p), nil
}
