#pragma once

#include "agent/adapters/adapter.h"
#include "agent/templates/messagetemplate.h"
#include "shared/result.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <chrono>
#include <optional>

namespace ferry::agent::store {
class PgConnection;
}

namespace ferry::agent::templates {

// Renders the message of one delivery for the channels that send messages (email, sms,
// whatsapp, push), from the tenant's template for the channel and event type or else its '*'
// template. Templates are read through TemplateStore and kept, compiled, for `ttl` (a changed
// template is used within that time). One per dispatch worker, on its thread and connection.
//
// Errors: code 404 when the tenant has no template for the channel and type, 422 when the
// template or the recipient does not render for this event (a missing variable, …): both are
// permanent (dead reason `template`). Any other error is the database's (Error::sqlState,
// Error::connectionLost): try again later.
class MessageRenderer
{
public:
    explicit MessageRenderer(store::PgConnection &db,
                             std::chrono::milliseconds ttl = std::chrono::seconds(5));

    // `recipient` is the route's target, itself a template ("{{data.phone}}" or a fixed
    // "+15551234567"). The HTML body is escaped, every other part plain.
    Result<adapters::Message> render(qint64 tenantId, const QString &channel,
                                     const QString &eventType, const QString &recipient,
                                     const QByteArray &eventJson);

private:
    struct Entry
    {
        std::optional<MessageTemplate> compiled; // none: the tenant has no such template
        QString error;                           // a stored template that no longer compiles
        std::chrono::steady_clock::time_point expires;
    };

    Result<const Entry *> lookup(qint64 tenantId, const QString &channel, const QString &eventType);

    store::PgConnection &m_db;
    std::chrono::milliseconds m_ttl;
    QHash<QString, Entry> m_cache; // by tenant, channel and event type
};

} // namespace ferry::agent::templates
