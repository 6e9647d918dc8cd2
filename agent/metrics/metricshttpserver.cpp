#include "agent/metrics/metricshttpserver.h"

#include "agent/metrics/registry.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>

using namespace Qt::StringLiterals;

namespace ferry::agent::metrics {

MetricsHttpServer::MetricsHttpServer(Scrape scrape, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_scrape(std::move(scrape))
{}

bool MetricsHttpServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    if (request.url().path() != "/metrics"_L1)
        return false; // → missingHandler: 404
    auto responder = makeResponder(request, socket);
    if (request.method() != QHttpServerRequest::Method::Get) {
        responder.write("only GET /metrics is served here\n",
                        {{"Content-Type", "text/plain"}, {"Allow", "GET"}},
                        QHttpServerResponder::StatusCode::MethodNotAllowed);
        return true;
    }
    responder.write(m_scrape(), Registry::kContentType);
    return true;
}

void MetricsHttpServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    makeResponder(request, socket)
        .write(u"no resource at %1; Prometheus metrics are at GET /metrics\n"_s
                   .arg(request.url().path())
                   .toUtf8(),
               "text/plain", QHttpServerResponder::StatusCode::NotFound);
}

} // namespace ferry::agent::metrics
