-- Ferry schema, version 10: one index fewer on the dispatch path (decision 0018).
-- deliveries_endpoint_open (endpoint_id) WHERE state IN ('pending', 'retry_wait', 'in_flight')
-- took an entry at ingest and another at every claim. What it served is now served by
-- deliveries_ready_by_endpoint (ready rows per endpoint), deliveries_partition_queue (queued
-- rows per endpoint) and deliveries_leased (rows in flight).
DROP INDEX deliveries_endpoint_open;
