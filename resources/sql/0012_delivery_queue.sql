-- Ferry schema, version 12: the work to do apart from the record of what was done (decision 0020).
--
-- Until now `deliveries` was queue and history at once. Its row changed state twice after its
-- insert (claim, completion); `state`, `due_at` and `lease_until` were in partial-index
-- predicates and keys, so neither change could be a HOT update: each wrote a new entry into every
-- index of the table, and the dead versions sat in the claim index until vacuum reached them
-- through a table of millions of finished rows.
--
-- Now:
-- * `delivery_queue` holds one narrow row per delivery that still needs the agent: ready (due at
--   `due_at`), leased (in flight; `due_at` is when the lease runs out), held (waiting behind an
--   earlier delivery of its partition) or dead (parked for an operator; `due_at` is when it
--   died). A claim updates this row; a delivery that succeeds or is discarded deletes it.
-- * `deliveries` is the record: written at ingest, updated when an attempt ends. None of its
--   indexes reads a column that changes then, so that update is HOT (no index entry at all)
--   whenever its page has room, which the fill factor keeps.
-- * What reads need the difference between a ready and a leased delivery joins the queue:
--   ferry_delivery_state() gives the state as the API has always shown it ('in_flight' while
--   leased).

CREATE TABLE delivery_queue (
    delivery_id    uuid PRIMARY KEY,
    event_id       uuid NOT NULL,
    tenant_id      bigint NOT NULL,
    endpoint_id    bigint NOT NULL,
    due_at         timestamptz NOT NULL DEFAULT now(),
    created_at     timestamptz NOT NULL,
    lease_token    bigint NOT NULL DEFAULT 0, -- fencing: moves on when a lease starts or ends
    seq            bigint NOT NULL,           -- order within a partition
    attempts       integer NOT NULL DEFAULT 0,
    state          text NOT NULL CHECK (state IN ('ready', 'leased', 'held', 'dead')),
    partition_key  text
);
-- The claim: each endpoint's oldest due rows.
CREATE INDEX delivery_queue_ready ON delivery_queue (endpoint_id, due_at) WHERE state = 'ready';
-- Lease rescue: leases that ran out.
CREATE INDEX delivery_queue_leased ON delivery_queue (due_at) WHERE state = 'leased';
-- Ordered endpoints: the next delivery of a partition.
CREATE INDEX delivery_queue_held ON delivery_queue (endpoint_id, partition_key, seq)
    WHERE state = 'held';
-- The dead-letter queue, per tenant, by the time of death.
CREATE INDEX delivery_queue_dead ON delivery_queue (tenant_id, due_at) WHERE state = 'dead';
-- Rows come and go within milliseconds: vacuum early and at full speed. Inserts alone need no
-- vacuum here (every row is updated or deleted soon after).
ALTER TABLE delivery_queue SET (autovacuum_vacuum_scale_factor = 0.01,
                                autovacuum_vacuum_threshold = 2000,
                                autovacuum_vacuum_cost_delay = 0,
                                autovacuum_vacuum_insert_threshold = -1);

INSERT INTO delivery_queue (delivery_id, event_id, tenant_id, endpoint_id, due_at, created_at,
                            lease_token, seq, attempts, state, partition_key)
SELECT id, event_id, tenant_id, endpoint_id,
       CASE state WHEN 'in_flight' THEN coalesce(lease_until, now())
                  WHEN 'dead' THEN coalesce(finished_at, updated_at)
                  ELSE due_at END,
       created_at, lease_token, seq, attempts,
       CASE state WHEN 'queued' THEN 'held' WHEN 'in_flight' THEN 'leased'
                  WHEN 'dead' THEN 'dead' ELSE 'ready' END,
       partition_key
FROM deliveries WHERE state IN ('queued', 'pending', 'in_flight', 'retry_wait', 'dead');

-- In flight is now a queue state; the record keeps what the last finished attempt left.
ALTER TABLE deliveries DISABLE TRIGGER deliveries_ordering_update;
UPDATE deliveries SET state = CASE WHEN attempts > 1 THEN 'retry_wait' ELSE 'pending' END,
                      attempts = greatest(attempts - 1, 0)
WHERE state = 'in_flight';
ALTER TABLE deliveries ENABLE TRIGGER deliveries_ordering_update;
ALTER TABLE deliveries DROP CONSTRAINT deliveries_state_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_state_check
    CHECK (state IN ('queued', 'pending', 'retry_wait', 'succeeded', 'dead', 'discarded'));

DROP INDEX deliveries_ready_by_endpoint;
DROP INDEX deliveries_leased;
DROP INDEX deliveries_dead;
DROP INDEX deliveries_partition_queue;
DROP INDEX deliveries_finished;
ALTER TABLE deliveries DROP COLUMN lease_token, DROP COLUMN lease_until, DROP COLUMN due_at;

-- Room on every page for the one update a delivery's record gets, so that it stays HOT. Records
-- made together finish together, in one completion statement, so the old versions cannot be
-- pruned before the page has taken all the new ones: the page needs room for a second copy of
-- every row. At 75 a third of the updates were HOT and the table grew as much anyway (the other
-- new versions went to new pages); at 50 all of them were, and the no-op drain ran 23-35 %
-- faster (decision 0020). The record is inserted once and updated about once: the defaults of
-- autovacuum fit it again.
ALTER TABLE deliveries SET (fillfactor = 50);
ALTER TABLE deliveries RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold,
                              autovacuum_vacuum_cost_delay);

-- The state a reader sees: the record's, or 'in_flight' while the queue row is leased.
CREATE FUNCTION ferry_delivery_state(record_state text, queue_state text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN queue_state = 'leased' THEN 'in_flight' ELSE record_state END
$$;

-- The same from the queue row alone (a ready row that has been tried is waiting to retry).
CREATE FUNCTION ferry_queue_state(queue_state text, attempts integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE queue_state WHEN 'leased' THEN 'in_flight' WHEN 'held' THEN 'queued'
                            WHEN 'dead' THEN 'dead'
                            ELSE CASE WHEN attempts > 0 THEN 'retry_wait' ELSE 'pending' END END
$$;

-- Every new delivery gets its queue row in the statement that inserts it, whichever statement
-- that is (the ingest batch, a test, a benchmark's fill): once per statement, from its rows as
-- inserted (after the ordering trigger has held back those behind their partition's head).
CREATE FUNCTION ferry_deliveries_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO delivery_queue (delivery_id, event_id, tenant_id, endpoint_id, created_at, seq,
                                state, partition_key, due_at)
    SELECT id, event_id, tenant_id, endpoint_id, created_at, seq,
           CASE state WHEN 'queued' THEN 'held' WHEN 'dead' THEN 'dead' ELSE 'ready' END,
           partition_key, coalesce(finished_at, now())
    FROM added WHERE state IN ('queued', 'pending', 'retry_wait', 'dead');
    RETURN NULL;
END $$;

CREATE TRIGGER deliveries_insert_queue AFTER INSERT ON deliveries
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION ferry_deliveries_inserted();

-- A delivery's queue row never outlives it, however the delivery goes (tenant, endpoint or
-- event deleted, history purged). Once per statement, by the primary key.
CREATE FUNCTION ferry_deliveries_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM delivery_queue WHERE delivery_id = ANY (ARRAY(SELECT id FROM gone));
    RETURN NULL;
END $$;

CREATE TRIGGER deliveries_delete_queue AFTER DELETE ON deliveries
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION ferry_deliveries_deleted();

-- Ordered endpoints: the head of a partition finished; the next one becomes ready. The delivery
-- that brings the count to 0 deletes the partition's row (nothing is held behind it), so the
-- table does not grow by one row per partition key ever used; a later delivery of the key
-- inserts it again as its head (ferry_partition_enter's INSERT … ON CONFLICT retries against a
-- row deleted under it, and the row lock orders the two).
CREATE OR REPLACE FUNCTION ferry_partition_leave(ep bigint, pk text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    now_open integer;
    next_id uuid;
BEGIN
    UPDATE partitions SET open = open - 1 WHERE endpoint_id = ep AND partition_key = pk
    RETURNING open INTO now_open;
    IF now_open = 0 THEN
        DELETE FROM partitions WHERE endpoint_id = ep AND partition_key = pk;
        RETURN;
    END IF;
    UPDATE delivery_queue SET state = 'ready', due_at = now()
    WHERE delivery_id = (SELECT delivery_id FROM delivery_queue
                         WHERE endpoint_id = ep AND partition_key = pk AND state = 'held'
                         ORDER BY seq LIMIT 1)
    RETURNING delivery_id INTO next_id;
    IF next_id IS NOT NULL THEN
        UPDATE deliveries SET state = 'pending', updated_at = now() WHERE id = next_id;
    END IF;
END $$;

DELETE FROM partitions WHERE open = 0;
