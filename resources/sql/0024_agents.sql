-- Ferry schema, version 24: the agents on this database.
--
-- Each running agent keeps one row: it inserts it at start, refreshes heartbeat_at every
-- agents.heartbeat from a thread of its own and deletes it when it stops cleanly. A row whose
-- heartbeat is older than three of its agent's intervals belongs to an agent that is gone
-- (killed, or cut off from the database); agents remove such rows a day after their last
-- heartbeat. `session_pids` are the server process ids of the agent's sessions at its last
-- heartbeat: GET /v1/agents reads from pg_locks which singleton jobs (advisory locks) they hold.
CREATE TABLE agents (
    id            text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{16}$'),
    host          text NOT NULL,
    version       text NOT NULL,
    pid           bigint NOT NULL,
    started_at    timestamptz NOT NULL,
    heartbeat_at  timestamptz NOT NULL DEFAULT now(),
    heartbeat_ms  integer NOT NULL CHECK (heartbeat_ms > 0),
    http_listen   text,
    api_listen    text,
    session_pids  integer[] NOT NULL DEFAULT '{}'
);
