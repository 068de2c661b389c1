-- Find earlier imports of a file by where it came from (--skip-existing, watch stations).
CREATE INDEX fileset_entry_client_path ON fileset_entry(client_path);
