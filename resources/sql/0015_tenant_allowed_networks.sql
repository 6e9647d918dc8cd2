-- Ferry schema, version 15: a tenant's own allow-list of internal networks.
--
-- Deliveries never go to loopback, private, link-local and other internal addresses unless an
-- allow-list covers them. The agent has one (webhook.allowed_networks); each tenant may now
-- have its own on top, for the networks its own partners live in. Entries are CIDR blocks as
-- text ('10.20.0.0/16', 'fd00:1::/64'), checked and written in normal form by the agent; only
-- global administrators set them (the API and `ferry-agent tenant networks`).
ALTER TABLE tenants ADD COLUMN allowed_networks text[] NOT NULL DEFAULT '{}';
