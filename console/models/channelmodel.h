#pragma once

#include "console/models/guardhealth.h"
#include "console/models/highlight.h"
#include "console/models/livetablemodel.h"

#include <QDateTime>
#include <QJsonArray>
#include <QList>
#include <optional>

namespace ferry::console {

// One channel and endpoint as the live snapshot's `channels` array reports it.
struct ChannelHealth
{
    struct Error
    {
        QDateTime at;
        int status = 0;
        QString error;
    };
    QString tenant;
    QString channel;
    qint64 endpoint = 0;
    qint64 inFlight = 0;
    std::optional<double> latencyP50Ms; // none without attempts in the last minute
    std::optional<double> latencyP99Ms;
    double successPerS = 0;
    double failurePerS = 0;
    QString breaker;                    // closed | open | half_open (empty: not reported)
    std::optional<double> rateLimitUse; // share of the route's rate limit; none: no limit
    QList<Error> recentErrors;          // newest first
    std::optional<GuardHealth> guard;   // the route's entry of the snapshot's `guards`

    Severity severity() const;
};

// The channel health screen's rows, one per channel and endpoint, updated in place by each
// snapshot.
class ChannelModel final : public LiveTableModel
{
    Q_OBJECT
public:
    enum Column {
        Tenant,
        Channel,
        Endpoint,
        InFlight,
        LatencyP50,
        LatencyP99,
        SuccessRate,
        FailureRate,
        Breaker,
        RateLimit,
        RecentErrors,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit ChannelModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // A snapshot's `channels` array, with its `guards` (the routes' breakers for the tooltips).
    void setChannels(const QJsonArray &channels, const QJsonArray &guards = {});
    void clear();
    const ChannelHealth &item(int row) const { return m_items.at(row); }

private:
    static QVariant toolTip(const ChannelHealth &c, Column column);
    static QVariant value(const ChannelHealth &c, Column column, bool sort);

    QList<ChannelHealth> m_items;
};

} // namespace ferry::console
