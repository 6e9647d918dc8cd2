#include "agent/api/resources/routefields.h"

#include "agent/adapters/urlcheck.h"
#include "agent/api/apijson.h"
#include "agent/jobs/execcommand.h"
#include "agent/routing/upcast.h"
#include "agent/store/admin/credentialstore.h"
#include "shared/retrypolicy.h"

#include <QJsonArray>
#include <QSet>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace ferry::agent::api::routes {

namespace {

using Invalid = std::optional<ApiReply>;
// Checks one field's value and sets it on the route.
using FieldRule = Invalid (*)(const QJsonValue &v, store::Route &route);

constexpr qsizetype kMaxTemplateChars = qsizetype(64) * 1024;

Invalid invalid(const QString &field, const QString &detail)
{
    return ApiReply::invalidField(field, detail);
}

// The channels this agent delivers through; a route naming another is refused.
const QStringList &knownChannels()
{
    static const QStringList list{u"webhook"_s, u"email"_s, u"sms"_s, u"whatsapp"_s,
                                  u"push"_s,    u"exec"_s,  u"null"_s}; // null: delivers nothing
    return list;
}

Invalid channel(const QJsonValue &v, store::Route &route)
{
    const QString name = v.toString();
    if (!knownChannels().contains(name))
        return invalid(u"channel"_s, u"unknown channel '%1': this agent delivers through %2"_s.arg(
                                         name, knownChannels().join(u", "_s)));
    route.channel = name;
    return std::nullopt;
}

// A message's recipient: an address, a number, a device token, or a template that renders one
// from the event ("{{data.customer.phone}}").
Invalid recipient(const QString &text, store::Route &route)
{
    if (text.trimmed().isEmpty() || text.size() > 1000)
        return invalid(u"target"_s, u"a %1 route's target is its recipient: a fixed one or a "
                                    "template such as {{data.customer.phone}} (at most 1000 "
                                    "characters)"_s.arg(route.channel));
    route.target = text;
    return std::nullopt;
}

Invalid target(const QJsonValue &v, store::Route &route)
{
    const QString text = v.toString();
    if (store::Route::sendsMessages(route.channel))
        return recipient(text, route);
    if (route.channel == "exec"_L1) {
        if (!jobs::ExecCommands::validName(text))
            return invalid(u"target"_s, u"an exec route's target is the name of a command the "
                                        "agent's administrator configured (exec.commands_dir), "
                                        "such as nightly-export"_s);
        route.target = text;
        return std::nullopt;
    }
    const QUrl url(text, QUrl::StrictMode);
    if (text.isEmpty() || !url.isValid() ||
        (url.scheme() != "http"_L1 && url.scheme() != "https"_L1) || url.host().isEmpty())
        return invalid(u"target"_s, u"a webhook route's target is an absolute http:// or "
                                    "https:// URL such as https://partner.example/hooks"_s);
    route.target = text;
    return std::nullopt;
}

Invalid eventTypes(const QJsonValue &v, store::Route &route)
{
    if (!v.isNull() && !v.isArray())
        return invalid(u"event_types"_s, u"a list of event types such as [\"order.created\"]; "
                                         "[] or null for every type"_s);
    QStringList types;
    for (const QJsonValue &t : v.toArray()) {
        const QString type = t.toString();
        if (!t.isString() || type.trimmed().isEmpty() || type.size() > 200)
            return invalid(u"event_types"_s,
                           u"each event type is a non-empty string of at most 200 characters"_s);
        if (!types.contains(type))
            types.append(type);
    }
    if (types.size() > 100)
        return invalid(u"event_types"_s, u"at most 100 event types per route"_s);
    route.eventTypes = types;
    return std::nullopt;
}

Invalid retry(const QJsonValue &v, store::Route &route)
{
    const QJsonObject o = v.toObject();
    if (v.isNull()) {
        route.retrySchedule.clear();
    } else if (o.size() == 1 && o.value("exponential"_L1) == QJsonValue(true)) {
        route.retrySchedule = u"exponential"_s;
    } else if (o.size() == 1 && o.value("schedule"_L1).isString()) {
        const QString schedule = o.value("schedule"_L1).toString().trimmed();
        auto parsed = RetryPolicy::parse(schedule, {});
        if (!parsed || schedule.isEmpty() || schedule == "exponential"_L1)
            return invalid(u"retry.schedule"_s,
                           parsed ? u"give the waits before each attempt, such as "
                                    "0s,5s,5m,30m,2h"_s
                                  : parsed.error().message);
        route.retrySchedule = schedule;
    } else {
        return invalid(u"retry"_s, u"{\"schedule\": \"0s,5s,5m,30m,2h\"}, "
                                   "{\"exponential\": true}, or null for the agent's "
                                   "default (retry.schedule)"_s);
    }
    return std::nullopt;
}

Invalid maxAttempts(const QJsonValue &v, store::Route &route)
{
    const auto n = apijson::wholeNumber(v, 1, 1000);
    if (!v.isNull() && !n)
        return invalid(u"max_attempts"_s,
                       u"a whole number from 1 to 1000, or null for the policy's"_s);
    route.maxAttempts = int(n.value_or(0));
    return std::nullopt;
}

Invalid maxAge(const QJsonValue &v, store::Route &route)
{
    std::optional<qint64> seconds = apijson::wholeNumber(v, 1, 365LL * 86400);
    if (v.isString()) {
        const auto ms = parseDurationMs(v.toString());
        if (ms && *ms >= 1000 && *ms <= 365LL * 86'400'000)
            seconds = *ms / 1000;
    }
    if (!v.isNull() && !seconds)
        return invalid(u"max_age"_s, u"seconds (a whole number), or a duration such as \"6h\" "
                                     "or \"3d\" (at most a year), or null"_s);
    route.maxAgeSeconds = seconds.value_or(0);
    return std::nullopt;
}

Invalid flag(const QJsonValue &v, const QString &field, const QString &detail, bool &target)
{
    if (!v.isBool())
        return invalid(field, detail);
    target = v.toBool();
    return std::nullopt;
}

Invalid ordered(const QJsonValue &v, store::Route &route)
{
    return flag(v, u"ordered"_s, u"true (per partition key, in order) or false"_s, route.ordered);
}

Invalid onBlock(const QJsonValue &v, store::Route &route)
{
    const QString text = v.toString();
    if (text != "block"_L1 && text != "skip"_L1)
        return invalid(u"on_block"_s, u"'block' (an ordered partition waits for an operator "
                                      "when a delivery dies) or 'skip' (it carries on)"_s);
    route.onBlock = text;
    return std::nullopt;
}

Invalid concurrency(const QJsonValue &v, store::Route &route)
{
    const auto n = apijson::wholeNumber(v, 1, 10000);
    if (!v.isNull() && !n)
        return invalid(u"concurrency"_s,
                       u"requests in flight at once: a whole number from 1 to 10000, or null "
                       "for the agent's default"_s);
    route.concurrency = int(n.value_or(0));
    return std::nullopt;
}

Invalid ratePerSecond(const QJsonValue &v, store::Route &route)
{
    const double n = v.toDouble(-1);
    if (!v.isNull() && (!v.isDouble() || n <= 0 || n > 1'000'000))
        return invalid(u"rate_per_second"_s,
                       u"requests per second to this route, all agents together: a number "
                       "above 0 and up to 1000000 (0.5 is one every two seconds), or null for "
                       "no limit"_s);
    route.ratePerSecond = v.isNull() ? 0 : n;
    return std::nullopt;
}

Invalid templateText(const QJsonValue &v, store::Route &route)
{
    if (!v.isNull() && (!v.isString() || v.toString().size() > kMaxTemplateChars))
        return invalid(u"template"_s, u"text of at most 65536 characters, or null"_s);
    route.templateText = v.isNull() ? QString() : v.toString();
    return std::nullopt;
}

Invalid name(const QJsonValue &v, store::Route &route)
{
    const QString text = v.toString();
    if (!v.isNull() && (!v.isString() || text.trimmed().isEmpty() || text.size() > 100))
        return invalid(u"name"_s, u"what people call the route: 1 to 100 characters, unique among "
                                  "the tenant's routes, or null for none"_s);
    route.name = v.isNull() ? QString() : text;
    return std::nullopt;
}

Invalid enabled(const QJsonValue &v, store::Route &route)
{
    return flag(v, u"enabled"_s, u"true or false"_s, route.enabled);
}

Invalid credential(const QJsonValue &v, store::Route &route)
{
    if (!v.isNull() && !store::CredentialStore::validName(v.toString()))
        return invalid(u"credential"_s, u"the name of one of the tenant's credentials, or null "
                                        "to sign with the route's own secret"_s);
    route.credential = v.toString();
    return std::nullopt;
}

Invalid schemaVersions(const QJsonValue &v, store::Route &route)
{
    if (!v.isNull() && !v.isArray())
        return invalid(u"schema_versions"_s, u"a list of schema versions such as [\"2\"]; [] or "
                                             "null for every version"_s);
    QStringList versions;
    for (const QJsonValue &entry : v.toArray()) {
        if (!routing::isSchemaVersion(entry.toString()))
            return invalid(u"schema_versions"_s,
                           u"each version is 1 to 64 letters, digits, '.', '_' or '-'"_s);
        if (!versions.contains(entry.toString()))
            versions.append(entry.toString());
    }
    if (versions.size() > 100)
        return invalid(u"schema_versions"_s, u"at most 100 versions per route"_s);
    route.schemaVersions = versions;
    return std::nullopt;
}

// The upcast functions' errors read "<field>: <detail>" ("upcasts[1].rename: …").
Invalid upcastError(const Error &error)
{
    const qsizetype colon = error.message.indexOf(u": "_s);
    return invalid(error.message.left(colon), error.message.mid(colon + 2));
}

Invalid upcasts(const QJsonValue &v, store::Route &route)
{
    auto parsed = routing::parseUpcasts(v);
    if (!parsed)
        return upcastError(parsed.error());
    route.upcasts = routing::upcastsJson(*parsed);
    return std::nullopt;
}

// The fields a route body may have, in the order they are checked. `tenant` is the caller's.
const QList<std::pair<QString, FieldRule>> &fieldRules()
{
    static const QList<std::pair<QString, FieldRule>> rules{{u"name"_s, &name},
                                                            {u"channel"_s, &channel},
                                                            {u"target"_s, &target},
                                                            {u"event_types"_s, &eventTypes},
                                                            {u"retry"_s, &retry},
                                                            {u"max_attempts"_s, &maxAttempts},
                                                            {u"max_age"_s, &maxAge},
                                                            {u"ordered"_s, &ordered},
                                                            {u"on_block"_s, &onBlock},
                                                            {u"concurrency"_s, &concurrency},
                                                            {u"template"_s, &templateText},
                                                            {u"enabled"_s, &enabled},
                                                            {u"credential"_s, &credential},
                                                            {u"rate_per_second"_s, &ratePerSecond},
                                                            {u"schema_versions"_s, &schemaVersions},
                                                            {u"upcasts"_s, &upcasts}};
    return rules;
}

Invalid unknownField(const QJsonObject &body)
{
    static const QSet<QString> known = [] {
        QSet<QString> names{u"tenant"_s};
        for (const auto &rule : fieldRules())
            names.insert(rule.first);
        return names;
    }();
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (!known.contains(it.key()))
            return invalid(it.key(), u"unknown field; a route has %1"_s.arg(
                                         QStringList(known.begin(), known.end()).join(u", "_s)));
    }
    return std::nullopt;
}

} // namespace

// An exec route's command must be one this agent has, open to the route's tenant.
Invalid execCommand(const store::Route &route, const jobs::ExecCommands *commands)
{
    const jobs::ExecCommand *command = commands ? commands->find(route.target) : nullptr;
    if (!command)
        return invalid(u"target"_s,
                       u"no command '%1' is configured on this agent (it has: %2): the "
                       "administrator adds %1.json to exec.commands_dir"_s.arg(
                           route.target, commands && !commands->isEmpty()
                                             ? commands->names().join(u", "_s)
                                             : u"none"_s));
    if (!command->allowsTenant(route.tenant))
        return invalid(u"target"_s, u"command '%1' is not open to tenant '%2' (its \"tenants\" "
                                    "setting)"_s.arg(route.target, route.tenant));
    return std::nullopt;
}

std::optional<ApiReply> applyRouteFields(const QJsonObject &body, store::Route &route,
                                         bool creating, const adapters::SsrfGuard &guard,
                                         const jobs::ExecCommands *commands)
{
    if (auto bad = unknownField(body))
        return bad;
    for (const auto &[name, rule] : fieldRules()) {
        const bool required = creating && name == "target"_L1;
        if (!body.contains(name) && !required)
            continue;
        if (auto bad = rule(body.value(name), route))
            return bad;
    }
    // The versions and upcasts together, as they are now (a PATCH may change either).
    if (body.contains("schema_versions"_L1) || body.contains("upcasts"_L1)) {
        const auto parsed = routing::parseUpcasts(route.upcasts);
        auto consistent = parsed ? routing::checkUpcasts(route.schemaVersions, *parsed)
                                 : Result<void>(parsed.error());
        if (!consistent)
            return upcastError(consistent.error());
    }
    // Where the URL leads, once the channel is known: a route's channel may change with it.
    if (route.channel == "webhook"_L1 && (creating || body.contains("target"_L1))) {
        if (auto reached = adapters::checkUrlAtSave(route.target, guard); !reached)
            return invalid(u"target"_s, reached.error().message);
    }
    if (route.channel == "exec"_L1 &&
        (creating || body.contains("target"_L1) || body.contains("channel"_L1)))
        return execCommand(route, commands);
    return std::nullopt;
}

} // namespace ferry::agent::api::routes
