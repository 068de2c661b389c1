//go:build !unix

package sqlite

import (
	"errors"
	"os"
)

// No flock here: SQLite's own locking (and busy timeout) alone.
const (
	lockEx = iota
	lockExNB
	lockSh
	lockUn
)

func flock(*os.File, int) error { return errors.ErrUnsupported }
