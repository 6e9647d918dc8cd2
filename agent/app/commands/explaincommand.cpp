#include "agent/app/cliio.h"
#include "agent/app/commands/commands.h"
#include "agent/dispatch/dispatcher.h"
#include "agent/store/hotpath/deliverystore.h"

namespace ferry::agent {

// The dispatcher's hot statements on this database as it is now; changes nothing. The claim
// shown is the size a dispatcher runs: dispatch.max_in_flight, but never more than one claim
// statement takes (Dispatcher::kClaimAtMost).
int runExplainCommand(CommandContext &context)
{
    const AgentConfig &config = *context.config;
    const int claim = int(std::min<qint64>(config.integer("dispatch.max_in_flight"),
                                           dispatch::Dispatcher::kClaimAtMost));
    auto plans = store::DeliveryStore(*context.db)
                     .explainHotPaths(claim, config.milliseconds("dispatch.lease"),
                                      int(config.integer("webhook.max_concurrency_per_endpoint")));
    if (!plans)
        return fail(plans.error().message);
    out() << *plans;
    return 0;
}

} // namespace ferry::agent
