package main

import (
	"bufio"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/core/pixel"
)

// asCLIEnv makes this test binary act as ocular-cli, with files that crash
// or hang the import, for tests that need a real process: one to signal,
// or a station's child to die. Production code has no such hook: it is
// this test build that replaces openImage.
const asCLIEnv = "OCULAR_CLI_TEST_AS_CLI"

func runAsCLIIfAsked() {
	if os.Getenv(asCLIEnv) != "1" {
		return
	}
	openImage = hostileOpen
	if slices.Contains(os.Args, "test-hang") {
		forceExitAfter = 200 * time.Millisecond // other verbs keep theirs: an import needs its grace
	}
	Register(&Command{Name: "test-hang", Short: "a verb that ignores signals", Hidden: true, Run: func(env *Env, args []string) error {
		fmt.Fprintln(env.Stderr, "hanging")
		for {
			time.Sleep(time.Hour)
		}
	}})
	main()
}

// hostileOpen opens files as detect.Open does, except that a file named
// "poison…" kills the process as a fatal runtime error would (Go cannot
// recover from "out of memory"), and a file named "stuck…" hangs in its
// first plane read, in a loop that never looks at a context.
func hostileOpen(path string) (formats.Reader, error) {
	base := filepath.Base(path)
	switch {
	case strings.HasPrefix(base, "poison") || strings.Contains(base, "-poison"):
		fmt.Fprintln(os.Stderr, "fatal error: out of memory (test poison)")
		fmt.Fprintln(os.Stderr, "goroutine 1 [running]:")
		os.Exit(2)
	case strings.HasPrefix(base, "stuck") || strings.Contains(base, "-stuck"):
		r, err := detect.Open(path)
		if err != nil {
			return nil, err
		}
		return stuckReader{r}, nil
	}
	return detect.Open(path)
}

type stuckReader struct{ formats.Reader }

func (stuckReader) ReadPlane(s, level, z, c, t int) (*pixel.Plane, error) {
	fmt.Fprintln(os.Stderr, "test reader: stuck reading a plane") // its files are placed by now
	for {
		time.Sleep(time.Hour)
	}
}

// ReadRegion hangs too: the import reads the planes for statistics and
// thumbnails in one pass of regions (bands).
func (r stuckReader) ReadRegion(s, level, z, c, t int, rect image.Rectangle) (*pixel.Plane, error) {
	return r.ReadPlane(s, level, z, c, t)
}

// cliProcessEnv is the environment of a child ocular-cli.
func cliProcessEnv() []string {
	return append(os.Environ(), asCLIEnv+"=1")
}

// lines delivers what is written to it line by line on C, and keeps it all.
type lines struct {
	mu   sync.Mutex
	all  strings.Builder
	part string
	C    chan string
}

func newLines() *lines { return &lines{C: make(chan string, 10000)} }

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all.Write(p)
	l.part += string(p)
	for {
		i := strings.IndexByte(l.part, '\n')
		if i < 0 {
			break
		}
		l.C <- l.part[:i]
		l.part = l.part[i+1:]
	}
	return len(p), nil
}

func (l *lines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.all.String()
}

// readLines copies r into a lines, for a child's output pipe.
func readLines(r io.Reader) *lines {
	l := newLines()
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			l.Write([]byte(sc.Text() + "\n"))
		}
		close(l.C)
	}()
	return l
}

// liveness bounds how long a test waits for an event that must come, so a
// regression fails with a message instead of hanging the test run; it is
// not part of what the test asserts.
const liveness = 3 * time.Minute
