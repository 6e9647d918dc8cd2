#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QPointF>
#include <QStringList>

#include <vector>

namespace ferry::console {

// The last snapshots of the live feed (a ring buffer; 900 = 15 minutes at 1 Hz) and the chart
// series derived from them for a tenant and channel filter.
class LiveHistory
{
public:
    enum class Metric { EventsIn, DeliveriesOut, Lag, FailureRate, DlqSize };

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
    const Sample &at(int i) const; // 0 = oldest

    std::vector<Sample> m_ring;
    int m_head = 0; // next write position
    int m_size = 0;
    QString m_tenant;
    QString m_channel;
};

} // namespace ferry::console
