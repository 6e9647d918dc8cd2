-- Ferry schema, version 17: a delivery of an ordered endpoint takes its place in its partition
-- (seq) when it enters the partition, under the partition's row lock.
--
-- seq came from the column default, evaluated before the ordering trigger locked the
-- partition's row. Two ingest transactions could take seq values in one order and enter the
-- partition in the other (one backend paused between the two steps): the one that entered first
-- became the head though its seq was higher, and the deliveries held behind it were promoted by
-- seq, so the partition's delivery order was neither its seq order nor a stable one. Taken
-- after the lock, seq order is the order in which the partition was entered, which is the
-- order the events' transactions committed in.
CREATE OR REPLACE FUNCTION ferry_deliveries_ordering() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    skip_dead boolean;
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.holds_partition := true;
        IF NOT ferry_partition_enter(NEW.endpoint_id, NEW.partition_key) THEN
            NEW.state := 'queued';
        END IF;
        NEW.seq := nextval('deliveries_seq_seq');
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
