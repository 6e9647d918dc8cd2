-- Ferry schema, version 20: reconciliation of message states with the providers.
--
-- A run asks the providers that can be asked (Twilio: GET Messages/{sid}) about messages that
-- have had no final receipt for a while, moves each forward to what the provider says, and
-- records every drift it found: what Ferry believed, what the provider said, what was done.
-- Runs are scheduled (one agent at a time) or requested from the API, which inserts a row with
-- no started_at for any agent's reconciler to take.
CREATE TABLE reconcile_runs (
    id            bigserial PRIMARY KEY,
    tenant_id     bigint REFERENCES tenants (id) ON DELETE CASCADE, -- NULL: every tenant
    trigger       text NOT NULL CHECK (trigger IN ('schedule', 'request')),
    requested_by  text NOT NULL,
    requested_at  timestamptz NOT NULL DEFAULT now(),
    started_at    timestamptz,
    finished_at   timestamptz,
    checked       integer NOT NULL DEFAULT 0,
    drifts        integer NOT NULL DEFAULT 0,
    failures      integer NOT NULL DEFAULT 0,
    error         text
);
CREATE INDEX reconcile_runs_waiting ON reconcile_runs (requested_at) WHERE started_at IS NULL;
CREATE INDEX reconcile_runs_recent ON reconcile_runs (requested_at DESC);

CREATE TABLE reconcile_drifts (
    id                   bigserial PRIMARY KEY,
    run_id               bigint NOT NULL REFERENCES reconcile_runs (id) ON DELETE CASCADE,
    tenant_id            bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    delivery_id          uuid NOT NULL,
    channel              text NOT NULL,
    provider_message_id  text NOT NULL,
    believed             text NOT NULL,
    provider_said        text NOT NULL,
    action               text NOT NULL,
    found_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reconcile_drifts_run ON reconcile_drifts (run_id);
CREATE INDEX reconcile_drifts_tenant ON reconcile_drifts (tenant_id, found_at DESC);

-- When a message was last asked about: one that is truly still on its way is not asked again
-- at every run.
ALTER TABLE delivery_receipts ADD COLUMN checked_at timestamptz;
DROP INDEX delivery_receipts_open;
CREATE INDEX delivery_receipts_open ON delivery_receipts (coalesce(checked_at, accepted_at))
    WHERE rank < 3;
