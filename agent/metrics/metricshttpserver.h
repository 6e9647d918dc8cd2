#pragma once

#include <QAbstractHttpServer>

#include <functional>

namespace ferry::agent::metrics {

// The plain-HTTP endpoint Prometheus scrapes: `GET /metrics` answers the text exposition
// (text/plain; version=0.0.4); every other path is 404 and other methods on /metrics 405.
// Lives on the metrics server's thread.
class MetricsHttpServer final : public QAbstractHttpServer
{
    Q_OBJECT
public:
    // Called on this server's thread for every scrape; returns the exposition.
    using Scrape = std::function<QByteArray()>;
    explicit MetricsHttpServer(Scrape scrape, QObject *parent = nullptr);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    Scrape m_scrape;
};

} // namespace ferry::agent::metrics
