#include "agent/api/resources/workflowsresource.h"

#include "agent/api/apijson.h"
#include "agent/store/workflow/workflowstore.h"
#include "agent/workflow/definition.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace ferry::agent::api::workflows {

namespace {

QJsonObject definitionJson(const store::WorkflowDefinition &d)
{
    return {{u"name"_s, d.name},
            {u"trigger"_s, d.trigger},
            {u"cancel_on"_s, QJsonArray::fromStringList(d.cancelOn)},
            {u"correlate"_s, d.correlate.join(u'.')},
            {u"steps"_s, d.steps},
            {u"route_id"_s, d.routeId},
            {u"created_at"_s, apijson::iso(d.createdAt)},
            {u"updated_at"_s, apijson::iso(d.updatedAt)}};
}

QJsonObject instanceJson(const store::WorkflowInstanceRow &i)
{
    return {{u"id"_s, i.id},
            {u"workflow"_s, i.workflow},
            {u"event_id"_s, i.eventId},
            {u"correlation"_s, i.correlation.isEmpty() ? QJsonValue() : i.correlation},
            {u"state"_s, i.state},
            {u"step"_s, i.step},
            {u"error"_s, i.error.isEmpty() ? QJsonValue() : i.error},
            {u"created_at"_s, apijson::iso(i.createdAt)},
            {u"updated_at"_s, apijson::iso(i.updatedAt)},
            {u"steps"_s, i.steps}};
}

} // namespace

ApiReply list(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (!tenantId)
        return tenantId.error();
    auto list = store::WorkflowStore(request.db, request.actor()).list(*tenantId);
    if (!list)
        return request.storeError(list.error());
    QJsonArray items;
    for (const store::WorkflowDefinition &d : *list)
        items.append(definitionJson(d));
    return ApiReply::json(QJsonObject{{u"items"_s, items}});
}

ApiReply put(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (!tenantId)
        return tenantId.error();
    auto parsed = workflow::parseDefinition(request.body);
    if (!parsed)
        return ApiReply::problem(422, u"invalid-workflow"_s, u"Invalid workflow"_s,
                                 parsed.error().message);
    store::WorkflowDefinition d{request.pathParameter(u"name"_s),
                                parsed->trigger,
                                parsed->cancelOn,
                                parsed->correlate,
                                parsed->steps,
                                0,
                                {},
                                {}};
    bool created = false;
    auto stored = store::WorkflowStore(request.db, request.actor())
                      .put(*tenantId, request.pathParameter(u"tenant"_s), d, &created);
    if (!stored)
        return request.writeError(stored.error());
    return ApiReply::json(definitionJson(*stored), created ? 201 : 200);
}

ApiReply remove(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (!tenantId)
        return tenantId.error();
    auto r = store::WorkflowStore(request.db, request.actor())
                 .remove(*tenantId, request.pathParameter(u"tenant"_s),
                         request.pathParameter(u"name"_s));
    return r ? ApiReply::noContent() : request.writeError(r.error());
}

ApiReply instances(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (!tenantId)
        return tenantId.error();
    if (auto bad = request.onlyParameters({u"workflow"_s, u"state"_s, u"limit"_s}))
        return *bad;
    static const QStringList states{u"running"_s,     u"completed"_s, u"compensating"_s,
                                    u"compensated"_s, u"failed"_s,    u"cancelled"_s};
    const QString state = request.queryValue(u"state"_s);
    if (!state.isEmpty() && !states.contains(state))
        return ApiReply::badParameter(u"state: one of "_s + states.join(u", "_s));
    auto limit = request.limit();
    if (!limit)
        return limit.error();
    auto rows = store::WorkflowStore(request.db, request.actor())
                    .instances(*tenantId, request.queryValue(u"workflow"_s), state, *limit);
    if (!rows)
        return request.storeError(rows.error());
    QJsonArray items;
    for (const store::WorkflowInstanceRow &i : *rows)
        items.append(instanceJson(i));
    return ApiReply::json(QJsonObject{{u"items"_s, items}});
}

} // namespace ferry::agent::api::workflows
