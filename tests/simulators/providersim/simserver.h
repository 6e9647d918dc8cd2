#pragma once

#include "callbacksender.h"
#include "fcm.h"
#include "meta.h"
#include "twilio.h"

#include <QAbstractHttpServer>
#include <QHash>

#include <memory>
#include <vector>

class QTcpSocket;

namespace ferry::sim {

// The simulator's HTTP server: routes each request to its provider, applies that provider's
// fault knobs around it, and serves /_sim/knobs, /_sim/stats and /_sim/reset.
class SimServer final : public QAbstractHttpServer
{
public:
    explicit SimServer(quint64 seed);

    Twilio &twilio() { return *m_twilio; }
    Meta &meta() { return *m_meta; }
    Fcm &fcm() { return *m_fcm; }
    // Applies {"provider": twilio|meta|fcm|all, knob: value, …}; with `asStart`, the knobs also
    // become the ones /_sim/reset restores.
    Result<bool> applyKnobs(const QJsonObject &json, bool asStart = false);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    Answer control(const SimRequest &request);
    QJsonObject stats(const SimRequest &request) const;
    QJsonObject knobs() const;
    void reset();
    void serve(Provider &provider, const SimRequest &request, QTcpSocket *socket);
    void deliver(QTcpSocket *socket, const Answer &answer, int latencyMs);
    void drop(QTcpSocket *socket, bool reset, int latencyMs);

    CallbackSender m_callbacks;
    std::unique_ptr<Twilio> m_twilio;
    std::unique_ptr<Meta> m_meta;
    std::unique_ptr<Fcm> m_fcm;
    std::vector<Provider *> m_providers;
    QHash<QString, Knobs> m_startKnobs;
};

} // namespace ferry::sim
