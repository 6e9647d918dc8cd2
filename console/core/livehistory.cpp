#include "console/core/livehistory.h"

#include <QJsonArray>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::console {

LiveHistory::LiveHistory(int capacity)
    : m_ring(std::size_t(std::max(1, capacity)))
{}

void LiveHistory::add(const QJsonObject &snapshot)
{
    QDateTime at = QDateTime::fromString(snapshot.value("at"_L1).toString(), Qt::ISODateWithMs);
    if (!at.isValid())
        at = QDateTime::currentDateTimeUtc();
    if (m_size > 0)
        detectIncidents(at, snapshot);
    m_ring[std::size_t(m_head)] = Sample{at, snapshot};
    m_head = (m_head + 1) % capacity();
    m_size = std::min(m_size + 1, capacity());
    const QDateTime first = oldest();
    m_incidents.removeIf([&first](const Incident &i) { return i.at < first; });
}

// Against the snapshots kept so far: breakers open now that were not in the previous one, and
// the DLQ's growth over the last kSurgeSeconds (one surge a window).
void LiveHistory::detectIncidents(const QDateTime &when, const QJsonObject &snapshot)
{
    const auto key = [](const QJsonObject &g) {
        return g.value("scope"_L1).toString() + u'/' +
               QString::number(qint64(g.value("id"_L1).toDouble()));
    };
    QSet<QString> wasOpen;
    for (const auto &v : at(m_size - 1).snapshot.value("guards"_L1).toArray()) {
        if (v.toObject().value("breaker"_L1).toString() == "open"_L1)
            wasOpen.insert(key(v.toObject()));
    }
    for (const auto &v : snapshot.value("guards"_L1).toArray()) {
        const QJsonObject g = v.toObject();
        if (g.value("breaker"_L1).toString() == "open"_L1 && !wasOpen.contains(key(g)))
            m_incidents.append({Incident::Kind::BreakerOpened, when,
                                g.value("tenant"_L1).toString(), g.value("name"_L1).toString(), 0});
    }
    int since = m_size - 1; // the oldest snapshot within the window
    while (since > 0 && at(since - 1).at.secsTo(when) <= kSurgeSeconds)
        --since;
    const qint64 growth = qint64(snapshot.value("dlq_size"_L1).toDouble() -
                                 at(since).snapshot.value("dlq_size"_L1).toDouble());
    const bool recent =
        std::any_of(m_incidents.cbegin(), m_incidents.cend(), [&](const Incident &i) {
            return i.kind == Incident::Kind::DlqSurge && i.at.secsTo(when) < kSurgeSeconds;
        });
    if (growth >= kSurgeDeliveries && !recent)
        m_incidents.append({Incident::Kind::DlqSurge, when, {}, {}, growth});
}

QList<LiveHistory::Incident> LiveHistory::incidents() const
{
    QList<Incident> out;
    for (const Incident &i : m_incidents) {
        if (m_tenant.isEmpty() || i.tenant.isEmpty() || i.tenant == m_tenant)
            out.append(i);
    }
    return out;
}

void LiveHistory::clear()
{
    for (auto &s : m_ring)
        s = {};
    m_head = 0;
    m_size = 0;
    m_incidents.clear();
}

void LiveHistory::setFilter(const QString &tenant, const QString &channel)
{
    m_tenant = tenant;
    m_channel = channel;
}

const LiveHistory::Sample &LiveHistory::at(int i) const
{
    return m_ring[std::size_t((m_head - m_size + i + capacity()) % capacity())];
}

QDateTime LiveHistory::newest() const
{
    return m_size ? at(m_size - 1).at : QDateTime();
}

QDateTime LiveHistory::oldest() const
{
    return m_size ? at(0).at : QDateTime();
}

bool LiveHistory::isGlobalOnly(Metric metric)
{
    return metric == Metric::EventsIn || metric == Metric::DlqSize;
}

double LiveHistory::value(const QJsonObject &s, Metric metric) const
{
    const bool filtered = !m_tenant.isEmpty() || !m_channel.isEmpty();
    const auto matches = [this](const QJsonObject &o) {
        return (m_tenant.isEmpty() || o.value("tenant"_L1).toString() == m_tenant) &&
               (m_channel.isEmpty() || o.value("channel"_L1).toString() == m_channel);
    };
    switch (metric) {
    case Metric::EventsIn:
        return s.value("events_in_per_s"_L1).toDouble();
    case Metric::DlqSize:
        return s.value("dlq_size"_L1).toDouble();
    case Metric::Lag: {
        double lag = 0;
        for (const auto &v : s.value("lag"_L1).toArray()) {
            const QJsonObject o = v.toObject();
            if (matches(o))
                lag = std::max(lag, o.value("oldest_due_age_s"_L1).toDouble());
        }
        return lag;
    }
    case Metric::DeliveriesOut:
    case Metric::FailureRate: {
        if (!filtered) {
            return metric == Metric::DeliveriesOut ? s.value("deliveries_out_per_s"_L1).toDouble()
                                                   : s.value("failure_rate"_L1).toDouble();
        }
        double ok = 0;
        double failed = 0;
        for (const auto &v : s.value("channels"_L1).toArray()) {
            const QJsonObject o = v.toObject();
            if (!matches(o))
                continue;
            ok += o.value("success_per_s"_L1).toDouble();
            failed += o.value("failure_per_s"_L1).toDouble();
        }
        if (metric == Metric::DeliveriesOut)
            return ok;
        return ok + failed > 0 ? failed / (ok + failed) : 0.0;
    }
    }
    return 0;
}

QList<QPointF> LiveHistory::series(Metric metric) const
{
    QList<QPointF> points;
    points.reserve(m_size);
    const QDateTime last = newest();
    for (int i = 0; i < m_size; ++i) {
        const Sample &s = at(i);
        points.append(QPointF(double(last.msecsTo(s.at)) / 1000.0, value(s.snapshot, metric)));
    }
    return points;
}

double LiveHistory::latest(Metric metric) const
{
    return m_size ? value(at(m_size - 1).snapshot, metric) : 0.0;
}

QStringList LiveHistory::tenants() const
{
    QSet<QString> seen;
    for (int i = 0; i < m_size; ++i) {
        const QJsonObject &s = at(i).snapshot;
        for (const char *list : {"lag", "channels", "tenants"}) {
            for (const auto &v : s.value(QLatin1StringView(list)).toArray()) {
                const QJsonObject o = v.toObject();
                const QString t = o.value("tenant"_L1).toString();
                if (!t.isEmpty())
                    seen.insert(t);
            }
        }
    }
    QStringList out(seen.begin(), seen.end());
    out.sort();
    return out;
}

QStringList LiveHistory::channels() const
{
    QSet<QString> seen;
    for (int i = 0; i < m_size; ++i) {
        for (const char *list : {"lag", "channels"}) {
            for (const auto &v : at(i).snapshot.value(QLatin1StringView(list)).toArray()) {
                const QString c = v.toObject().value("channel"_L1).toString();
                if (!c.isEmpty())
                    seen.insert(c);
            }
        }
    }
    QStringList out(seen.begin(), seen.end());
    out.sort();
    return out;
}

} // namespace ferry::console
