package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/ocular-lab/ocular/core"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// versionKey is the meta row holding the schema's number.
const versionKey = "schema_version"

type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads the embedded migrations, in order.
func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration file %s is not named NNNN_name.sql", e.Name())
		}
		b, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{v, e.Name(), string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s have the same number", out[i-1].name, out[i].name)
		}
	}
	return out, nil
}

// migrations is the list Open applies; tests replace it to interrupt an
// upgrade halfway.
var migrations = loadMigrations

// SchemaVersion is the newest schema this build knows.
func SchemaVersion() int {
	ms, _ := migrations()
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// migrate brings the database to this build's schema. It holds a
// session-level advisory lock throughout, so that of two servers starting
// at once one upgrades and the other then finds the work done. Each
// migration runs in its own transaction together with its version bump: an
// upgrade interrupted at any point (a crash, a lost connection, a full
// disk) leaves the database at the last complete version, and the next
// Open resumes from there.
func (s *Store) migrate(ctx context.Context) error {
	const op = "open repository"
	ms, err := migrations()
	if err != nil {
		return core.E(op, core.Internal, err)
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return connectErr(op, s.where, err)
	}
	defer conn.Release()
	var schema *string
	if err := conn.QueryRow(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return dbErr(op, err)
	}
	if schema == nil {
		return core.Errorf(op, core.Invalid, "the database %s has no schema to keep the repository's tables in (none of its search_path exists); create one, or give the database its public schema back", s.where)
	}
	s.writeLock = lockKey("write", *schema)
	migrateLock := lockKey("migrate", *schema)
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrateLock); err != nil {
		return dbErr(op, err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrateLock)

	current, err := s.schemaVersion(ctx, conn.Conn())
	if err != nil {
		return err
	}
	latest := ms[len(ms)-1].version
	if current > latest {
		return core.Errorf(op, core.Invalid, "the database %s was written by a newer version of Ocular (schema %d; this version reads up to %d); upgrade Ocular to use it", s.where, current, latest)
	}
	for _, m := range ms {
		if m.version <= current {
			continue
		}
		err := pgx.BeginFunc(ctx, conn.Conn(), func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
				versionKey, strconv.Itoa(m.version))
			return err
		})
		if err != nil {
			e := dbErr(op, err)
			return core.E(op, core.KindOf(e), fmt.Sprintf("upgrading the database to schema %d (%s) failed; the database stays at schema %d and the next start tries again", m.version, m.name, current), e)
		}
		current = m.version
	}
	return nil
}

// schemaVersion reads the schema's number: 0 for an empty database. A
// database holding tables but no Ocular schema number belongs to something
// else and is refused, so Ocular never writes into another program's data.
func (s *Store) schemaVersion(ctx context.Context, conn *pgx.Conn) (int, error) {
	const op = "open repository"
	var tables int
	var hasMeta bool
	err := conn.QueryRow(ctx, `SELECT count(*), coalesce(bool_or(c.relname = 'meta' AND c.relkind = 'r'), false)
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')`).Scan(&tables, &hasMeta)
	if err != nil {
		return 0, dbErr(op, err)
	}
	if tables == 0 {
		return 0, nil
	}
	notOurs := core.Errorf(op, core.Invalid, "the database %s holds tables that are not an Ocular repository; give Ocular an empty database of its own (createdb) or the database of an Ocular repository", s.where)
	if !hasMeta {
		return 0, notOurs
	}
	var v string
	err = conn.QueryRow(ctx, "SELECT value FROM meta WHERE key = $1", versionKey).Scan(&v)
	if errNoRows(err) {
		return 0, notOurs
	}
	if err != nil {
		// A meta table of another shape is someone else's too.
		return 0, notOurs
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, notOurs
	}
	return n, nil
}
