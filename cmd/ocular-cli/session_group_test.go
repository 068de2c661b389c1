package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/ocular-lab/ocular/app/cliconfig"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// cliBinary builds the real ocular-cli once per test run, for tests that
// need separate processes (races between commands, signals).
func cliBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	binOnce.Do(func() {
		goBin, err := exec.LookPath("go")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(testRoot, "bin", "ocular-cli")
		build := exec.Command(goBin, "build", "-tags", "sqlite_fts5 migrated_fynedo", "-o", binPath, ".")
		build.Env = goEnv
		if out, err := build.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Skip("cannot build ocular-cli:", binErr)
	}
	return binPath
}

// procUser is a user with a saved login in its own configuration folder,
// running ocular-cli as separate processes.
type procUser struct {
	t         *testing.T
	bin, repo string
	configDir string // XDG_CONFIG_HOME: the session is configDir/ocular/session.json
}

func newProcUser(t *testing.T, c *testCLI, user string) *procUser {
	t.Helper()
	p := &procUser{t: t, bin: cliBinary(t), repo: c.repo, configDir: t.TempDir()}
	term := c.terminal()
	term.config = p.sessionFile()
	term.ok("login", "-u", user, "-w", "pw")
	return p
}

func (p *procUser) sessionFile() string {
	return filepath.Join(p.configDir, "ocular", "session.json")
}

func (p *procUser) command(args ...string) *exec.Cmd {
	cmd := exec.Command(p.bin, append([]string{"--repo", p.repo}, args...)...)
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+p.configDir)
	return cmd
}

func (p *procUser) ok(args ...string) string {
	p.t.Helper()
	out, err := p.command(args...).Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		p.t.Fatalf("ocular-cli %s: %v %s", strings.Join(args, " "), err, msg)
	}
	return string(out)
}

// TestDashGOfConcurrentCommandsStaysTheirOwn runs two commands at once on
// one saved login (in group lab), one with -g solo and one without -g, each
// creating a dataset, a hundred times: every dataset must land in the group
// its command named (lab for the one without -g), and the saved login must
// still be in lab afterwards.
func TestDashGOfConcurrentCommandsStaysTheirOwn(t *testing.T) {
	c := newLab(t)
	c.ok("user", "joingroup", "--name", "solo", "bob")
	bob := newProcUser(t, c, "bob") // saved in bob's default group, lab
	sessionBefore, err := os.ReadFile(bob.sessionFile())
	if err != nil {
		t.Fatal(err)
	}
	const rounds = 100
	groups := []string{"lab", "solo"}
	for r := 0; r < rounds; r++ {
		var wg sync.WaitGroup
		errs := make([]error, len(groups))
		for i, g := range groups {
			args := []string{"obj", "new", "Dataset", fmt.Sprintf("name=r%d-%s", r, g)}
			if g != "lab" {
				args = append([]string{"-g", g}, args...)
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				out, err := bob.command(args...).CombinedOutput()
				if err != nil {
					errs[i] = fmt.Errorf("-g %s: %v: %s", g, err, out)
				}
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	var list []struct {
		Name      string `json:"name"`
		GroupName string `json:"groupName"`
	}
	if err := json.Unmarshal([]byte(bob.ok("obj", "list", "Dataset", "--all-groups", "--json")), &list); err != nil {
		t.Fatal(err)
	}
	wrong, total := 0, 0
	for _, d := range list {
		_, g, ok := strings.Cut(d.Name, "-")
		if !ok {
			continue
		}
		total++
		if g != d.GroupName {
			wrong++
		}
	}
	if total != rounds*len(groups) || wrong != 0 {
		t.Errorf("%d datasets created (want %d), %d in the wrong group", total, rounds*len(groups), wrong)
	}
	if who := bob.ok("whoami"); !strings.Contains(who, "group:      lab (") {
		t.Errorf("the saved login changed group:\n%s", who)
	}
	if after, _ := os.ReadFile(bob.sessionFile()); string(after) != string(sessionBefore) {
		t.Errorf("the session file was rewritten:\n%s\nwas\n%s", after, sessionBefore)
	}
}

// TestDashGKilledLeavesSavedLoginAlone stops a -g command while it is
// working, after it has its session, by SIGKILL, SIGTERM and SIGINT (Ctrl-C):
// the saved login stays in its group.
func TestDashGKilledLeavesSavedLoginAlone(t *testing.T) {
	c := newLab(t)
	c.ok("user", "joingroup", "--name", "solo", "bob")
	bob := newProcUser(t, c, "bob")
	for _, sig := range []os.Signal{syscall.SIGKILL, syscall.SIGTERM, syscall.SIGINT} {
		fifo := filepath.Join(t.TempDir(), "slow-instrument.dat")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skip("no named pipes here:", err)
		}
		cmd := bob.command("-g", "solo", "upload", fifo)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Opening the pipe for writing returns once the command opened it
		// for reading, which it does after resolving its session: it is
		// mid-way.
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("half a file"))
		cmd.Process.Signal(sig)
		if sig == syscall.SIGKILL {
			cmd.Wait()
		}
		w.Close()
		cmd.Wait()
		if who := bob.ok("whoami"); !strings.Contains(who, "group:      lab (") {
			t.Errorf("after %v to a -g solo command the saved login is:\n%s", sig, who)
		}
		saved, ok, err := cliconfig.Load(bob.sessionFile())
		if err != nil || !ok || saved.Group != "lab" {
			t.Errorf("session file after %v: %+v %v %v", sig, saved, ok, err)
		}
	}
}
