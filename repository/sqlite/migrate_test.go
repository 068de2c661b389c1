package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// A repository written by the first version of Ocular (schema 1, with data
// in it) opens with this version: every later migration is applied, the data
// is still there, and new objects get IDs above the old ones.
func TestOlderRepositoryOpensAndUpgrades(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", dsn(filepath.Join(dir, DBName), false))
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{ms[0].sql, "PRAGMA user_version = 1",
		"INSERT INTO experimenter (id, username, created) VALUES (0, 'root', 0)",
		"INSERT INTO experimenter_group (id, name, level, created) VALUES (0, 'system', 0, 0)",
		"INSERT INTO object (id, class, owner_id, group_id, created, updated, name) VALUES (41, 'Dataset', 0, 0, 0, 0, 'from version 1')",
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	db.Close()

	st, err := Open(ctx, dir)
	if err != nil {
		t.Fatalf("opening a schema-1 repository: %v", err)
	}
	defer st.Close()
	var version int
	st.writer.QueryRow("PRAGMA user_version").Scan(&version)
	if version != SchemaVersion() || version < 2 {
		t.Fatalf("schema %d after opening, want %d", version, SchemaVersion())
	}
	err = st.Write(ctx, func(tx core.Tx) error {
		old, err := tx.Object(41)
		if err != nil || old.Name != "from version 1" {
			t.Errorf("the old dataset: %+v %v", old, err)
		}
		o := &core.Object{Ref: core.Ref{Class: core.Dataset}, Name: "new", Details: core.Details{Owner: 0, Group: 0}}
		if err := tx.CreateObject(o); err != nil {
			return err
		}
		if o.ID <= 41 {
			t.Errorf("a new object got ID %d, not above the existing 41", o.ID)
		}
		_, err = tx.FilesetEntriesByClientPath("/x") // uses migration 2's index
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
