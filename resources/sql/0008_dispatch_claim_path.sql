-- Ferry schema, version 8: the dispatcher's claim path and the adapter seam (decision 0018).

-- The claim walks the endpoints that have room under their cap and takes each one's oldest due
-- deliveries from this index: a probe per endpoint, whatever the backlog, and nothing at all
-- for an endpoint at its cap or with nothing due yet.
-- It replaces deliveries_ready (due_at), which made the planner walk one endpoint's backlog to
-- find another's rows; the oldest due delivery overall is the least of the endpoints' oldest.
CREATE INDEX deliveries_ready_by_endpoint ON deliveries (endpoint_id, due_at)
    WHERE state IN ('pending', 'retry_wait');
DROP INDEX deliveries_ready;

-- What the provider calls the message (a Twilio SID, a Meta message id, …), for receipts.
ALTER TABLE deliveries ADD COLUMN provider_message_id text;

-- 'unknown': the request went out and no answer came back (retried with the same key).
ALTER TABLE delivery_attempts DROP CONSTRAINT delivery_attempts_outcome_check;
ALTER TABLE delivery_attempts ADD CONSTRAINT delivery_attempts_outcome_check
    CHECK (outcome IN ('succeeded', 'retryable', 'permanent', 'gone', 'unknown',
                       'lease_expired', 'released'));

-- A queue table: every delivery is updated twice within milliseconds of its insert, and the dead
-- versions sit in the ready indexes until vacuumed. Vacuum it early and at full speed.
ALTER TABLE deliveries SET (autovacuum_vacuum_scale_factor = 0.005,
                            autovacuum_vacuum_threshold = 5000,
                            autovacuum_vacuum_cost_delay = 0,
                            autovacuum_vacuum_insert_scale_factor = 0.02);
ALTER TABLE delivery_attempts SET (autovacuum_vacuum_insert_scale_factor = 0.05);
