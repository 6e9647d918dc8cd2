#include "agent/app/cliio.h"
#include "agent/app/commands/commands.h"
#include "agent/dispatch/dispatcher.h"
#include "agent/store/deliverystore.h"

namespace ferry::agent {

// The dispatcher's hot statements on this database as it is now; changes nothing. The claim
// shown is the size a dispatcher runs, which never exceeds Dispatcher::kClaimAtMost.
int runExplainCommand(CommandContext &context)
{
    const AgentConfig &config = *context.config;
    auto plans =
        store::DeliveryStore(*context.db)
            .explainHotPaths(int(std::clamp<qint64>(config.integer("dispatch.max_in_flight"), 1,
                                                    dispatch::Dispatcher::kClaimAtMost)),
                             config.milliseconds("dispatch.lease"),
                             int(config.integer("webhook.max_concurrency_per_endpoint")));
    if (!plans)
        return fail(plans.error().message);
    out() << *plans;
    return 0;
}

} // namespace ferry::agent
