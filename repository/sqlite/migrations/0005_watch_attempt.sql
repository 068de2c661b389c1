-- Import stations record an attempt before they import a file, so that a
-- file which kills the process is recognised on restart (the attempt is
-- still open) and counted as a failed try instead of being retried forever.
-- attempt_started is the open attempt's start (0: none); fileset_mark the
-- newest fileset imported from the path before it (so a crash after the
-- import's commit is recognised and nothing is imported twice); crashes
-- counts the attempts that crashed or timed out.
ALTER TABLE watch_record ADD COLUMN attempt_started INTEGER NOT NULL DEFAULT 0;
ALTER TABLE watch_record ADD COLUMN fileset_mark INTEGER NOT NULL DEFAULT 0;
ALTER TABLE watch_record ADD COLUMN crashes INTEGER NOT NULL DEFAULT 0;
