package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ocular-lab/ocular/core"
)

// PostgreSQL error codes the store turns into sentences
// (https://www.postgresql.org/docs/current/errcodes-appendix.html).
const (
	codeUniqueViolation     = "23505"
	codeForeignKeyViolation = "23503"
	codeCheckViolation      = "23514"
	codeNotNullViolation    = "23502"
	codeReadOnlyTx          = "25006"
	codeDiskFull            = "53100"
	codeOutOfMemory         = "53200"
	codeTooManyConnections  = "53300"
	codeAdminShutdown       = "57P01"
	codeCrashShutdown       = "57P02"
	codeCannotConnectNow    = "57P03"
	codeInsufficientPriv    = "42501"
	codeTxAborted           = "25P02"
)

// dbErr turns driver errors into core errors with sentences users
// understand, as the SQLite store does: a unique or foreign-key violation
// is a Conflict, a lost connection or a full disk an IO error that says
// what to do.
func dbErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var ce *core.Error
	if errors.As(err, &ce) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return core.E(op, core.IO, "the request was cancelled", err)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case codeUniqueViolation:
			return core.E(op, core.Conflict, "it already exists", err)
		case codeForeignKeyViolation:
			// Either side of a reference: a row naming something missing
			// (the detail, PostgreSQL's own or that of the checks of
			// migration 0005, says "is not present"), or something still
			// named going away. The checks' own message names both objects.
			if strings.Contains(pe.Detail, "is not present in table") {
				return core.E(op, core.Conflict, "it refers to something that does not exist", err)
			}
			return core.E(op, core.Conflict, "other objects still refer to it", err)
		case codeCheckViolation, codeNotNullViolation:
			return core.E(op, core.Invalid, "the value is not allowed", err)
		case codeDiskFull:
			return core.E(op, core.IO, "the database server's disk is full; free some space there and try again", err)
		case codeOutOfMemory:
			return core.E(op, core.IO, "the database server ran out of memory; try again later", err)
		case codeTooManyConnections, codeCannotConnectNow:
			return core.E(op, core.IO, "the database server accepts no connection now; try again later", err)
		case codeReadOnlyTx:
			return core.E(op, core.IO, "the repository is read-only", err)
		case codeTxAborted:
			// PostgreSQL refuses every statement after one failed in a
			// transaction (SQLite goes on); the first error was returned
			// to the caller, who went on regardless: a bug to fix there.
			return core.E(op, core.Internal, "an earlier step of this change failed, so nothing of it was saved", err)
		case codeInsufficientPriv:
			return core.E(op, core.IO, "the database user may not change the repository's tables; grant it the rights or connect as the owner", err)
		}
	}
	if connectionLost(err) {
		return core.E(op, core.IO, "the database connection was lost; try again", err)
	}
	return core.E(op, core.IO, err)
}

// connectionLost reports whether err means the connection to the server is
// gone: the server ended it (shut down, restarted, an administrator
// terminated it), or the network or socket failed. The pool drops such a
// connection and opens a new one for the next request.
func connectionLost(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == codeAdminShutdown || pe.Code == codeCrashShutdown || strings.HasPrefix(pe.Code, "08")
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	return pgconn.SafeToRetry(err) || err.Error() == "conn closed"
}

// connectErr says why the first connection to the database failed.
func connectErr(op, where string, err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "3D000": // invalid_catalog_name
			return core.E(op, core.NotFound, fmt.Sprintf("the PostgreSQL database %s does not exist; create it (createdb) or correct the address", where), err)
		case "28P01", "28000": // invalid_password, invalid_authorization_specification
			return core.E(op, core.Auth, fmt.Sprintf("PostgreSQL refused the user or password for %s; correct them in the address, or in ~/.pgpass", where), err)
		}
	}
	return core.E(op, core.IO, fmt.Sprintf("cannot connect to the PostgreSQL database %s; check that the server runs and the address, user and password are right", where), err)
}
