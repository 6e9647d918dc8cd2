-- Ferry schema, version 13: provider accounts and the guards at every adapter boundary.
--
-- A provider account is a credential of provider twilio, meta, fcm or smtp. It gains where the
-- provider is reached (base_url: tests and private gateways point it elsewhere; NULL: the
-- provider's own address) and limits that hold for every route sending through it. A route
-- (endpoints row) gains a rate limit of its own beside its concurrency cap.
--
-- The guards hold for the whole installation, not per agent: their state lives here. Claims
-- that read and change it run one at a time (an advisory lock, held for the claim's few
-- milliseconds), so two agents never both spend the same token or the same free slot.
-- * guard_buckets: a token bucket per limited route or account (scope 'endpoint' | 'account').
-- * guard_breakers: a circuit breaker per route and per account, fed by recorded outcomes.

ALTER TABLE credentials
    ADD COLUMN base_url text,
    ADD COLUMN rate_per_second double precision CHECK (rate_per_second > 0),
    ADD COLUMN max_concurrency integer CHECK (max_concurrency > 0);

ALTER TABLE endpoints
    ADD COLUMN rate_per_second double precision CHECK (rate_per_second > 0);

ALTER TABLE endpoints ADD CONSTRAINT endpoints_channel_check
    CHECK (channel IN ('webhook', 'email', 'sms', 'whatsapp', 'push', 'null'));

CREATE TABLE guard_buckets (
    scope        text NOT NULL CHECK (scope IN ('endpoint', 'account')),
    id           bigint NOT NULL,
    tokens       double precision NOT NULL,
    refilled_at  timestamptz NOT NULL DEFAULT now(),
    spent        bigint NOT NULL DEFAULT 0, -- tokens spent since the row was made (for metrics)
    PRIMARY KEY (scope, id)
);

CREATE TABLE guard_breakers (
    scope                 text NOT NULL CHECK (scope IN ('endpoint', 'account')),
    id                    bigint NOT NULL,
    state                 text NOT NULL DEFAULT 'closed'
                          CHECK (state IN ('closed', 'open', 'half_open')),
    consecutive_failures  integer NOT NULL DEFAULT 0,
    window_started_at     timestamptz NOT NULL DEFAULT now(),
    window_requests       integer NOT NULL DEFAULT 0,
    window_failures       integer NOT NULL DEFAULT 0,
    retry_at              timestamptz,           -- open: when a probe may go
    probe_in_flight       boolean NOT NULL DEFAULT false,
    probe_successes       integer NOT NULL DEFAULT 0,
    opened_count          bigint NOT NULL DEFAULT 0,
    last_error            text,
    changed_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, id)
);
