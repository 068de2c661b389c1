package bigrepo

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// PostgresSink writes with COPY (pgx CopyFrom), one transaction per chunk,
// into a database whose schema repository/postgres made. It reads the
// column types from the catalogue, so timestamps and attributes go in as
// the schema stores them.
type PostgresSink struct {
	dsn string
	// NoChecks writes with session_replication_role = replica, which skips
	// the per-row foreign-key checks; Finish checks every reference
	// afterwards in one query per foreign key. The schema's own triggers
	// (the search index) are set to fire ALWAYS meanwhile, so they index
	// each COPY as they index any insert, and are set back by Finish.
	NoChecks bool
	always   [][2]string // triggers switched to ALWAYS: table, name

	conn  *pgx.Conn
	types map[string]map[string]string // table -> column -> data_type
}

// NewPostgresSink connects to dsn.
func NewPostgresSink(ctx context.Context, dsn string) (*PostgresSink, error) {
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	return &PostgresSink{dsn: dsn, conn: c, types: map[string]map[string]string{}}, nil
}

// Close sets back any trigger a failed generation left firing ALWAYS.
func (s *PostgresSink) Close() error {
	ctx := context.Background()
	var err error
	if len(s.always) > 0 {
		err = s.restoreTriggers(ctx)
	}
	if cerr := s.conn.Close(ctx); err == nil {
		err = cerr
	}
	return err
}

func (s *PostgresSink) Empty(ctx context.Context) (bool, error) {
	var any bool
	err := s.conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM object)").Scan(&any)
	return !any, err
}

// objectSequence finds how the store numbers objects: SQLite's id_sequence
// table ported as is, or a PostgreSQL sequence.
func (s *PostgresSink) objectSequence(ctx context.Context) (table bool, seq string, err error) {
	var name *string
	if err := s.conn.QueryRow(ctx, "SELECT to_regclass('id_sequence')::text").Scan(&name); err != nil {
		return false, "", err
	}
	if name != nil {
		return true, "", nil
	}
	if err := s.conn.QueryRow(ctx, "SELECT pg_get_serial_sequence('object', 'id')").Scan(&name); err != nil {
		return false, "", err
	}
	if name != nil {
		return false, *name, nil
	}
	err = s.conn.QueryRow(ctx, `SELECT c.oid::regclass::text FROM pg_class c
		WHERE c.relkind = 'S' AND c.relname LIKE '%object%' AND pg_table_is_visible(c.oid) ORDER BY c.relname LIMIT 1`).Scan(&name)
	if err != nil {
		return false, "", fmt.Errorf("no object ID sequence found in the schema: %w", err)
	}
	return false, *name, nil
}

func (s *PostgresSink) NextObjectID(ctx context.Context) (int64, error) {
	table, seq, err := s.objectSequence(ctx)
	if err != nil {
		return 0, err
	}
	var next int64
	if table {
		err = s.conn.QueryRow(ctx, "SELECT next FROM id_sequence WHERE name = 'object'").Scan(&next)
		return next, err
	}
	// nextval hands out the ID (a gap if nothing is written: IDs are never
	// reused, so gaps are harmless).
	err = s.conn.QueryRow(ctx, "SELECT nextval($1::regclass)", seq).Scan(&next)
	return next, err
}

func (s *PostgresSink) columnTypes(ctx context.Context, table string) (map[string]string, error) {
	if t, ok := s.types[table]; ok {
		return t, nil
	}
	rows, err := s.conn.Query(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_name = $1 AND table_schema = current_schema()`, table)
	if err != nil {
		return nil, err
	}
	t := map[string]string{}
	for rows.Next() {
		var c, ty string
		if err := rows.Scan(&c, &ty); err != nil {
			return nil, err
		}
		t[c] = ty
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(t) == 0 {
		return nil, fmt.Errorf("the database has no table %s: is it an Ocular repository?", table)
	}
	s.types[table] = t
	return t, nil
}

// convert turns the generator's values into what the column's type takes.
func convert(v any, colType string) any {
	switch v := v.(type) {
	case Millis:
		if strings.HasPrefix(colType, "timestamp") {
			return time.UnixMilli(int64(v)).UTC()
		}
		return int64(v)
	case JSON:
		if colType == "json" || colType == "jsonb" {
			return json.RawMessage(v)
		}
		return string(v)
	}
	return v
}

func (s *PostgresSink) Write(ctx context.Context, tables []Table) error {
	tx, err := s.conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if s.NoChecks {
		if err := s.triggersAlways(ctx, tables); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "SET LOCAL session_replication_role = replica"); err != nil {
			return fmt.Errorf("turn the per-row checks off (needs a superuser): %w", err)
		}
	}
	for _, t := range tables {
		types, err := s.columnTypes(ctx, t.Name)
		if err != nil {
			return err
		}
		colTypes := make([]string, len(t.Cols))
		for i, c := range t.Cols {
			if colTypes[i] = types[c]; colTypes[i] == "" {
				return fmt.Errorf("the database's table %s has no column %s", t.Name, c)
			}
		}
		next, stop := iter.Pull(t.Rows)
		src := pgx.CopyFromFunc(func() ([]any, error) {
			row, ok := next()
			if !ok {
				return nil, nil
			}
			for i, v := range row {
				row[i] = convert(v, colTypes[i])
			}
			return row, nil
		})
		_, err = tx.CopyFrom(ctx, pgx.Identifier{t.Name}, t.Cols, src)
		stop()
		if err != nil {
			return fmt.Errorf("copy into %s: %w", t.Name, err)
		}
	}
	return tx.Commit(ctx)
}

// triggersAlways makes the user triggers of the tables fire in replica
// mode too, but for the reference checks, which Finish does instead.
func (s *PostgresSink) triggersAlways(ctx context.Context, tables []Table) error {
	for _, t := range tables {
		rows, err := s.conn.Query(ctx, `SELECT tgname FROM pg_trigger
			WHERE tgrelid = to_regclass($1) AND NOT tgisinternal AND tgenabled = 'O'
			  AND tgname NOT LIKE '%ref_check%'`, t.Name)
		if err != nil {
			return err
		}
		names, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		for _, n := range names {
			if _, err := s.conn.Exec(ctx, "ALTER TABLE "+pgx.Identifier{t.Name}.Sanitize()+" ENABLE ALWAYS TRIGGER "+pgx.Identifier{n}.Sanitize()); err != nil {
				return err
			}
			s.always = append(s.always, [2]string{t.Name, n})
		}
	}
	return nil
}

// restoreTriggers sets the triggers triggersAlways changed back. All of
// them, whichever sink or run changed them: Ocular's schema has no trigger
// firing ALWAYS, and a stopped run may have left some (its connection died
// with the cancelled COPY before it could set them back).
func (s *PostgresSink) restoreTriggers(ctx context.Context) error {
	if s.conn.IsClosed() {
		c, err := pgx.Connect(ctx, s.dsn)
		if err != nil {
			return err
		}
		s.conn = c
	}
	rows, err := s.conn.Query(ctx, `SELECT tgrelid::regclass::text, tgname::text FROM pg_trigger
		WHERE NOT tgisinternal AND tgenabled = 'A'
		  AND tgrelid IN (to_regclass('object'), to_regclass('pixels'), to_regclass('channel'), to_regclass('fileset_entry'))`)
	if err != nil {
		return err
	}
	left, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([2]string, error) {
		var t [2]string
		return t, r.Scan(&t[0], &t[1])
	})
	if err != nil {
		return err
	}
	s.always = left
	for len(s.always) > 0 {
		t := s.always[len(s.always)-1]
		if _, err := s.conn.Exec(ctx, "ALTER TABLE "+pgx.Identifier{t[0]}.Sanitize()+" ENABLE TRIGGER "+pgx.Identifier{t[1]}.Sanitize()); err != nil {
			return fmt.Errorf("set trigger %s on %s back: %w", t[1], t[0], err)
		}
		s.always = s.always[:len(s.always)-1]
	}
	return nil
}

// checkReferences finds, for every single-column foreign key of the
// generated tables, the rows whose reference names no row: what the
// skipped per-row checks would have refused.
func (s *PostgresSink) checkReferences(ctx context.Context) error {
	rows, err := s.conn.Query(ctx, `SELECT c.conrelid::regclass::text, a.attname::text, c.confrelid::regclass::text, af.attname::text
		FROM pg_constraint c
		JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
		JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
		WHERE c.contype = 'f' AND cardinality(c.conkey) = 1
		  AND c.conrelid IN (to_regclass('object'), to_regclass('pixels'), to_regclass('channel'), to_regclass('fileset_entry'))`)
	if err != nil {
		return err
	}
	type fk struct{ table, col, ref, refCol string }
	fks, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fk, error) {
		var f fk
		return f, r.Scan(&f.table, &f.col, &f.ref, &f.refCol)
	})
	if err != nil {
		return err
	}
	// object's references to objects and to its group are checked by
	// statement triggers since schema 5, not foreign keys (named
	// *ref_check*, left off in replica mode like the keys' own triggers).
	for _, f := range []fk{{"object", "parent_id", "object", "id"}, {"object", "child_id", "object", "id"},
		{"object", "ref2_id", "object", "id"}, {"object", "group_id", "experimenter_group", "id"}} {
		if !slices.Contains(fks, f) {
			fks = append(fks, f)
		}
	}
	for _, f := range fks {
		var bad int64
		q := fmt.Sprintf("SELECT count(*) FROM %s t WHERE t.%s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %s r WHERE r.%s = t.%s)",
			f.table, f.col, f.ref, f.refCol, f.col)
		if err := s.conn.QueryRow(ctx, q).Scan(&bad); err != nil {
			return err
		}
		if bad > 0 {
			return fmt.Errorf("%d rows of %s name a missing %s in %s: the generator is wrong", bad, f.table, f.col, f.ref)
		}
	}
	return nil
}

// Finish moves the sequence past the generated IDs and runs VACUUM ANALYZE:
// after a bulk load the planner has no statistics and the visibility map is
// empty (no index-only scans) until autovacuum comes round; the numbers are
// those of a repository autovacuum has seen.
func (s *PostgresSink) Finish(ctx context.Context, next int64) error {
	if err := s.restoreTriggers(ctx); err != nil {
		return err
	}
	if s.NoChecks {
		if err := s.checkReferences(ctx); err != nil {
			return err
		}
	}
	table, seq, err := s.objectSequence(ctx)
	if err != nil {
		return err
	}
	if table {
		_, err = s.conn.Exec(ctx, "UPDATE id_sequence SET next = greatest(next, $1) WHERE name = 'object'", next)
	} else {
		_, err = s.conn.Exec(ctx, "SELECT setval($1::regclass, greatest($2, (SELECT last_value FROM "+seq+")), false)", seq, next)
	}
	if err != nil {
		return fmt.Errorf("move the object ID sequence: %w", err)
	}
	_, err = s.conn.Exec(ctx, "VACUUM ANALYZE")
	return err
}

func (s *PostgresSink) Size(ctx context.Context) (int64, error) {
	var n int64
	err := s.conn.QueryRow(ctx, "SELECT pg_database_size(current_database())").Scan(&n)
	return n, err
}

// ResetPostgres drops and recreates the database dsn names, connecting to
// the server's maintenance database (postgres) to do it.
func ResetPostgres(ctx context.Context, dsn string) error {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return fmt.Errorf("--reset needs the database as a postgres:// URL, not %q", dsn)
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" || name == "postgres" {
		return fmt.Errorf("--reset refuses to drop the database %q; name a database of its own", name)
	}
	u.Path = "/postgres"
	c, err := pgx.Connect(ctx, u.String())
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	id := pgx.Identifier{name}.Sanitize()
	if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+id+" WITH (FORCE)"); err != nil {
		return err
	}
	_, err = c.Exec(ctx, "CREATE DATABASE "+id)
	return err
}
