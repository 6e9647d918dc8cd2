#include "console/widgets/dashboardwidget.h"

#include "console/core/livehistory.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace ferry::console {

using Metric = LiveHistory::Metric;

DashboardWidget::DashboardWidget(QWidget *parent)
    : QWidget(parent)
    , m_history(std::make_unique<LiveHistory>(900))
    , m_tenant(new QComboBox(this))
    , m_channel(new QComboBox(this))
    , m_status(new QLabel(this))
    , m_figures(new QLabel(this))
{
    m_tenant->addItem(tr("All tenants"), QString());
    m_channel->addItem(tr("All channels"), QString());
    m_tenant->setAccessibleName(tr("Tenant filter"));
    m_channel->setAccessibleName(tr("Channel filter"));
    m_status->setAccessibleName(tr("Live feed status"));
    m_figures->setAccessibleName(tr("Current figures"));
    m_status->setWordWrap(true);

    auto *bar = new QHBoxLayout;
    auto *tl = new QLabel(tr("&Tenant:"), this);
    tl->setBuddy(m_tenant);
    auto *cl = new QLabel(tr("C&hannel:"), this);
    cl->setBuddy(m_channel);
    bar->addWidget(tl);
    bar->addWidget(m_tenant);
    bar->addWidget(cl);
    bar->addWidget(m_channel);
    bar->addWidget(m_figures, 1);

    createCharts();
    QLayout *grid = buildChartGrid();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_status);
    layout->addLayout(grid, 1);

    const auto filterChanged = [this] {
        setFilter(m_tenant->currentData().toString(), m_channel->currentData().toString());
    };
    connect(m_tenant, &QComboBox::currentIndexChanged, this, filterChanged);
    connect(m_channel, &QComboBox::currentIndexChanged, this, filterChanged);
    setFeedStatus(tr("Waiting for the agent's live feed (GET /v1/live)…"));
    redraw();
}

DashboardWidget::~DashboardWidget() = default;

void DashboardWidget::createCharts()
{
    m_charts.append(makeChart(tr("Throughput"),
                              {{tr("events in/s (all tenants)"), int(Metric::EventsIn)},
                               {tr("deliveries out/s"), int(Metric::DeliveriesOut)}},
                              tr("per second"), 1.0));
    m_charts.append(makeChart(tr("Lag"), {{tr("oldest due delivery, s"), int(Metric::Lag)}},
                              tr("seconds"), 1.0));
    m_charts.append(makeChart(tr("Failure rate"),
                              {{tr("failed attempts, %"), int(Metric::FailureRate)}}, tr("%"),
                              100.0));
    m_charts.append(makeChart(tr("Dead-letter queue"),
                              {{tr("dead deliveries (all tenants)"), int(Metric::DlqSize)}},
                              tr("deliveries"), 1.0));
}

// The charts two by two.
QLayout *DashboardWidget::buildChartGrid()
{
    auto *grid = new QGridLayout;
    for (int i = 0; i < m_charts.size(); ++i) {
        auto *view = new QChartView(m_charts[i].chart, this);
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumSize(320, 220);
        view->setAccessibleName(m_charts[i].chart->title());
        grid->addWidget(view, i / 2, i % 2);
    }
    return grid;
}

DashboardWidget::Chart DashboardWidget::makeChart(const QString &title,
                                                  const QList<QPair<QString, int>> &series,
                                                  const QString &unit, double scale)
{
    Chart c;
    c.chart = new QChart;
    c.chart->setTitle(title);
    c.chart->setTheme(palette().color(QPalette::Window).lightness() < 128
                          ? QChart::ChartThemeDark
                          : QChart::ChartThemeLight);
    c.chart->legend()->setAlignment(Qt::AlignBottom);
    c.chart->setMargins(QMargins(4, 4, 4, 4));
    c.chart->setLocalizeNumbers(true); // axis labels in the UI language's format ("0,5")
    c.x = new QValueAxis(c.chart);
    c.x->setRange(-60, 0);
    c.x->setLabelFormat(u"%d"_s);
    c.x->setTitleText(tr("seconds ago"));
    c.y = new QValueAxis(c.chart);
    c.y->setRange(0, 1);
    c.y->setTitleText(unit);
    c.chart->addAxis(c.x, Qt::AlignBottom);
    c.chart->addAxis(c.y, Qt::AlignLeft);
    for (const auto &[name, metric] : series) {
        auto *s = new QLineSeries(c.chart);
        s->setName(name);
        s->setUseOpenGL(false);
        c.chart->addSeries(s);
        s->attachAxis(c.x);
        s->attachAxis(c.y);
        c.series.append(s);
        c.metrics.append(metric);
    }
    c.scale = scale;
    return c;
}

void DashboardWidget::setFeedStatus(const QString &status)
{
    m_status->setText(status);
}

void DashboardWidget::clear()
{
    m_history->clear();
    m_updates = 0;
    m_dataTime = {};
    redraw();
}

void DashboardWidget::setFilter(const QString &tenant, const QString &channel)
{
    m_history->setFilter(tenant, channel);
    redraw();
}

void DashboardWidget::addSnapshot(const QJsonObject &snapshot)
{
    m_history->add(snapshot);
    ++m_updates;
    m_dataTime = QDateTime::currentDateTimeUtc();
    if (m_updates % 10 == 1)
        updateFilterChoices();
    redraw();
    Q_EMIT updated();
}

void DashboardWidget::updateFilterChoices()
{
    const auto refill = [](QComboBox *combo, const QStringList &values) {
        const QString current = combo->currentData().toString();
        const QSignalBlocker block(combo);
        while (combo->count() > 1)
            combo->removeItem(1);
        for (const QString &v : values)
            combo->addItem(v, v);
        const int i = combo->findData(current);
        combo->setCurrentIndex(i < 0 ? 0 : i);
    };
    refill(m_tenant, m_history->tenants());
    refill(m_channel, m_history->channels());
}

void DashboardWidget::redraw()
{
    // The time axis spans what is kept, in whole minutes from one up to the 15 kept, so a fresh
    // connection does not squeeze its first seconds against the right edge.
    double oldest = 0;
    for (Chart &c : m_charts) {
        double top = 0;
        for (int i = 0; i < c.series.size(); ++i) {
            QList<QPointF> points = m_history->series(Metric(c.metrics[i]));
            if (!points.isEmpty())
                oldest = std::min(oldest, points.first().x());
            for (QPointF &p : points) {
                p.setY(p.y() * c.scale);
                top = std::max(top, p.y());
            }
            c.series[i]->replace(points);
        }
        c.y->setRange(0, top > 0 ? top * 1.15 : 1.0);
    }
    const double span = std::clamp(std::ceil(-oldest / 60.0) * 60.0, 60.0, 900.0);
    for (Chart &c : m_charts)
        c.x->setRange(-span, 0);
    if (m_history->size() == 0) {
        m_figures->clear();
        return;
    }
    const auto latest = [this](Metric m, int decimals, double scale = 1.0) {
        return QLocale().toString(m_history->latest(m) * scale, 'f', decimals);
    };
    m_figures->setText(tr("in %1/s · out %2/s · lag %3 s · failures %4 % · DLQ %5")
                           .arg(latest(Metric::EventsIn, 1), latest(Metric::DeliveriesOut, 1),
                                latest(Metric::Lag, 1), latest(Metric::FailureRate, 2, 100.0),
                                latest(Metric::DlqSize, 0)));
}

} // namespace ferry::console
