#include "agent/adapters/ssrfpolicy.h"
#include "agent/adapters/urlcheck.h"
#include "agent/app/cliio.h"
#include "agent/app/commands/commands.h"
#include "agent/app/secretsatrest.h"
#include "agent/store/admin/adminstore.h"
#include "agent/store/admin/routestore.h"
#include "shared/retrypolicy.h"

using namespace Qt::StringLiterals;

namespace ferry::agent {

namespace {

// The endpoint's own delivery settings; unset options leave the agent's defaults.
Result<store::AdminStore::EndpointOptions> endpointOptions(const CommandContext &context)
{
    store::AdminStore::EndpointOptions eo;
    eo.eventType = context.value(u"event-type"_s);
    eo.retrySchedule = context.value(u"retry-schedule"_s);
    bool ok = true;
    if (context.isSet(u"max-attempts"_s))
        eo.maxAttempts = context.value(u"max-attempts"_s).toInt(&ok);
    if (!ok || eo.maxAttempts < 0)
        return makeError(u"--max-attempts takes a whole number above 0"_s);
    if (context.isSet(u"max-age"_s)) {
        const auto ms = parseDurationMs(context.value(u"max-age"_s));
        if (!ms || *ms < 1000)
            return makeError(u"--max-age takes a duration such as 6h or 3d"_s);
        eo.maxAgeSeconds = *ms / 1000;
    }
    if (context.isSet(u"max-concurrency"_s))
        eo.maxConcurrency = context.value(u"max-concurrency"_s).toInt(&ok);
    if (!ok || eo.maxConcurrency < 0)
        return makeError(u"--max-concurrency takes a whole number above 0"_s);
    eo.ordered = context.isSet(u"ordered"_s);
    if (context.isSet(u"on-dead"_s))
        eo.onDead = context.value(u"on-dead"_s);
    return eo;
}

// A route through a channel and provider account (--channel, --credential, --rate), or with a
// name (--name): the same rules as the API's routes.
int addRoute(CommandContext &context, const store::AdminStore::EndpointOptions &eo)
{
    store::AdminStore admin(*context.db, actor());
    auto tenantId = admin.findTenant(context.value(u"tenant"_s));
    if (!tenantId)
        return fail(tenantId.error().message);
    if (*tenantId == 0)
        return fail(u"no tenant named '%1'"_s.arg(context.value(u"tenant"_s)));
    store::Route route;
    route.tenantId = *tenantId;
    route.tenant = context.value(u"tenant"_s);
    route.channel = context.isSet(u"channel"_s) ? context.value(u"channel"_s) : u"webhook"_s;
    route.target = context.value(u"url"_s);
    if (!eo.eventType.isEmpty())
        route.eventTypes = {eo.eventType};
    route.retrySchedule = eo.retrySchedule;
    route.maxAttempts = eo.maxAttempts;
    route.maxAgeSeconds = eo.maxAgeSeconds;
    route.ordered = eo.ordered;
    route.onBlock = eo.onDead;
    route.concurrency = eo.maxConcurrency;
    route.credential = context.value(u"credential"_s);
    route.name = context.value(u"name"_s).trimmed();
    if (context.isSet(u"name"_s) && (route.name.isEmpty() || route.name.size() > 100))
        return fail(u"--name takes 1 to 100 characters"_s);
    bool ok = true;
    route.ratePerSecond = context.isSet(u"rate"_s) ? context.value(u"rate"_s).toDouble(&ok) : 0;
    if (!ok || route.ratePerSecond < 0)
        return fail(u"--rate takes requests per second, such as 50 or 0.5"_s);
    if (route.channel != "webhook"_L1 && !store::Route::sendsMessages(route.channel) &&
        route.channel != "null"_L1)
        return fail(u"--channel is one of webhook, email, sms, whatsapp, push, null"_s);
    auto key = loadMasterKey(*context.config);
    if (!key)
        return fail(key.error().message);
    QByteArray secret;
    auto created =
        store::RouteStore(*context.db, actor(), *key ? &**key : nullptr).create(route, &secret);
    if (!created)
        return fail(created.error().message);
    if (!secret.isEmpty())
        out() << secret << Qt::endl;
    err() << "route " << created->id << " added (" << route.channel << ")." << Qt::endl;
    return 0;
}

// Where the URL leads, checked with the tenant's guard (the agent's allow-list and its own).
Result<void> checkTarget(const CommandContext &context, store::AdminStore &admin)
{
    auto tenant = admin.findTenant(context.value(u"tenant"_s));
    if (!tenant || *tenant == 0)
        return tenant ? Result<void>() : tenant.error(); // none: addEndpoint() says so
    auto global = adapters::SsrfGuard::parse(context.config->string("webhook.allowed_networks"));
    if (!global)
        return global.error();
    auto guard = adapters::SsrfPolicy::tenantGuard(*global, *context.db, *tenant);
    if (!guard)
        return guard.error();
    return adapters::checkUrlAtSave(context.value(u"url"_s), *guard);
}

// The signing secret goes to standard output alone, so a script can hand it to the receiver.
int add(CommandContext &context)
{
    if (!context.isSet(u"tenant"_s) || !context.isSet(u"url"_s))
        return fail(u"usage: ferry-agent endpoint add --tenant NAME --url URL|RECIPIENT "
                    "[--name NAME] [--channel webhook|email|sms|whatsapp|push] [--credential NAME] "
                    "[--rate PER_SECOND] [--event-type TYPE] [--retry-schedule S] "
                    "[--max-attempts N] [--max-age D] [--max-concurrency N] "
                    "[--ordered [--on-dead block|skip]]"_s);
    auto eo = endpointOptions(context);
    if (!eo)
        return fail(eo.error().message);
    store::AdminStore admin(*context.db, actor());
    const QString channel =
        context.isSet(u"channel"_s) ? context.value(u"channel"_s) : u"webhook"_s;
    if (channel == "webhook"_L1) {
        if (auto reached = checkTarget(context, admin); !reached)
            return fail(reached.error().message);
    }
    if (context.isSet(u"channel"_s) || context.isSet(u"credential"_s) || context.isSet(u"rate"_s) ||
        context.isSet(u"name"_s))
        return addRoute(context, *eo);
    auto key = loadMasterKey(*context.config);
    if (!key)
        return fail(key.error().message);
    auto secret = admin.addEndpoint(context.value(u"tenant"_s), context.value(u"url"_s), *eo,
                                    *key ? &**key : nullptr);
    if (!secret)
        return fail(secret.error().message);
    out() << *secret << Qt::endl;
    err() << "endpoint added; the line above is its signing secret. Give it to the "
          << "receiver so it can verify the webhook-signature header." << Qt::endl;
    return 0;
}

} // namespace

int runEndpointCommand(CommandContext &context)
{
    return runSubcommand(context, {{"add", add}});
}

} // namespace ferry::agent
