package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/core"
)

// A repository from before hashed keys: its sessions keep working after the
// upgrade (the client still has the key), but the database no longer holds
// any key, and new sessions are stored hashed too.
func TestSessionKeysAreStoredHashed(t *testing.T) {
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
	const oldKey = "0123456789abcdef0123456789abcdef0123456789abcdef"
	stmts := []string{}
	last := 0
	for _, m := range ms {
		if m.version >= 6 {
			break
		}
		stmts = append(stmts, m.sql)
		last = m.version
	}
	stmts = append(stmts, "PRAGMA user_version = "+strconv.Itoa(last),
		"INSERT INTO experimenter (id, username, created) VALUES (0, 'root', 0)",
		"INSERT INTO session (key, user_id, group_id, created, expires) VALUES ('"+oldKey+"', 0, 0, 0, 9999999999999)")
	for _, stmt := range stmts {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	db.Close()

	st, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Read(ctx, func(tx core.Tx) error {
		rec, err := tx.Session(oldKey)
		if err != nil || rec.User != 0 || rec.Key != oldKey {
			t.Errorf("the old key after the upgrade: %+v %v", rec, err)
		}
		if _, err := tx.Session(hashKey(oldKey)); !core.Is(core.Auth, err) {
			t.Errorf("the stored hash works as a key: %v", err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	const newKey = "fedcba9876543210fedcba9876543210fedcba9876543210"
	if err := st.Write(ctx, func(tx core.Tx) error {
		return tx.CreateSession(core.SessionRecord{Key: newKey, User: 0, Group: 0, Created: time.Now(), Expires: time.Now().Add(time.Hour)})
	}); err != nil {
		t.Fatal(err)
	}
	var stored []string
	rows, err := st.reader.Query("SELECT key_hash FROM session")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		rows.Scan(&k)
		stored = append(stored, k)
	}
	rows.Close()
	all := strings.Join(stored, " ")
	if len(stored) != 2 || strings.Contains(all, oldKey) || strings.Contains(all, newKey) ||
		!strings.Contains(all, hashKey(oldKey)) || !strings.Contains(all, hashKey(newKey)) {
		t.Errorf("stored session keys: %v", stored)
	}
}
