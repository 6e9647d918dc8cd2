-- Ferry schema, version 6: routes and provider credentials.
-- A route is a row of `endpoints`: it gains a channel (only 'webhook' is delivered today),
-- several event types instead of one, a message template for later adapters, and the name of
-- a credential. Credentials are sealed by the agent (libsodium secretbox under a master key
-- that never enters the database); the row keeps the ciphertext, its nonce, the id of the key
-- it was sealed under, and a keyed fingerprint that tells whether the value changed.

CREATE TABLE credentials (
    id           bigserial PRIMARY KEY,
    tenant_id    bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name         text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
    provider     text NOT NULL CHECK (provider IN ('webhook', 'twilio', 'meta', 'fcm', 'smtp')),
    ciphertext   bytea NOT NULL,
    nonce        bytea NOT NULL CHECK (length(nonce) = 24),
    key_id       text NOT NULL,
    fingerprint  text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name)
);

-- event_types NULL matches every event type; otherwise an event matches when its type is one
-- of them. A route naming a credential signs with the credential's secret, not `secret`.
ALTER TABLE endpoints
    ADD COLUMN channel text NOT NULL DEFAULT 'webhook',
    ADD COLUMN event_types text[] CHECK (cardinality(event_types) > 0),
    ADD COLUMN template text,
    ADD COLUMN credential_id bigint REFERENCES credentials (id);
UPDATE endpoints SET event_types = ARRAY[event_type] WHERE event_type IS NOT NULL;
DROP INDEX endpoints_routing;
ALTER TABLE endpoints DROP COLUMN event_type;
CREATE INDEX endpoints_routing ON endpoints (tenant_id) WHERE enabled;
CREATE INDEX endpoints_credential ON endpoints (credential_id) WHERE credential_id IS NOT NULL;
