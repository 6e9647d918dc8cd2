-- Ferry schema, version 25: the audit log names the tenant a change concerns.
--
-- `tenant` is the tenant's name (NULL: a change to the installation as a whole, such as an
-- unscoped token or an agent setting). It is text, not a reference: the log outlives the
-- tenants it names. Rows written before this version get it from their subject where the
-- subject names it.
ALTER TABLE audit_log ADD COLUMN tenant text;
CREATE INDEX audit_log_tenant ON audit_log (tenant, id) WHERE tenant IS NOT NULL;
