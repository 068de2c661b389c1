package repofiles

import (
	"context"
	"errors"
	"fmt"
	"syscall"

	"github.com/ocular-lab/ocular/core"
)

// DiskError turns a file-system failure while writing below dir into a
// sentence a user can act on: a full disk, a read-only or forbidden folder.
// where names the side ("the backup", "the repository").
func DiskError(op, where, dir string, err error) error {
	var ce *core.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ce):
		return err
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return core.E(op, core.IO, "stopped before the end; run the same command again to finish", err)
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return core.E(op, core.IO, fmt.Sprintf("the disk holding %s (%s) is full; free some space there and run the same command again (nothing is lost: what is done is kept, the rest follows)", where, dir), err)
	case errors.Is(err, syscall.EROFS):
		return core.E(op, core.IO, fmt.Sprintf("%s (%s) is on a read-only file system", where, dir), err)
	case errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
		return core.E(op, core.IO, fmt.Sprintf("%s (%s) cannot be written (permission denied)", where, dir), err)
	}
	return core.E(op, core.IO, fmt.Sprintf("cannot write %s (%s)", where, dir), err)
}
