#include "agent/api/resources/reportsresource.h"

#include "agent/api/apijson.h"
#include "agent/store/readmodels/apistore.h"
#include "agent/store/readmodels/reportstore.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace ferry::agent::api::reports {

namespace {

// What a report request asks for, once its parameters passed.
struct Period
{
    QString tenant;
    qint64 tenantId = 0;
    QDateTime from, to;
    bool csv = false;
};

// The report's rows with their sums; the total cost is known only when every row's cost is
// (and there is a row).
struct Report
{
    QList<store::ReportStore::ReportRow> rows;
    QJsonObject sla;
    qint64 total = 0;
    std::optional<double> cost;
};

std::optional<ApiReply> periodTimes(const QHash<QString, QString> &p, Period &period)
{
    period.to = QDateTime::currentDateTimeUtc();
    period.from = period.to.addDays(-1);
    if (auto bad = readTimes(p, {{u"from"_s, &period.from}, {u"to"_s, &period.to}},
                             u"2026-11-01T00:00:00Z"_s))
        return bad;
    if (period.from >= period.to)
        return ApiReply::badParameter(u"from must be before to"_s);
    return std::nullopt;
}

Result<Period, ApiReply> periodOf(const ApiRequest &request)
{
    const auto p = request.queryValues();
    Period period;
    period.tenant = p.value(u"tenant"_s);
    if (period.tenant.isEmpty() && request.who.tenantId == 0)
        return ApiReply::badParameter(u"name the tenant: ?tenant=NAME (only a tenant-scoped "
                                      "token may leave it out)"_s);
    if (period.tenant.isEmpty())
        period.tenant = request.who.tenant;
    auto owner = store::ApiStore(request.db).tenant(period.tenant);
    if (!owner)
        return request.storeError(owner.error());
    if (!request.visible(owner->first))
        return ApiReply::notFound(u"no tenant '%1'"_s.arg(period.tenant));
    period.tenantId = owner->first;
    if (auto bad = periodTimes(p, period))
        return *bad;
    const QString format = p.value(u"format"_s);
    if (!format.isEmpty() && format != "csv"_L1 && format != "json"_L1)
        return ApiReply::badParameter(u"format is csv or json"_s);
    period.csv =
        format == "csv"_L1 || (format.isEmpty() && request.header("accept").contains("text/csv"));
    return period;
}

Result<Report, ApiReply> reportOf(const ApiRequest &request, const Period &period)
{
    store::ReportStore reports(request.db);
    auto rows = reports.deliveryReport(period.tenantId, period.from, period.to);
    if (!rows)
        return request.storeError(rows.error());
    auto sla = reports.sla(period.tenantId, period.from, period.to);
    if (!sla)
        return request.storeError(sla.error());
    Report report{*rows, sla->isEmpty() ? QJsonObject() : sla->first().toObject(), 0, {}};
    double costSum = 0;
    bool costKnown = !rows->isEmpty();
    for (const auto &r : *rows) {
        report.total += r.deliveries;
        if (r.cost)
            costSum += *r.cost;
        else
            costKnown = false;
    }
    if (costKnown)
        report.cost = costSum;
    return report;
}

QByteArray costText(const std::optional<double> &c)
{
    return c ? QByteArray::number(*c, 'f', 4) : QByteArray();
}

ApiReply csvReply(const Period &period, const Report &report)
{
    using apijson::csvField;
    QByteArray out = "tenant,from,to,channel,state,deliveries,cost\r\n";
    const QByteArray prefix = csvField(period.tenant) + ',' +
                              csvField(period.from.toString(Qt::ISODateWithMs)) + ',' +
                              csvField(period.to.toString(Qt::ISODateWithMs)) + ',';
    for (const auto &r : report.rows)
        out += prefix + csvField(r.channel) + ',' + csvField(r.state) + ',' +
               QByteArray::number(r.deliveries) + ',' + costText(r.cost) + "\r\n";
    out += prefix + "all,all," + QByteArray::number(report.total) + ',' + costText(report.cost) +
           "\r\n";
    return {200, out, "text/csv; charset=utf-8"};
}

ApiReply jsonReply(const Period &period, const Report &report)
{
    QJsonArray items;
    for (const auto &r : report.rows)
        items.append(QJsonObject{{u"channel"_s, r.channel},
                                 {u"state"_s, r.state},
                                 {u"deliveries"_s, r.deliveries},
                                 {u"cost"_s, r.cost ? QJsonValue(*r.cost) : QJsonValue()}});
    const QJsonObject &sla = report.sla;
    return ApiReply::json(
        QJsonObject{{u"tenant"_s, period.tenant},
                    {u"from"_s, period.from.toString(Qt::ISODateWithMs)},
                    {u"to"_s, period.to.toString(Qt::ISODateWithMs)},
                    {u"rows"_s, items},
                    {u"total"_s, report.total},
                    {u"cost"_s, report.cost ? QJsonValue(*report.cost) : QJsonValue()},
                    {u"sla"_s, QJsonObject{{u"target"_s, sla.value("target"_L1)},
                                           {u"latency_ms"_s, sla.value("latency_ms"_L1)},
                                           {u"attainment"_s, sla.value("attainment"_L1)}}}});
}

} // namespace

ApiReply deliveries(const ApiRequest &request)
{
    if (auto bad = request.onlyParameters({u"tenant"_s, u"from"_s, u"to"_s, u"format"_s}))
        return *bad;
    auto period = periodOf(request);
    if (!period)
        return period.error();
    auto report = reportOf(request, *period);
    if (!report)
        return report.error();
    return period->csv ? csvReply(*period, *report) : jsonReply(*period, *report);
}

} // namespace ferry::agent::api::reports
