-- Cheaper ingest (decision 0015).
--
-- 1. events.payload becomes json instead of jsonb. The agent stores the event's canonical JSON
--    (keys sorted, no whitespace: the bytes its content hash is taken of); json keeps those bytes
--    as they are, so PostgreSQL only validates them instead of building a jsonb value, and the
--    dispatcher reads them back without a conversion. The json operators (->, ->>) still work;
--    jsonb is one cast away. Rows stored before this migration keep jsonb's text form.
ALTER TABLE events ALTER COLUMN payload TYPE json USING payload::json;

-- 2. No per-row foreign-key check from events to tenants. The batch writer takes the same lock
--    the check took (FOR KEY SHARE on the tenant row) once per transaction and tenant, and
--    refuses the events of a tenant that is gone; deleting a tenant still deletes its events
--    (and through them their deliveries), now by this trigger.
ALTER TABLE events DROP CONSTRAINT events_tenant_id_fkey;

CREATE FUNCTION ferry_tenant_delete_events() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM events WHERE tenant_id = OLD.id;
    RETURN OLD;
END
$$;

CREATE TRIGGER tenants_delete_events BEFORE DELETE ON tenants
    FOR EACH ROW EXECUTE FUNCTION ferry_tenant_delete_events();
