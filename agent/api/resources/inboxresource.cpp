#include "agent/api/resources/inboxresource.h"

#include "agent/api/apijson.h"
#include "agent/store/inbound/inboxstore.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace ferry::agent::api::inbox {

namespace {

QJsonObject rowJson(const store::InboxRow &r)
{
    return {
        {u"id"_s, r.id},
        {u"connector"_s, r.connector},
        {u"provider_event_id"_s, r.providerEventId.isEmpty() ? QJsonValue() : r.providerEventId},
        {u"state"_s, r.state},
        {u"attempts"_s, r.attempts},
        {u"received_at"_s, apijson::iso(r.receivedAt)},
        {u"processed_at"_s, apijson::isoOrNull(r.processedAt)},
        {u"last_error"_s, r.lastError.isEmpty() ? QJsonValue() : r.lastError},
        {u"outcome"_s, r.outcome}};
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
    if (!state.isEmpty() && state != "pending"_L1 && state != "done"_L1 && state != "dead"_L1)
        return ApiReply::badParameter(u"state: pending, done or dead"_s);
    auto limit = request.limit();
    if (!limit)
        return limit.error();
    auto rows = store::InboxStore(request.db).list(*tenantId, state, *limit);
    if (!rows)
        return request.storeError(rows.error());
    QJsonArray items;
    for (const store::InboxRow &r : *rows)
        items.append(rowJson(r));
    return ApiReply::json(QJsonObject{{u"items"_s, items}});
}

ApiReply replay(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (!tenantId)
        return tenantId.error();
    QList<qint64> ids;
    for (const QJsonValue &v : request.body.value("ids"_L1).toArray()) {
        const auto id = apijson::wholeNumber(v, 1, std::numeric_limits<qint64>::max());
        if (!id)
            return ApiReply::invalidField(u"ids"_s, u"inbox entry ids (whole numbers)"_s);
        ids.append(*id);
    }
    if (ids.isEmpty() || ids.size() > 1000)
        return ApiReply::invalidField(u"ids"_s, u"1 to 1000 ids of dead inbox entries"_s);
    auto n = store::InboxStore(request.db).replay(*tenantId, ids);
    if (!n)
        return request.writeError(n.error());
    return ApiReply::json(QJsonObject{{u"replayed"_s, *n}});
}

} // namespace ferry::agent::api::inbox
