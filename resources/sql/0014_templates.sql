-- Ferry schema, version 14: message templates.
-- The channels that send a message rather than the event (email, sms, whatsapp, push) render
-- it from a template of the tenant, chosen by channel and event type; event_type '*' serves
-- every type that has no template of its own. Each part is template text (empty: not used);
-- `options` is JSON whose string leaves are templates too. The agent compiles every part
-- before it stores one (docs/templates.md).

CREATE TABLE templates (
    tenant_id   bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    channel     text NOT NULL CHECK (channel ~ '^[a-z][a-z0-9_-]{0,31}$'),
    event_type  text NOT NULL CHECK (event_type <> ''),
    subject     text NOT NULL DEFAULT '',
    text_body   text NOT NULL DEFAULT '',
    html_body   text NOT NULL DEFAULT '',
    options     jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(options) = 'object'),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, channel, event_type)
);
