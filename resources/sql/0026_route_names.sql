-- Ferry schema, version 26: route names and test sends.
--
-- A route (endpoints row) may have a name, 1 to 100 characters, unique among the named routes
-- of its tenant: people see routes by name and target, never by their internal id.
--
-- A test send (POST /v1/routes/{num}/test, decision 0029) is a synthetic event of type
-- `ferry.test` marked `test`, with one delivery to the route it tests. The dispatcher gives such
-- a delivery one attempt: when it fails it is closed as 'discarded' (its reason and error kept)
-- instead of being parked in the dead-letter queue. The mark is on the event because the
-- dispatcher's claim already reads the event row: nothing more is read per claimed delivery.
ALTER TABLE endpoints ADD COLUMN name text CHECK (char_length(name) BETWEEN 1 AND 100);
CREATE UNIQUE INDEX endpoints_tenant_name ON endpoints (tenant_id, name) WHERE name IS NOT NULL;

ALTER TABLE events ADD COLUMN test boolean NOT NULL DEFAULT false;
