#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <algorithm>

namespace ferry::sim {

// One message a provider accepted, as /_sim/stats reports it.
struct AcceptedMessage
{
    QString id;
    QString to;
    QString body;  // text body, or the template's name (Meta), or the notification body (FCM)
    QString title; // FCM notification title
    QString idempotencyKey;
    qint64 receivedAtMs = 0;
    QString status; // the provider's current word for it
};

// What one provider saw since start or the last /_sim/reset.
class ProviderStats
{
public:
    void countRequest() { ++m_requests; }
    void accept(AcceptedMessage message);
    void reject(const QString &kind) { ++m_rejected[kind]; }
    void fault(const QString &kind) { ++m_faults[kind]; }
    void authFailure() { ++m_authFailures; }
    void callbackSent(bool answered2xx);
    void tokenIssued() { ++m_tokensIssued; }
    void setStatus(const QString &id, const QString &status);
    qint64 accepted() const { return m_accepted; }
    // The status last set for an accepted message; empty for one not known.
    QString status(const QString &id) const;

    QJsonObject toJson(bool withMessages) const;
    void clear()
    {
        const qsizetype limit = m_limit;
        *this = ProviderStats();
        m_limit = limit;
    }
    // Keeps at most about `limit` messages (the oldest go first); the counts stay whole.
    void setLimit(qsizetype limit) { m_limit = std::max<qsizetype>(limit, 2); }

private:
    qint64 m_requests = 0;
    qint64 m_accepted = 0;
    qint64 m_authFailures = 0;
    qint64 m_callbacksSent = 0;
    qint64 m_callbacksFailed = 0;
    qint64 m_tokensIssued = 0;
    QMap<QString, qint64> m_rejected;
    QMap<QString, qint64> m_faults;
    QList<AcceptedMessage> m_messages;
    QHash<QString, qsizetype> m_indexById;
    QMap<qint64, qint64> m_perSecond; // epoch second → messages accepted in it
    qsizetype m_limit = 500000;
};

} // namespace ferry::sim
