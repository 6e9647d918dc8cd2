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
// Samples of one gauge; a label set seen twice (a tenant kept in two databases while it moves
// between partitions) is combined rather than one hiding the other.
class Samples
{
public:
    enum class Combine { Sum, Max };
    explicit Samples(Combine combine)
        : m_combine(combine)
    {}
    void add(const LabelValues &labels, double value)
    {
        if (const auto at = m_index.constFind(labels); at != m_index.constEnd()) {
            double &kept = m_samples[*at].second;
            kept = m_combine == Combine::Sum ? kept + value : std::max(kept, value);
            return;
        }
        m_index.insert(labels, m_samples.size());
        m_samples.append({labels, value});
    }
    const QList<QPair<LabelValues, double>> &samples() const { return m_samples; }

private:
    Combine m_combine;
    QHash<LabelValues, qsizetype> m_index;
    QList<QPair<LabelValues, double>> m_samples;
};

} // namespace

MetricsCollector::MetricsCollector(AgentMetrics &metrics, const QStringList &databaseUrls,
                                   int connectTimeoutSeconds)
    : m_metrics(metrics)
    , m_connectTimeoutSeconds(connectTimeoutSeconds)
{
    for (const QString &url : databaseUrls) {
        m_sources.push_back(std::make_unique<Source>());
        m_sources.back()->url = url;
    }
}

MetricsCollector::~MetricsCollector() = default;

bool MetricsCollector::ensureConnected(Source &source)
{
    if (source.db.isOpen())
        return true;
    auto opened = source.db.open(source.url, m_connectTimeoutSeconds);
    if (!opened) {
        failed(source, opened.error().message, false);
        return false;
    }
    return true;
}

void MetricsCollector::failed(Source &source, const QString &message, bool connectionLost)
{
    if (message != source.lastError)
        qCWarning(lcMetrics).noquote()
            << "metrics: database gauges not refreshed (they keep their last values):" << message;
    source.lastError = message;
    m_metrics.collectorUp.set({}, 0);
    if (connectionLost)
        source.db.close();
}

bool MetricsCollector::refreshTenants(Source &source, int partition)
{
    auto names = store::MetricsStore(source.db).tenantNames();
    if (!names) {
        failed(source, names.error().message, names.error().connectionLost);
        return false;
    }
    auto &n = *names;
    m_metrics.tenants().update(std::move(n.names), std::move(n.tokenTenants), partition);
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
    for (size_t i = 0; i < m_sources.size(); ++i) {
        if (ensureConnected(*m_sources[i]))
            refreshTenants(*m_sources[i], int(i));
    }
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

// The SLA figures read a day of deliveries: every kSlaEveryNthRefresh-th successful read of a
// database, and at its first.
bool MetricsCollector::gather(Source &source, int partition)
{
    const bool withSla =
        source.readsSinceSla < 0 || source.readsSinceSla + 1 >= kSlaEveryNthRefresh;
    if (!ensureConnected(source) || !refreshTenants(source, partition))
        return false;
    auto snapshot = store::MetricsStore(source.db).snapshot(withSla);
    if (!snapshot) {
        failed(source, snapshot.error().message, snapshot.error().connectionLost);
        return false;
    }
    auto statuses = store::GuardStore(source.db).statuses();
    if (!statuses) {
        failed(source, statuses.error().message, statuses.error().connectionLost);
        return false;
    }
    source.snapshot = *std::move(snapshot);
    if (source.snapshot.slaIncluded) {
        source.sla = source.snapshot.sla;
        source.readsSinceSla = 0;
    } else {
        ++source.readsSinceSla;
    }
    source.guards = *std::move(statuses);
    if (!source.lastError.isEmpty())
        qCInfo(lcMetrics) << "metrics: database gauges refreshed again";
    source.lastError.clear();
    return true;
}

// Each database is read on its own; one that fails keeps its series at their last values (and
// ferry_metrics_collector_up at 0) while the others' are current.
void MetricsCollector::refresh()
{
    bool allRead = true;
    for (size_t i = 0; i < m_sources.size(); ++i)
        allRead = gather(*m_sources[i], int(i)) && allRead;
    publishQueue();
    publishGuards();
    publishSla();
    m_metrics.collectorUp.set({}, allRead ? 1 : 0);
    if (allRead)
        m_metrics.collectorLastSuccess.set({},
                                           double(QDateTime::currentMSecsSinceEpoch()) / 1000.0);
}

// Deliveries by state, queue lag and DLQ size of every database's tenants.
void MetricsCollector::publishQueue()
{
    Samples deliveries(Samples::Combine::Sum);
    Samples lag(Samples::Combine::Max);
    Samples dlq(Samples::Combine::Sum);
    for (const auto &source : m_sources) {
        const auto &s = source->snapshot;
        QHash<QPair<QString, QString>, QHash<QString, qint64>> counts; // (tenant, channel) → state
        for (const auto &d : s.deliveries)
            counts[{d.tenant, d.channel}][d.state] = d.count;
        QHash<QPair<QString, QString>, double> lags;
        for (const auto &l : s.lag)
            lags.insert({l.tenant, l.channel}, l.oldestDueAgeSeconds);
        for (const QString &tenant : s.tenants) {
            const QByteArray t = tenant.toUtf8();
            for (const char *channel : kChannels) {
                const auto key = qMakePair(tenant, QString::fromLatin1(channel));
                for (const char *state : kStates)
                    deliveries.add({t, channel, state},
                                   double(counts.value(key).value(QLatin1StringView(state))));
                lag.add({t, channel}, lags.value(key, 0.0));
            }
            dlq.add({t}, double(s.dlqSizes.value(tenant)));
        }
    }
    m_metrics.deliveries.replace(deliveries.samples());
    m_metrics.queueLag.replace(lag.samples());
    m_metrics.dlqSize.replace(dlq.samples());
}

void MetricsCollector::publishGuards()
{
    QList<QPair<LabelValues, double>> breakers;
    QList<QPair<LabelValues, double>> rates;
    QList<QPair<LabelValues, double>> spent;
    QList<QPair<LabelValues, double>> inFlight;
    QList<QPair<LabelValues, double>> caps;
    for (const auto &source : m_sources) {
        for (const auto &g : std::as_const(source->guards)) {
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
    }
    m_metrics.breakerState.replace(breakers);
    m_metrics.guardRate.replace(rates);
    m_metrics.guardTokensSpent.replace(spent);
    m_metrics.guardInFlight.replace(inFlight);
    m_metrics.guardConcurrencyCap.replace(caps);
}

void MetricsCollector::publishSla()
{
    QList<QPair<LabelValues, double>> attainment;
    QList<QPair<LabelValues, double>> target;
    for (const auto &source : m_sources) {
        for (const auto &x : source->sla) {
            target.append({{x.tenant.toUtf8()}, x.target});
            if (x.attainment >= 0)
                attainment.append({{x.tenant.toUtf8()}, x.attainment});
        }
    }
    m_metrics.slaAttainment.replace(attainment);
    m_metrics.slaTarget.replace(target);
}

} // namespace ferry::agent::metrics
