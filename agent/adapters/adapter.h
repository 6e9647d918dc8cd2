#pragma once

#include "shared/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QUuid>

#include <functional>
#include <optional>
#include <utility>

namespace ferry::agent::adapters {

class SsrfGuard;

// A tenant's provider account (a credential of provider twilio, meta, fcm, smtp or webhook),
// opened: the sealed JSON the tenant stored, and where the provider is reached.
struct ProviderAccount
{
    qint64 id = 0; // the credential's id; 0: the route names none
    QString name;
    QString provider;   // twilio | meta | fcm | smtp | webhook
    QJsonObject secret; // the opened credential: account_sid/auth_token, access_token, …
    QString baseUrl;    // the provider's API (or smtp[s]://host:port); empty: the provider's own
};

// What a route's template rendered for one delivery, for channels that send a message rather
// than the event itself (email, sms, whatsapp, push). Empty for webhooks.
struct Message
{
    QString to;      // email address, E.164 phone number or device token
    QString subject; // email subject, push title
    QString text;    // plain-text body
    QString html;    // HTML body (email)
    // Channel options the template set: WhatsApp template name and language and parameters, push
    // data fields, … (see docs/channels.md).
    QJsonObject options;
};

// One delivery as an adapter sees it: a plain value, no store types. `secret` is already opened
// (the route's signing secret); `account` is the route's provider account, opened.
struct Delivery
{
    QUuid id; // stable across retries: the idempotency key sent to the provider
    QUuid eventId;
    int attempt = 1; // 1-based
    qint64 endpointId = 0;
    qint64 tenantId = 0;
    QString eventType;
    QString target; // the webhook URL; for message channels, the recipient as rendered
    QByteArray secret;
    QByteArray payload; // the event's canonical JSON
    ProviderAccount account;
    Message message;
    // Which addresses this delivery may connect to (the tenant's allow-list over the agent's);
    // null: the adapter's own guard.
    const SsrfGuard *guard = nullptr;
};

// What a provider says about a message it was given, asked after the fact (reconciliation).
struct ProviderStatus
{
    QString providerMessageId;
    QString status; // the provider's own word: queued, sent, delivered, undelivered, failed, …
    bool final = false; // the status will not change any more
    std::optional<double> cost;
    QString currency; // ISO 4217, with cost
    QString error;    // the provider's error code or text, when it failed
};

// What became of one attempt.
struct Outcome
{
    enum class Kind {
        Delivered, // the provider took it; providerMessageId when it names one
        Retryable, // try again later, not before retryAfterMs when set
        Permanent, // never going to work: dead-lettered with `reason`
        Unknown,   // sent, but no answer: retried with the same idempotency key
    };
    Kind kind = Kind::Retryable;
    QString providerMessageId;
    std::optional<qint64> retryAfterMs;
    int statusCode = 0;
    QString error;
    QString reason;             // dead-letter reason code: timeout, connect, http_4xx, …
    bool targetGone = false;    // Permanent, and the target is gone for good (HTTP 410)
    std::optional<double> cost; // what the provider charged, when it says
    QString currency;           // ISO 4217, with cost
    QString output;             // what an exec job printed (bounded); null for other channels
};

// A channel's transport (webhook, email, SMS, …). The dispatcher hands it deliveries and gets
// back one outcome for each, on the dispatcher's thread, through `done` — never from inside
// send() itself, so the dispatcher's bookkeeping is not re-entered. An adapter owns its
// transport and its connections; it knows nothing of leases, retries or the database.
class Adapter
{
public:
    using Done = std::function<void(const QUuid &deliveryId, const Outcome &outcome)>;
    using StatusDone = std::function<void(const Result<ProviderStatus> &status)>;

    virtual ~Adapter() = default;
    virtual QString channel() const = 0;
    // Starts one attempt. Its outcome is reported through `done` by a later poll().
    virtual void send(const Delivery &delivery) = 0;
    // Reports the attempts that finished since the last call.
    virtual void poll() = 0;
    // Forgets an attempt without reporting it (the dispatcher gave up on it at shutdown).
    virtual void abandon(const QUuid &deliveryId) = 0;
    // Asks the provider what became of a message it accepted (reconciliation of receipts).
    // `done` is called from a later poll(), like an outcome. Channels whose provider has no
    // such query report an error saying so.
    virtual void queryStatus(const ProviderAccount &account, const QString &providerMessageId,
                             StatusDone done)
    {
        Q_UNUSED(account);
        Q_UNUSED(providerMessageId);
        m_pendingStatus.append(
            {std::move(done), makeError(QStringLiteral("the %1 channel cannot ask its provider "
                                                       "for a message's status")
                                            .arg(channel()))});
    }
    void setDone(Done done) { m_done = std::move(done); }

protected:
    void report(const QUuid &deliveryId, const Outcome &outcome) const
    {
        m_done(deliveryId, outcome);
    }

    // Reports status answers queued by the default queryStatus(); adapters call it in poll().
    void reportPendingStatus()
    {
        const auto pending = std::exchange(m_pendingStatus, {});
        for (const auto &[done, status] : pending)
            done(status);
    }

private:
    Done m_done;
    QList<QPair<StatusDone, Result<ProviderStatus>>> m_pendingStatus;
};

} // namespace ferry::agent::adapters
