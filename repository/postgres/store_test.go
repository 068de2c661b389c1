package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/pgtest"
)

// openTest opens a store on a fresh database; it closes when t ends.
func openTest(t *testing.T) (*Store, string) {
	t.Helper()
	dsn := pgtest.DSN(t)
	st, err := Open(context.Background(), dsn, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, dsn
}

// connect opens a plain connection to the test's database, for doing to it
// what Ocular never would.
func connect(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

func exec(t *testing.T, c *pgx.Conn, sql string, args ...any) {
	t.Helper()
	if _, err := c.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// seed gives the store root, the system group and a dataset; it returns
// the dataset's ID.
func seed(t *testing.T, st *Store) core.ID {
	t.Helper()
	var id core.ID
	err := st.Write(context.Background(), func(tx core.Tx) error {
		root := core.Experimenter{ID: 0, Username: "root"}
		if err := tx.CreateExperimenter(&root, "hash"); err != nil {
			return err
		}
		g := core.Group{ID: 0, Name: "system"}
		if err := tx.CreateGroup(&g); err != nil {
			return err
		}
		d := dataset("seeded")
		err := tx.CreateObject(d)
		id = d.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func dataset(name string) *core.Object {
	return &core.Object{Ref: core.Ref{Class: core.Dataset}, Name: name}
}

func countObjects(t *testing.T, st *Store, q core.Query) int {
	t.Helper()
	var n int
	if err := st.Read(context.Background(), func(tx core.Tx) (err error) { n, err = tx.Count(q); return err }); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOpen_AnEmptyDatabaseGetsTheSchemaAndKeepsItsDataAcrossReopening(t *testing.T) {
	st, dsn := openTest(t)
	ctx := context.Background()
	id := seed(t, st)
	stamp := time.Date(2026, 3, 4, 5, 6, 7, 891_000_000, time.UTC)
	err := st.Write(ctx, func(tx core.Tx) error {
		o := &core.Object{Ref: core.Ref{Class: core.CommentAnnotation}, Details: core.Details{Created: stamp},
			TextValue: "ünïcode ✓", Parent: id, Attrs: map[string]any{"k": "v", "n": 3.5}}
		return tx.CreateObject(o)
	})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	st2, err := Open(ctx, dsn, t.TempDir())
	if err != nil {
		t.Fatalf("reopening: %v", err)
	}
	defer st2.Close()
	err = st2.Read(ctx, func(tx core.Tx) error {
		v, err := tx.Meta(versionKey)
		if err != nil || v != fmt.Sprint(SchemaVersion()) {
			t.Errorf("schema version %q, %v; want %d", v, err, SchemaVersion())
		}
		q := core.NewQuery(core.CommentAnnotation)
		q.Parent = id
		objs, err := tx.Find(q)
		if err != nil || len(objs) != 1 {
			t.Fatalf("comment not found again: %v %v", objs, err)
		}
		c := objs[0]
		if c.TextValue != "ünïcode ✓" || !c.Created.Equal(stamp) || c.Attrs["k"] != "v" || c.Attrs["n"] != 3.5 {
			t.Errorf("read back %+v, created %v", c, c.Created)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOpen_RefusesADatabaseThatIsNotOcularsAndLeavesItAlone(t *testing.T) {
	dsn := pgtest.DSN(t)
	c := connect(t, dsn)
	exec(t, c, "CREATE TABLE patients (id int PRIMARY KEY, name text)")
	exec(t, c, "INSERT INTO patients VALUES (1, 'x')")
	_, err := Open(context.Background(), dsn, t.TempDir())
	if !core.Is(core.Invalid, err) || !strings.Contains(core.UserMessage(err), "not an Ocular repository") {
		t.Fatalf("opening another program's database: %v", err)
	}
	var tables int
	c.QueryRow(context.Background(), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&tables)
	if tables != 1 {
		t.Errorf("the foreign database now has %d tables, want its 1", tables)
	}
	// A table named meta is not enough to pass for Ocular's.
	exec(t, c, "CREATE TABLE meta (k int)")
	if _, err := Open(context.Background(), dsn, t.TempDir()); !core.Is(core.Invalid, err) {
		t.Fatalf("a foreign meta table was taken for Ocular's: %v", err)
	}
}

func TestOpen_RefusesASchemaNewerThanThisProgram(t *testing.T) {
	st, dsn := openTest(t)
	st.Close()
	c := connect(t, dsn)
	exec(t, c, "UPDATE meta SET value = $1 WHERE key = $2", fmt.Sprint(SchemaVersion()+1), versionKey)
	_, err := Open(context.Background(), dsn, t.TempDir())
	if !core.Is(core.Invalid, err) || !strings.Contains(core.UserMessage(err), "newer version of Ocular") {
		t.Fatalf("opening a newer schema: %v", err)
	}
}

// withMigrations makes Open apply the real migrations followed by extra.
func withMigrations(t *testing.T, extra ...migration) {
	t.Helper()
	saved := migrations
	t.Cleanup(func() { migrations = saved })
	migrations = func() ([]migration, error) {
		ms, err := loadMigrations()
		return append(ms, extra...), err
	}
}

func TestOpen_AnInterruptedUpgradeLeavesTheLastVersionAndTheNextOpenResumes(t *testing.T) {
	st, dsn := openTest(t)
	id := seed(t, st)
	st.Close()
	ctx := context.Background()
	next := SchemaVersion() + 1
	for _, broken := range []struct{ name, sql string }{
		// The server process dies halfway through the upgrade (as in a
		// crash or a lost connection)...
		{"connection lost", "CREATE TABLE half (a int); SELECT pg_terminate_backend(pg_backend_pid());"},
		// ...or a statement fails after others succeeded.
		{"statement failed", "CREATE TABLE half (a int); INSERT INTO half VALUES (1/0);"},
	} {
		withMigrations(t, migration{next, fmt.Sprintf("%04d_test.sql", next), broken.sql})
		_, err := Open(ctx, dsn, t.TempDir())
		if err == nil || !strings.Contains(core.UserMessage(err), fmt.Sprintf("stays at schema %d", next-1)) {
			t.Fatalf("%s: interrupted upgrade: %v", broken.name, err)
		}
		c := connect(t, dsn)
		var half *string
		var version string
		c.QueryRow(ctx, "SELECT to_regclass('half')::text").Scan(&half)
		c.QueryRow(ctx, "SELECT value FROM meta WHERE key = $1", versionKey).Scan(&version)
		if half != nil || version != fmt.Sprint(next-1) {
			t.Fatalf("%s: after the interrupted upgrade: table half %v, version %s", broken.name, half, version)
		}
	}
	withMigrations(t, migration{next, fmt.Sprintf("%04d_test.sql", next), "CREATE TABLE half (a int); INSERT INTO half VALUES (1);"})
	st, err := Open(ctx, dsn, t.TempDir())
	if err != nil {
		t.Fatalf("the rerun did not resume: %v", err)
	}
	defer st.Close()
	if n := countObjects(t, st, core.Query{IDs: []core.ID{id}, Group: core.AnyID, Owner: core.AnyID, Parent: core.AnyID, Child: core.AnyID}); n != 1 {
		t.Errorf("the data before the upgrade: %d objects, want 1", n)
	}
}

func TestOpen_TwoServersStartingTogetherBothOpenTheNewDatabase(t *testing.T) {
	dsn := pgtest.DSN(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, err := Open(context.Background(), dsn, t.TempDir())
			if err == nil {
				st.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("server %d: %v", i, err)
		}
	}
}

func TestOpen_BadOrUnreachableAddressesSayWhatIsWrongWithoutThePassword(t *testing.T) {
	ctx := context.Background()
	_, err := Open(ctx, "postgres://ocular:s3cret@127.0.0.1:bad/x", t.TempDir())
	if !core.Is(core.Invalid, err) || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("bad address: %v", err)
	}
	// Port 1 on loopback: nothing listens there.
	_, err = Open(ctx, "postgres://ocular:s3cret@127.0.0.1:1/x?connect_timeout=5", t.TempDir())
	if !core.Is(core.IO, err) || !strings.Contains(core.UserMessage(err), "127.0.0.1:1/x") || strings.Contains(core.UserMessage(err), "s3cret") {
		t.Errorf("unreachable server: %v", err)
	}
}

// backendPID is the server process serving a transaction.
func backendPID(t *testing.T, tx core.Tx) int32 {
	t.Helper()
	var pid int32
	tn := tx.(*txn)
	if err := tn.tx.QueryRow(tn.ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	return pid
}

func TestWrite_ALostConnectionFailsTheRequestCleanlyAndTheNextOneReconnects(t *testing.T) {
	st, dsn := openTest(t)
	seed(t, st)
	admin := connect(t, dsn)
	ctx := context.Background()
	before := countObjects(t, st, core.NewQuery(core.Dataset))
	err := st.Write(ctx, func(tx core.Tx) error {
		if err := tx.CreateObject(dataset("lost")); err != nil {
			return err
		}
		exec(t, admin, "SELECT pg_terminate_backend($1)", backendPID(t, tx))
		return tx.CreateObject(dataset("lost too"))
	})
	if !core.Is(core.IO, err) || core.UserMessage(err) != "the database connection was lost; try again" {
		t.Fatalf("write on a terminated connection: %v", err)
	}
	if n := countObjects(t, st, core.NewQuery(core.Dataset)); n != before {
		t.Fatalf("%d datasets after the failed request, want %d (nothing saved)", n, before)
	}
	if err := st.Write(ctx, func(tx core.Tx) error { return tx.CreateObject(dataset("after")) }); err != nil {
		t.Fatalf("the next request: %v", err)
	}
	if n := countObjects(t, st, core.NewQuery(core.Dataset)); n != before+1 {
		t.Fatalf("%d datasets, want %d", n, before+1)
	}
}

func TestReadAndWrite_ReconnectAfterTheServerDroppedEveryIdleConnection(t *testing.T) {
	st, dsn := openTest(t)
	seed(t, st)
	ctx := context.Background()
	// Fill the pool with idle connections, then end them all from outside,
	// as a restarted server or a dropped network would.
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st.Read(ctx, func(tx core.Tx) error { _, err := tx.Groups(); return err })
		}()
	}
	wg.Wait()
	admin := connect(t, dsn)
	exec(t, admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
	for i := range 6 {
		if err := st.Read(ctx, func(tx core.Tx) error { _, err := tx.Groups(); return err }); err != nil {
			t.Fatalf("read %d after the connections were dropped: %v", i, err)
		}
	}
	exec(t, admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
	if err := st.Write(ctx, func(tx core.Tx) error { return tx.CreateObject(dataset("after")) }); err != nil {
		t.Fatalf("write after the connections were dropped: %v", err)
	}
}

func TestWrite_AFailedRequestChangesNothing(t *testing.T) {
	st, _ := openTest(t)
	seed(t, st)
	before := countObjects(t, st, core.NewQuery())
	boom := errors.New("boom")
	err := st.Write(context.Background(), func(tx core.Tx) error {
		for i := range 10 {
			if err := tx.CreateObject(dataset(fmt.Sprint(i))); err != nil {
				return err
			}
		}
		if err := tx.SetMeta("x", "y"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Write returned %v, want fn's error", err)
	}
	if n := countObjects(t, st, core.NewQuery()); n != before {
		t.Errorf("%d objects after a failed request, want %d", n, before)
	}
	st.Read(context.Background(), func(tx core.Tx) error {
		if _, err := tx.Meta("x"); !core.Is(core.NotFound, err) {
			t.Errorf("setting of a failed request: %v", err)
		}
		return nil
	})
}

// Writes run one after the other: read-modify-write cycles from many
// goroutines lose no update, as with SQLite's single writer.
func TestWrite_ConcurrentRequestsRunOneAfterTheOther(t *testing.T) {
	st, _ := openTest(t)
	seed(t, st)
	ctx := context.Background()
	if err := st.Write(ctx, func(tx core.Tx) error { return tx.SetMeta("counter", "0") }); err != nil {
		t.Fatal(err)
	}
	const writers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				errs <- st.Write(ctx, func(tx core.Tx) error {
					v, err := tx.Meta("counter")
					if err != nil {
						return err
					}
					var n int
					fmt.Sscan(v, &n)
					return tx.SetMeta("counter", fmt.Sprint(n+1))
				})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	st.Read(ctx, func(tx core.Tx) error {
		if v, _ := tx.Meta("counter"); v != fmt.Sprint(writers*each) {
			t.Errorf("counter %s after %d increments", v, writers*each)
		}
		return nil
	})
}

func TestRead_SeesOneSnapshotAndCannotWrite(t *testing.T) {
	st, _ := openTest(t)
	seed(t, st)
	ctx := context.Background()
	err := st.Read(ctx, func(tx core.Tx) error {
		n1, err := tx.Count(core.NewQuery(core.Dataset))
		if err != nil {
			return err
		}
		// A write committing meanwhile is not seen by this read.
		if err := st.Write(ctx, func(w core.Tx) error { return w.CreateObject(dataset("meanwhile")) }); err != nil {
			return err
		}
		n2, err := tx.Count(core.NewQuery(core.Dataset))
		if err != nil {
			return err
		}
		if n1 != n2 {
			t.Errorf("one read saw %d and then %d datasets", n1, n2)
		}
		if err := tx.CreateObject(dataset("from a read")); !core.Is(core.IO, err) || !strings.Contains(core.UserMessage(err), "read-only") {
			t.Errorf("writing in a read: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOpen_AMissingDatabaseOrAWrongPasswordIsSaidSo(t *testing.T) {
	dsn := pgtest.DSN(t)
	missing := strings.Replace(dsn, "/t_", "/missing_", 1)
	_, err := Open(context.Background(), missing, t.TempDir())
	if !core.Is(core.NotFound, err) || !strings.Contains(core.UserMessage(err), "does not exist") {
		t.Errorf("a missing database: %v", err)
	}
}
