#pragma once

#include <QByteArray>
#include <QString>
#include <QUuid>

#include <functional>
#include <optional>

namespace ferry::agent::adapters {

// One delivery as an adapter sees it: a plain value, no store types. `secret` is already opened
// (the route's signing secret or provider credential).
struct Delivery
{
    QUuid id; // stable across retries: the idempotency key sent to the provider
    QUuid eventId;
    int attempt = 1; // 1-based
    qint64 endpointId = 0;
    QString target; // the URL, address or provider account the route names
    QByteArray secret;
    QByteArray payload; // the event's canonical JSON
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
};

// A channel's transport (webhook, email, SMS, …). The dispatcher hands it deliveries and gets
// back one outcome for each, on the dispatcher's thread, through `done` — never from inside
// send() itself, so the dispatcher's bookkeeping is not re-entered. An adapter owns its
// transport and its connections; it knows nothing of leases, retries or the database.
class Adapter
{
public:
    using Done = std::function<void(const QUuid &deliveryId, const Outcome &outcome)>;

    virtual ~Adapter() = default;
    virtual QString channel() const = 0;
    // Starts one attempt. Its outcome is reported through `done` by a later poll().
    virtual void send(const Delivery &delivery) = 0;
    // Reports the attempts that finished since the last call.
    virtual void poll() = 0;
    // Forgets an attempt without reporting it (the dispatcher gave up on it at shutdown).
    virtual void abandon(const QUuid &deliveryId) = 0;
    void setDone(Done done) { m_done = std::move(done); }

protected:
    void report(const QUuid &deliveryId, const Outcome &outcome) const
    {
        m_done(deliveryId, outcome);
    }

private:
    Done m_done;
};

} // namespace ferry::agent::adapters
