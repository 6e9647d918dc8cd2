#pragma once

#include "agent/adapters/adapterset.h"
#include "shared/masterkey.h"

#include <QString>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace ferry::agent::adapters {
class Adapter;
class CurlMulti;
struct ProviderStatus;
} // namespace ferry::agent::adapters

namespace ferry::agent::store {
class PgConnection;
struct ReconcileCandidate;
} // namespace ferry::agent::store

namespace ferry::agent::reconcile {

// Keeps Ferry's view of its messages in step with the providers'. Every `intervalMs` (one agent
// at a time, by advisory lock) and whenever the API asks (any agent takes the request), it asks
// the providers that can be asked (Twilio) about messages that have had no final receipt for
// `afterMs`, moves each forward to what the provider says (never back), takes the provider's
// price into the billing ledger, and records every drift: what Ferry believed, what the
// provider said, what was done. It runs on a thread of its own with its own database connection
// and libcurl handle, so a slow provider holds up nothing else.
class Reconciler
{
public:
    struct Options
    {
        QString databaseUrl;
        int connectTimeoutSeconds = 5;
        std::optional<MasterKey> masterKey; // none: provider accounts cannot be opened
        adapters::AdapterOptions adapters;
        qint64 intervalMs = 300'000;
        qint64 afterMs = 600'000;
        qint64 maxAgeMs = 3LL * 86'400'000;
        qint64 requestPollMs = 1000;
        int batch = 500;
    };

    // What one run did.
    struct Outcome
    {
        int checked = 0;
        int drifts = 0;
        int failures = 0;
        QString error;
    };

    explicit Reconciler(Options options);
    ~Reconciler();
    Reconciler(const Reconciler &) = delete;
    Reconciler &operator=(const Reconciler &) = delete;

    void start();
    void stop();

    // The channels whose providers can be asked about a message.
    static const QStringList &queryableChannels();

private:
    void run();
    bool connected();
    bool runRequested();
    void runScheduled();
    Outcome execute(qint64 runId, std::optional<qint64> tenantId);
    void check(qint64 runId, const store::ReconcileCandidate &c, Outcome &outcome);
    Result<adapters::ProviderStatus> ask(const store::ReconcileCandidate &c);
    void correct(qint64 runId, const store::ReconcileCandidate &c,
                 const adapters::ProviderStatus &said, Outcome &outcome);
    adapters::Adapter *adapterFor(const QString &channel) const;

    Options m_options;
    std::unique_ptr<store::PgConnection> m_db;
    std::unique_ptr<adapters::CurlMulti> m_multi;
    std::vector<std::unique_ptr<adapters::Adapter>> m_adapters;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace ferry::agent::reconcile
