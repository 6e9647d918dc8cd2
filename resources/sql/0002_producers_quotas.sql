-- Ferry schema, version 2: ZeroMQ producer keys, the agents' CURVE key pair, tenant quotas and
-- daily usage, and vacuum settings for the dedupe store.

-- CURVE public keys of producers (Z85, 40 characters), each mapped to its tenant by the ZAP
-- handler. Only public keys are stored; a producer's secret key is printed once.
CREATE TABLE producer_keys (
    id          bigserial PRIMARY KEY,
    tenant_id   bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    public_key  text NOT NULL UNIQUE CHECK (length(public_key) = 40),
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

-- The CURVE server key pair that every agent on this database presents, so a producer can
-- connect to any of them with one server public key.
CREATE TABLE agent_curve_keys (
    id          integer PRIMARY KEY CHECK (id = 1),
    public_key  text NOT NULL,
    secret_key  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Quotas; NULL means unlimited.
ALTER TABLE tenants
    ADD COLUMN max_events_per_second integer CHECK (max_events_per_second > 0),
    ADD COLUMN max_events_per_day bigint CHECK (max_events_per_day > 0),
    ADD COLUMN max_payload_bytes integer CHECK (max_payload_bytes > 0);

CREATE TABLE tenant_usage (
    tenant_id  bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    day        date NOT NULL,
    events     bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, day)
);

-- The dedupe store is purged in small batches; let autovacuum follow closely.
ALTER TABLE ingest_keys SET (autovacuum_vacuum_scale_factor = 0.02,
                             autovacuum_vacuum_insert_scale_factor = 0.05);
