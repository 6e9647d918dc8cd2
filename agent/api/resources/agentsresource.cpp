#include "agent/api/resources/agentsresource.h"

#include "agent/api/apijson.h"
#include "agent/store/admin/agentstore.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace ferry::agent::api::agents {

namespace {

QJsonValue textOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

QJsonObject agentJson(const store::AgentRow &a, bool current)
{
    return {{u"id"_s, a.id},
            {u"host"_s, a.host},
            {u"version"_s, a.version},
            {u"pid"_s, a.pid},
            {u"started_at"_s, apijson::iso(a.startedAt)},
            {u"heartbeat_at"_s, apijson::iso(a.heartbeatAt)},
            {u"heartbeat_ms"_s, a.heartbeatMs},
            {u"alive"_s, a.alive},
            {u"uptime_seconds"_s, a.uptimeSeconds},
            {u"silent_seconds"_s, a.silentSeconds},
            {u"listen"_s, QJsonObject{{u"http"_s, textOrNull(a.httpListen)},
                                      {u"api"_s, textOrNull(a.apiListen)}}},
            {u"jobs"_s, QJsonArray::fromStringList(a.jobs)},
            {u"current"_s, current}};
}

} // namespace

ApiReply list(const ApiRequest &request)
{
    auto rows = store::AgentStore(request.db).list();
    if (!rows)
        return request.storeError(rows.error());
    QJsonArray items;
    for (const store::AgentRow &a : *rows)
        items.append(agentJson(a, a.id.toLatin1() == request.agentId));
    return ApiReply::json(QJsonObject{{u"items"_s, items}});
}

} // namespace ferry::agent::api::agents
