-- Ferry schema, version 18: a replayed delivery that had let go of its partition (an ordered
-- endpoint with on_dead = 'skip', or one discarded and then replayed) takes a new place (seq)
-- when it enters the partition again, behind what is open there.
--
-- It kept the seq of its first entry, so the deliveries held behind the partition's head were
-- overtaken by it (they are promoted by seq): it went next, not last, contrary to what the
-- replay promised and to the order in which the partition was entered.
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
        NEW.seq := nextval('deliveries_seq_seq');
    END IF;
    RETURN NEW;
END $$;
