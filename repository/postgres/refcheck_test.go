package postgres

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ocular-lab/ocular/core"
)

// Since schema 5, object's references to objects and to its group are
// checked once per statement by triggers instead of by foreign keys. These
// tests write SQL directly (each statement its own transaction), as the
// checks must hold whatever writes, and expect what the foreign keys did:
// SQLSTATE 23503 with the key's name, and nothing of the statement saved.

// refFixture is a seeded repository with a dataset, an image and a link
// between them, and a plain connection to its database.
type refFixture struct {
	st                  *Store
	c                   *pgx.Conn
	dataset, image, lnk int64
}

func newRefFixture(t *testing.T) refFixture {
	t.Helper()
	st, dsn := openTest(t)
	f := refFixture{st: st, c: connect(t, dsn), dataset: int64(seed(t, st))}
	f.image = f.insert(t, "Image", nil, nil, nil)
	f.lnk = f.insert(t, "DatasetImageLink", f.dataset, f.image, nil)
	return f
}

// insert adds an object in group 0, owned by root, failing the test on an error.
func (f refFixture) insert(t *testing.T, class string, parent, child, ref2 any) int64 {
	t.Helper()
	var id int64
	err := f.c.QueryRow(context.Background(), `INSERT INTO object (class, owner_id, group_id, created, updated, parent_id, child_id, ref2_id)
		VALUES ($1, 0, 0, 0, 0, $2, $3, $4) RETURNING id`, class, parent, child, ref2).Scan(&id)
	if err != nil {
		t.Fatalf("insert %s: %v", class, err)
	}
	return id
}

// refused runs one statement and checks that it failed as a foreign key
// does, naming constraint, with a message mentioning want.
func (f refFixture) refused(t *testing.T, constraint, want, sql string, args ...any) {
	t.Helper()
	_, err := f.c.Exec(context.Background(), sql, args...)
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != codeForeignKeyViolation {
		t.Fatalf("%s: got %v, want a foreign-key violation", sql, err)
	}
	if pe.ConstraintName != constraint || !strings.Contains(pe.Message, want) {
		t.Errorf("%s: constraint %q, message %q; want %q and a message with %q", sql, pe.ConstraintName, pe.Message, constraint, want)
	}
}

func (f refFixture) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := f.c.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRefCheck_TheForeignKeysOfObjectsReferencesAreReplacedByStatementChecks(t *testing.T) {
	f := newRefFixture(t)
	// Only the owner's key is left; the others would check every row again.
	n := f.count(t, `SELECT count(*) FROM pg_constraint WHERE conrelid = 'object'::regclass AND contype = 'f'
		AND conname <> 'object_owner_id_fkey'`)
	if n != 0 {
		t.Errorf("object still has %d foreign keys besides its owner's", n)
	}
}

func TestRefCheck_ADanglingReferenceIsRefusedOnInsert(t *testing.T) {
	f := newRefFixture(t)
	const missing = 987654
	before := f.count(t, "SELECT count(*) FROM object")
	for _, col := range []string{"parent_id", "child_id", "ref2_id"} {
		f.refused(t, "object_"+col+"_fkey", "names object 987654 as its "+col,
			"INSERT INTO object (class, owner_id, group_id, created, updated, "+col+") VALUES ('Roi', 0, 0, 0, 0, $1)", missing)
	}
	f.refused(t, "object_group_id_fkey", "there is no group 987654",
		"INSERT INTO object (class, owner_id, group_id, created, updated) VALUES ('Dataset', 0, $1, 0, 0)", missing)
	if after := f.count(t, "SELECT count(*) FROM object"); after != before {
		t.Errorf("%d objects after the refused inserts, want %d", after, before)
	}
}

func TestRefCheck_ADanglingReferenceIsRefusedOnUpdate(t *testing.T) {
	f := newRefFixture(t)
	const missing = 987654
	for _, col := range []string{"parent_id", "child_id", "ref2_id"} {
		f.refused(t, "object_"+col+"_fkey", "names object 987654 as its "+col,
			"UPDATE object SET "+col+" = $1 WHERE id = $2", missing, f.lnk)
	}
	f.refused(t, "object_group_id_fkey", "there is no group 987654",
		"UPDATE object SET group_id = $1 WHERE id = $2", missing, f.image)
	if n := f.count(t, "SELECT count(*) FROM object WHERE id = $1 AND parent_id = $2 AND child_id = $3 AND ref2_id IS NULL",
		f.lnk, f.dataset, f.image); n != 1 {
		t.Error("a refused update changed the link")
	}
	// Changing something else of a row whose references stay is allowed,
	// and so is pointing a reference at another existing object.
	if _, err := f.c.Exec(context.Background(), "UPDATE object SET name = 'renamed', ref2_id = $1 WHERE id = $2", f.image, f.lnk); err != nil {
		t.Errorf("a valid update was refused: %v", err)
	}
}

func TestRefCheck_AReferencedObjectCannotBeDeletedNorRenumbered(t *testing.T) {
	f := newRefFixture(t)
	f.refused(t, "object_child_id_fkey", "object "+itoa(f.lnk)+" still names it as its child_id",
		"DELETE FROM object WHERE id = $1", f.image)
	roi := f.insert(t, "Roi", f.dataset, nil, nil)
	shape := f.insert(t, "Shape", nil, nil, roi)
	f.refused(t, "object_parent_id_fkey", "object "+itoa(f.lnk)+" still names it as its parent_id",
		"DELETE FROM object WHERE id = $1", f.dataset)
	f.refused(t, "object_ref2_id_fkey", "object "+itoa(shape)+" still names it as its ref2_id",
		"DELETE FROM object WHERE id = $1", roi)
	f.refused(t, "object_ref2_id_fkey", "still names it",
		"UPDATE object SET id = 987654 WHERE id = $1", roi)
	if n := f.count(t, "SELECT count(*) FROM object WHERE id = ANY($1)", []int64{f.image, f.dataset, roi}); n != 3 {
		t.Errorf("%d of the 3 referenced objects are left", n)
	}
}

func TestRefCheck_AnObjectAndWhatNamesItGoTogetherInOneStatement(t *testing.T) {
	f := newRefFixture(t)
	// As with NO ACTION, the check is at the end of the statement: the
	// link and its image go together, in either order of the rows.
	if _, err := f.c.Exec(context.Background(), "DELETE FROM object WHERE id = ANY($1)", []int64{f.image, f.lnk}); err != nil {
		t.Fatalf("deleting a link with its image: %v", err)
	}
	if n := f.count(t, "SELECT count(*) FROM object WHERE id = ANY($1)", []int64{f.image, f.lnk}); n != 0 {
		t.Errorf("%d of the link and image are left", n)
	}
}

func TestRefCheck_OneDanglingRowRefusesTheWholeStatement(t *testing.T) {
	f := newRefFixture(t)
	before := f.count(t, "SELECT count(*) FROM object")
	f.refused(t, "object_parent_id_fkey", "names object 987654 as its parent_id",
		`INSERT INTO object (class, owner_id, group_id, created, updated, parent_id) VALUES
			('Roi', 0, 0, 0, 0, $1), ('Roi', 0, 0, 0, 0, 987654), ('Roi', 0, 0, 0, 0, $1)`, f.image)
	if after := f.count(t, "SELECT count(*) FROM object"); after != before {
		t.Errorf("%d objects after the refused insert, want %d", after, before)
	}
	// Rows of one statement may name each other, as with the foreign keys.
	if _, err := f.c.Exec(context.Background(), `WITH roi AS (INSERT INTO object (class, owner_id, group_id, created, updated, parent_id)
			VALUES ('Roi', 0, 0, 0, 0, $1) RETURNING id)
		INSERT INTO object (class, owner_id, group_id, created, updated, ref2_id) SELECT 'Shape', 0, 0, 0, 0, id FROM roi`, f.image); err != nil {
		t.Errorf("a statement inserting a shape with its ROI: %v", err)
	}
}

func TestRefCheck_AGroupWithObjectsCannotGo(t *testing.T) {
	f := newRefFixture(t)
	f.refused(t, "object_group_id_fkey", "group 0 cannot go", "DELETE FROM experimenter_group WHERE id = 0")
	f.refused(t, "object_group_id_fkey", "group 0 cannot go", "UPDATE experimenter_group SET id = 99 WHERE id = 0")
	f.refused(t, "object_group_id_fkey", "the groups cannot all go", "TRUNCATE experimenter_group CASCADE")
	// An empty group can.
	if _, err := f.c.Exec(context.Background(), "INSERT INTO experimenter_group (id, name, level, created) VALUES (5, 'empty', 0, 0)"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.Exec(context.Background(), "DELETE FROM experimenter_group WHERE id = 5"); err != nil {
		t.Errorf("deleting an empty group: %v", err)
	}
}

func TestRefCheck_TheStoreReportsADanglingReferenceAsAConflictThatSaysSo(t *testing.T) {
	f := newRefFixture(t)
	err := f.st.Write(context.Background(), func(tx core.Tx) error {
		return tx.CreateObject(&core.Object{Ref: core.Ref{Class: core.Roi}, Parent: 987654})
	})
	if !core.Is(core.Conflict, err) || !strings.Contains(core.UserMessage(err), "does not exist") {
		t.Errorf("a ROI of a missing image: %v (%q)", err, core.UserMessage(err))
	}
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// TestRefCheck_AnUpgradedRepositoryKeepsItsObjectsAndIsChecked: a
// repository written at schema 4, with the foreign keys, is upgraded by
// Open in place; its objects stay and the statement checks guard them.
func TestRefCheck_AnUpgradedRepositoryKeepsItsObjectsAndIsChecked(t *testing.T) {
	saved := migrations
	t.Cleanup(func() { migrations = saved })
	migrations = func() ([]migration, error) {
		ms, err := loadMigrations()
		return ms[:4], err
	}
	st, dsn := openTest(t)
	d := seed(t, st)
	var img core.ID
	write(t, st, func(tx core.Tx) error {
		o := &core.Object{Ref: core.Ref{Class: core.Image}, Name: "i"}
		if err := tx.CreateObject(o); err != nil {
			return err
		}
		img = o.ID
		return tx.CreateObject(link(core.DatasetImageLink, d, img))
	})
	st.Close()

	migrations = saved
	st, err := Open(context.Background(), dsn, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := refFixture{st: st, c: connect(t, dsn)}
	if n := f.count(t, "SELECT count(*) FROM object WHERE parent_id = $1 AND child_id = $2", int64(d), int64(img)); n != 1 {
		t.Errorf("%d links after the upgrade, want 1", n)
	}
	f.refused(t, "object_child_id_fkey", "still names it as its child_id", "DELETE FROM object WHERE id = $1", int64(img))
}
