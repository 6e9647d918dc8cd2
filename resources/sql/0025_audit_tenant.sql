-- Ferry schema, version 25: the audit log names the tenant a change concerns.
--
-- `tenant` is the tenant's name (NULL: a change to the installation as a whole, such as an
-- unscoped token or an agent setting). It is text, not a reference: the log outlives the
-- tenants it names. Rows written before this version get it from their subject where the
-- subject names it.
ALTER TABLE audit_log ADD COLUMN tenant text;
CREATE INDEX audit_log_tenant ON audit_log (tenant, id) WHERE tenant IS NOT NULL;

-- Backfill. The subjects the agent wrote before this version:
--   tenant.*                         <tenant>
--   most tenant-owned objects        <tenant>/<kind>/<name or id>  (route, credential, schema, …)
--   producer.add                     <tenant>/<public key>
--   token.create                     <token id>, the tenant in details->>'tenant'
--   token.revoke                     <token id>
--   producer.revoke                  <public key>
--   dlq.replay, dlq.discard, …       <delivery id>
--   dlq.replay_matching              none, the tenant in details->'filter'->>'tenant'
-- Rows whose tenant can no longer be found (a purged delivery, a deleted token) keep NULL.
-- (The casts sit in CASE: PostgreSQL may compare before it filters.)
UPDATE audit_log SET tenant = CASE
        WHEN action LIKE 'tenant.%' THEN subject
        WHEN action = 'token.create' THEN details->>'tenant'
        WHEN action = 'dlq.replay_matching' THEN details->'filter'->>'tenant'
        ELSE split_part(subject, '/', 1)
    END
WHERE action LIKE 'tenant.%'
   OR action IN ('token.create', 'dlq.replay_matching', 'producer.add')
   OR subject ~ '^[^/]+/(route|credential|schema|template|endpoint|producer_token|job|price|connector|workflow|schedule)/';

UPDATE audit_log a SET tenant = t.name
FROM api_tokens k JOIN tenants t ON t.id = k.tenant_id
WHERE a.action = 'token.revoke'
  AND k.id = CASE WHEN a.subject ~ '^[0-9]{1,18}$' THEN a.subject::bigint END;

UPDATE audit_log a SET tenant = t.name
FROM producer_keys k JOIN tenants t ON t.id = k.tenant_id
WHERE a.action = 'producer.revoke' AND k.public_key = a.subject;

UPDATE audit_log a SET tenant = t.name
FROM deliveries d JOIN tenants t ON t.id = d.tenant_id
WHERE a.action LIKE 'dlq.%' AND a.action <> 'dlq.replay_matching'
  AND d.id = CASE WHEN a.subject ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                  THEN a.subject::uuid END;
