#include "agent/metrics/agentmetrics.h"

#include <QDateTime>
#include <QFile>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ferry::agent::metrics {

namespace {

// Seconds; an HTTP adapter call from a local network up to a slow partner near its timeout.
const QList<double> kAdapterBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                       1,     2.5,  5,     10,   15,  30,   60};
// Seconds from receipt to success: immediate deliveries up to a day of retries.
const QList<double> kEndToEndBuckets = {0.01, 0.025, 0.05,  0.1,   0.25,  0.5,  1,
                                        2.5,  5,     10,    30,    60,    300,  900,
                                        1800, 3600,  10800, 21600, 43200, 86400};

// When this process started (Linux: /proc), in Unix seconds; now when that cannot be read.
double processStartTime()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    QFile system(QStringLiteral("/proc/stat"));
    if (stat.open(QIODevice::ReadOnly) && system.open(QIODevice::ReadOnly)) {
        // Fields after the command name (which may hold spaces): state is field 3, start time
        // (clock ticks since boot) field 22.
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        const qint64 ticks = fields.value(22 - 3).toLongLong();
        qint64 bootTime = 0;
        for (const QByteArray &l : system.readAll().split('\n')) {
            if (l.startsWith("btime "))
                bootTime = l.mid(6).trimmed().toLongLong();
        }
        const long hz = ::sysconf(_SC_CLK_TCK);
        if (ticks > 0 && bootTime > 0 && hz > 0)
            return double(bootTime) + double(ticks) / double(hz);
    }
    return double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
}

} // namespace

AgentMetrics &AgentMetrics::instance()
{
    static AgentMetrics metrics;
    return metrics;
}

AgentMetrics::AgentMetrics()
    : eventsAccepted(m_registry.counter(
          "ferry_events_accepted_total",
          "Events stored and acknowledged (202), by tenant and ingest transport.",
          {"tenant", "transport"}))
    , eventsDuplicate(m_registry.counter(
          "ferry_events_duplicate_total",
          "Repeats of an already stored event, answered with its original id (200).",
          {"tenant", "transport"}))
    , eventsRejected(m_registry.counter(
          "ferry_events_rejected_total",
          "Events refused (4xx/5xx), by tenant, transport and reason (the problem type); a "
          "request refused as a whole counts once.",
          {"tenant", "transport", "reason"}))
    , attempts(
          m_registry.counter("ferry_delivery_attempts_total",
                             "Delivery attempts finished by this agent, by channel and outcome.",
                             {"channel", "outcome"}))
    , adapterLatency(m_registry.histogram(
          "ferry_adapter_latency_seconds",
          "Time a channel adapter took for one attempt (request sent to answer or error).",
          {"channel"}, kAdapterBuckets))
    , endToEndLatency(m_registry.histogram(
          "ferry_delivery_end_to_end_seconds",
          "Time from an event's receipt to the success of one of its deliveries.", {"channel"},
          kEndToEndBuckets))
    , deliveries(m_registry.gauge(
          "ferry_deliveries",
          "Deliveries in the database by tenant, channel and state (unfinished states and "
          "dead), refreshed by the metrics collector.",
          {"tenant", "channel", "state"}))
    , queueLag(m_registry.gauge(
          "ferry_queue_lag_seconds",
          "Age of the oldest due delivery (pending or retry_wait with due time passed), by "
          "tenant and channel; 0 when nothing is waiting.",
          {"tenant", "channel"}))
    , dlqSize(m_registry.gauge("ferry_dlq_size",
                               "Dead deliveries waiting in the dead-letter queue, by tenant.",
                               {"tenant"}))
    , breakerState(m_registry.gauge(
          "ferry_breaker_state",
          "Circuit breaker per route (scope endpoint) and per provider account (scope account): "
          "0 closed, 1 half-open, 2 open. Kept in the database: the same on every agent.",
          {"tenant", "channel", "scope", "guard"}))
    , breakerOpened(m_registry.counter("ferry_breaker_opened_total",
                                       "Circuit breakers this agent saw open, by scope.",
                                       {"scope"}))
    , guardRate(m_registry.gauge(
          "ferry_guard_rate_limit_per_second",
          "Configured rate limit of a route or provider account (all agents together).",
          {"tenant", "channel", "scope", "guard"}))
    , guardTokensSpent(m_registry.gauge(
          "ferry_guard_tokens_spent",
          "Requests a rate-limited route or provider account has let through since its limit "
          "was set (all agents together); its rate() is the limiter's use.",
          {"tenant", "channel", "scope", "guard"}))
    , guardInFlight(m_registry.gauge(
          "ferry_guard_in_flight",
          "Deliveries in flight to a route or provider account, all agents together.",
          {"tenant", "channel", "scope", "guard"}))
    , guardConcurrencyCap(m_registry.gauge(
          "ferry_guard_concurrency_cap",
          "Concurrency cap of a route or provider account; absent: the agent's default.",
          {"tenant", "channel", "scope", "guard"}))
    , slaAttainment(m_registry.gauge(
          "ferry_sla_attainment_ratio",
          "Share of a tenant's deliveries of the last 24 hours that succeeded within its SLA "
          "latency (as GET /v1/sla?window=24h); absent while no delivery counts yet.",
          {"tenant"}))
    , slaTarget(m_registry.gauge("ferry_sla_target_ratio",
                                 "A tenant's SLA target (the share to reach), e.g. 0.99.",
                                 {"tenant"}))
    , collectorUp(m_registry.gauge(
          "ferry_metrics_collector_up",
          "1 when the last refresh of the database gauges succeeded, 0 when it failed."))
    , collectorLastSuccess(
          m_registry.gauge("ferry_metrics_collector_last_success_timestamp_seconds",
                           "Unix time of the last successful refresh of the database gauges."))
    , buildInfo(m_registry.gauge(
          "ferry_build_info", "Always 1; the version label names this agent's build.", {"version"}))
    , startTime(m_registry.gauge("ferry_process_start_time_seconds",
                                 "Unix time at which this agent process started."))
    , inboundRequests(m_registry.counter(
          "ferry_inbound_requests_total",
          "Inbound provider webhooks by connector kind and result (received, duplicate, or why "
          "refused: bad_signature, stale_signature, missing_signature, malformed_signature, "
          "unknown_connector, unavailable).",
          {"kind", "result"}))
    , inboxProcessed(m_registry.counter(
          "ferry_inbox_processed_total",
          "Inbox entries processed, by connector kind and outcome (done, retry, dead).",
          {"kind", "outcome"}))
    , scheduleSlots(m_registry.counter(
          "ferry_schedule_slots_total",
          "Schedule slots this agent handled: fired (an event published, or already published "
          "by another agent) or skipped (missed and left out by the catch-up policy).",
          {"result"}))
    , jobsRunning(m_registry.gauge("ferry_jobs_running",
                                   "Exec jobs running on this agent now, by command.", {"command"}))
    , jobsFinished(m_registry.counter(
          "ferry_jobs_finished_total",
          "Exec jobs this agent ran to an end, by command and how they ended: succeeded, "
          "failed, retrying, timed_out, cancelled, lost.",
          {"command", "state"}))
    , receipts(m_registry.counter(
          "ferry_receipts_total",
          "Delivery receipts by channel and effect: applied (the message moved forward), "
          "ignored (repeated, late or out of order), unmatched (no such message yet).",
          {"channel", "effect"}))
{
    const auto tenantName = [this](const LabelValues &values) {
        LabelValues out = values;
        out[0] = m_tenants.resolve(values.value(0)).value_or(TenantDirectory::kUnknown);
        return out;
    };
    eventsAccepted.setMapper(tenantName);
    eventsDuplicate.setMapper(tenantName);
    eventsRejected.setMapper(tenantName);
    buildInfo.set({FERRY_VERSION}, 1);
    startTime.set({}, processStartTime());
    collectorUp.set({}, 0);
}

void AgentMetrics::countIngestAnswer(const char *transport, const QByteArray &tenantKey, int status,
                                     const QJsonObject &answer)
{
    if (status == 202) {
        eventsAccepted.inc(
            {tenantKey, QByteArray::fromRawData(transport, qsizetype(qstrlen(transport)))});
        return;
    }
    if (status == 200) {
        eventsDuplicate.inc(
            {tenantKey, QByteArray::fromRawData(transport, qsizetype(qstrlen(transport)))});
        return;
    }
    // Problem types are urn:ferry:problem:<slug>.
    const QString type = answer.value(QLatin1StringView("type")).toString();
    const qsizetype colon = type.lastIndexOf(u':');
    countIngestRejection(transport, tenantKey, status,
                         colon >= 0 ? type.mid(colon + 1) : QString::number(status));
}

void AgentMetrics::countIngestRejection(const char *transport, const QByteArray &tenantKey,
                                        int status, const QString &problemSlug)
{
    eventsRejected.inc({rejectionKey(tenantKey, status),
                        QByteArray::fromRawData(transport, qsizetype(qstrlen(transport))),
                        problemSlug.isEmpty() ? QByteArray::number(status) : problemSlug.toUtf8()});
}

void AgentMetrics::countAttempt(const QString &channel, const QString &outcome,
                                double adapterSeconds)
{
    const QByteArray ch = channel.toLatin1();
    attempts.inc({ch, outcome.toUtf8()});
    if (adapterSeconds >= 0)
        adapterLatency.observe({ch}, adapterSeconds);
}

void AgentMetrics::countBreakerOpened(const QString &scope)
{
    breakerOpened.inc({scope.toLatin1()});
}

void AgentMetrics::observeEndToEnd(const QString &channel, double seconds)
{
    endToEndLatency.observe({channel.toLatin1()}, seconds);
}

QByteArray AgentMetrics::rejectionKey(const QByteArray &tenantKey, int status)
{
    // A 401 names no tenant; keeping the (wrong) token's key would only grow the label set.
    if (status == 401 || tenantKey.isEmpty() || m_tenants.resolve(tenantKey))
        return status == 401 ? QByteArray() : tenantKey;
    // A key the directory does not know: a tenant created since its last refresh, or a token
    // made up by an unauthenticated client. Only a few such keys get cells of their own.
    std::lock_guard lock(m_unresolvedMutex);
    if (m_unresolvedKeys.contains(tenantKey))
        return tenantKey;
    if (m_unresolvedKeys.size() >= kMaxUnresolvedKeys)
        return {};
    m_unresolvedKeys.insert(tenantKey);
    return tenantKey;
}

bool AgentMetrics::hasUnresolvedTenants() const
{
    for (const CounterFamily *family : {&eventsAccepted, &eventsDuplicate, &eventsRejected}) {
        for (const LabelValues &values : family->labelSets()) {
            if (!values.value(0).isEmpty() && !m_tenants.resolve(values.value(0)))
                return true;
        }
    }
    return false;
}

} // namespace ferry::agent::metrics
