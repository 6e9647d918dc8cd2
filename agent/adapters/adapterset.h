#pragma once

#include <QString>

#include <memory>
#include <vector>

namespace ferry::agent::jobs {
class JobRunner;
}

namespace ferry::agent::adapters {

class Adapter;
class CurlMulti;
class SsrfGuard;

// What the adapters of one dispatch worker are made with (from the agent's configuration).
struct AdapterOptions
{
    qint64 timeoutMs = 15'000;            // one request to a receiver or provider
    const SsrfGuard *guard = nullptr;     // null: every address is allowed
    int maxConnectionsPerHost = 0;        // 0: no limit beyond the multi handle's
    QString statusCallbackBase;           // Ferry's public inbound URL; empty: no status callbacks
    jobs::JobRunner *jobRunner = nullptr; // runs exec deliveries; null: none on this agent
};

// The adapters of one dispatch worker, one per channel, over the worker's libcurl multi handle:
// webhook, email, sms, whatsapp, push, null, workflow and exec.
std::vector<std::unique_ptr<Adapter>> makeAdapters(CurlMulti &multi, const AdapterOptions &options);

} // namespace ferry::agent::adapters
