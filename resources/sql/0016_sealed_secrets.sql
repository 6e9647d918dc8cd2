-- Ferry schema, version 16: webhook signing secrets and the CURVE server secret key sealed at
-- rest.
--
-- Both were stored in clear, so a copy of the database could sign webhooks to every partner or
-- pass for the agent to producers. They are now sealed by the agent with the master key, as
-- provider credentials are (libsodium secretbox, decision 0011): the ciphertext, its nonce and
-- the id of the key it was sealed under sit beside the old column, which is then cleared. SQL
-- cannot seal: an agent that has the master key seals the rows still in clear when it starts
-- (decision 0024). A value is in clear or sealed, never both.
ALTER TABLE endpoints
    ALTER COLUMN secret DROP NOT NULL,
    ADD COLUMN secret_sealed bytea,
    ADD COLUMN secret_nonce bytea,
    ADD COLUMN secret_key_id text,
    ADD CONSTRAINT endpoints_secret_sealed_whole CHECK (
        (secret_sealed IS NULL) = (secret_nonce IS NULL)
        AND (secret_sealed IS NULL) = (secret_key_id IS NULL)),
    ADD CONSTRAINT endpoints_secret_once CHECK (
        secret_sealed IS NULL OR coalesce(secret, '') = '');

ALTER TABLE agent_curve_keys
    ALTER COLUMN secret_key DROP NOT NULL,
    ADD COLUMN secret_sealed bytea,
    ADD COLUMN secret_nonce bytea,
    ADD COLUMN secret_key_id text,
    ADD CONSTRAINT agent_curve_keys_secret_sealed_whole CHECK (
        (secret_sealed IS NULL) = (secret_nonce IS NULL)
        AND (secret_sealed IS NULL) = (secret_key_id IS NULL)),
    ADD CONSTRAINT agent_curve_keys_secret_once CHECK (
        (secret_key IS NULL) <> (secret_sealed IS NULL));
