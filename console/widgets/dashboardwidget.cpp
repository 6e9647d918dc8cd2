#include "console/widgets/dashboardwidget.h"

#include "console/core/livehistory.h"
#include "console/core/uiformat.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace ferry::console {

using Metric = LiveHistory::Metric;

namespace {

constexpr int kMarkers = 8; // incidents marked at once (the newest)

// A value axis that ends on a round number: steps of 1, 2 or 5 times a power of ten, at most
// five of them above zero, and as many decimals as the step needs.
struct RoundScale
{
    double top = 1;
    int ticks = 2;
    int decimals = 0;
};

RoundScale roundScale(double highest)
{
    if (highest <= 0)
        return {1.0, 3, 1};
    const double rough = highest / 4.0;
    const double power = std::pow(10.0, std::floor(std::log10(rough)));
    double step = power;
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        step = m * power;
        if (step * 5 >= highest && step >= rough)
            break;
    }
    const double steps = std::ceil(highest / step - 1e-9);
    return {steps * step, int(steps) + 1, std::max(0, -int(std::floor(std::log10(step) + 1e-9)))};
}

// The incident's line: red, dashed, legible on light and dark backgrounds.
QPen markerPen()
{
    QPen pen(QColor(0xd9, 0x30, 0x25));
    pen.setWidthF(2.0);
    pen.setStyle(Qt::DashLine);
    return pen;
}

// Incident lines stay out of the legend (showing a series shows its entry again).
void hideFromLegend(QChart *chart, QLineSeries *series)
{
    for (QLegendMarker *legend : chart->legend()->markers(series))
        legend->setVisible(false);
}

} // namespace

DashboardWidget::DashboardWidget(QWidget *parent)
    : QWidget(parent)
    , m_history(std::make_unique<LiveHistory>(900))
    , m_tenant(new QComboBox(this))
    , m_channel(new QComboBox(this))
    , m_status(new QLabel(this))
    , m_figures(new QLabel(this))
    , m_incident(new QLabel(this))
{
    m_status->setAccessibleName(tr("Live feed status"));
    m_figures->setAccessibleName(tr("Current figures"));
    m_status->setWordWrap(true);
    m_incident->setAccessibleName(tr("Latest incident"));
    m_incident->setWordWrap(true);
    m_incident->setStyleSheet(u"QLabel { color: #d93025; }"_s);
    m_incident->hide();

    QLayout *bar = buildFilterBar();
    createCharts();
    QLayout *grid = buildChartGrid();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_status);
    layout->addWidget(m_incident);
    layout->addLayout(grid, 1);

    const auto filterChanged = [this] {
        setFilter(m_tenant->currentData().toString(), m_channel->currentData().toString());
    };
    connect(m_tenant, &QComboBox::currentIndexChanged, this, filterChanged);
    connect(m_channel, &QComboBox::currentIndexChanged, this, filterChanged);
    setFeedStatus(tr("Waiting for the agent's live feed (GET /v1/live)…"));
    applyPalette();
    redraw();
}

DashboardWidget::~DashboardWidget() = default;

// The tenant and channel filters, and the current figures beside them.
QLayout *DashboardWidget::buildFilterBar()
{
    m_tenant->addItem(tr("All tenants"), QString());
    m_channel->addItem(tr("All channels"), QString());
    m_tenant->setAccessibleName(tr("Tenant filter"));
    m_channel->setAccessibleName(tr("Channel filter"));
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
    return bar;
}

void DashboardWidget::createCharts()
{
    m_charts.append(makeChart(tr("Throughput"),
                              {{tr("events in (all tenants)"), int(Metric::EventsIn)},
                               {tr("deliveries out"), int(Metric::DeliveriesOut)}},
                              tr("events/s"), tr("/s"), 1.0));
    m_charts.append(makeChart(tr("Lag"), {{tr("oldest due delivery"), int(Metric::Lag)}},
                              tr("seconds"), tr(" s"), 1.0));
    m_charts.append(makeChart(tr("Failure rate"),
                              {{tr("failed attempts"), int(Metric::FailureRate)}},
                              tr("% of attempts"), tr(" %"), 100.0));
    m_charts.append(makeChart(tr("Dead-letter queue"),
                              {{tr("dead deliveries (all tenants)"), int(Metric::DlqSize)}},
                              tr("dead deliveries"), QString(), 1.0));
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

// A chart over the kept time on this computer's clock; the value axis's labels end in `suffix`
// (a unit), its title names the unit.
DashboardWidget::Chart DashboardWidget::makeChart(const QString &title,
                                                  const QList<QPair<QString, int>> &series,
                                                  const QString &unit, const QString &suffix,
                                                  double scale)
{
    Chart c;
    c.chart = new QChart;
    c.chart->setTitle(title);
    c.chart->legend()->setAlignment(Qt::AlignBottom);
    c.chart->setMargins(QMargins(4, 4, 4, 4));
    c.chart->setLocalizeNumbers(true); // axis labels in the UI language's format ("0,5")
    c.x = new QDateTimeAxis(c.chart);
    c.x->setFormat(tr("HH:mm", "the time axis's labels, a QDateTime format"));
    c.x->setTitleText(tr("local time"));
    c.y = new QValueAxis(c.chart);
    c.y->setTitleText(unit);
    c.y->setLabelFormat(u"%.0f"_s + suffix);
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
    c.suffix = suffix;
    addMarkers(c);
    return c;
}

// The pool of incident lines, kept out of the legend.
void DashboardWidget::addMarkers(Chart &c)
{
    for (int i = 0; i < kMarkers; ++i) {
        auto *m = new QLineSeries(c.chart);
        m->setName(tr("incident"));
        c.chart->addSeries(m);
        m->attachAxis(c.x);
        m->attachAxis(c.y);
        m->setVisible(false);
        hideFromLegend(c.chart, m);
        c.markers.append(m);
    }
}

// The chart theme of the palette's lightness, then the palette's own colours for the
// background, titles, labels and grid, so both palettes read; the incident lines stay red.
void DashboardWidget::applyPalette()
{
    const QPalette p = palette();
    const bool dark = p.color(QPalette::Window).lightness() < 128;
    const QColor text = p.color(QPalette::WindowText);
    QColor grid = p.color(QPalette::Mid);
    grid.setAlpha(120);
    for (Chart &c : m_charts) {
        c.chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
        c.chart->setBackgroundBrush(p.color(QPalette::Base));
        c.chart->setTitleBrush(text);
        c.chart->legend()->setLabelColor(text);
        for (QAbstractAxis *axis :
             {static_cast<QAbstractAxis *>(c.x), static_cast<QAbstractAxis *>(c.y)}) {
            axis->setLabelsColor(text);
            axis->setTitleBrush(text);
            axis->setGridLineColor(grid);
        }
        for (QLineSeries *m : std::as_const(c.markers)) {
            m->setPen(markerPen());
            hideFromLegend(c.chart, m);
        }
    }
}

void DashboardWidget::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
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
    const QDateTime newest = m_history->newest();
    const double origin = newest.isValid() ? double(newest.toMSecsSinceEpoch()) : 0.0;
    double oldest = 0; // seconds before the newest snapshot
    for (Chart &c : m_charts) {
        double top = 0;
        for (int i = 0; i < c.series.size(); ++i) {
            QList<QPointF> points = m_history->series(Metric(c.metrics[i]));
            if (!points.isEmpty())
                oldest = std::min(oldest, points.first().x());
            for (QPointF &p : points) {
                p = QPointF(origin + p.x() * 1000.0, p.y() * c.scale);
                top = std::max(top, p.y());
            }
            c.series[i]->replace(points);
        }
        const RoundScale scale = roundScale(top);
        c.y->setRange(0, scale.top);
        c.y->setTickCount(scale.ticks);
        c.y->setLabelFormat(u"%."_s + QString::number(scale.decimals) + u"f"_s + c.suffix);
    }
    redrawTimeAxes(oldest);
    redrawMarkers();
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

// The time axis spans what is kept in whole minutes, from one up to the 15 kept, ending at the
// next whole minute on this computer's clock, a label every 1, 2 or 3 minutes.
void DashboardWidget::redrawTimeAxes(double oldestSeconds)
{
    const QDateTime newest =
        m_history->newest().isValid() ? m_history->newest() : QDateTime::currentDateTimeUtc();
    const qint64 minute = 60'000;
    const qint64 end = (newest.toMSecsSinceEpoch() + minute - 1) / minute * minute;
    const qint64 spanMinutes =
        std::clamp<qint64>(qint64(std::ceil((-oldestSeconds + 1) / 60.0)), 1, 15);
    const qint64 step = spanMinutes <= 6 ? 1 : (spanMinutes <= 12 ? 2 : 3);
    const qint64 span = (spanMinutes + step - 1) / step * step;
    for (Chart &c : m_charts) {
        c.x->setRange(QDateTime::fromMSecsSinceEpoch(end - span * minute),
                      QDateTime::fromMSecsSinceEpoch(end));
        c.x->setTickCount(int(span / step) + 1);
    }
}

// A vertical line in every chart where each of the newest incidents started; the latest named
// above the charts.
void DashboardWidget::redrawMarkers()
{
    const QList<LiveHistory::Incident> incidents = m_history->incidents();
    const qsizetype first = std::max<qsizetype>(0, incidents.size() - kMarkers);
    for (Chart &c : m_charts) {
        for (int i = 0; i < kMarkers; ++i) {
            QLineSeries *m = c.markers[i];
            const bool shown = first + i < incidents.size();
            if (shown) {
                const auto x = double(incidents[first + i].at.toMSecsSinceEpoch());
                m->replace({QPointF(x, c.y->min()), QPointF(x, c.y->max())});
            }
            m->setVisible(shown);
            hideFromLegend(c.chart, m);
        }
    }
    m_incident->setText(incidents.isEmpty() ? QString() : incidentLine(incidents.last()));
    m_incident->setVisible(!incidents.isEmpty());
}

QString DashboardWidget::incidentLine(const LiveHistory::Incident &incident)
{
    const QString when = localClockText(incident.at);
    if (incident.kind == LiveHistory::Incident::Kind::DlqSurge)
        return tr("Incident at %1 (red line): the DLQ grew by %2 within a minute.")
            .arg(when, countText(incident.growth));
    return tr("Incident at %1 (red line): the breaker of %2 (%3) opened.")
        .arg(when, incident.subject, incident.tenant);
}

QString DashboardWidget::incidentText() const
{
    return m_incident->isHidden() ? QString() : m_incident->text();
}

QStringList DashboardWidget::timeLabels(int i) const
{
    const QDateTimeAxis *x = m_charts.at(i).x;
    const qint64 from = x->min().toMSecsSinceEpoch();
    const qint64 to = x->max().toMSecsSinceEpoch();
    QStringList labels;
    for (int t = 0; t < x->tickCount(); ++t) {
        const qint64 at = from + (to - from) * t / std::max(1, x->tickCount() - 1);
        labels.append(QLocale().toString(QDateTime::fromMSecsSinceEpoch(at), x->format()));
    }
    return labels;
}

QList<QLineSeries *> DashboardWidget::visibleMarkers(int i) const
{
    QList<QLineSeries *> out;
    for (QLineSeries *m : m_charts.at(i).markers) {
        if (m->isVisible())
            out.append(m);
    }
    return out;
}

} // namespace ferry::console
