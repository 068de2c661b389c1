package backup

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/diskmode"
	"github.com/ocular-lab/ocular/repository/local"
	"github.com/ocular-lab/ocular/repository/repofiles"
)

// DumpName is a PostgreSQL backup's database file (pg_dump -Fc).
const DumpName = "database.pgdump"

// snapshotPostgres dumps the database with pg_dump in the snapshot of an
// open repeatable-read transaction (pg_export_snapshot), and lists the
// files from the same transaction: dump and file list see the same
// instant, while the server goes on writing.
func snapshotPostgres(ctx context.Context, src Source, to string) (*snapshot, error) {
	const op = "backup"
	conn, err := pgx.Connect(ctx, src.Postgres)
	if err != nil {
		return nil, core.E(op, core.IO, "cannot reach the repository's PostgreSQL database", err)
	}
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		conn.Close(ctx)
		return nil, core.E(op, core.IO, err)
	}
	closeAll := func() { tx.Rollback(context.Background()); conn.Close(context.Background()) }
	fail := func(err error) (*snapshot, error) { closeAll(); return nil, err }
	version, err := PostgresSchema(ctx, tx)
	if err != nil {
		return fail(err)
	}
	var snapID string
	if err := tx.QueryRow(ctx, "SELECT pg_export_snapshot()").Scan(&snapID); err != nil {
		return fail(core.E(op, core.IO, err))
	}
	dump := filepath.Join(to, DumpName)
	os.Remove(dump) // an earlier attempt's
	if err := pgTool(ctx, "pg_dump", src.Postgres, "-Fc", "--no-owner", "--snapshot="+snapID, "-f", dump); err != nil {
		return fail(err)
	}
	size, sum, err := repofiles.HashFile(ctx, dump)
	if err != nil {
		return fail(repofiles.DiskError(op, "the backup", to, err))
	}
	q := repofiles.Pgx(tx)
	counts, err := repofiles.CountRows(ctx, q)
	if err != nil {
		return fail(core.E(op, core.IO, "cannot read the database", err))
	}
	return &snapshot{
		header: Header{OcularBackup: formatVersion, Created: time.Now().UTC(), Engine: "postgres", Schema: version,
			Database: DumpName, DatabaseSize: size, DatabaseSHA256: sum, Counts: counts},
		files: q, close: closeAll,
	}, nil
}

// PostgresSchema reads the schema version of an Ocular PostgreSQL database
// (meta's schema_version); a database without Ocular's tables is Invalid.
func PostgresSchema(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}) (int, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()
		AND table_name IN ('experimenter', 'experimenter_group', 'object', 'fileset_entry', 'meta')`).Scan(&n)
	if err != nil {
		return 0, core.E("read repository", core.IO, "cannot read the PostgreSQL database", err)
	}
	if n != 5 {
		return 0, core.Errorf("read repository", core.Invalid, "the PostgreSQL database is not an Ocular repository (it lacks Ocular's tables)")
	}
	var v string
	if err := q.QueryRow(ctx, "SELECT value FROM meta WHERE key = 'schema_version'").Scan(&v); err != nil {
		return 0, core.Errorf("read repository", core.Invalid, "the PostgreSQL database is not an Ocular repository (it records no schema version)")
	}
	var version int
	if _, err := fmt.Sscan(v, &version); err != nil {
		return 0, core.Errorf("read repository", core.Invalid, "the PostgreSQL database records schema version %q, which is not a number", v)
	}
	return version, nil
}

// restorePostgres loads a dump into the empty database dsn in one
// transaction: it all arrives, or nothing does.
func restorePostgres(ctx context.Context, dump, dsn string) error {
	if err := postgresEmpty(ctx, dsn); err != nil {
		return err
	}
	return pgTool(ctx, "pg_restore", dsn, "--no-owner", "--exit-on-error", "--single-transaction", dump)
}

// postgresEmpty refuses a database that holds tables.
func postgresEmpty(ctx context.Context, dsn string) error {
	const op = "restore"
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return core.E(op, core.IO, "cannot reach the PostgreSQL database to restore into", err)
	}
	var n int
	err = conn.QueryRow(ctx, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()").Scan(&n)
	conn.Close(ctx)
	if err != nil {
		return core.E(op, core.IO, err)
	}
	if n > 0 {
		return core.Errorf(op, core.Conflict, "the PostgreSQL database to restore into is not empty (it has %d tables); create an empty one (createdb) and restore into that", n)
	}
	return nil
}

// writeRepositoryID gives the restored folder the repository ID the
// restored database holds (if any), as `init --db` made the original's:
// the server refuses a folder and a database that do not belong together.
func writeRepositoryID(ctx context.Context, dsn, dir string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return core.E("restore", core.IO, "cannot reach the restored PostgreSQL database", err)
	}
	defer conn.Close(ctx)
	var id string
	if err := conn.QueryRow(ctx, "SELECT coalesce((SELECT value FROM meta WHERE key = 'repositoryID'), '')").Scan(&id); err != nil {
		return core.E("restore", core.IO, err)
	}
	if id == "" {
		return nil
	}
	if err := os.WriteFile(filepath.Join(dir, local.IDFile), []byte(id+"\n"), diskmode.File()); err != nil {
		return repofiles.DiskError("restore", "the new repository", dir, err)
	}
	return nil
}

func countPostgres(ctx context.Context, dsn string) (repofiles.Counts, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, core.E("restore", core.IO, "cannot reach the restored PostgreSQL database", err)
	}
	defer conn.Close(ctx)
	return repofiles.CountRows(ctx, repofiles.Pgx(conn))
}

// pgTool runs pg_dump or pg_restore against dsn. The password goes in the
// environment (PGPASSWORD), not on the command line other accounts can
// read in the process list.
func pgTool(ctx context.Context, tool, dsn string, args ...string) error {
	op := "backup"
	if tool == "pg_restore" {
		op = "restore"
	}
	path, err := exec.LookPath(tool)
	if err != nil {
		return core.Errorf(op, core.Unsupported, "%s is not installed; install PostgreSQL's client programs (Debian: apt-get install postgresql-client) and try again", tool)
	}
	env := os.Environ()
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok {
			env = append(env, "PGPASSWORD="+pw)
			u.User = url.User(u.User.Username())
			dsn = u.String()
		}
	}
	cmd := exec.CommandContext(ctx, path, append([]string{"--dbname=" + dsn}, args...)...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 2000 {
			msg = msg[:2000] + "..."
		}
		if strings.Contains(msg, "No space left on device") {
			return core.E(op, core.IO, fmt.Sprintf("%s stopped: a disk is full; free some space and run the command again", tool), fmt.Errorf("%s", msg))
		}
		return core.E(op, core.IO, fmt.Sprintf("%s failed: %s", tool, msg), err)
	}
	return nil
}
