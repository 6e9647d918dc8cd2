#include "agent/adapters/adapterset.h"

#include "agent/adapters/emailadapter.h"
#include "agent/adapters/nulladapter.h"
#include "agent/adapters/webhookadapter.h"

namespace ferry::agent::adapters {

std::vector<std::unique_ptr<Adapter>> makeAdapters(CurlMulti &multi, const AdapterOptions &options)
{
    std::vector<std::unique_ptr<Adapter>> set;
    set.push_back(std::make_unique<WebhookAdapter>(
        multi, WebhookAdapter::Options{options.timeoutMs, options.guard}));
    set.push_back(std::make_unique<EmailAdapter>(
        multi, EmailAdapter::Options{options.timeoutMs, options.guard}));
    set.push_back(std::make_unique<NullAdapter>());
    return set;
}

} // namespace ferry::agent::adapters
