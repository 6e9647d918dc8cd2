#include "agent/api/resources/schedulesresource.h"

#include "agent/api/apijson.h"
#include "agent/schedule/cron.h"
#include "agent/store/jobs/schedulestore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace ferry::agent::api::schedules {

namespace {

using schedule::CronSpec;

constexpr int kUpcoming = 5;

QJsonValue isoOrNull(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(apijson::iso(t)) : QJsonValue();
}

QJsonValue textOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

// The schedule as the API shows it, with its next slots (none while paused).
QJsonObject scheduleJson(const store::Schedule &s)
{
    QJsonObject event{{u"type"_s, s.eventType}, {u"source"_s, s.eventSource}};
    if (!s.eventData.isUndefined())
        event.insert(u"data"_s, s.eventData);
    QJsonArray upcoming;
    const auto spec = CronSpec::parse(s.cron);
    const QTimeZone zone(s.timeZone.toUtf8());
    if (spec && zone.isValid() && !s.paused && s.nextFireAt.isValid()) {
        upcoming.append(apijson::iso(s.nextFireAt));
        for (const QDateTime &t : spec->upcoming(s.nextFireAt, zone, kUpcoming - 1))
            upcoming.append(apijson::iso(t));
    }
    return {{u"name"_s, s.name},
            {u"cron"_s, s.cron},
            {u"time_zone"_s, s.timeZone},
            {u"event"_s, event},
            {u"catch_up"_s, s.catchUp},
            {u"catch_up_limit"_s, s.catchUpLimit},
            {u"paused"_s, s.paused},
            {u"next_fire_at"_s, s.paused ? QJsonValue() : isoOrNull(s.nextFireAt)},
            {u"upcoming"_s, upcoming},
            {u"last_slot"_s, isoOrNull(s.lastSlot)},
            {u"last_fired_at"_s, isoOrNull(s.lastFiredAt)},
            {u"last_event_id"_s, textOrNull(s.lastEventId)},
            {u"fired"_s, s.fired},
            {u"skipped"_s, s.skipped},
            {u"last_error"_s, textOrNull(s.lastError)},
            {u"created_at"_s, apijson::iso(s.createdAt)},
            {u"updated_at"_s, apijson::iso(s.updatedAt)}};
}

std::optional<ApiReply> unknownField(const QJsonObject &body)
{
    static const QSet<QString> known{u"cron"_s,     u"time_zone"_s,      u"event"_s,
                                     u"catch_up"_s, u"catch_up_limit"_s, u"paused"_s};
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (!known.contains(it.key()))
            return ApiReply::invalidField(
                it.key(), u"unknown field; a schedule has cron, time_zone, event, catch_up, "
                          "catch_up_limit and paused"_s);
    }
    return std::nullopt;
}

std::optional<ApiReply> readWhen(const QJsonObject &body, store::Schedule &s)
{
    auto spec = CronSpec::parse(body.value("cron"_L1).toString());
    if (!spec)
        return ApiReply::invalidField(u"cron"_s, spec.error().message);
    s.cron = spec->expression();
    s.timeZone = body.value("time_zone"_L1).toString(u"UTC"_s);
    if (!QTimeZone(s.timeZone.toUtf8()).isValid())
        return ApiReply::invalidField(
            u"time_zone"_s,
            u"'%1' is not a time zone this agent knows: use an IANA "
            "name such as Europe/Berlin, America/New_York or UTC"_s.arg(s.timeZone));
    auto policy = schedule::parseCatchUp(body.value("catch_up"_L1).toString(u"once"_s));
    if (!policy)
        return ApiReply::invalidField(u"catch_up"_s, policy.error().message);
    s.catchUp = schedule::catchUpName(*policy);
    const QJsonValue limitValue = body.value("catch_up_limit"_L1);
    const auto limit = apijson::wholeNumber(limitValue, 1, 10000);
    if (!limitValue.isUndefined() && !limit)
        return ApiReply::invalidField(u"catch_up_limit"_s,
                                      u"a whole number from 1 to 10000 (the missed slots "
                                      "\"all\" fires at most)"_s);
    s.catchUpLimit = limitValue.isUndefined() ? 100 : int(*limit);
    const QJsonValue paused = body.value("paused"_L1);
    if (!paused.isUndefined() && !paused.isBool())
        return ApiReply::invalidField(u"paused"_s, u"true or false"_s);
    s.paused = paused.toBool(false);
    return std::nullopt;
}

std::optional<ApiReply> readEvent(const QJsonObject &body, store::Schedule &s)
{
    const QJsonObject event = body.value("event"_L1).toObject();
    static const QSet<QString> known{u"type"_s, u"source"_s, u"data"_s};
    for (auto it = event.begin(); it != event.end(); ++it) {
        if (!known.contains(it.key()))
            return ApiReply::invalidField(u"event."_s + it.key(),
                                          u"unknown field; an event has type, source and data"_s);
    }
    s.eventType = event.value("type"_L1).toString();
    if (s.eventType.isEmpty() || s.eventType.size() > 200)
        return ApiReply::invalidField(u"event.type"_s,
                                      u"the type of the events the schedule emits, such as "
                                      "report.nightly (1 to 200 characters)"_s);
    s.eventSource = event.value("source"_L1).toString(u"/schedules/"_s + s.name);
    if (s.eventSource.isEmpty() || s.eventSource.size() > 500)
        return ApiReply::invalidField(u"event.source"_s,
                                      u"a URI reference such as /schedules/nightly (the "
                                      "default), at most 500 characters"_s);
    s.eventData = event.value("data"_L1);
    if (QJsonDocument(QJsonArray{s.eventData}).toJson(QJsonDocument::Compact).size() >
        qsizetype(64) * 1024)
        return ApiReply::invalidField(u"event.data"_s, u"at most 64 KiB of JSON"_s);
    return std::nullopt;
}

} // namespace

ApiReply list(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (!tenantId)
        return tenantId.error();
    auto rows = store::ScheduleStore(request.db).list(*tenantId);
    if (!rows)
        return request.storeError(rows.error());
    QJsonArray items;
    for (const store::Schedule &s : *rows)
        items.append(scheduleJson(s));
    return ApiReply::json(QJsonObject{{u"items"_s, items}});
}

ApiReply get(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (!tenantId)
        return tenantId.error();
    auto s = store::ScheduleStore(request.db).get(*tenantId, request.pathParameter(u"name"_s));
    return s ? ApiReply::json(scheduleJson(*s)) : request.writeError(s.error());
}

ApiReply put(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (!tenantId)
        return tenantId.error();
    store::Schedule s;
    s.tenantId = *tenantId;
    s.name = request.pathParameter(u"name"_s);
    static const QRegularExpression validName(u"^[a-z0-9][a-z0-9_.-]{0,62}$"_s);
    if (!validName.match(s.name).hasMatch())
        return ApiReply::problem(422, u"invalid"_s, u"Invalid request"_s,
                                 u"'%1' is not a valid schedule name: use 1 to 63 lowercase "
                                 "letters, digits, '.', '-' or '_', starting with a letter or "
                                 "digit"_s.arg(s.name));
    for (const auto &check : {unknownField(request.body), readWhen(request.body, s)}) {
        if (check)
            return *check;
    }
    if (auto bad = readEvent(request.body, s))
        return *bad;
    // The first slot from now on: a new or changed schedule does not make up for the past.
    s.nextFireAt = CronSpec::parse(s.cron)->nextAfter(QDateTime::currentDateTimeUtc(),
                                                      QTimeZone(s.timeZone.toUtf8()));
    if (!s.nextFireAt.isValid())
        return ApiReply::invalidField(
            u"cron"_s, u"'%1' never fires in the next five years (a "
                       "day that does not exist, such as 30 February)"_s.arg(s.cron));
    bool created = false;
    auto stored = store::ScheduleStore(request.db, request.actor())
                      .put(request.pathParameter(u"tenant"_s), s, &created);
    if (!stored)
        return request.writeError(stored.error());
    return ApiReply::json(scheduleJson(*stored), created ? 201 : 200);
}

ApiReply remove(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (!tenantId)
        return tenantId.error();
    auto r = store::ScheduleStore(request.db, request.actor())
                 .remove(*tenantId, request.pathParameter(u"tenant"_s),
                         request.pathParameter(u"name"_s));
    return r ? ApiReply::noContent() : request.writeError(r.error());
}

namespace {

ApiReply setPaused(const ApiRequest &request, bool paused)
{
    auto tenantId = request.visibleTenant();
    if (!tenantId)
        return tenantId.error();
    const QString name = request.pathParameter(u"name"_s);
    store::ScheduleStore store(request.db, request.actor());
    QDateTime next;
    if (!paused) {
        auto current = store.get(*tenantId, name);
        if (!current)
            return request.writeError(current.error());
        auto spec = CronSpec::parse(current->cron);
        if (!spec)
            return request.writeError(makeError(spec.error().message, 422));
        next =
            spec->nextAfter(QDateTime::currentDateTimeUtc(), QTimeZone(current->timeZone.toUtf8()));
    }
    auto s = store.setPaused(*tenantId, request.pathParameter(u"tenant"_s), name, paused, next);
    return s ? ApiReply::json(scheduleJson(*s)) : request.writeError(s.error());
}

} // namespace

ApiReply pause(const ApiRequest &request)
{
    return setPaused(request, true);
}

ApiReply resume(const ApiRequest &request)
{
    return setPaused(request, false);
}

} // namespace ferry::agent::api::schedules
