#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QPointF>
#include <QStringList>

#include <vector>

namespace ferry::console {

// The last snapshots of the live feed (a ring buffer; 900 = 15 minutes at 1 Hz), the chart
// series derived from them for a tenant and channel filter, and the incidents they show: a
// breaker that opened (a route's or provider account's, from the snapshots' `guards`) or the DLQ
// growing by kSurgeDeliveries or more within kSurgeSeconds.
class LiveHistory
{
public:
    enum class Metric { EventsIn, DeliveriesOut, Lag, FailureRate, DlqSize };

    // The DLQ's growth that marks an incident: this many dead deliveries within this time.
    static constexpr int kSurgeDeliveries = 100;
    static constexpr int kSurgeSeconds = 60;

    struct Incident
    {
        enum class Kind { BreakerOpened, DlqSurge };
        Kind kind = Kind::BreakerOpened;
        QDateTime at;      // the snapshot that showed it
        QString tenant;    // the breaker's tenant; "" for the DLQ
        QString subject;   // the breaker's route target or account name
        qint64 growth = 0; // DlqSurge: dead deliveries added within kSurgeSeconds
    };

    explicit LiveHistory(int capacity = 900);

    void add(const QJsonObject &snapshot);
    void clear();
    int size() const { return m_size; }
    int capacity() const { return int(m_ring.size()); }

    // Empty: all tenants / channels.
    void setFilter(const QString &tenant, const QString &channel);

    // Points (x: seconds relative to the newest snapshot, ≤ 0; y: the value), oldest first.
    QList<QPointF> series(Metric metric) const;
    // The newest value, or 0.
    double latest(Metric metric) const;
    // Tenants and channels seen in the kept snapshots, sorted.
    QStringList tenants() const;
    QStringList channels() const;
    QDateTime newest() const;
    QDateTime oldest() const;
    // The incidents within the kept snapshots, oldest first (a tenant filter keeps its own
    // breakers and the DLQ's surges).
    QList<Incident> incidents() const;

    // Whether a metric is only available for all tenants (the snapshot has no per-tenant
    // figure for it), so a tenant filter does not apply to it.
    static bool isGlobalOnly(Metric metric);

private:
    struct Sample
    {
        QDateTime at;
        QJsonObject snapshot;
    };
    double value(const QJsonObject &snapshot, Metric metric) const;
    void detectIncidents(const QDateTime &when, const QJsonObject &snapshot);
    const Sample &at(int i) const; // 0 = oldest

    std::vector<Sample> m_ring;
    int m_head = 0; // next write position
    int m_size = 0;
    QList<Incident> m_incidents;
    QString m_tenant;
    QString m_channel;
};

} // namespace ferry::console
