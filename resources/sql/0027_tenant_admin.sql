-- Ferry schema, version 27: a tenant's display name and its disabled state.
--
-- `name` stays the tenant's key (producers' configs, routes, tokens, URLs and scripts name it)
-- and never changes; `display_name` is what people call it (1 to 100 characters; NULL: the
-- name). `disabled_at` (NULL: enabled) is when an admin disabled the tenant: ingest refuses its
-- new events (HTTP and ZeroMQ answer 403 tenant-disabled, inbound webhooks are refused, its
-- schedules do not fire); what was accepted before is still delivered.
ALTER TABLE tenants ADD COLUMN display_name text
    CHECK (display_name IS NULL OR char_length(display_name) BETWEEN 1 AND 100);
ALTER TABLE tenants ADD COLUMN disabled_at timestamptz;
