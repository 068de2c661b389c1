-- The jobs of the server instances sharing this database (core.JobStore):
-- each graph job with the instance that claimed and runs it, its progress,
-- outcome and cancel flag, and each instance's heartbeat, so that any
-- instance answers for any job and reports one whose runner stopped.
-- Times are milliseconds since 1970, as elsewhere. ocular_generation counts
-- committed writes (core.GenerationStore): every instance's memo of recent
-- answers checks it.
CREATE TABLE job (
    id        text PRIMARY KEY,
    user_id   bigint NOT NULL,
    session   text NOT NULL,
    op        text NOT NULL,
    state     text NOT NULL,
    done      bigint NOT NULL DEFAULT 0,
    total     bigint NOT NULL DEFAULT 0,
    result    text NOT NULL DEFAULT '',
    error     text NOT NULL DEFAULT '',
    instance  text NOT NULL,
    cancel    boolean NOT NULL DEFAULT false,
    started   bigint NOT NULL,
    finished  bigint NOT NULL DEFAULT 0
);
CREATE INDEX job_user_state ON job (user_id, state);

CREATE TABLE job_instance (
    id        text PRIMARY KEY,
    heartbeat bigint NOT NULL
);

CREATE SEQUENCE ocular_generation;
