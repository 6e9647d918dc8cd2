#pragma once

#include "console/core/livehistory.h"

#include <QDateTime>
#include <QWidget>

#include <memory>

class QChart;
class QComboBox;
class QDateTimeAxis;
class QJsonObject;
class QLabel;
class QLayout;
class QLineSeries;
class QValueAxis;

namespace ferry::console {

// Live charts of the agent's snapshots: events in and deliveries out per second, lag, failure
// rate and DLQ size over the last 15 minutes, for all or one tenant and channel. Every tick
// replaces each series' points from the ring buffer (no clear and append). The value axes end
// on round numbers (1, 2 or 5 times a power of ten, as are their steps) and carry their units;
// the time axis shows this computer's clock at whole minutes; a red dashed line marks where an
// incident started (LiveHistory::incidents()). The charts follow the palette, light or dark.
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

    // For tests and screenshots: the charts, their axes, the labels the time axis shows, the
    // incident markers each chart draws (one series of two points per incident) and the text
    // naming the latest incident.
    int chartCount() const { return int(m_charts.size()); }
    QChart *chart(int i) const { return m_charts.at(i).chart; }
    QValueAxis *valueAxis(int i) const { return m_charts.at(i).y; }
    QDateTimeAxis *timeAxis(int i) const { return m_charts.at(i).x; }
    QStringList timeLabels(int i) const;
    QList<QLineSeries *> visibleMarkers(int i) const;
    QString incidentText() const;

protected:
    void changeEvent(QEvent *event) override;

Q_SIGNALS:
    void updated();

private:
    struct Chart
    {
        QChart *chart = nullptr;
        QDateTimeAxis *x = nullptr;
        QValueAxis *y = nullptr;
        QList<QLineSeries *> series;
        QList<QLineSeries *> markers; // a pool: the newest incidents, the rest hidden
        QList<int> metrics;
        double scale = 1.0;
        QString suffix; // of the value labels: the unit
    };
    static Chart makeChart(const QString &title, const QList<QPair<QString, int>> &series,
                           const QString &unit, const QString &suffix, double scale);
    static void addMarkers(Chart &c);
    void applyPalette();
    void redrawTimeAxes(double oldestSeconds);
    void redrawMarkers();
    static QString incidentLine(const LiveHistory::Incident &incident);
    QLayout *buildFilterBar();
    void createCharts();
    QLayout *buildChartGrid();
    void redraw();
    void updateFilterChoices();

    std::unique_ptr<LiveHistory> m_history;
    QComboBox *m_tenant;
    QComboBox *m_channel;
    QLabel *m_status;
    QLabel *m_figures;
    QLabel *m_incident;
    QList<Chart> m_charts;
    QDateTime m_dataTime;
    int m_updates = 0;
};

} // namespace ferry::console
