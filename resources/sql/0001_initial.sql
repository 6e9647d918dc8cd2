-- Ferry schema, version 1: tenants, producer tokens, webhook endpoints, the ingest dedupe store,
-- events, deliveries with their attempts, and the audit log.

CREATE TABLE tenants (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL UNIQUE
                CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Producer bearer tokens: only the SHA-256 of a token is stored.
CREATE TABLE producer_tokens (
    id          bigserial PRIMARY KEY,
    tenant_id   bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    token_hash  bytea NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

-- Partner webhook endpoints. event_type NULL matches every event type.
CREATE TABLE endpoints (
    id              bigserial PRIMARY KEY,
    tenant_id       bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    url             text NOT NULL,
    event_type      text,
    secret          text NOT NULL,
    enabled         boolean NOT NULL DEFAULT true,
    disabled_reason text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX endpoints_routing ON endpoints (tenant_id, event_type) WHERE enabled;

-- Ingest dedupe store: one row per (tenant, idempotency key). The key is the Idempotency-Key
-- header, or source and id of the CloudEvent. content_hash tells a repeat from a conflict.
CREATE TABLE ingest_keys (
    tenant_id     bigint NOT NULL,
    key           text NOT NULL,
    event_id      uuid NOT NULL,
    content_hash  bytea NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, key)
);
CREATE INDEX ingest_keys_created ON ingest_keys (created_at);

CREATE TABLE events (
    id             uuid PRIMARY KEY,
    tenant_id      bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    source         text NOT NULL,
    ce_id          text NOT NULL,
    type           text NOT NULL,
    partition_key  text,
    payload        jsonb NOT NULL,
    received_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_tenant_received ON events (tenant_id, received_at);

-- One delivery per (event, endpoint), created in the event's transaction.
-- lease_token is the fencing token: it grows with every claim, and a completion is recorded
-- only while the row still carries the token the worker claimed it with.
CREATE TABLE deliveries (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id     uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    endpoint_id  bigint NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
    tenant_id    bigint NOT NULL,
    state        text NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'in_flight', 'retry_wait', 'succeeded', 'dead')),
    attempts     integer NOT NULL DEFAULT 0,
    lease_token  bigint NOT NULL DEFAULT 0,
    lease_until  timestamptz,
    due_at       timestamptz NOT NULL DEFAULT now(),
    last_status  integer,
    last_error   text,
    dead_reason  text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    UNIQUE (event_id, endpoint_id)
);
-- The hot claim path: only ready rows are in this index.
CREATE INDEX deliveries_ready ON deliveries (due_at) WHERE state IN ('pending', 'retry_wait');
CREATE INDEX deliveries_leased ON deliveries (lease_until) WHERE state = 'in_flight';
CREATE INDEX deliveries_dead ON deliveries (tenant_id, finished_at) WHERE state = 'dead';
CREATE INDEX deliveries_endpoint_open ON deliveries (endpoint_id)
    WHERE state IN ('pending', 'retry_wait', 'in_flight');
ALTER TABLE deliveries SET (autovacuum_vacuum_scale_factor = 0.01,
                            autovacuum_vacuum_insert_scale_factor = 0.05);

CREATE TABLE delivery_attempts (
    id           bigserial PRIMARY KEY,
    delivery_id  uuid NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    attempt      integer NOT NULL,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL DEFAULT now(),
    outcome      text NOT NULL
                 CHECK (outcome IN ('succeeded', 'retryable', 'permanent', 'gone',
                                    'lease_expired', 'released')),
    status_code  integer,
    error        text,
    duration_ms  integer
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, attempt);

CREATE TABLE audit_log (
    id        bigserial PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    actor     text NOT NULL,
    action    text NOT NULL,
    subject   text,
    details   jsonb
);
