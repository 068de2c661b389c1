package watch

import (
	"os/exec"
	"syscall"
)

// dieWithStation has the kernel kill the child when the station dies, so
// that no orphan goes on importing after a new station has counted its
// attempt as a crash (and could import the file again). The signal is
// tied to the thread that started the child: ChildProcess keeps that
// thread locked until the child has ended.
func dieWithStation(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
