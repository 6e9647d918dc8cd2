#include "agent/api/resources/dlqresource.h"

#include "agent/api/apijson.h"
#include "agent/store/admin/dlqstore.h"
#include "agent/store/publicerror.h"
#include "agent/store/readmodels/apistore.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace ferry::agent::api::dlq {

namespace {

// The most ids one replay request may name (docs/api.md).
constexpr qsizetype kMaxReplayIds = 1000;

// A filter of the request; a scoped token's is always its own tenant.
store::DlqFilter scopedFilter(const ApiRequest &request, const QJsonObject &o)
{
    store::DlqFilter filter = apijson::filterFrom(o);
    if (request.who.tenantId != 0)
        filter.tenant = request.who.tenant;
    return filter;
}

// The ids of a replay request, parsed and checked: at most kMaxReplayIds, each a UUID.
Result<QList<QUuid>, ApiReply> replayIdList(const QJsonValue &value)
{
    if (!value.isArray())
        return ApiReply::badParameter(u"ids is a list of dead deliveries' ids"_s);
    const QJsonArray array = value.toArray();
    if (array.size() > kMaxReplayIds)
        return ApiReply::badParameter(
            u"%1 ids in one request; replay at most %2 at a time (or replay by filter)"_s
                .arg(array.size())
                .arg(kMaxReplayIds));
    QList<QUuid> ids;
    for (const auto &v : array) {
        const QUuid id = QUuid::fromString(v.toString());
        if (id.isNull())
            return ApiReply::notFound(u"no delivery %1"_s.arg(v.toString().left(40)));
        ids.append(id);
    }
    return ids;
}

ApiReply replayIds(const ApiRequest &request, store::DlqStore &dlq)
{
    const auto ids = replayIdList(request.body.value("ids"_L1));
    if (!ids)
        return ids.error();
    auto owners = store::ApiStore(request.db).deliveryTenants(*ids);
    if (!owners)
        return request.storeError(owners.error());
    for (const QUuid &id : *ids) {
        if (!request.visible(owners->value(id)))
            return ApiReply::notFound(u"no delivery %1"_s.arg(id.toString(QUuid::WithoutBraces)));
    }
    auto n = dlq.replay(*ids);
    return n ? ApiReply::json(QJsonObject{{u"replayed"_s, *n}}) : request.storeError(n.error());
}

// A triage group; `filter` is what POST /v1/dlq/replay takes to replay exactly this group.
QJsonObject groupJson(const store::DlqGroup &g, const QString &target)
{
    return {{u"tenant"_s, g.tenant},
            {u"endpoint"_s, g.endpointId},
            {u"endpoint_name"_s, g.endpointName.isEmpty() ? QJsonValue() : g.endpointName},
            {u"channel"_s, g.channel},
            {u"target"_s, target},
            {u"route_enabled"_s, g.enabled},
            {u"breaker"_s, g.breaker},
            {u"reason"_s, g.reason},
            {u"count"_s, g.count},
            {u"first_seen"_s, apijson::isoOrNull(g.firstSeen)},
            {u"last_seen"_s, apijson::isoOrNull(g.lastSeen)},
            {u"last_error"_s, g.lastError},
            {u"filter"_s, QJsonObject{{u"tenant"_s, g.tenant},
                                      {u"endpoint"_s, g.endpointId},
                                      {u"reason"_s, g.reason}}}};
}

} // namespace

ApiReply list(const ApiRequest &request)
{
    const auto limit = request.limit();
    if (!limit)
        return limit.error();
    QJsonObject query;
    const auto values = request.queryValues();
    for (auto it = values.constBegin(); it != values.constEnd(); ++it)
        query.insert(it.key(), it.key() == "endpoint"_L1 || it.key() == "limit"_L1
                                   ? QJsonValue(it.value().toDouble())
                                   : QJsonValue(it.value()));
    store::DlqFilter filter = scopedFilter(request, query);
    filter.limit = *limit;
    auto list = store::DlqStore(request.db, request.actor()).list(filter);
    if (!list)
        return request.storeError(list.error());
    QJsonArray items;
    for (const auto &d : *list)
        items.append(apijson::deadJson(d, request.shownUrl(d.url)));
    return ApiReply::json(QJsonObject{{u"items"_s, items}});
}

ApiReply groups(const ApiRequest &request)
{
    if (auto bad = request.onlyParameters({u"tenant"_s, u"channel"_s, u"since"_s, u"limit"_s}))
        return *bad;
    const auto limit = request.limit();
    if (!limit)
        return limit.error();
    store::DlqFilter filter;
    if (auto bad = readTimes(request.queryValues(), {{u"since"_s, &filter.since}},
                             u"2024-05-01T00:00:00Z"_s))
        return *bad;
    filter.tenant =
        request.who.tenantId != 0 ? request.who.tenant : request.queryValue(u"tenant"_s);
    filter.channel = request.queryValue(u"channel"_s);
    filter.limit = *limit;
    auto groups = store::DlqStore(request.db, request.actor()).groups(filter);
    if (!groups)
        return request.storeError(groups.error());
    QJsonArray items;
    for (const auto &g : *groups)
        items.append(groupJson(g, request.shownUrl(g.url)));
    return ApiReply::json(QJsonObject{{u"items"_s, items}});
}

ApiReply replay(const ApiRequest &request)
{
    store::DlqStore dlq(request.db, request.actor());
    if (request.body.contains("ids"_L1))
        return replayIds(request, dlq);
    const store::DlqFilter filter =
        scopedFilter(request, request.body.value("filter"_L1).toObject());
    const bool dry = request.body.value("dry_run"_L1).toBool();
    auto n = dlq.replayMatching(filter, dry);
    if (!n)
        return request.storeError(n.error());
    return ApiReply::json(QJsonObject{{dry ? u"would_replay"_s : u"replayed"_s, *n}});
}

ApiReply discard(const ApiRequest &request)
{
    const QUuid id = QUuid::fromString(request.pathParameter(u"id"_s));
    if (auto hidden = request.hiddenDelivery(id))
        return *hidden;
    auto n = store::DlqStore(request.db, request.actor())
                 .discard({id}, request.body.value("reason"_L1).toString());
    if (!n)
        return store::isDatabaseError(n.error())
                   ? request.storeError(n.error())
                   : ApiReply::problem(422, u"not-discarded"_s, u"Not discarded"_s,
                                       n.error().message);
    if (*n == 0)
        return ApiReply::problem(409, u"not-dead"_s, u"Not dead"_s,
                                 u"only dead deliveries can be discarded"_s);
    return ApiReply::json(QJsonObject{{u"discarded"_s, 1}});
}

ApiReply notes(const ApiRequest &request)
{
    const QUuid id = QUuid::fromString(request.pathParameter(u"id"_s));
    if (auto hidden = request.hiddenDelivery(id))
        return *hidden;
    const QJsonObject &body = request.body;
    auto r = store::DlqStore(request.db, request.actor())
                 .annotate(id, body.value("note"_L1).toString(),
                           body.contains("assignee"_L1) ? body.value("assignee"_L1).toString(u""_s)
                                                        : QString(),
                           body.value("status"_L1).toString());
    if (!r)
        return store::isDatabaseError(r.error())
                   ? request.storeError(r.error())
                   : ApiReply::problem(422, u"not-recorded"_s, u"Not recorded"_s,
                                       r.error().message);
    return ApiReply::json(QJsonObject{{u"recorded"_s, true}});
}

} // namespace ferry::agent::api::dlq
