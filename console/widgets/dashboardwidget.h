#pragma once

#include <QDateTime>
#include <QWidget>

#include <memory>

class QChart;
class QComboBox;
class QJsonObject;
class QLabel;
class QLayout;
class QLineSeries;
class QValueAxis;

namespace ferry::console {

class LiveHistory;

// Live charts of the agent's snapshots: events in and deliveries out per second, lag, failure
// rate and DLQ size over the last 15 minutes, for all or one tenant and channel. Every tick
// replaces each series' points from the ring buffer (no clear and append).
class DashboardWidget final : public QWidget
{
    Q_OBJECT
public:
    explicit DashboardWidget(QWidget *parent = nullptr);
    ~DashboardWidget() override;

    void addSnapshot(const QJsonObject &snapshot);
    void clear();
    void setFeedStatus(const QString &status);
    int updates() const { return m_updates; }
    QDateTime dataTime() const { return m_dataTime; }
    const LiveHistory &history() const { return *m_history; }
    void setFilter(const QString &tenant, const QString &channel);

Q_SIGNALS:
    void updated();

private:
    struct Chart
    {
        QChart *chart = nullptr;
        QValueAxis *x = nullptr;
        QValueAxis *y = nullptr;
        QList<QLineSeries *> series;
        QList<int> metrics;
        double scale = 1.0;
    };
    Chart makeChart(const QString &title, const QList<QPair<QString, int>> &series,
                    const QString &unit, double scale);
    void createCharts();
    QLayout *buildChartGrid();
    void redraw();
    void updateFilterChoices();

    std::unique_ptr<LiveHistory> m_history;
    QComboBox *m_tenant;
    QComboBox *m_channel;
    QLabel *m_status;
    QLabel *m_figures;
    QList<Chart> m_charts;
    QDateTime m_dataTime;
    int m_updates = 0;
};

} // namespace ferry::console
