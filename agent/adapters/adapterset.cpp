#include "agent/adapters/adapterset.h"

#include "agent/adapters/curlmulti.h"
#include "agent/adapters/emailadapter.h"
#include "agent/adapters/execadapter.h"
#include "agent/adapters/nulladapter.h"
#include "agent/adapters/pushadapter.h"
#include "agent/adapters/smsadapter.h"
#include "agent/adapters/webhookadapter.h"
#include "agent/adapters/whatsappadapter.h"

namespace ferry::agent::adapters {

std::vector<std::unique_ptr<Adapter>> makeAdapters(CurlMulti &multi, const AdapterOptions &options)
{
    multi.setMaxConnectionsPerHost(options.maxConnectionsPerHost);
    const HttpAdapter::Options http{options.timeoutMs, options.guard};
    std::vector<std::unique_ptr<Adapter>> set;
    set.push_back(std::make_unique<WebhookAdapter>(multi, http));
    set.push_back(
        std::make_unique<SmsAdapter>(multi, SmsAdapter::Options{http, options.statusCallbackBase}));
    set.push_back(std::make_unique<WhatsAppAdapter>(multi, http));
    set.push_back(std::make_unique<PushAdapter>(multi, PushAdapter::Options{http, {}}));
    set.push_back(std::make_unique<EmailAdapter>(
        multi, EmailAdapter::Options{options.timeoutMs, options.guard}));
    set.push_back(std::make_unique<NullAdapter>());
    set.push_back(std::make_unique<WorkflowAdapter>());
    set.push_back(std::make_unique<ExecAdapter>(multi, options.jobRunner));
    return set;
}

} // namespace ferry::agent::adapters
