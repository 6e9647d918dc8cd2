#include "simserver.h"

#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>

using namespace Qt::StringLiterals;

namespace ferry::sim {

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    default:
        return "OTHER";
    }
}

SimRequest simRequest(const QHttpServerRequest &request)
{
    SimRequest out{
        methodName(request.method()), request.url().path(), request.query(), {}, request.body()};
    for (const auto &h : request.headers())
        out.headers.insert(h.first.toLower(), h.second.trimmed());
    return out;
}

Answer jsonAnswer(int status, const QJsonObject &json)
{
    return Answer::json(status, QJsonDocument(json).toJson(QJsonDocument::Compact));
}

} // namespace

SimServer::SimServer(quint64 seed)
    : m_twilio(std::make_unique<Twilio>(seed, m_callbacks))
    , m_meta(std::make_unique<Meta>(seed, m_callbacks))
    , m_fcm(std::make_unique<Fcm>(seed, m_callbacks))
    , m_providers{m_twilio.get(), m_meta.get(), m_fcm.get()}
{
    for (Provider *p : m_providers)
        m_startKnobs.insert(p->name(), p->knobs());
}

Result<bool> SimServer::applyKnobs(const QJsonObject &json, bool asStart)
{
    const QString target = json.value("provider"_L1).toString(u"all"_s);
    bool known = target == "all"_L1;
    for (Provider *p : m_providers)
        known = known || p->name() == target;
    if (!known)
        return makeError(u"unknown provider '%1' (twilio, meta, fcm or all)"_s.arg(target));
    for (Provider *p : m_providers) {
        if (target != "all"_L1 && p->name() != target)
            continue;
        if (auto applied = p->knobs().apply(json); !applied)
            return applied;
        if (asStart)
            m_startKnobs.insert(p->name(), p->knobs());
    }
    return true;
}

bool SimServer::handleRequest(const QHttpServerRequest &httpRequest, QTcpSocket *socket)
{
    const SimRequest request = simRequest(httpRequest);
    if (request.path.startsWith("/_sim/"_L1)) {
        deliver(socket, control(request), 0);
        return true;
    }
    for (Provider *p : m_providers) {
        if (p->owns(request)) {
            serve(*p, request, socket);
            return true;
        }
    }
    return false;
}

void SimServer::missingHandler(const QHttpServerRequest &, QTcpSocket *socket)
{
    deliver(socket, Answer::json(404, R"({"error":"no such route in ferry-provider-sim"})"), 0);
}

void SimServer::serve(Provider &provider, const SimRequest &request, QTcpSocket *socket)
{
    provider.stats().countRequest();
    const Knobs k = provider.knobs();
    const int latency = int(k.latencyMs);
    if (auto refusal = provider.authenticate(request)) {
        deliver(socket, *refusal, latency);
        return;
    }
    if (!provider.faultsApply(request)) {
        deliver(socket, provider.handle(request), latency);
        return;
    }
    // Every request draws the same five numbers, so a seed replays the same faults.
    QRandomGenerator &rng = provider.faultRng();
    const double reset = rng.generateDouble(), timeout = rng.generateDouble(),
                 throttle = rng.generateDouble(), error = rng.generateDouble(),
                 lose = rng.generateDouble();
    if (reset < k.resetRate) {
        provider.stats().fault(u"reset"_s);
        drop(socket, true, 0);
    } else if (timeout < k.timeoutRate) {
        provider.stats().fault(u"timeout"_s); // held: the client gives up first
    } else if (throttle < k.throttleRate) {
        provider.stats().reject(u"throttled"_s);
        deliver(socket, provider.throttled(int(k.retryAfterS)), latency);
    } else if (error < k.errorRate) {
        provider.stats().reject(u"server_error"_s);
        deliver(socket, provider.serverError(int(k.errorStatus)), latency);
    } else {
        const Answer answer = provider.handle(request);
        if (lose < k.loseResponseRate) {
            provider.stats().fault(u"lost_response"_s);
            drop(socket, false, latency);
        } else {
            deliver(socket, answer, latency);
        }
    }
}

void SimServer::deliver(QTcpSocket *socket, const Answer &answer, int latencyMs)
{
    if (latencyMs <= 0) {
        socket->write(answer.serialize());
        return;
    }
    QTimer::singleShot(latencyMs, socket, [socket, bytes = answer.serialize()] {
        if (socket->state() == QAbstractSocket::ConnectedState)
            socket->write(bytes);
    });
}

void SimServer::drop(QTcpSocket *socket, bool reset, int latencyMs)
{
    // Later, not inside the server's read handler, which still uses the socket.
    QTimer::singleShot(std::max(latencyMs, 0), socket, [socket, reset] {
        if (reset) {
            const linger hard{1, 0}; // close with RST
            ::setsockopt(int(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &hard,
                         sizeof hard);
            socket->abort();
        } else {
            socket->disconnectFromHost();
        }
    });
}

Answer SimServer::control(const SimRequest &request)
{
    const QString what = request.path.mid(6);
    if (what == "stats"_L1 && request.method == "GET")
        return jsonAnswer(200, stats(request));
    if (what == "knobs"_L1 && request.method == "GET")
        return jsonAnswer(200, knobs());
    if (what == "knobs"_L1 && request.method == "POST") {
        const auto applied = applyKnobs(QJsonDocument::fromJson(request.body).object());
        if (!applied)
            return jsonAnswer(400, {{u"error"_s, applied.error().message}});
        return jsonAnswer(200, knobs());
    }
    if (what == "reset"_L1 && request.method == "POST") {
        reset();
        return jsonAnswer(200, {{u"reset"_s, true}});
    }
    if (what == "fcm/expire-tokens"_L1 && request.method == "POST") {
        m_fcm->expireTokens();
        return jsonAnswer(200, {{u"expired"_s, true}});
    }
    return jsonAnswer(404, {{u"error"_s, u"unknown control request %1 %2"_s.arg(
                                             QString::fromLatin1(request.method), request.path)}});
}

QJsonObject SimServer::stats(const SimRequest &request) const
{
    const QString only = request.query.queryItemValue(u"provider"_s);
    const bool withMessages = request.query.queryItemValue(u"messages"_s) != "0"_L1;
    QJsonObject json;
    for (Provider *p : m_providers) {
        if (only.isEmpty() || only == p->name())
            json.insert(p->name(), p->stats().toJson(withMessages));
    }
    return json;
}

QJsonObject SimServer::knobs() const
{
    QJsonObject json;
    for (Provider *p : m_providers)
        json.insert(p->name(), p->knobs().toJson());
    return json;
}

void SimServer::reset()
{
    m_callbacks.reset();
    for (Provider *p : m_providers) {
        p->reset();
        p->knobs() = m_startKnobs.value(p->name());
    }
}

} // namespace ferry::sim
