#pragma once

#include "callbacksender.h"
#include "knobs.h"
#include "providerstats.h"
#include "simhttp.h"

#include <QRandomGenerator>
#include <QString>

#include <optional>

namespace ferry::sim {

// One simulated provider: its routes, its credentials check, its error bodies and its state.
class Provider
{
public:
    Provider(QString name, quint64 seed, CallbackSender &callbacks);
    virtual ~Provider() = default;
    Provider(const Provider &) = delete;
    Provider &operator=(const Provider &) = delete;

    QString name() const { return m_name; }
    // Whether the request is for this provider.
    virtual bool owns(const SimRequest &request) const = 0;
    // Whether the fault knobs apply to the request (not to token requests, for instance).
    virtual bool faultsApply(const SimRequest &) const { return true; }
    // The provider's refusal when the request's credentials are wrong; nothing when they pass.
    virtual std::optional<Answer> authenticate(const SimRequest &request) = 0;
    virtual Answer handle(const SimRequest &request) = 0;
    // The provider's own answers for a simulated server error and for throttling.
    virtual Answer serverError(int status) const = 0;
    virtual Answer throttled(int retryAfterS) const = 0;
    // Forgets messages and counts (and, through the server, restores the starting knobs).
    virtual void reset() { m_stats.clear(); }

    // How many accepted messages are remembered (stats, Twilio's GET); older ones are forgotten.
    void setMessageLimit(qsizetype limit)
    {
        m_messageLimit = limit;
        m_stats.setLimit(limit);
    }
    qsizetype messageLimit() const { return m_messageLimit; }

    ProviderStats &stats() { return m_stats; }
    Knobs &knobs() { return m_knobs; }
    QRandomGenerator &faultRng() { return m_faultRng; }

protected:
    CallbackSender &callbacks() { return m_callbacks; }
    // Lower-case hex of `bytes` bytes from the provider's id generator.
    QString randomHex(int bytes);
    QByteArray randomBytes(int bytes);

private:
    QString m_name;
    CallbackSender &m_callbacks;
    ProviderStats m_stats;
    Knobs m_knobs;
    QRandomGenerator m_faultRng;
    QRandomGenerator m_idRng;
    qsizetype m_messageLimit = 500000;
};

} // namespace ferry::sim
