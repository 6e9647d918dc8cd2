#include "agent/api/resources/jobsresource.h"

#include "agent/api/apijson.h"
#include "agent/store/jobs/jobstore.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace ferry::agent::api::jobs {

namespace {

QJsonValue isoOrNull(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(apijson::iso(t)) : QJsonValue();
}

QJsonValue textOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

QJsonObject jobJson(const store::JobRow &j)
{
    return {{u"delivery_id"_s, j.deliveryId.toString(QUuid::WithoutBraces)},
            {u"attempt"_s, j.attempt},
            {u"tenant"_s, j.tenant},
            {u"route_id"_s, j.routeId},
            {u"command"_s, j.command},
            {u"event_type"_s, j.eventType},
            {u"state"_s, j.state},
            {u"progress"_s, j.progress < 0 ? QJsonValue() : QJsonValue(j.progress)},
            {u"progress_message"_s, textOrNull(j.progressMessage)},
            {u"exit_code"_s, j.exitCode < 0 ? QJsonValue() : QJsonValue(j.exitCode)},
            {u"agent"_s, j.agent},
            {u"pid"_s, j.pid > 0 ? QJsonValue(j.pid) : QJsonValue()},
            {u"cancel_requested_at"_s, isoOrNull(j.cancelRequestedAt)},
            {u"cancel_requested_by"_s, textOrNull(j.cancelRequestedBy)},
            {u"started_at"_s, apijson::iso(j.startedAt)},
            {u"heartbeat_at"_s, apijson::iso(j.heartbeatAt)},
            {u"finished_at"_s, isoOrNull(j.finishedAt)}};
}

const QStringList &states()
{
    static const QStringList list{u"running"_s,   u"succeeded"_s, u"failed"_s, u"retrying"_s,
                                  u"timed_out"_s, u"cancelled"_s, u"lost"_s};
    return list;
}

// The delivery id in the path; a malformed one is named in a 400.
std::optional<QUuid> deliveryId(const ApiRequest &request, ApiReply *refusal)
{
    const QUuid id = QUuid::fromString(request.pathParameter(u"id"_s));
    if (id.isNull())
        *refusal = ApiReply::badParameter(
            u"'%1' is not a delivery id (a UUID such as "
            "0190f1c2-7d4e-7a00-8000-0123456789ab)"_s.arg(request.pathParameter(u"id"_s)));
    return id.isNull() ? std::nullopt : std::optional<QUuid>(id);
}

} // namespace

ApiReply list(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (!tenantId)
        return tenantId.error();
    if (auto bad = request.onlyParameters({u"state"_s, u"limit"_s}))
        return *bad;
    const QString state = request.queryValue(u"state"_s);
    if (!state.isEmpty() && !states().contains(state))
        return ApiReply::badParameter(u"state: one of "_s + states().join(u", "_s));
    auto limit = request.limit();
    if (!limit)
        return limit.error();
    auto rows = store::JobStore(request.db).list(*tenantId, state, *limit);
    if (!rows)
        return request.storeError(rows.error());
    QJsonArray items;
    for (const store::JobRow &j : *rows)
        items.append(jobJson(j));
    return ApiReply::json(QJsonObject{{u"items"_s, items}});
}

ApiReply get(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (!tenantId)
        return tenantId.error();
    ApiReply refusal;
    const auto id = deliveryId(request, &refusal);
    if (!id)
        return refusal;
    auto job = store::JobStore(request.db).get(*tenantId, *id);
    return job ? ApiReply::json(jobJson(*job)) : request.writeError(job.error());
}

ApiReply cancel(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (!tenantId)
        return tenantId.error();
    ApiReply refusal;
    const auto id = deliveryId(request, &refusal);
    if (!id)
        return refusal;
    auto job = store::JobStore(request.db, request.actor())
                   .requestCancel(*tenantId, request.pathParameter(u"tenant"_s), *id);
    return job ? ApiReply::json(jobJson(*job), 202) : request.writeError(job.error());
}

} // namespace ferry::agent::api::jobs
