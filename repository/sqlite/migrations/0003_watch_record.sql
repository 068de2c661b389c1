-- Import-station state: one row per watched file, so every file is imported
-- exactly once across restarts and failures are retried and then reported.
CREATE TABLE watch_record (
    station    TEXT NOT NULL,
    path       TEXT NOT NULL,
    owner_id   INTEGER NOT NULL REFERENCES experimenter(id),
    size       INTEGER NOT NULL,
    mtime      INTEGER NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('pending', 'imported', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    next_try   INTEGER NOT NULL DEFAULT 0,
    result     TEXT NOT NULL DEFAULT '',
    updated    INTEGER NOT NULL,
    PRIMARY KEY (station, path)
) WITHOUT ROWID;
