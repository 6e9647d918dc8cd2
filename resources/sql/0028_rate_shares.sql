-- Ferry schema, version 28: the tenants' per-second quotas shared among the agents.
--
-- Every agent that was asked to admit events of a tenant with max_events_per_second reports,
-- once per ingest.quota_share_interval, how many it was asked for (events a second), and takes
-- the share of the quota that its demand is of all agents' (decision 0032). A row not renewed
-- for three intervals no longer counts; agents delete rows a minute old. UNLOGGED: the rows are
-- renewed every second, so a crash or a failover that loses them costs one interval.
CREATE UNLOGGED TABLE rate_shares (
    tenant_id  bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    agent_id   text NOT NULL,
    demand     bigint NOT NULL CHECK (demand >= 0),
    seen_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, agent_id)
);
