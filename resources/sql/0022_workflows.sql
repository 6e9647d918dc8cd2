-- Ferry schema, version 22: workflows (sagas).
--
-- A workflow is a tenant's named definition: the event type that starts an instance, the types
-- that cancel it, where in the event the correlation key sits (the customer, the order), and its
-- steps. It is delivered to like a route: each definition has a route of channel 'workflow'
-- whose event types are the trigger and the cancelling types, so an instance starts (or is
-- cancelled) in the transaction that completes that route's delivery, exactly once per event,
-- whichever agent delivers it. The instances are then driven by the agents' workflow workers,
-- which persist every step, so a crash resumes at the step it stopped.
ALTER TABLE endpoints DROP CONSTRAINT endpoints_channel_check;
ALTER TABLE endpoints ADD CONSTRAINT endpoints_channel_check
    CHECK (channel IN ('webhook', 'email', 'sms', 'whatsapp', 'push', 'null', 'workflow'));

CREATE TABLE workflows (
    id            bigserial PRIMARY KEY,
    tenant_id     bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name          text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
    endpoint_id   bigint NOT NULL UNIQUE REFERENCES endpoints (id) ON DELETE CASCADE,
    trigger_type  text NOT NULL,
    cancel_types  text[] NOT NULL DEFAULT '{}',
    correlate     text[] NOT NULL, -- a path into the event, e.g. {data,customer}
    steps         jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name)
);

CREATE TABLE workflow_instances (
    id                bigserial PRIMARY KEY,
    workflow_id       bigint NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
    tenant_id         bigint NOT NULL,
    event_id          uuid NOT NULL,
    delivery_id       uuid NOT NULL UNIQUE,
    correlation       text,
    state             text NOT NULL DEFAULT 'running'
                      CHECK (state IN ('running', 'completed', 'compensating', 'compensated',
                                       'failed', 'cancelled')),
    step              integer NOT NULL DEFAULT 0, -- the step now (undoing: the one undone now)
    cancel_requested  boolean NOT NULL DEFAULT false,
    due_at            timestamptz NOT NULL DEFAULT now(),
    error             text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX workflow_instances_due ON workflow_instances (due_at)
    WHERE state IN ('running', 'compensating');
CREATE INDEX workflow_instances_open ON workflow_instances (workflow_id, correlation)
    WHERE state = 'running';
CREATE INDEX workflow_instances_tenant ON workflow_instances (tenant_id, created_at DESC);

-- What each step did: 'do' when it ran, 'undo' when it was compensated.
CREATE TABLE workflow_steps (
    instance_id  bigint NOT NULL REFERENCES workflow_instances (id) ON DELETE CASCADE,
    step         integer NOT NULL,
    phase        text NOT NULL CHECK (phase IN ('do', 'undo')),
    name         text NOT NULL,
    state        text NOT NULL CHECK (state IN ('started', 'done', 'failed')),
    event_id     uuid,
    due_at       timestamptz,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    error        text,
    PRIMARY KEY (instance_id, step, phase)
);

-- A workflow route's delivery: starts an instance (its trigger type) or asks the running
-- instances with the same correlation key to stop (a cancelling type). Message channels keep
-- their receipt row and ledger entry (schema 19).
CREATE OR REPLACE FUNCTION ferry_workflow_delivered(d deliveries) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    wf workflows;
    etype text;
    corr text;
BEGIN
    SELECT * INTO wf FROM workflows WHERE endpoint_id = d.endpoint_id;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    SELECT e.type, e.payload::jsonb #>> wf.correlate INTO etype, corr
    FROM events e WHERE e.id = d.event_id;
    IF etype = wf.trigger_type THEN
        INSERT INTO workflow_instances (workflow_id, tenant_id, event_id, delivery_id, correlation)
        VALUES (wf.id, d.tenant_id, d.event_id, d.id, corr)
        ON CONFLICT (delivery_id) DO NOTHING;
    ELSIF etype = ANY (wf.cancel_types) AND corr IS NOT NULL THEN
        UPDATE workflow_instances SET cancel_requested = true, due_at = now(), updated_at = now()
        WHERE workflow_id = wf.id AND correlation = corr AND state = 'running';
    END IF;
END $$;

CREATE OR REPLACE FUNCTION ferry_message_accepted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ch text;
BEGIN
    SELECT channel INTO ch FROM endpoints WHERE id = NEW.endpoint_id;
    IF ch IS NULL OR ch = 'webhook' OR ch = 'null' THEN
        RETURN NULL;
    END IF;
    IF ch = 'workflow' THEN
        PERFORM ferry_workflow_delivered(NEW);
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
