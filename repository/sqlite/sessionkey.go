package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
)

// hashKey is what the session table stores for a session key: its hex
// SHA-256. Keys are 192 random bits, so a fast hash is enough; a salt or a
// slow hash would add nothing against guessing.
func hashKey(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:])
}

// hashSessionKeys is migration 6's Go step: it replaces every stored key by
// its hash, in the migration's transaction.
func hashSessionKeys(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "SELECT key_hash FROM session")
	if err != nil {
		return err
	}
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return err
		}
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, "UPDATE session SET key_hash = ? WHERE key_hash = ?", hashKey(k), k); err != nil {
			return err
		}
	}
	return nil
}

// migrationSteps are the migrations that need Go after their SQL, by
// version.
var migrationSteps = map[int]func(context.Context, *sql.Tx) error{
	6: hashSessionKeys,
}
