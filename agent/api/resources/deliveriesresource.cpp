#include "agent/api/resources/deliveriesresource.h"

#include "agent/adapters/webhookadapter.h"
#include "agent/api/apijson.h"
#include "agent/store/admin/dlqstore.h"
#include "agent/store/readmodels/reportstore.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace ferry::agent::api::deliveries {

namespace {

using Parameters = QHash<QString, QString>;

std::optional<ApiReply> filterParameters(const Parameters &p, store::ReportStore::Search &s)
{
    static const QStringList states{u"queued"_s,    u"pending"_s, u"in_flight"_s, u"retry_wait"_s,
                                    u"succeeded"_s, u"dead"_s,    u"discarded"_s};
    s.tenant = p.value(u"tenant"_s);
    s.state = p.value(u"state"_s);
    if (!s.state.isEmpty() && !states.contains(s.state))
        return ApiReply::badParameter(u"state '%1' is not a delivery state; use one of %2"_s.arg(
            s.state, states.join(u", "_s)));
    s.channel = p.value(u"channel"_s);
    s.partitionKey = p.value(u"partition_key"_s);
    bool ok = true;
    if (p.contains(u"endpoint"_s)) {
        s.endpointId = p.value(u"endpoint"_s).toLongLong(&ok);
        if (!ok || s.endpointId <= 0)
            return ApiReply::badParameter(u"endpoint is an endpoint's numeric id"_s);
    }
    return readTimes(p, {{u"since"_s, &s.since}, {u"until"_s, &s.until}},
                     u"2026-11-27T10:00:00Z"_s);
}

std::optional<ApiReply> pageParameters(const Parameters &p, store::ReportStore::Search &s)
{
    if (p.contains(u"event_id"_s)) {
        s.eventId = QUuid::fromString(p.value(u"event_id"_s));
        if (s.eventId.isNull())
            return ApiReply::badParameter(u"event_id is an event's UUID, as ingest answered it"_s);
    }
    if (p.contains(u"limit"_s)) {
        const auto limit = apijson::limitFrom(p.value(u"limit"_s));
        if (!limit)
            return ApiReply::badParameter(u"limit is a number from 1 to 1000 (default 100)"_s);
        s.limit = *limit;
    }
    if (p.contains(u"cursor"_s)) {
        s.after = apijson::deliveryPosition(p.value(u"cursor"_s));
        if (!s.after)
            return ApiReply::badParameter(u"the cursor is not one this API gave out; pass the "
                                          "next_cursor of the previous page unchanged"_s);
    }
    return std::nullopt;
}

QJsonArray attemptLog(const store::DeliveryDetail &d)
{
    QJsonArray attempts;
    for (const auto &a : d.attempts) {
        QJsonObject attempt{
            {u"attempt"_s, a.attempt}, {u"started_at"_s, a.startedAt.toString(Qt::ISODate)},
            {u"outcome"_s, a.outcome}, {u"status_code"_s, a.statusCode},
            {u"error"_s, a.error},     {u"duration_ms"_s, a.durationMs}};
        if (!a.output.isNull())
            attempt.insert(u"output"_s, a.output); // exec jobs
        attempts.append(attempt);
    }
    return attempts;
}

// What each attempt sent besides the event: the webhook contract's headers (the timestamp is
// the attempt's; the signature is never shown).
QJsonArray requestHeaders(const store::DeliveryDetail &d)
{
    QJsonArray headers;
    for (const auto &[name, value] : adapters::WebhookAdapter::requestHeaders(
             d.summary.id.toByteArray(QUuid::WithoutBraces), "(the attempt's start, Unix seconds)",
             "v1,(HMAC-SHA256 with the endpoint's secret; not shown)"))
        headers.append(QJsonObject{{u"name"_s, QString::fromLatin1(name)},
                                   {u"value"_s, QString::fromUtf8(value)}});
    return headers;
}

} // namespace

ApiReply search(const ApiRequest &request)
{
    if (auto bad = request.onlyParameters({u"tenant"_s, u"state"_s, u"channel"_s, u"endpoint"_s,
                                           u"since"_s, u"until"_s, u"event_id"_s,
                                           u"partition_key"_s, u"limit"_s, u"cursor"_s}))
        return *bad;
    const Parameters p = request.queryValues();
    store::ReportStore::Search s;
    s.scopeTenantId = request.who.tenantId;
    if (auto bad = filterParameters(p, s))
        return *bad;
    if (auto bad = pageParameters(p, s))
        return *bad;
    auto r = store::ReportStore(request.db).searchDeliveries(s);
    if (!r)
        return request.storeError(r.error());
    return ApiReply::json(
        QJsonObject{{u"items"_s, r->items},
                    {u"next_cursor"_s,
                     r->next ? QJsonValue(apijson::deliveryCursor(*r->next)) : QJsonValue()}});
}

ApiReply trace(const ApiRequest &request)
{
    const QUuid id = QUuid::fromString(request.pathParameter(u"id"_s));
    if (auto hidden = request.hiddenDelivery(id))
        return *hidden;
    auto d = store::DlqStore(request.db, request.actor()).show(id);
    if (!d)
        return request.storeError(d.error());
    QJsonArray notes;
    for (const auto &n : d->notes)
        notes.append(QJsonObject{
            {u"at"_s, n.at.toString(Qt::ISODate)}, {u"actor"_s, n.actor}, {u"note"_s, n.text}});
    QJsonObject o = apijson::deadJson(d->summary, request.shownUrl(d->summary.url));
    o.insert(u"state"_s, d->state);
    o.insert(u"partition_key"_s, d->partitionKey);
    o.insert(u"event"_s, QJsonDocument::fromJson(d->payload).object());
    o.insert(u"attempt_log"_s, attemptLog(*d));
    o.insert(u"request_headers"_s, requestHeaders(*d));
    o.insert(u"notes"_s, notes);
    return ApiReply::json(o);
}

} // namespace ferry::agent::api::deliveries
