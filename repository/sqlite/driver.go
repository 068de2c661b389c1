package sqlite

import (
	"database/sql"
	"strconv"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// driverName is mattn/go-sqlite3 with the connection settings the DSN
// cannot express.
const driverName = "sqlite3_ocular"

// walSizeLimit bounds the WAL file after a checkpoint resets it.
const walSizeLimit = 64 << 20

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		// Keep ocular.db-wal and ocular.db-shm when the last connection
		// closes (the WAL emptied, to 0 bytes). Without this SQLite deletes
		// them and the next process must create and size them again, which
		// fails on a full disk: every command, read-only ones included,
		// failed with "cannot read the repository database". With them in
		// place, reading needs no new disk space.
		if err := c.SetFileControlInt("main", sqlite3.SQLITE_FCNTL_PERSIST_WAL, 1); err != nil {
			return err
		}
		_, err := c.Exec("PRAGMA journal_size_limit = "+strconv.Itoa(walSizeLimit), nil)
		return err
	}})
}
