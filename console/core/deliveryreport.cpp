#include "console/core/deliveryreport.h"

#include "console/core/statewords.h"
#include "console/core/uiformat.h"

#include <QFontMetricsF>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QPainter>
#include <QPdfWriter>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

QColor stateColor(const QString &state)
{
    if (state == "succeeded"_L1)
        return {0x2e, 0x7d, 0x32};
    if (state == "dead"_L1)
        return {0xc6, 0x28, 0x28};
    if (state == "discarded"_L1)
        return {0x75, 0x75, 0x75};
    if (state == "retry_wait"_L1)
        return {0xef, 0x8f, 0x00};
    return {0x15, 0x65, 0xc0};
}

QString percent(double share)
{
    return percentText(share * 100.0, 2);
}

QString money(const std::optional<double> &cost)
{
    return cost ? QLocale().toString(*cost, 'f', 2) : DeliveryReport::tr("unknown");
}

} // namespace

DeliveryReport DeliveryReport::fromJson(const QJsonObject &o)
{
    DeliveryReport r;
    r.tenant = o.value("tenant"_L1).toString();
    r.from = QDateTime::fromString(o.value("from"_L1).toString(), Qt::ISODateWithMs);
    r.to = QDateTime::fromString(o.value("to"_L1).toString(), Qt::ISODateWithMs);
    for (const QJsonValue &v : o.value("rows"_L1).toArray()) {
        const QJsonObject row = v.toObject();
        r.rows.append({row.value("channel"_L1).toString(), row.value("state"_L1).toString(),
                       qint64(row.value("deliveries"_L1).toDouble()),
                       row.value("cost"_L1).isDouble()
                           ? std::optional<double>(row.value("cost"_L1).toDouble())
                           : std::nullopt});
    }
    r.total = qint64(o.value("total"_L1).toDouble());
    if (o.value("cost"_L1).isDouble())
        r.cost = o.value("cost"_L1).toDouble();
    const QJsonObject sla = o.value("sla"_L1).toObject();
    r.slaTarget = sla.value("target"_L1).toDouble();
    r.slaLatencyMs = qint64(sla.value("latency_ms"_L1).toDouble());
    if (sla.value("attainment"_L1).isDouble())
        r.slaAttainment = sla.value("attainment"_L1).toDouble();
    return r;
}

QList<QPair<QString, qint64>> DeliveryReport::byState() const
{
    QList<QPair<QString, qint64>> states;
    for (const Row &row : rows) {
        auto it = std::find_if(states.begin(), states.end(),
                               [&](const auto &s) { return s.first == row.state; });
        if (it == states.end())
            states.append({row.state, row.deliveries});
        else
            it->second += row.deliveries;
    }
    const QStringList order = deliveryStates();
    const auto rank = [&order](const QString &s) {
        const auto i = order.indexOf(s);
        return i < 0 ? order.size() : i;
    };
    std::stable_sort(states.begin(), states.end(),
                     [&](const auto &a, const auto &b) { return rank(a.first) < rank(b.first); });
    return states;
}

QString DeliveryReport::slaText() const
{
    const QString target =
        tr("SLA target: %1 of deliveries within %2 s.")
            .arg(percent(slaTarget), QLocale().toString(double(slaLatencyMs) / 1000.0));
    if (!slaAttainment)
        return target + u' ' + tr("Attainment: nothing counts yet.");
    return target + u' ' + tr("Attainment: %1.").arg(percent(*slaAttainment));
}

void DeliveryReport::paintChart(QPainter &painter, const QRectF &rect) const
{
    painter.save();
    const QList<QPair<QString, qint64>> states = byState();
    QFont font = painter.font();
    const QFontMetricsF fm(font, painter.device());
    const double line = fm.height();
    font.setBold(true);
    painter.setFont(font);
    painter.drawText(QRectF(rect.left(), rect.top(), rect.width(), line * 1.4),
                     Qt::AlignLeft | Qt::AlignVCenter, tr("Deliveries by state"));
    font.setBold(false);
    painter.setFont(font);
    const QRectF area = rect.adjusted(0, line * 1.6, 0, 0);
    if (states.isEmpty()) {
        painter.drawText(area, Qt::AlignLeft | Qt::AlignTop, tr("No deliveries in this period."));
        painter.restore();
        return;
    }
    qint64 largest = 1;
    double labelWidth = 0;
    double valueWidth = 0;
    for (const auto &[state, n] : states) {
        largest = std::max(largest, n);
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(deliveryStateText(state)));
        valueWidth = std::max(valueWidth, fm.horizontalAdvance(countText(n)));
    }
    const double gap = line * 0.5;
    const auto stateCount = double(std::max<qsizetype>(1, states.size()));
    const double barHeight =
        std::min(line * 1.4, (area.height() - gap * double(states.size())) / stateCount);
    const double barLeft = area.left() + labelWidth + gap;
    const double barSpace = std::max(1.0, area.width() - labelWidth - valueWidth - gap * 3);
    double y = area.top();
    for (const auto &[state, n] : states) {
        const QRectF label(area.left(), y, labelWidth, barHeight);
        painter.drawText(label, Qt::AlignRight | Qt::AlignVCenter, deliveryStateText(state));
        const double w = std::max(1.0, barSpace * double(n) / double(largest));
        painter.fillRect(QRectF(barLeft, y + barHeight * 0.1, w, barHeight * 0.8),
                         stateColor(state));
        painter.drawText(QRectF(barLeft + w + gap, y, valueWidth + gap, barHeight),
                         Qt::AlignLeft | Qt::AlignVCenter, countText(n));
        y += barHeight + gap;
    }
    painter.restore();
}

namespace {

struct PdfFonts
{
    QFont body;
    QFont heading;
    QFont bold;
};

// The table: channel, state, deliveries, cost; then the total. Returns the y below it.
double paintReportTable(QPainter &p, const PdfFonts &fonts, const DeliveryReport &r, double width,
                        double line, double y)
{
    const double cols[] = {0, width * 0.3, width * 0.6, width * 0.8, width};
    const auto row = [&](const QStringList &cells, bool strong) {
        p.setFont(strong ? fonts.bold : fonts.body);
        for (int c = 0; c < 4; ++c) {
            const Qt::Alignment align =
                (c >= 2 ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter;
            p.drawText(QRectF(cols[c] + 20, y, cols[c + 1] - cols[c] - 40, line), int(align),
                       cells.at(c));
        }
        y += line;
    };
    row({DeliveryReport::tr("Channel"), DeliveryReport::tr("State"),
         DeliveryReport::tr("Deliveries"), DeliveryReport::tr("Cost")},
        true);
    p.drawLine(QPointF(0, y), QPointF(width, y));
    for (const DeliveryReport::Row &rr : r.rows)
        row({rr.channel, deliveryStateText(rr.state), countText(rr.deliveries), money(rr.cost)},
            false);
    if (r.rows.isEmpty())
        row({DeliveryReport::tr("none"), QString(), countText(0), QString()}, false);
    p.drawLine(QPointF(0, y), QPointF(width, y));
    row({DeliveryReport::tr("Total"), DeliveryReport::tr("all"), countText(r.total), money(r.cost)},
        true);
    return y;
}

// One tenant's page: heading, period, SLA, the table and the chart by state.
void paintReportPage(QPainter &p, QPdfWriter &writer, const PdfFonts &fonts,
                     const DeliveryReport &r, const QString &generated)
{
    const double width = writer.width();
    p.setPen(Qt::black);
    p.setFont(fonts.heading);
    const double hLine = QFontMetricsF(fonts.heading, &writer).height();
    p.drawText(QRectF(0, 0, width, hLine), Qt::AlignLeft | Qt::AlignVCenter,
               DeliveryReport::tr("Deliveries report: %1").arg(r.tenant));
    p.setFont(fonts.body);
    const double line = QFontMetricsF(fonts.body, &writer).height() * 1.35;
    double y = hLine * 1.4;
    const auto text = [&](const QString &s) {
        p.setFont(fonts.body);
        p.drawText(QRectF(0, y, width, line), Qt::AlignLeft | Qt::AlignVCenter, s);
        y += line;
    };
    // The period as the agent counts it, in UTC; long dates in the UI language.
    text(DeliveryReport::tr("From: %1 UTC").arg(longDateTimeText(r.from.toUTC())));
    text(DeliveryReport::tr("To: %1 UTC").arg(longDateTimeText(r.to.toUTC())));
    text(DeliveryReport::tr("Generated %1 by Ferry Console").arg(generated));
    y += line * 0.5;
    text(r.slaText());
    y += line * 0.5;

    y = paintReportTable(p, fonts, r, width, line, y);
    y += line;

    p.setFont(fonts.body);
    const double chartHeight = std::min(writer.height() - y, line * 14);
    r.paintChart(p, QRectF(0, y, width, chartHeight));
}

} // namespace

bool writeReportPdf(QIODevice *device, const QList<DeliveryReport> &reports)
{
    QPdfWriter writer(device);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageMargins(QMarginsF(18, 18, 18, 18), QPageLayout::Millimeter);
    writer.setResolution(300);
    writer.setTitle(DeliveryReport::tr("Ferry deliveries report"));
    writer.setCreator(u"Ferry Console"_s);
    QPainter p;
    if (!p.begin(&writer))
        return false;
    PdfFonts fonts;
    fonts.body = QFont(u"DejaVu Sans"_s, 10);
    fonts.heading = fonts.body;
    fonts.heading.setPointSize(16);
    fonts.heading.setBold(true);
    fonts.bold = fonts.body;
    fonts.bold.setBold(true);
    const QString generated = longDateTimeText(QDateTime::currentDateTime());
    for (int i = 0; i < reports.size(); ++i) {
        if (i > 0)
            writer.newPage();
        paintReportPage(p, writer, fonts, reports.at(i), generated);
    }
    if (reports.isEmpty())
        p.drawText(QRectF(0, 0, writer.width(), 200),
                   DeliveryReport::tr("No tenants were chosen."));
    return p.end();
}

} // namespace ferry::console
