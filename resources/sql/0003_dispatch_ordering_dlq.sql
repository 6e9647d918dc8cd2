-- Ferry schema, version 3: per-endpoint retry policies and concurrency caps, partition
-- ordering, the dead-letter workflow (discard, triage, notes).

ALTER TABLE endpoints
    ADD COLUMN retry_schedule text,           -- e.g. '0s,5s,5m'; NULL: the agent's default
    ADD COLUMN max_attempts integer CHECK (max_attempts > 0),
    ADD COLUMN max_age_seconds bigint CHECK (max_age_seconds > 0),
    ADD COLUMN max_concurrency integer CHECK (max_concurrency > 0),
    ADD COLUMN ordered boolean NOT NULL DEFAULT false,
    ADD COLUMN on_dead text NOT NULL DEFAULT 'block' CHECK (on_dead IN ('block', 'skip'));

-- 'queued': waiting behind an earlier delivery of its partition (ordered endpoints only).
-- 'discarded': dead, then closed by an operator.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_state_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_state_check
    CHECK (state IN ('queued', 'pending', 'in_flight', 'retry_wait', 'succeeded', 'dead',
                     'discarded'));
ALTER TABLE deliveries
    ADD COLUMN seq bigserial,
    ADD COLUMN partition_key text,            -- set only for ordered endpoints
    ADD COLUMN holds_partition boolean NOT NULL DEFAULT false,
    ADD COLUMN triage_status text NOT NULL DEFAULT 'new'
        CHECK (triage_status IN ('new', 'investigating', 'resolved')),
    ADD COLUMN assignee text,
    ADD COLUMN discard_reason text;
CREATE INDEX deliveries_partition_queue ON deliveries (endpoint_id, partition_key, seq)
    WHERE state = 'queued';
DROP INDEX deliveries_dead;
CREATE INDEX deliveries_dead ON deliveries (tenant_id, finished_at) WHERE state = 'dead';

CREATE TABLE dlq_notes (
    id           bigserial PRIMARY KEY,
    delivery_id  uuid NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    at           timestamptz NOT NULL DEFAULT now(),
    actor        text NOT NULL,
    note         text NOT NULL
);
CREATE INDEX dlq_notes_delivery ON dlq_notes (delivery_id, at);

-- Ordered delivery: per (endpoint, partition key), `open` counts deliveries that hold the
-- partition (not yet finished). Only the first of them is claimable; the others wait as
-- 'queued' and are promoted one at a time, in seq order, as the head finishes. The row lock
-- taken here serialises concurrent writers of one partition.
CREATE TABLE partitions (
    endpoint_id    bigint NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
    partition_key  text NOT NULL,
    open           integer NOT NULL DEFAULT 0 CHECK (open >= 0),
    PRIMARY KEY (endpoint_id, partition_key)
);

CREATE FUNCTION ferry_partition_enter(ep bigint, pk text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    now_open integer;
BEGIN
    INSERT INTO partitions AS p (endpoint_id, partition_key, open) VALUES (ep, pk, 1)
    ON CONFLICT (endpoint_id, partition_key) DO UPDATE SET open = p.open + 1
    RETURNING open INTO now_open;
    RETURN now_open = 1; -- true: this delivery is the head
END $$;

CREATE FUNCTION ferry_partition_leave(ep bigint, pk text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE partitions SET open = open - 1 WHERE endpoint_id = ep AND partition_key = pk;
    UPDATE deliveries SET state = 'pending', due_at = now(), updated_at = now()
    WHERE id = (SELECT id FROM deliveries
                WHERE endpoint_id = ep AND partition_key = pk AND state = 'queued'
                ORDER BY seq LIMIT 1);
END $$;

CREATE FUNCTION ferry_deliveries_ordering() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    skip_dead boolean;
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.holds_partition := true;
        IF NOT ferry_partition_enter(NEW.endpoint_id, NEW.partition_key) THEN
            NEW.state := 'queued';
        END IF;
        RETURN NEW;
    END IF;
    -- UPDATE of state.
    IF OLD.holds_partition THEN
        SELECT on_dead = 'skip' INTO skip_dead FROM endpoints WHERE id = NEW.endpoint_id;
        IF NEW.state IN ('succeeded', 'discarded') OR (NEW.state = 'dead' AND skip_dead) THEN
            NEW.holds_partition := false;
            PERFORM ferry_partition_leave(NEW.endpoint_id, NEW.partition_key);
        END IF;
    ELSIF NEW.state = 'pending' AND OLD.state IN ('dead', 'discarded') THEN
        -- Replayed after it let go of its partition: queue it again behind what is open.
        NEW.holds_partition := true;
        IF NOT ferry_partition_enter(NEW.endpoint_id, NEW.partition_key) THEN
            NEW.state := 'queued';
        END IF;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER deliveries_ordering_insert BEFORE INSERT ON deliveries
    FOR EACH ROW WHEN (NEW.partition_key IS NOT NULL)
    EXECUTE FUNCTION ferry_deliveries_ordering();
CREATE TRIGGER deliveries_ordering_update BEFORE UPDATE OF state ON deliveries
    FOR EACH ROW WHEN (NEW.partition_key IS NOT NULL AND OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION ferry_deliveries_ordering();
