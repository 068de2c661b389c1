-- An original file's checksum names its algorithm ("xxh3-128:hex"; the bare
-- hex of earlier imports is SHA-256, see core/checksum): the column says
-- checksum, not sha256.
ALTER TABLE fileset_entry RENAME COLUMN sha256 TO checksum;
