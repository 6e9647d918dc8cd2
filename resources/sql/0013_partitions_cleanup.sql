-- Ferry schema, version 13: a partition's row goes when its last open delivery finishes.
--
-- `partitions` counted the open deliveries of every (endpoint, partition key) ever used and kept
-- the row at 0 afterwards: with per-order or per-user keys the table grew by one row per key,
-- forever. Now the delivery that brings the count to 0 deletes the row. Nothing is queued behind
-- a partition whose count is 0, so nothing is lost; a later delivery of the key inserts the row
-- again as its head (ferry_partition_enter's INSERT … ON CONFLICT retries against a row deleted
-- under it, and the row lock orders the two).
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
