#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <optional>

class QIODevice;
class QJsonObject;
class QPainter;
class QRectF;

namespace ferry::console {

// One tenant's deliveries report as GET /v1/reports/deliveries answers it in JSON: deliveries by
// channel and state over [from, to), the total, and the SLA over the same deliveries.
struct DeliveryReport
{
    Q_DECLARE_TR_FUNCTIONS(ferry::console::DeliveryReport)

public:
    struct Row
    {
        QString channel;
        QString state;
        qint64 deliveries = 0;
        std::optional<double> cost;
    };
    QString tenant;
    QDateTime from;
    QDateTime to;
    QList<Row> rows;
    qint64 total = 0;
    std::optional<double> cost;
    double slaTarget = 0;
    qint64 slaLatencyMs = 0;
    std::optional<double> slaAttainment;

    static DeliveryReport fromJson(const QJsonObject &o);
    // Deliveries per state code over all channels, in the order states go (queued … discarded).
    QList<QPair<QString, qint64>> byState() const;
    // A sentence on the SLA: target, latency, attainment.
    QString slaText() const;

    // Bars of deliveries by state, labelled in the UI language, scaled to the largest; for the
    // PDF and the preview.
    void paintChart(QPainter &painter, const QRectF &rect) const;
};

// Writes the reports as a PDF to device: a page per tenant with its period, table, SLA and chart,
// in the UI language (long dates, states in words, numbers in its format; QLocale() and the
// installed translators).
bool writeReportPdf(QIODevice *device, const QList<DeliveryReport> &reports);

} // namespace ferry::console
