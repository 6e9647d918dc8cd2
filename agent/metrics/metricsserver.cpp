#include "agent/metrics/metricsserver.h"

#include "agent/app/logging.h"
#include "agent/metrics/agentmetrics.h"
#include "agent/metrics/metricscollector.h"
#include "agent/metrics/metricshttpserver.h"

#include <QHostAddress>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace ferry::agent::metrics {

MetricsServer::MetricsServer(AgentMetrics &metrics, Options options)
    : m_metrics(metrics)
    , m_options(std::move(options))
{
    m_thread.setObjectName(u"metrics"_s);
}

MetricsServer::~MetricsServer()
{
    stop();
}

Result<void> MetricsServer::start()
{
    const QString listen = m_options.listen;
    const qsizetype colon = listen.lastIndexOf(u':');
    bool portOk = false;
    const quint16 port = listen.mid(colon + 1).toUShort(&portOk);
    QString host = colon > 0 ? listen.left(colon) : QString();
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    const QHostAddress address(host);
    if (colon <= 0 || !portOk || address.isNull())
        return makeError(u"metrics.listen is '%1'; expected host:port such as 127.0.0.1:9464, "
                         "or empty to turn the Prometheus endpoint off"_s.arg(listen));

    m_anchor = new QObject;
    m_anchor->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_anchor, &QObject::deleteLater);
    m_thread.start();

    QString error;
    QMetaObject::invokeMethod(
        m_anchor,
        [&] {
            m_collector = std::make_unique<MetricsCollector>(
                m_metrics, QStringList{m_options.databaseUrl} + m_options.partitionUrls,
                m_options.connectTimeoutSeconds);
            m_http = new MetricsHttpServer(
                [this] {
                    if (m_collector) // gone while stopping
                        m_collector->resolveTenantsIfNeeded();
                    return m_metrics.registry().render();
                },
                m_options.limits, m_anchor);
            if (!m_http->listen(address, port)) {
                error = u"cannot listen on %1 (metrics.listen): %2; choose a free address or set "
                        "metrics.listen empty to turn the Prometheus endpoint off"_s.arg(
                            listen, m_http->errorString());
                return;
            }
            m_port = m_http->serverPort();
            m_collector->refresh();
            auto *timer = new QTimer(m_anchor);
            timer->setInterval(int(std::max<qint64>(100, m_options.refreshIntervalMs)));
            QObject::connect(timer, &QTimer::timeout, m_anchor, [this] {
                if (m_collector) // a tick already queued when stop() ran
                    m_collector->refreshWhenDue(m_options.refreshIntervalMs);
            });
            timer->start();
        },
        Qt::BlockingQueuedConnection);
    if (!error.isEmpty()) {
        stop();
        return makeError(error);
    }
    qCInfo(lcMetrics).noquote() << "Prometheus metrics on"
                                << u"http://%1:%2/metrics"_s.arg(address.toString()).arg(m_port);
    return {};
}

void MetricsServer::stop()
{
    if (!m_thread.isRunning())
        return;
    QMetaObject::invokeMethod(
        m_anchor,
        [this] {
            // The server and its sockets and the refresh timer go first, so that no scrape or
            // tick can reach the collector after it is gone (events already queued for them
            // are dropped with them); the collector's connection is closed here, on the thread
            // that used it. What else is a child of the anchor goes with it on `finished`.
            delete m_http;
            m_http = nullptr;
            for (QTimer *timer : m_anchor->findChildren<QTimer *>(Qt::FindDirectChildrenOnly))
                timer->stop();
            m_collector.reset();
            QThread::currentThread()->quit();
        },
        Qt::BlockingQueuedConnection);
    m_thread.wait();
    m_anchor = nullptr;
}

} // namespace ferry::agent::metrics
