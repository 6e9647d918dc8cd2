#include "agent/api/resources/reconciliationresource.h"

#include "agent/api/apijson.h"
#include "agent/store/inbound/reconcilestore.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace ferry::agent::api::reconciliation {

namespace {

QJsonObject runJson(const store::ReconcileRun &r)
{
    const QString state = r.finishedAt.isValid()  ? u"finished"_s
                          : r.startedAt.isValid() ? u"running"_s
                                                  : u"waiting"_s;
    return {{u"id"_s, r.id},
            {u"trigger"_s, r.trigger},
            {u"requested_by"_s, r.requestedBy},
            {u"state"_s, state},
            {u"requested_at"_s, apijson::iso(r.requestedAt)},
            {u"started_at"_s, apijson::isoOrNull(r.startedAt)},
            {u"finished_at"_s, apijson::isoOrNull(r.finishedAt)},
            {u"checked"_s, r.checked},
            {u"drifts"_s, r.drifts},
            {u"failures"_s, r.failures},
            {u"error"_s, r.error.isEmpty() ? QJsonValue() : r.error}};
}

QJsonObject driftJson(const store::ReconcileDrift &d)
{
    return {{u"run_id"_s, d.runId},      {u"delivery_id"_s, d.deliveryId},
            {u"channel"_s, d.channel},   {u"provider_message_id"_s, d.providerMessageId},
            {u"believed"_s, d.believed}, {u"provider_said"_s, d.providerSaid},
            {u"action"_s, d.action},     {u"found_at"_s, apijson::iso(d.foundAt)}};
}

} // namespace

ApiReply report(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (!tenantId)
        return tenantId.error();
    if (auto bad = request.onlyParameters({u"run"_s, u"limit"_s}))
        return *bad;
    auto limit = request.limit();
    if (!limit)
        return limit.error();
    std::optional<qint64> run;
    if (request.hasQueryValue(u"run"_s)) {
        bool ok = false;
        run = request.queryValue(u"run"_s).toLongLong(&ok);
        if (!ok)
            return ApiReply::badParameter(u"run: a run id"_s);
    }
    store::ReconcileStore store(request.db);
    auto runs = store.runs({*tenantId}, *limit);
    auto drifts = runs ? store.drifts({*tenantId}, run, *limit)
                       : Result<QList<store::ReconcileDrift>>(runs.error());
    if (!drifts)
        return request.storeError(drifts.error());
    QJsonArray runList;
    for (const store::ReconcileRun &r : *runs)
        runList.append(runJson(r));
    QJsonArray driftList;
    for (const store::ReconcileDrift &d : *drifts)
        driftList.append(driftJson(d));
    return ApiReply::json(QJsonObject{{u"runs"_s, runList}, {u"drifts"_s, driftList}});
}

ApiReply request(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (!tenantId)
        return tenantId.error();
    store::ReconcileStore store(request.db);
    auto runId = store.request(*tenantId, request.actor());
    if (!runId)
        return request.writeError(runId.error());
    auto run = store.run(*runId);
    if (!run || !*run)
        return request.storeError(run ? makeError(u"the run vanished"_s) : run.error());
    return ApiReply::json(runJson(**run), 202);
}

} // namespace ferry::agent::api::reconciliation
