#include "agent/adapters/ssrfpolicy.h"
#include "agent/adapters/urlcheck.h"
#include "agent/app/cliio.h"
#include "agent/app/commands/commands.h"
#include "agent/store/admin/adminstore.h"
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
        return fail(u"usage: ferry-agent endpoint add --tenant NAME --url URL "
                    "[--event-type TYPE] [--retry-schedule S] [--max-attempts N] "
                    "[--max-age D] [--max-concurrency N] [--ordered [--on-dead block|skip]]"_s);
    auto eo = endpointOptions(context);
    if (!eo)
        return fail(eo.error().message);
    store::AdminStore admin(*context.db, actor());
    if (auto reached = checkTarget(context, admin); !reached)
        return fail(reached.error().message);
    auto secret = admin.addEndpoint(context.value(u"tenant"_s), context.value(u"url"_s), *eo);
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
