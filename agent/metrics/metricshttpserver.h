#pragma once

#include "agent/net/httpserver.h"

#include <QObject>

#include <functional>

namespace ferry::agent::metrics {

// The plain-HTTP endpoint Prometheus scrapes: `GET /metrics` answers the text exposition
// (text/plain; version=0.0.4); every other path is 404 and other methods on /metrics 405.
// A bounded net::HttpServer that takes no request body; lives on the metrics server's thread.
class MetricsHttpServer final : public QObject
{
    Q_OBJECT
public:
    // Called on this server's thread for every scrape; returns the exposition.
    using Scrape = std::function<QByteArray()>;
    MetricsHttpServer(Scrape scrape, const net::HttpServerLimits &limits,
                      QObject *parent = nullptr);

    bool listen(const QHostAddress &address, quint16 port);
    QString errorString() const { return m_server->errorString(); }
    quint16 serverPort() const { return m_server->serverPort(); }

private:
    void serve(const net::HttpRequest &request, net::HttpResponder responder);

    Scrape m_scrape;
    net::HttpServer *m_server;
};

} // namespace ferry::agent::metrics
