#pragma once

#include "console/models/highlight.h"

#include <QAbstractTableModel>
#include <QList>
#include <optional>

class QJsonArray;
class QJsonObject;

namespace ferry::console {

// One tenant's SLA over a window (GET /v1/sla) with its quotas (GET /v1/tenants).
struct TenantSla
{
    QString tenant;
    double target = 0;
    qint64 latencyMs = 0;
    qint64 windowS = 0;
    qint64 deliveries = 0;
    qint64 withinTarget = 0;
    std::optional<double> attainment; // none while nothing counts yet
    qint64 atRisk = 0;
    std::optional<qint64> maxEventsPerSecond; // none: no limit
    std::optional<qint64> maxEventsPerDay;
    std::optional<qint64> maxPayloadBytes;
    qint64 eventsToday = 0; // usage: events received since midnight UTC

    bool belowTarget() const { return attainment && *attainment < target; }
    Severity severity() const;
};

// The tenants screen's rows: SLA attainment per tenant, the quotas beside it. Rows below their
// target are marked as problems, rows with deliveries at risk as warnings (background colour
// from the palette, and an icon-free text in the tooltip for screen readers).
class TenantSlaModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Tenant,
        Target,
        LatencyTarget,
        Deliveries,
        WithinTarget,
        Attainment,
        AtRisk,
        EventsPerSecondQuota,
        EventsPerDayQuota,
        EventsToday,
        PayloadQuota,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int SeverityRole = Qt::UserRole + 2;

    explicit TenantSlaModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // GET /v1/sla's items; keeps the quotas already known.
    void setSla(const QJsonArray &items);
    // GET /v1/tenants' items: the quotas (and tenants with no SLA row yet).
    void setTenants(const QJsonArray &items);
    void clear();
    const TenantSla &item(int row) const { return m_items.at(row); }
    int rowOf(const QString &tenant) const;

private:
    static QVariant toolTip(const TenantSla &t);
    static QVariant value(const TenantSla &t, Column column, bool sort);
    static QVariant quotaValue(const std::optional<qint64> &q, bool sort);
    static QVariant latencyValue(qint64 ms, bool sort);
    static QVariant countValue(qint64 n, bool sort);

    QList<TenantSla> m_items;
};

} // namespace ferry::console
