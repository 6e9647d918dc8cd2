#include "providerstats.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace ferry::sim {

namespace {

QJsonObject counts(const QMap<QString, qint64> &map)
{
    QJsonObject json;
    for (auto it = map.constBegin(); it != map.constEnd(); ++it)
        json.insert(it.key(), it.value());
    return json;
}

QJsonObject messageJson(const AcceptedMessage &m)
{
    QJsonObject json{
        {u"id"_s, m.id},
        {u"to"_s, m.to},
        {u"body"_s, m.body},
        {u"status"_s, m.status},
        {u"received_at"_s,
         QDateTime::fromMSecsSinceEpoch(m.receivedAtMs, Qt::UTC).toString(Qt::ISODateWithMs)},
        {u"received_at_ms"_s, m.receivedAtMs}};
    if (!m.title.isEmpty())
        json.insert(u"title"_s, m.title);
    json.insert(u"idempotency_key"_s,
                m.idempotencyKey.isEmpty() ? QJsonValue() : QJsonValue(m.idempotencyKey));
    return json;
}

} // namespace

void ProviderStats::accept(AcceptedMessage message)
{
    ++m_accepted;
    ++m_perSecond[message.receivedAtMs / 1000];
    if (m_messages.size() >= m_limit) {
        m_messages.remove(0, m_messages.size() / 2);
        m_indexById.clear();
        for (qsizetype i = 0; i < m_messages.size(); ++i)
            m_indexById.insert(m_messages[i].id, i);
    }
    m_indexById.insert(message.id, m_messages.size());
    m_messages.append(std::move(message));
}

void ProviderStats::callbackSent(bool answered2xx)
{
    ++m_callbacksSent;
    if (!answered2xx)
        ++m_callbacksFailed;
}

void ProviderStats::setStatus(const QString &id, const QString &status)
{
    const auto it = m_indexById.constFind(id);
    if (it != m_indexById.constEnd())
        m_messages[*it].status = status;
}

QString ProviderStats::status(const QString &id) const
{
    const auto it = m_indexById.constFind(id);
    return it == m_indexById.constEnd() ? QString() : m_messages[*it].status;
}

QJsonObject ProviderStats::toJson(bool withMessages) const
{
    QJsonArray perSecond;
    for (auto it = m_perSecond.constBegin(); it != m_perSecond.constEnd(); ++it)
        perSecond.append(QJsonObject{{u"second"_s, it.key()}, {u"count"_s, it.value()}});
    QJsonObject json{{u"requests"_s, m_requests},
                     {u"accepted"_s, m_accepted},
                     {u"rejected"_s, counts(m_rejected)},
                     {u"faults"_s, counts(m_faults)},
                     {u"auth_failures"_s, m_authFailures},
                     {u"callbacks_sent"_s, m_callbacksSent},
                     {u"callbacks_failed"_s, m_callbacksFailed},
                     {u"tokens_issued"_s, m_tokensIssued},
                     {u"accepted_per_second"_s, perSecond}};
    if (withMessages) {
        QJsonArray messages;
        for (const AcceptedMessage &m : m_messages)
            messages.append(messageJson(m));
        json.insert(u"messages"_s, messages);
    }
    return json;
}

} // namespace ferry::sim
