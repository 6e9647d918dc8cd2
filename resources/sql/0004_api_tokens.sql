-- Ferry schema, version 4: tokens of the TLS console API, with a role and an optional tenant
-- scope. Only the SHA-256 of a token is stored.
CREATE TABLE api_tokens (
    id          bigserial PRIMARY KEY,
    token_hash  bytea NOT NULL UNIQUE,
    role        text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    tenant_id   bigint REFERENCES tenants (id) ON DELETE CASCADE,
    note        text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz,
    revoked_at  timestamptz
);
