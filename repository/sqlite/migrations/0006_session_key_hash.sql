-- Session keys are stored as the hex SHA-256 of the key, never the key
-- itself: someone who reads the database (a backup, a stolen copy) cannot log
-- in with what they find. The client still sends the key; the store hashes it.
-- hashSessionKeys (sessionkey.go) rewrites the existing rows in the same
-- transaction, so the keys saved by `ocular-cli login` keep working.
ALTER TABLE session RENAME COLUMN key TO key_hash;
