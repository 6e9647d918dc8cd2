#include "agent/metrics/metricscollector.h"

#include "agent/app/logging.h"
#include "agent/metrics/agentmetrics.h"
#include "agent/store/hotpath/guardstore.h"
#include "agent/store/readmodels/metricsstore.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace ferry::agent::metrics {

namespace {
// The states exported by ferry_deliveries: each tenant gets every one, 0 when empty.
constexpr const char *kStates[] = {"queued", "pending", "in_flight", "retry_wait", "dead"};
constexpr const char *kChannels[] = {"webhook", "email", "sms", "whatsapp", "push"};
// The SLA gauges describe the last 24 hours and read a day of deliveries (at ~600,000 rows half
// a second of a core, which showed as the p99 of delivery latency at half load): every 12th
// refresh (a minute at the default metrics.refresh_interval), not every one.
constexpr int kSlaEveryNthRefresh = 12;
} // namespace

MetricsCollector::MetricsCollector(AgentMetrics &metrics, QString databaseUrl,
                                   int connectTimeoutSeconds)
    : m_metrics(metrics)
    , m_databaseUrl(std::move(databaseUrl))
    , m_connectTimeoutSeconds(connectTimeoutSeconds)
{}

bool MetricsCollector::ensureConnected()
{
    if (m_db.isOpen())
        return true;
    auto opened = m_db.open(m_databaseUrl, m_connectTimeoutSeconds);
    if (!opened) {
        failed(opened.error().message, false);
        return false;
    }
    return true;
}

void MetricsCollector::failed(const QString &message, bool connectionLost)
{
    if (message != m_lastError)
        qCWarning(lcMetrics).noquote()
            << "metrics: database gauges not refreshed (they keep their last values):" << message;
    m_lastError = message;
    m_metrics.collectorUp.set({}, 0);
    if (connectionLost)
        m_db.close();
}

void MetricsCollector::refreshGuards()
{
    auto statuses = store::GuardStore(m_db).statuses();
    if (!statuses) {
        failed(statuses.error().message, statuses.error().connectionLost);
        return;
    }
    QList<QPair<LabelValues, double>> breakers;
    QList<QPair<LabelValues, double>> rates;
    QList<QPair<LabelValues, double>> spent;
    QList<QPair<LabelValues, double>> inFlight;
    QList<QPair<LabelValues, double>> caps;
    for (const auto &g : std::as_const(*statuses)) {
        const LabelValues labels{g.tenant.toUtf8(), g.channel.toUtf8(), g.key.scope.toUtf8(),
                                 g.key.scope == "endpoint"_L1 ? QByteArray::number(g.key.id)
                                                              : g.name.toUtf8()};
        breakers.append({labels, g.breaker == "open"_L1        ? 2.0
                                 : g.breaker == "half_open"_L1 ? 1.0
                                                               : 0.0});
        inFlight.append({labels, double(g.inFlight)});
        if (g.ratePerSecond > 0) {
            rates.append({labels, g.ratePerSecond});
            spent.append({labels, double(g.spent)});
        }
        if (g.maxConcurrency > 0)
            caps.append({labels, double(g.maxConcurrency)});
    }
    m_metrics.breakerState.replace(breakers);
    m_metrics.guardRate.replace(rates);
    m_metrics.guardTokensSpent.replace(spent);
    m_metrics.guardInFlight.replace(inFlight);
    m_metrics.guardConcurrencyCap.replace(caps);
}

bool MetricsCollector::refreshTenants()
{
    auto names = store::MetricsStore(m_db).tenantNames();
    if (!names) {
        failed(names.error().message, names.error().connectionLost);
        return false;
    }
    auto &n = *names;
    m_metrics.tenants().update(std::move(n.names), std::move(n.tokenTenants));
    return true;
}

void MetricsCollector::resolveTenantsIfNeeded()
{
    if (m_sinceTenantRefresh.isValid() && m_sinceTenantRefresh.elapsed() < 1000)
        return;
    if (!m_metrics.hasUnresolvedTenants())
        return;
    m_sinceTenantRefresh.start(); // attempts are limited too, so a database outage cannot
                                  // make every scrape wait for a connection
    if (ensureConnected())
        refreshTenants();
}

void MetricsCollector::refreshWhenDue(qint64 intervalMs)
{
    // A tick early by a few milliseconds still counts as on time.
    if (m_sinceRefresh.isValid() && m_sinceRefresh.elapsed() + 50 < m_refreshAgainAfterMs)
        return;
    m_sinceRefresh.start();
    refresh();
    const qint64 took = m_sinceRefresh.elapsed();
    m_refreshAgainAfterMs = std::max(intervalMs, 20 * took);
    if (m_refreshAgainAfterMs > intervalMs)
        qCDebug(lcMetrics) << "metrics: a refresh took" << took << "ms; the next one in"
                           << m_refreshAgainAfterMs << "ms";
}

void MetricsCollector::refresh()
{
    if (!ensureConnected() || !refreshTenants())
        return;
    const bool withSla = m_refreshesSinceSla < 0 || m_refreshesSinceSla + 1 >= kSlaEveryNthRefresh;
    auto snapshot = store::MetricsStore(m_db).snapshot(withSla);
    if (!snapshot) {
        failed(snapshot.error().message, snapshot.error().connectionLost);
        return;
    }
    const auto &s = *snapshot;

    QHash<QPair<QString, QString>, QHash<QString, qint64>> counts; // (tenant, channel) → state
    for (const auto &d : s.deliveries)
        counts[{d.tenant, d.channel}][d.state] = d.count;
    QHash<QPair<QString, QString>, double> lags;
    for (const auto &l : s.lag)
        lags.insert({l.tenant, l.channel}, l.oldestDueAgeSeconds);

    QList<QPair<LabelValues, double>> deliveries;
    QList<QPair<LabelValues, double>> lag;
    QList<QPair<LabelValues, double>> dlq;
    for (const QString &tenant : s.tenants) {
        const QByteArray t = tenant.toUtf8();
        for (const char *channel : kChannels) {
            const auto key = qMakePair(tenant, QString::fromLatin1(channel));
            for (const char *state : kStates)
                deliveries.append({{t, channel, state},
                                   double(counts.value(key).value(QLatin1StringView(state)))});
            lag.append({{t, channel}, lags.value(key, 0.0)});
        }
        dlq.append({{t}, double(s.dlqSizes.value(tenant))});
    }
    m_metrics.deliveries.replace(deliveries);
    m_metrics.queueLag.replace(lag);
    m_metrics.dlqSize.replace(dlq);
    refreshGuards();
    if (s.slaIncluded) {
        QList<QPair<LabelValues, double>> attainment;
        QList<QPair<LabelValues, double>> target;
        for (const auto &x : s.sla) {
            target.append({{x.tenant.toUtf8()}, x.target});
            if (x.attainment >= 0)
                attainment.append({{x.tenant.toUtf8()}, x.attainment});
        }
        m_metrics.slaAttainment.replace(attainment);
        m_metrics.slaTarget.replace(target);
        m_refreshesSinceSla = 0;
    } else {
        ++m_refreshesSinceSla;
    }
    m_metrics.collectorUp.set({}, 1);
    m_metrics.collectorLastSuccess.set({}, double(QDateTime::currentMSecsSinceEpoch()) / 1000.0);
    if (!m_lastError.isEmpty())
        qCInfo(lcMetrics) << "metrics: database gauges refreshed again";
    m_lastError.clear();
}

} // namespace ferry::agent::metrics
