#pragma once

#include "agent/metrics/registry.h"
#include "agent/metrics/tenantdirectory.h"

#include <QJsonObject>
#include <QSet>

#include <mutex>

namespace ferry::agent::metrics {

// The metrics of ferry-agent (docs/metrics.md lists them): one instance per process, filled by
// the stages (ingest front ends, dispatch workers) and the metrics collector, exported by the
// metrics server.
class AgentMetrics
{
public:
    static AgentMetrics &instance();
    AgentMetrics();

    Registry &registry() { return m_registry; }
    TenantDirectory &tenants() { return m_tenants; }

    // Ingest front ends, once per event at the point they answer it: the event's status (as
    // HTTP: 202 accepted, 200 duplicate, otherwise rejected) and its answer object (a problem's
    // `type` names the reason). `transport`: "http" or "zmq". `tenantKey`: from TenantDirectory.
    void countIngestAnswer(const char *transport, const QByteArray &tenantKey, int status,
                           const QJsonObject &answer);
    // A request refused before its events were looked at; counts as one rejected event.
    void countIngestRejection(const char *transport, const QByteArray &tenantKey, int status,
                              const QString &problemSlug);

    // Dispatch, once per finished attempt: its outcome (succeeded, retryable, permanent, gone,
    // released) and how long the adapter took (negative: no adapter call, not observed).
    void countAttempt(const QString &channel, const QString &outcome, double adapterSeconds);
    // A delivery succeeded: the time since its event was received.
    void observeEndToEnd(const QString &channel, double seconds);
    // This agent saw a circuit breaker open (route or provider account).
    void countBreakerOpened(const QString &scope);

    // True when an ingest counter holds a tenant key the directory cannot name yet (a tenant
    // or token created since the collector last looked).
    bool hasUnresolvedTenants() const;

    // Distinct tenant keys the directory could not name that rejections keep apart; the rest
    // count under the unknown tenant, so made-up tokens cannot fill the label space.
    static constexpr qsizetype kMaxUnresolvedKeys = 64;

private:
    QByteArray rejectionKey(const QByteArray &tenantKey, int status);

    Registry m_registry; // declared before the references below, which point into it
    TenantDirectory m_tenants;
    std::mutex m_unresolvedMutex;
    QSet<QByteArray> m_unresolvedKeys;

public:
    CounterFamily &eventsAccepted;
    CounterFamily &eventsDuplicate;
    CounterFamily &eventsRejected;
    CounterFamily &attempts;
    HistogramFamily &adapterLatency;
    HistogramFamily &endToEndLatency;
    GaugeFamily &deliveries;
    GaugeFamily &queueLag;
    GaugeFamily &dlqSize;
    GaugeFamily &breakerState;
    CounterFamily &breakerOpened;
    GaugeFamily &guardRate;
    GaugeFamily &guardTokensSpent;
    GaugeFamily &guardInFlight;
    GaugeFamily &guardConcurrencyCap;
    GaugeFamily &slaAttainment;
    GaugeFamily &slaTarget;
    GaugeFamily &collectorUp;
    GaugeFamily &collectorLastSuccess;
    GaugeFamily &buildInfo;
    GaugeFamily &startTime;
    CounterFamily &inboundRequests;
    CounterFamily &inboxProcessed;
    CounterFamily &scheduleSlots;
    GaugeFamily &jobsRunning;
    CounterFamily &jobsFinished;
    CounterFamily &receipts;
};

} // namespace ferry::agent::metrics
