-- Ferry schema, version 9: what the history purge reads by (decision 0019).
--
-- The retention job deletes history in batches of a few thousand rows, oldest first, each batch
-- in its own short transaction. Every batch must find its rows through an index, so that it
-- costs the same however large the table is. The indexes are created IF NOT EXISTS: on a large
-- installation an operator may build them beforehand with CREATE INDEX CONCURRENTLY under the
-- same names (docs/operations.md), and this migration then only records itself.

-- Finished deliveries (succeeded, discarded) by the time they finished. Open deliveries are not
-- in this index at all, so the purge can never reach them. Dead deliveries are read through
-- deliveries_dead (tenant_id, finished_at), tenant by tenant; events through
-- events_tenant_received (tenant_id, received_at), tenant by tenant: no new index on the ingest
-- hot path.
CREATE INDEX IF NOT EXISTS deliveries_finished ON deliveries (finished_at)
    WHERE state IN ('succeeded', 'discarded');

-- The audit log is read by id (newest first); the purge reads it by time.
CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log (at);

-- The purge leaves a steady trickle of dead rows in these tables: let autovacuum follow closely
-- rather than let a fifth of each table go dead before it starts (the default scale factor).
ALTER TABLE events SET (autovacuum_vacuum_scale_factor = 0.02);
ALTER TABLE delivery_attempts SET (autovacuum_vacuum_scale_factor = 0.02);
