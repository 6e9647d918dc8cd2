#include "agent/metrics/metricshttpserver.h"

#include "agent/metrics/registry.h"

using namespace Qt::StringLiterals;

namespace ferry::agent::metrics {

MetricsHttpServer::MetricsHttpServer(Scrape scrape, const net::HttpServerLimits &limits,
                                     QObject *parent)
    : QObject(parent)
    , m_scrape(std::move(scrape))
    , m_server(new net::HttpServer(
          limits,
          [this](net::HttpRequest &&request, net::HttpResponder responder) {
              serve(request, std::move(responder));
          },
          this))
{}

bool MetricsHttpServer::listen(const QHostAddress &address, quint16 port)
{
    return m_server->listen(address, port);
}

void MetricsHttpServer::serve(const net::HttpRequest &request, net::HttpResponder responder)
{
    if (request.url.path() != "/metrics"_L1) {
        responder.respond({404, "text/plain",
                           u"no resource at %1; Prometheus metrics are at GET /metrics\n"_s
                               .arg(request.url.path().left(200))
                               .toUtf8()});
        return;
    }
    if (request.method != "GET" && request.method != "HEAD") {
        responder.respond(
            {405, "text/plain", "only GET /metrics is served here\n", {{"Allow", "GET"}}});
        return;
    }
    responder.respond({200, Registry::kContentType, m_scrape()});
}

} // namespace ferry::agent::metrics
