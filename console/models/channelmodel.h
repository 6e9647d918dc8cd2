#pragma once

#include "console/models/highlight.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>
#include <optional>

class QJsonArray;

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
    QString breaker;                    // empty until the agent reports it
    std::optional<double> rateLimitUse; // share of the limit, none until reported
    QList<Error> recentErrors;          // newest first

    Severity severity() const;
};

// The channel health screen's rows, one per channel and endpoint. Each snapshot (1 Hz) updates
// the rows in place (dataChanged, and inserts or removals only for endpoints that came or
// went), so selection and scroll position stay put.
class ChannelModel final : public QAbstractTableModel
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

    // A snapshot's `channels` array.
    void setChannels(const QJsonArray &channels);
    void clear();
    const ChannelHealth &item(int row) const { return m_items.at(row); }

private:
    QVariant toolTip(const ChannelHealth &c, Column column) const;
    QVariant value(const ChannelHealth &c, Column column, bool sort) const;

    QList<ChannelHealth> m_items;
};

} // namespace ferry::console
