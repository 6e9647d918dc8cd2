#pragma once

#include "agent/store/pgconnection.h"
#include "agent/templates/messagetemplate.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>

#include <optional>

namespace ferry::agent::store {

// A tenant's message template for one channel and event type ('*': every type without one of
// its own).
struct StoredTemplate
{
    qint64 tenantId = 0;
    QString tenant;
    QString channel;
    QString eventType;
    templates::MessageParts parts;
    QDateTime updatedAt;

    // The API's view: {"channel", "event_type", "subject", "text", "html", "options",
    // "updated_at"}.
    QJsonObject toJson() const;
};

// The SQL of message templates. A template is compiled, every part, before it is stored, and
// every change is audited in the same transaction. Errors a caller can fix carry an HTTP status
// in Error::code: 404 no such template, 422 a template that does not compile (the message
// names the part: "html: 3:5: …") or misses a variable of the sample event.
class TemplateStore
{
public:
    TemplateStore(PgConnection &db, QString actor);

    // The channels that render messages from templates.
    static const QStringList &channels();
    // '*' or an event type of 1 to 200 letters, digits, '.', '_', ':' or '-'.
    static bool validEventType(const QString &eventType);

    // Creates or replaces the template (tenantId, tenant, channel, eventType, parts of `t`);
    // `created` tells which. With a `sample` event, also renders against it.
    Result<StoredTemplate> put(const StoredTemplate &t, const QJsonObject *sample, bool *created);
    // 404 when there is none.
    Result<StoredTemplate> get(qint64 tenantId, const QString &tenant, const QString &channel,
                               const QString &eventType);
    // The template a delivery uses: (channel, eventType), else (channel, '*'); none: nullopt.
    Result<std::optional<StoredTemplate>> find(qint64 tenantId, const QString &channel,
                                               const QString &eventType);
    // By channel and event type, after (afterChannel, afterEventType) (paging).
    Result<QList<StoredTemplate>> list(qint64 tenantId, const QString &afterChannel,
                                       const QString &afterEventType, int limit);
    // 404 when there is none.
    Result<void> remove(qint64 tenantId, const QString &tenant, const QString &channel,
                        const QString &eventType);

private:
    Result<std::optional<StoredTemplate>> lockedRow(const StoredTemplate &key);
    Result<void> audit(const char *action, const StoredTemplate &t, const QJsonObject &details);

    PgConnection &m_db;
    QString m_actor;
};

} // namespace ferry::agent::store
