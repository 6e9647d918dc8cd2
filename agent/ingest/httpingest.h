#pragma once

#include "agent/net/httpserver.h"
#include "shared/result.h"

#include <QHostAddress>
#include <QObject>
#include <QSslConfiguration>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace ferry::agent::inbound {
class InboundReceiver;
}

namespace ferry::agent::ingest {

class EventSink;
struct HttpRefusal;
struct IngestReply;
struct WriteRequest;

// HTTP ingest: `POST /v1/events` with a CloudEvent (application/cloudevents+json) or a batch
// (application/cloudevents-batch+json), authenticated by a producer bearer token. The request
// is validated here and handed to the batch writer; the answer is written only after the
// commit. Responses on one connection leave in request order even though commits complete
// asynchronously. The listener is a bounded net::HttpServer, plain or TLS.
class HttpIngest final : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        net::HttpServerLimits limits;
        int retryAfterSeconds = 2;
        std::optional<QSslConfiguration> tls; // none: plain HTTP
        // GET /readyz: why the agent cannot take and deliver events now; empty when it can.
        std::function<QString()> unready = {};
        // GET /readyz while ready: what works only in part (database.partitions: a partition
        // whose database is away; its tenants get 503), said as "degraded"; empty: nothing.
        std::function<QString()> degraded = {};
        // POST /v1/inbound/{tenant}/{connector}: provider webhooks go to the receiver of the
        // tenant's database; none (no function, or null for the tenant): 404.
        std::function<inbound::InboundReceiver *(const QString &tenant)> inbound = {};
    };
    HttpIngest(EventSink &writer, Options options, QObject *parent = nullptr);
    ~HttpIngest() override;

    Result<void> listen(const QHostAddress &address, quint16 port);
    quint16 serverPort() const;
    // Stops accepting connections; requests already received are still answered, and new
    // requests on open connections get 503 with Connection: close.
    void stopAccepting();
    int pendingResponses() const;

private:
    void handle(net::HttpRequest &&request, net::HttpResponder responder);
    void answer(net::HttpResponder &responder, int status, const QByteArray &contentType,
                const QByteArray &body, const QList<QPair<QByteArray, QByteArray>> &headers = {});
    void handleEvents(const net::HttpRequest &request, net::HttpResponder &responder);
    void handleInbound(net::HttpRequest &&request, net::HttpResponder &responder);
    // Answers a problem before any event reached the batch writer.
    void refuse(const net::HttpRequest &request, net::HttpResponder &responder,
                const HttpRefusal &refusal);
    struct Pending;
    void submit(const net::HttpRequest &request, const std::shared_ptr<Pending> &pending,
                std::vector<WriteRequest> &&requests);
    // One event's outcome, on this object's thread (or after it is gone); the last one answers.
    static void answered(const std::shared_ptr<Pending> &pending, qsizetype index,
                         const IngestReply &reply);
    static void finish(Pending &pending);

    struct Mailbox;
    EventSink &m_writer;
    std::shared_ptr<Mailbox> m_mailbox;
    Options m_options;
    net::HttpServer *m_server;
    bool m_accepting = true;
    int m_pending = 0;
};

} // namespace ferry::agent::ingest
