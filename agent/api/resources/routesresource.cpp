#include "agent/api/resources/routesresource.h"

#include "agent/api/apijson.h"
#include "agent/api/apiserver.h"
#include "agent/api/resources/routefields.h"
#include "agent/store/admin/adminstore.h"
#include "agent/store/admin/routestore.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace ferry::agent::api::routes {

namespace {

// The route {num}; another tenant's does not exist for a scoped token.
Result<store::Route, ApiReply> visibleRoute(const ApiRequest &request)
{
    const qint64 id = request.pathParameter(u"num"_s).toLongLong();
    auto current = store::RouteStore(request.db, request.actor(), nullptr).get(id);
    if (!current)
        return request.writeError(current.error());
    if (request.who.tenantId != 0 && current->tenantId != request.who.tenantId)
        return ApiReply::notFound(u"no route %1 (see GET %2)"_s.arg(id).arg(
            request.route.path.left(request.route.path.lastIndexOf(u'/')))); // the list
    return *current;
}

// A route as the caller may see it: its target redacted below the admin role.
QJsonObject routeJson(const ApiRequest &request, const store::Route &route)
{
    QJsonObject o = route.toJson();
    o.insert(u"target"_s, request.shownUrl(route.target));
    return o;
}

// Saves a route (created or changed) and answers it, with its new signing secret when it got
// one.
ApiReply save(const ApiRequest &request, store::Route &route, bool creating)
{
    auto guard = request.tenantGuard(route.tenantId);
    if (!guard)
        return guard.error();
    if (auto error = applyRouteFields(request.body, route, creating, *guard, request.execCommands))
        return *error;
    store::RouteStore store(request.db, request.actor(),
                            request.masterKey ? &*request.masterKey : nullptr);
    QByteArray secret;
    const auto saved = creating ? store.create(route, &secret) : store.update(route, &secret);
    if (!saved) {
        if (saved.error().code != 422)
            return request.writeError(saved.error());
        // A unique violation is the name; any other 422 of the store is the credential.
        return ApiReply::invalidField(
            saved.error().sqlState == "23505" ? u"name"_s : u"credential"_s, saved.error().message);
    }
    QJsonObject o = saved->toJson();
    if (!secret.isEmpty())
        o.insert(u"signing_secret"_s, QString::fromLatin1(secret));
    return ApiReply::json(o, creating ? 201 : 200);
}

// The tenant of a new route: the body's, or a scoped token's own.
Result<store::Route, ApiReply> newRoute(const ApiRequest &request)
{
    store::Route route;
    const auto &who = request.who;
    if (who.tenantId != 0 && !request.body.contains("tenant"_L1)) {
        route.tenant = who.tenant;
    } else {
        route.tenant = request.body.value("tenant"_L1).toString();
        if (route.tenant.isEmpty())
            return ApiReply::invalidField(u"tenant"_s,
                                          u"the name of the tenant whose events it routes"_s);
    }
    auto found = store::AdminStore(request.db, request.actor()).findTenant(route.tenant);
    if (!found)
        return request.writeError(found.error());
    if (who.tenantId != 0 && *found != who.tenantId)
        return ApiReply::notFound(u"no tenant named '%1'"_s.arg(route.tenant));
    if (*found == 0)
        return ApiReply::invalidField(u"tenant"_s, u"no tenant named '%1'"_s.arg(route.tenant));
    route.tenantId = *found;
    return route;
}

} // namespace

ApiReply list(const ApiRequest &request)
{
    auto page = request.page(u"r:"_s);
    if (!page)
        return page.error();
    qint64 tenantId = request.who.tenantId;
    const QString tenant = request.queryValue(u"tenant"_s);
    if (!tenant.isEmpty()) {
        auto found = store::AdminStore(request.db, request.actor()).findTenant(tenant);
        if (!found)
            return request.writeError(found.error());
        if (*found == 0 || (request.who.tenantId != 0 && *found != request.who.tenantId))
            return ApiReply::json(
                QJsonObject{{u"items"_s, QJsonArray()}, {u"next_cursor"_s, QJsonValue()}});
        tenantId = *found;
    }
    auto list = store::RouteStore(request.db, request.actor(), nullptr)
                    .list(tenantId, page->position.toLongLong(), page->limit + 1);
    if (!list)
        return request.writeError(list.error());
    QJsonArray items;
    QJsonValue next;
    for (qsizetype i = 0; i < list->size() && i < page->limit; ++i)
        items.append(routeJson(request, list->at(i)));
    if (list->size() > page->limit)
        next = apijson::cursorFor(u"r:"_s, QString::number(list->at(page->limit - 1).id));
    return ApiReply::json(QJsonObject{{u"items"_s, items}, {u"next_cursor"_s, next}});
}

ApiReply create(const ApiRequest &request)
{
    auto route = newRoute(request);
    return route ? save(request, *route, true) : route.error();
}

ApiReply get(const ApiRequest &request)
{
    auto route = visibleRoute(request);
    return route ? ApiReply::json(routeJson(request, *route)) : route.error();
}

ApiReply change(const ApiRequest &request)
{
    auto route = visibleRoute(request);
    if (!route)
        return route.error();
    const QJsonObject &body = request.body;
    if (body.contains("tenant"_L1) && body.value("tenant"_L1).toString() != route->tenant)
        return ApiReply::invalidField(u"tenant"_s, u"a route stays with its tenant: create a "
                                                   "new route for another tenant"_s);
    return save(request, *route, false);
}

ApiReply test(const ApiRequest &request)
{
    auto route = visibleRoute(request);
    if (!route)
        return route.error();
    if (!route->enabled)
        return ApiReply::problem(
            409, u"route-disabled"_s, u"Route disabled"_s,
            u"route %1 is disabled, so nothing is sent to it: enable it "
            "first (PATCH /v1/routes/%1 with {\"enabled\": true})"_s.arg(route->id));
    auto sent = store::RouteStore(request.db, request.actor(), nullptr).sendTest(*route);
    if (!sent)
        return request.writeError(sent.error());
    return ApiReply::json(
        QJsonObject{{u"event_id"_s, sent->eventId.toString(QUuid::WithoutBraces)},
                    {u"delivery_id"_s, sent->deliveryId.toString(QUuid::WithoutBraces)}},
        202);
}

ApiReply disable(const ApiRequest &request)
{
    auto route = visibleRoute(request);
    if (!route)
        return route.error();
    auto r = store::RouteStore(request.db, request.actor(), nullptr).disable(route->id);
    return r ? ApiReply::noContent() : request.writeError(r.error());
}

} // namespace ferry::agent::api::routes
