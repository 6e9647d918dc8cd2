#include "agent/api/resources/auditresource.h"

#include "agent/api/apijson.h"
#include "agent/store/admin/auditlog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace ferry::agent::api::audit {

namespace {

// An action ("route.update") or a family of them ("route.", "route.*").
const QRegularExpression kAction(u"^[a-z0-9_]+(\\.[a-z0-9_]+)*(\\.\\*?|\\*)?$"_s);

std::optional<ApiReply> readAction(const QString &text, store::AuditFilter &filter)
{
    if (text.isEmpty())
        return std::nullopt;
    if (!kAction.match(text).hasMatch())
        return ApiReply::badParameter(
            u"action '%1' is neither an action such as route.update nor a family such as "
            "route.*"_s.arg(text.left(60)));
    filter.actionPrefix = text.endsWith(u'*') || text.endsWith(u'.');
    filter.action = text.endsWith(u'*') ? text.chopped(1) : text;
    return std::nullopt;
}

std::optional<ApiReply> readPaging(const ApiRequest &request, store::AuditFilter &filter)
{
    const auto limit = request.limit();
    if (!limit)
        return limit.error();
    filter.limit = *limit;
    if (!request.hasQueryValue(u"before"_s))
        return std::nullopt;
    bool ok = false;
    filter.before = request.queryValue(u"before"_s).toLongLong(&ok);
    if (!ok || filter.before < 1)
        return ApiReply::badParameter(
            u"before '%1' is not an audit entry's id: give the id of the last row you have"_s.arg(
                request.queryValue(u"before"_s).left(20)));
    return std::nullopt;
}

// The filter of the request; a scoped admin reads its own tenant's rows only.
Result<store::AuditFilter, ApiReply> readFilter(const ApiRequest &request)
{
    store::AuditFilter filter;
    const auto p = request.queryValues();
    if (auto bad = readPaging(request, filter))
        return *bad;
    if (auto bad = readTimes(p, {{u"since"_s, &filter.since}, {u"until"_s, &filter.until}},
                             u"2026-05-01T00:00:00Z"_s))
        return *bad;
    if (filter.since.isValid() && filter.until.isValid() && filter.until <= filter.since)
        return ApiReply::badParameter(u"until is not after since: nothing could match"_s);
    if (auto bad = readAction(p.value(u"action"_s), filter))
        return *bad;
    filter.actor = p.value(u"actor"_s);
    filter.tenant = p.value(u"tenant"_s);
    if (request.who.tenantId != 0) {
        if (!filter.tenant.isEmpty() && filter.tenant != request.who.tenant)
            return ApiReply::notFound(u"no tenant named '%1'"_s.arg(filter.tenant));
        filter.tenant = request.who.tenant;
    }
    return filter;
}

// `?format=csv` or `Accept: text/csv` (without a format); 400 for another format.
Result<bool, ApiReply> wantsCsv(const ApiRequest &request)
{
    const QString format = request.queryValue(u"format"_s);
    if (!format.isEmpty() && format != "csv"_L1 && format != "json"_L1)
        return ApiReply::badParameter(
            u"format '%1' is neither csv nor json"_s.arg(format.left(20)));
    return format == "csv"_L1 ||
           (format.isEmpty() && request.header("accept").contains("text/csv"));
}

QJsonValue textOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

ApiReply jsonReply(const QList<store::AuditRow> &rows, int limit)
{
    QJsonArray items;
    for (const auto &r : rows)
        items.append(QJsonObject{{u"id"_s, r.id},
                                 {u"at"_s, apijson::iso(r.at)},
                                 {u"actor"_s, r.entry.actor},
                                 {u"tenant"_s, textOrNull(r.entry.tenant)},
                                 {u"action"_s, r.entry.action},
                                 {u"subject"_s, r.entry.subject},
                                 {u"details"_s, r.entry.details}});
    // A full page may have more behind it: where to go on.
    const QJsonValue next = rows.size() == limit ? QJsonValue(rows.last().id) : QJsonValue();
    return ApiReply::json(QJsonObject{{u"items"_s, items}, {u"next_before"_s, next}});
}

ApiReply csvReply(const QList<store::AuditRow> &rows)
{
    using apijson::csvField;
    QByteArray out = "id,at,actor,tenant,action,subject,details\r\n";
    for (const auto &r : rows)
        out += QByteArray::number(r.id) + ',' + csvField(apijson::iso(r.at)) + ',' +
               csvField(r.entry.actor) + ',' + csvField(r.entry.tenant) + ',' +
               csvField(r.entry.action) + ',' + csvField(r.entry.subject) + ',' +
               csvField(QString::fromUtf8(
                   QJsonDocument(r.entry.details).toJson(QJsonDocument::Compact))) +
               "\r\n";
    return {200, out, "text/csv; charset=utf-8"};
}

} // namespace

ApiReply list(const ApiRequest &request)
{
    if (auto bad = request.onlyParameters({u"actor"_s, u"tenant"_s, u"action"_s, u"since"_s,
                                           u"until"_s, u"limit"_s, u"before"_s, u"format"_s}))
        return *bad;
    const auto filter = readFilter(request);
    if (!filter)
        return filter.error();
    const auto csv = wantsCsv(request);
    if (!csv)
        return csv.error();
    auto rows = store::readAudit(request.db, *filter);
    if (!rows)
        return request.storeError(rows.error());
    return *csv ? csvReply(*rows) : jsonReply(*rows, filter->limit);
}

} // namespace ferry::agent::api::audit
