-- Ferry schema, version 5: per-tenant SLA targets, and the indexes that the SLA, delivery
-- search and report queries of the TLS API read by (deliveries of a tenant, or of all tenants,
-- by creation time; the id breaks ties for keyset pagination).

-- A delivery is within target when it succeeded within sla_latency_ms of its creation; a
-- tenant meets its SLA when at least sla_target of its deliveries are within target.
ALTER TABLE tenants
    ADD COLUMN sla_target double precision NOT NULL DEFAULT 0.99
        CHECK (sla_target > 0 AND sla_target <= 1),
    ADD COLUMN sla_latency_ms bigint NOT NULL DEFAULT 60000 CHECK (sla_latency_ms > 0);

CREATE INDEX deliveries_tenant_created ON deliveries (tenant_id, created_at, id);
CREATE INDEX deliveries_created ON deliveries (created_at, id);

-- The live feed reads the attempts of the last minute every second.
CREATE INDEX delivery_attempts_finished ON delivery_attempts (finished_at);
