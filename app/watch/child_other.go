//go:build !linux

package watch

import "os/exec"

// dieWithStation: only Linux lets a child be killed with its parent; there
// an orphan may finish its import, which a restarted station then records.
func dieWithStation(cmd *exec.Cmd) {}
