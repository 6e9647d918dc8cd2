-- Ferry schema, version 21: versioned event schemas (docs/schemas.md).
--
-- The registry: per tenant and event type, its versions, each with the fields an event's `data`
-- must carry (`required`: [{"path": "customer.id", "type": "string" | null}, …], checked by the
-- agent before it stores them). A tenant in strict mode has events of a registered type refused
-- at ingest unless they name a registered version and carry its fields; the batch writers keep
-- the registries of strict tenants in memory, reloaded with the tenant's quotas.
CREATE TABLE event_schemas (
    tenant_id    bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    event_type   text NOT NULL CHECK (event_type ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$'),
    version      text NOT NULL CHECK (version ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    required     jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(required) = 'array'),
    description  text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, event_type, version)
);

ALTER TABLE tenants ADD COLUMN strict_schemas boolean NOT NULL DEFAULT false;

-- The version an event named (its `schemaversion`, else its `dataschema`); NULL: none.
ALTER TABLE events ADD COLUMN schema_version text;

-- Versions on routes. schema_versions: the versions the route takes (NULL: every version, and
-- events without one). schema_upcasts: the declarative mappings from older versions, applied by
-- the dispatcher when it sends ([{"from", "to", "rename", "set", "drop"}]; NULL: none).
-- schema_routable: what routing compares the event's version with, derived by the agent from
-- the two: the accepted versions and those an upcast chain leads from (NULL: every version).
ALTER TABLE endpoints
    ADD COLUMN schema_versions text[],
    ADD COLUMN schema_upcasts jsonb,
    ADD COLUMN schema_routable text[];
