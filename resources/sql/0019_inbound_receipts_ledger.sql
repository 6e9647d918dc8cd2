-- Ferry schema, version 19: inbound provider webhooks (connectors and their inbox), delivery
-- receipts that only move forward, and the billing ledger.
--
-- A connector is where a provider posts to: POST /v1/inbound/{tenant}/{connector}. Its secrets
-- (signing secrets, several during rotation, and WhatsApp's verify token) are sealed by the
-- agent with the master key like provider credentials (decision 0011); SQL never sees them.
CREATE TABLE inbound_connectors (
    id              bigserial PRIMARY KEY,
    tenant_id       bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name            text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
    kind            text NOT NULL
                    CHECK (kind IN ('stripe', 'twilio', 'whatsapp', 'standard-webhooks', 'hmac')),
    settings        jsonb NOT NULL DEFAULT '{}',
    secrets_sealed  bytea NOT NULL,
    secrets_nonce   bytea NOT NULL,
    secrets_key_id  text NOT NULL,
    secrets_count   integer NOT NULL CHECK (secrets_count BETWEEN 1 AND 8),
    has_verify_token boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name)
);

-- Every verified request, once per provider event (dedupe_key: the provider's event id, or a
-- hash of the body where it names none). Answered 2xx as soon as the row is committed;
-- processed afterwards, retried with backoff, and parked as 'dead' when it cannot be.
CREATE TABLE inbox (
    id                 bigserial PRIMARY KEY,
    connector_id       bigint NOT NULL REFERENCES inbound_connectors (id) ON DELETE CASCADE,
    tenant_id          bigint NOT NULL,
    dedupe_key         text NOT NULL,
    provider_event_id  text,
    received_at        timestamptz NOT NULL DEFAULT now(),
    url                text NOT NULL,
    content_type       text NOT NULL,
    body               bytea NOT NULL,
    state              text NOT NULL DEFAULT 'pending'
                       CHECK (state IN ('pending', 'done', 'dead')),
    attempts           integer NOT NULL DEFAULT 0,
    due_at             timestamptz NOT NULL DEFAULT now(),
    lease_until        timestamptz,
    last_error         text,
    outcome            jsonb,
    processed_at       timestamptz,
    UNIQUE (connector_id, dedupe_key)
);
CREATE INDEX inbox_ready ON inbox (due_at) WHERE state = 'pending';
CREATE INDEX inbox_tenant ON inbox (tenant_id, received_at);

-- Receipts find their delivery by the provider's message id.
CREATE INDEX deliveries_provider_message ON deliveries (provider_message_id)
    WHERE provider_message_id IS NOT NULL;

-- What the provider last said about each message it accepted. `rank` orders the states:
-- accepted 1, sent 2, delivered / undelivered / failed / bounced 3, read 4. A receipt changes
-- the row only when its rank is higher, so a late, repeated or out-of-order receipt never moves
-- a message back; the first final state wins.
CREATE TABLE delivery_receipts (
    delivery_id          uuid PRIMARY KEY REFERENCES deliveries (id) ON DELETE CASCADE,
    tenant_id            bigint NOT NULL,
    channel              text NOT NULL,
    provider_message_id  text NOT NULL,
    status               text NOT NULL,
    rank                 smallint NOT NULL,
    error                text,
    receipts             integer NOT NULL DEFAULT 0, -- receipts seen, applied or not
    accepted_at          timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
-- Messages still waiting for a final receipt, oldest first: what reconciliation asks about.
CREATE INDEX delivery_receipts_open ON delivery_receipts (accepted_at) WHERE rank < 3;

-- Per-tenant prices, used to estimate what a message cost when its provider does not say.
CREATE TABLE tenant_prices (
    tenant_id   bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    channel     text NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'push', 'email')),
    unit_cost   numeric(14, 6) NOT NULL CHECK (unit_cost >= 0),
    currency    text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, channel)
);

-- One entry per message a provider accepted. Estimated from tenant_prices when it is written;
-- replaced by what the provider reports (a receipt or a status query) when it does. Kept when
-- the delivery's history is purged: it is what the tenant is billed for.
CREATE TABLE billing_ledger (
    delivery_id          uuid PRIMARY KEY,
    tenant_id            bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    channel              text NOT NULL,
    provider_message_id  text NOT NULL,
    cost                 numeric(14, 6),
    currency             text,
    estimated            boolean NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX billing_ledger_tenant ON billing_ledger (tenant_id, created_at);

-- A message channel's delivery that a provider accepted gets its receipt row (accepted) and
-- its ledger entry in the transaction that records the acceptance. Webhook deliveries carry no
-- provider message id and never fire this.
CREATE FUNCTION ferry_message_accepted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ch text;
BEGIN
    SELECT channel INTO ch FROM endpoints WHERE id = NEW.endpoint_id;
    IF ch IS NULL OR ch = 'webhook' THEN
        RETURN NULL;
    END IF;
    INSERT INTO delivery_receipts (delivery_id, tenant_id, channel, provider_message_id, status,
                                   rank)
    VALUES (NEW.id, NEW.tenant_id, ch, NEW.provider_message_id, 'accepted', 1)
    ON CONFLICT (delivery_id) DO NOTHING;
    INSERT INTO billing_ledger (delivery_id, tenant_id, channel, provider_message_id, cost,
                                currency, estimated)
    SELECT NEW.id, NEW.tenant_id, ch, NEW.provider_message_id, p.unit_cost, p.currency, true
    FROM (SELECT 1) one
    LEFT JOIN tenant_prices p ON p.tenant_id = NEW.tenant_id AND p.channel = ch
    ON CONFLICT (delivery_id) DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER deliveries_message_accepted
    AFTER UPDATE OF provider_message_id ON deliveries
    FOR EACH ROW
    WHEN (OLD.provider_message_id IS NULL AND NEW.provider_message_id IS NOT NULL)
    EXECUTE FUNCTION ferry_message_accepted();
