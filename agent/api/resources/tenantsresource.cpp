#include "agent/api/resources/tenantsresource.h"

#include "agent/adapters/ssrfguard.h"
#include "agent/api/apijson.h"
#include "agent/store/admin/adminstore.h"
#include "agent/store/admin/tenantstore.h"
#include "agent/store/publicerror.h"
#include "agent/store/readmodels/apistore.h"

#include <algorithm>
#include <tuple>

using namespace Qt::StringLiterals;

namespace ferry::agent::api::tenants {

namespace {

ApiReply invalidField(const QString &detail)
{
    return ApiReply::problem(400, u"invalid-field"_s, u"Invalid field"_s, detail);
}

// A whole number in [min, max] from a JSON value, or a 400 naming the field.
std::optional<ApiReply> wholeNumber(const QJsonValue &v, const QString &field, qint64 min,
                                    qint64 max, qint64 &out)
{
    const auto n = apijson::wholeNumber(v, min, max);
    if (!n)
        return invalidField(
            u"%1 must be a whole number from %2 to %3"_s.arg(field).arg(min).arg(max));
    out = *n;
    return std::nullopt;
}

std::optional<ApiReply> unknownKeys(const QJsonObject &o, const QStringList &known,
                                    const QString &where)
{
    for (const QString &k : o.keys()) {
        if (!known.contains(k))
            return ApiReply::problem(
                400, u"unknown-field"_s, u"Unknown field"_s,
                u"%1 has no field '%2'; it accepts %3"_s.arg(where, k, known.join(u", "_s)));
    }
    return std::nullopt;
}

// The quotas of a PATCH body; null or 0 is no limit.
std::optional<ApiReply> quotaUpdate(const QJsonObject &quotas,
                                    store::TenantStore::TenantUpdate &update)
{
    // The names of the request body, and those the tenant is shown with.
    const QList<std::tuple<QStringList, std::optional<qint64> *, qint64>> fields = {
        {{u"events_per_second"_s, u"max_events_per_second"_s}, &update.eventsPerSecond, 2147483647},
        {{u"events_per_day"_s, u"max_events_per_day"_s}, &update.eventsPerDay, qint64(1) << 50},
        {{u"max_payload_bytes"_s}, &update.maxPayloadBytes, 2147483647}};
    QStringList known;
    for (const auto &[names, target, max] : fields) {
        known += names;
        for (const QString &name : names) {
            if (!quotas.contains(name))
                continue;
            qint64 v = 0;
            if (!quotas.value(name).isNull()) {
                if (auto bad = wholeNumber(quotas.value(name), u"quotas."_s + name, 0, max, v))
                    return bad;
            }
            *target = v;
        }
    }
    return unknownKeys(quotas, known, u"quotas"_s);
}

std::optional<ApiReply> slaUpdate(const QJsonObject &sla, store::TenantStore::TenantUpdate &update)
{
    if (auto bad = unknownKeys(sla, {u"target"_s, u"latency_ms"_s}, u"sla"_s))
        return bad;
    if (sla.contains("target"_L1)) {
        const double t = sla.value("target"_L1).toDouble(-1);
        if (!sla.value("target"_L1).isDouble() || t <= 0 || t > 1)
            return invalidField(u"sla.target is the share of deliveries that must meet the "
                                "latency: a number above 0 and at most 1, such as 0.99"_s);
        update.slaTarget = t;
    }
    if (sla.contains("latency_ms"_L1)) {
        qint64 v = 0;
        if (auto bad = wholeNumber(sla.value("latency_ms"_L1), u"sla.latency_ms"_s, 1,
                                   qint64(366) * 86400000, v))
            return bad;
        update.slaLatencyMs = v;
    }
    return std::nullopt;
}

// The tenant's own allow-list of internal networks: CIDR blocks, stored in normal form; null
// or [] for none.
std::optional<ApiReply> networksUpdate(const QJsonValue &v,
                                       store::TenantStore::TenantUpdate &update)
{
    const auto bad = [](const QString &detail) {
        return ApiReply::invalidField(u"allowed_networks"_s, detail);
    };
    if (!v.isNull() && !v.isArray())
        return bad(u"a list of networks in CIDR notation such as [\"10.20.0.0/16\", "
                   "\"fd00:1::/64\"]; [] or null for none"_s);
    QStringList networks;
    for (const QJsonValue &entry : v.toArray()) {
        auto net = adapters::SsrfGuard::parseNetwork(entry.toString());
        if (!entry.isString() || !net)
            return bad(net ? u"each entry is a string such as \"10.20.0.0/16\""_s
                           : net.error().message);
        const QString text = adapters::SsrfGuard::networkText(*net);
        if (!networks.contains(text))
            networks.append(text);
    }
    if (networks.size() > 100)
        return bad(u"at most 100 networks per tenant"_s);
    update.allowedNetworks = networks;
    return std::nullopt;
}

// strict_schemas: true or false (docs/schemas.md).
std::optional<ApiReply> strictUpdate(const QJsonValue &v, store::TenantStore::TenantUpdate &update)
{
    if (!v.isBool())
        return ApiReply::invalidField(u"strict_schemas"_s,
                                      u"true (events of registered types must match their "
                                      "schema) or false"_s);
    update.strictSchemas = v.toBool();
    return std::nullopt;
}

// display_name: what people call the tenant; its name stays its key (docs/decisions/0030).
std::optional<ApiReply> displayNameUpdate(const QJsonValue &v,
                                          store::TenantStore::TenantUpdate &update)
{
    const QString text = v.toString().trimmed();
    const bool control = std::any_of(text.cbegin(), text.cend(),
                                     [](QChar c) { return c.category() == QChar::Other_Control; });
    if (!v.isString() || text.isEmpty() || text.size() > 100 || control)
        return ApiReply::invalidField(u"display_name"_s,
                                      u"a text of 1 to 100 characters on one line, such as "
                                      "\"Web shop (EU)\"; the tenant's name stays as it is"_s);
    update.displayName = text;
    return std::nullopt;
}

// disabled: true stops the tenant taking new events, false lets it take them again.
std::optional<ApiReply> disabledUpdate(const QJsonValue &v,
                                       store::TenantStore::TenantUpdate &update)
{
    if (!v.isBool())
        return ApiReply::invalidField(u"disabled"_s,
                                      u"true (ingest refuses the tenant's new events) or false"_s);
    update.disabled = v.toBool();
    return std::nullopt;
}

// The fields of a PATCH body that are not quotas or SLA targets.
std::optional<ApiReply> otherUpdates(const QJsonObject &body,
                                     store::TenantStore::TenantUpdate &update)
{
    using Parse =
        std::optional<ApiReply> (*)(const QJsonValue &, store::TenantStore::TenantUpdate &);
    const QList<std::pair<QLatin1StringView, Parse>> fields = {
        {"strict_schemas"_L1, &strictUpdate},
        {"allowed_networks"_L1, &networksUpdate},
        {"display_name"_L1, &displayNameUpdate},
        {"disabled"_L1, &disabledUpdate}};
    for (const auto &[name, parse] : fields) {
        if (!body.contains(name))
            continue;
        if (auto bad = parse(body.value(name), update))
            return bad;
    }
    return std::nullopt;
}

std::optional<ApiReply> tenantUpdate(const ApiRequest &request,
                                     store::TenantStore::TenantUpdate &update)
{
    const QJsonObject &body = request.body;
    if (auto bad = unknownKeys(body,
                               {u"quotas"_s, u"sla"_s, u"allowed_networks"_s, u"strict_schemas"_s,
                                u"display_name"_s, u"disabled"_s},
                               u"the body"_s))
        return bad;
    if (auto bad = otherUpdates(body, update))
        return bad;
    if (!body.contains("quotas"_L1) && !body.contains("sla"_L1) && !body.isEmpty())
        return std::nullopt; // the other fields alone
    const QJsonObject quotas = body.value("quotas"_L1).toObject();
    const QJsonObject sla = body.value("sla"_L1).toObject();
    if ((body.contains("quotas"_L1) && !body.value("quotas"_L1).isObject()) ||
        (body.contains("sla"_L1) && !body.value("sla"_L1).isObject()) ||
        (quotas.isEmpty() && sla.isEmpty()))
        return ApiReply::problem(
            400, u"nothing-to-change"_s, u"Nothing to change"_s,
            u"send {\"quotas\":{\"events_per_second\":N,\"events_per_day\":N,"
            "\"max_payload_bytes\":N},\"sla\":{\"target\":0.99,\"latency_ms\":60000},"
            "\"allowed_networks\":[\"10.20.0.0/16\"],\"strict_schemas\":true,"
            "\"display_name\":\"Web shop\",\"disabled\":false} or any part of it "
            "(quota 0 = no limit)"_s);
    if (auto bad = quotaUpdate(quotas, update))
        return bad;
    return slaUpdate(sla, update);
}

} // namespace

ApiReply list(const ApiRequest &request)
{
    auto r = store::ApiStore(request.db).tenants(request.who.tenantId);
    return r ? ApiReply::json(QJsonObject{{u"items"_s, *r}}) : request.storeError(r.error());
}

ApiReply get(const ApiRequest &request)
{
    auto r = store::ApiStore(request.db).tenant(request.pathParameter(u"tenant"_s));
    if (!r)
        return request.storeError(r.error());
    return request.visible(r->first) ? ApiReply::json(r->second) : ApiReply::notFound();
}

ApiReply create(const ApiRequest &request)
{
    const QString name = request.body.value("name"_L1).toString();
    if (const QString elsewhere = request.misplaced ? request.misplaced(name) : QString();
        !elsewhere.isEmpty())
        return ApiReply::problem(409, u"tenant-in-another-partition"_s, u"Tenant not created"_s,
                                 elsewhere);
    store::AdminStore admin(request.db, request.actor());
    auto token = admin.createTenant(name);
    if (!token)
        return store::isDatabaseError(token.error())
                   ? request.storeError(token.error())
                   : ApiReply::problem(422, u"invalid-tenant"_s, u"Tenant not created"_s,
                                       token.error().message);
    return ApiReply::json(QJsonObject{{u"name"_s, request.body.value("name"_L1)},
                                      {u"producer_token"_s, QString::fromLatin1(*token)}},
                          201);
}

ApiReply change(const ApiRequest &request)
{
    const QString name = request.pathParameter(u"tenant"_s);
    store::ApiStore api(request.db);
    auto owner = api.tenant(name);
    if (!owner)
        return request.storeError(owner.error());
    if (!request.visible(owner->first))
        return ApiReply::notFound();
    store::TenantStore::TenantUpdate update;
    if (auto bad = tenantUpdate(request, update))
        return *bad;
    auto r = store::TenantStore(request.db).updateTenant(name, update, request.actor());
    if (!r)
        return request.storeError(r.error());
    return *r ? ApiReply::json(**r) : ApiReply::notFound();
}

ApiReply remove(const ApiRequest &request)
{
    const QString name = request.pathParameter(u"tenant"_s);
    const QString force = request.queryValue(u"force"_s);
    if (!force.isEmpty() && force != "true"_L1 && force != "false"_L1)
        return ApiReply::badParameter(u"force is true or false"_s);
    auto r = store::TenantStore(request.db).deleteTenant(name, force == "true"_L1, request.actor());
    if (!r)
        return request.storeError(r.error());
    if (!r->found)
        return ApiReply::notFound();
    if (!r->deleted)
        return ApiReply::problem(
            409, u"tenant-busy"_s, u"Tenant has unfinished deliveries"_s,
            u"tenant '%1' has %2 unfinished deliveries; wait until they "
            "finish, or add ?force=true to delete them with the tenant"_s.arg(name)
                .arg(r->unfinished));
    return ApiReply::noContent();
}

} // namespace ferry::agent::api::tenants
