-- Ferry schema, version 23: schedules and jobs.
--
-- A schedule is a tenant's cron expression (or interval) with the event it emits. Agents fire
-- the slots that fall due: each firing is an ordinary event whose id is the schedule's id and
-- the slot's time, so the ingest dedupe store makes a slot fire once however many agents reach
-- it. `next_fire_at` is the first slot not fired yet; an agent takes a due schedule with a short
-- lease (SKIP LOCKED), publishes its slots, and moves `next_fire_at` on.
--
-- A job is one attempt of a delivery on the `exec` channel: a command the agent's administrator
-- configured runs with the event on its standard input. The row is written when the process
-- starts; the agent running it keeps its progress and heartbeat up to date and looks for
-- cancellation requests here. The attempt itself (outcome, output) goes to delivery_attempts.
ALTER TABLE endpoints DROP CONSTRAINT endpoints_channel_check;
ALTER TABLE endpoints ADD CONSTRAINT endpoints_channel_check
    CHECK (channel IN ('webhook', 'email', 'sms', 'whatsapp', 'push', 'null', 'workflow',
                       'exec'));

-- 'cancelled': an operator stopped the attempt (an exec job); the delivery is dead-lettered.
ALTER TABLE delivery_attempts DROP CONSTRAINT delivery_attempts_outcome_check;
ALTER TABLE delivery_attempts ADD CONSTRAINT delivery_attempts_outcome_check
    CHECK (outcome IN ('succeeded', 'retryable', 'permanent', 'gone', 'unknown',
                       'lease_expired', 'released', 'cancelled'));
-- What an exec job printed (standard output and error, bounded by its command's limit).
ALTER TABLE delivery_attempts ADD COLUMN output text;

CREATE TABLE schedules (
    id              bigserial PRIMARY KEY,
    tenant_id       bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name            text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
    cron            text NOT NULL,
    time_zone       text NOT NULL DEFAULT 'UTC',
    event_type      text NOT NULL,
    event_source    text NOT NULL,
    event_data      jsonb,
    catch_up        text NOT NULL DEFAULT 'once' CHECK (catch_up IN ('skip', 'once', 'all')),
    catch_up_limit  integer NOT NULL DEFAULT 100 CHECK (catch_up_limit BETWEEN 1 AND 10000),
    paused          boolean NOT NULL DEFAULT false,
    next_fire_at    timestamptz, -- the first slot not fired yet; null: never again
    last_slot       timestamptz,
    last_fired_at   timestamptz,
    last_event_id   uuid,
    fired           bigint NOT NULL DEFAULT 0,
    skipped         bigint NOT NULL DEFAULT 0,
    last_error      text,
    revision        integer NOT NULL DEFAULT 0, -- bumped by every change through the API
    lease_owner     text,
    lease_until     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name)
);
CREATE INDEX schedules_due ON schedules (next_fire_at) WHERE NOT paused;

CREATE TABLE jobs (
    delivery_id          uuid NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    attempt              integer NOT NULL,
    tenant_id            bigint NOT NULL,
    endpoint_id          bigint NOT NULL,
    command              text NOT NULL,
    agent                text NOT NULL,
    pid                  integer,
    state                text NOT NULL DEFAULT 'running'
                         CHECK (state IN ('running', 'succeeded', 'failed', 'retrying',
                                          'timed_out', 'cancelled', 'lost')),
    progress             smallint CHECK (progress BETWEEN 0 AND 100),
    progress_message     text,
    exit_code            integer,
    cancel_requested_at  timestamptz,
    cancel_requested_by  text,
    started_at           timestamptz NOT NULL DEFAULT now(),
    heartbeat_at         timestamptz NOT NULL DEFAULT now(),
    finished_at          timestamptz,
    PRIMARY KEY (delivery_id, attempt)
);
CREATE INDEX jobs_tenant ON jobs (tenant_id, started_at DESC);
CREATE INDEX jobs_running ON jobs (agent) WHERE state = 'running';
