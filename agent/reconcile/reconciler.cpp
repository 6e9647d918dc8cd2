#include "agent/reconcile/reconciler.h"

#include "agent/adapters/adapter.h"
#include "agent/adapters/curlmulti.h"
#include "agent/app/logging.h"
#include "agent/inbound/receipts.h"
#include "agent/store/inbound/receiptstore.h"
#include "agent/store/inbound/reconcilestore.h"
#include "agent/store/pgconnection.h"
#include "agent/store/upkeep/maintenancestore.h"

#include <QElapsedTimer>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace ferry::agent::reconcile {

namespace {

constexpr int kMaxConnections = 16;

} // namespace

Reconciler::Reconciler(Options options)
    : m_options(std::move(options))
    , m_db(std::make_unique<store::PgConnection>())
    , m_multi(std::make_unique<adapters::CurlMulti>(kMaxConnections))
    , m_adapters(adapters::makeAdapters(*m_multi, m_options.adapters))
{
    for (auto &adapter : m_adapters)
        adapter->setDone([](const QUuid &, const adapters::Outcome &) {});
}

Reconciler::~Reconciler()
{
    stop();
}

const QStringList &Reconciler::queryableChannels()
{
    static const QStringList channels{u"sms"_s};
    return channels;
}

void Reconciler::start()
{
    m_thread = std::thread([this] { run(); });
}

void Reconciler::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_multi->wakeup();
    if (m_thread.joinable())
        m_thread.join();
}

// Requests are looked for every requestPollMs; a scheduled run starts every intervalMs.
void Reconciler::run()
{
    QElapsedTimer sinceScheduled;
    for (;;) {
        if (connected()) {
            while (runRequested()) {
            }
            if (!sinceScheduled.isValid() || sinceScheduled.elapsed() >= m_options.intervalMs) {
                runScheduled();
                sinceScheduled.start();
            }
        }
        std::unique_lock lock(m_mutex);
        m_wake.wait_for(lock, std::chrono::milliseconds(m_options.requestPollMs),
                        [this] { return m_stopping; });
        if (m_stopping)
            return;
    }
}

bool Reconciler::connected()
{
    if (m_db->isOpen() && !m_db->isBroken())
        return true;
    m_db->close();
    return bool(m_db->open(m_options.databaseUrl, m_options.connectTimeoutSeconds));
}

bool Reconciler::runRequested()
{
    auto taken = store::ReconcileStore(*m_db).takeRequest();
    if (!taken || !*taken)
        return false;
    const auto [runId, tenantId] = **taken;
    const Outcome o = execute(runId, tenantId);
    qCInfo(lcSchedule).noquote() << "reconciliation run" << runId << "(requested):" << o.checked
                                 << "checked," << o.drifts << "drift(s)," << o.failures
                                 << "failure(s)";
    return true;
}

// One agent of several: the one holding the advisory lock.
void Reconciler::runScheduled()
{
    store::MaintenanceStore maintenance(*m_db);
    auto locked = maintenance.tryLock(store::MaintenanceStore::Lock::Reconcile);
    if (!locked || !*locked)
        return;
    if (auto runId = store::ReconcileStore(*m_db).startScheduled(); runId) {
        const Outcome o = execute(*runId, std::nullopt);
        if (o.drifts > 0 || o.failures > 0)
            qCInfo(lcSchedule).noquote()
                << "reconciliation run" << *runId << ":" << o.checked << "checked," << o.drifts
                << "drift(s)," << o.failures << "failure(s)";
    }
    maintenance.unlock(store::MaintenanceStore::Lock::Reconcile);
}

Reconciler::Outcome Reconciler::execute(qint64 runId, std::optional<qint64> tenantId)
{
    Outcome outcome;
    store::ReconcileStore store(*m_db);
    auto candidates = store.candidates(tenantId, queryableChannels(), m_options.afterMs,
                                       m_options.maxAgeMs, m_options.batch);
    if (!candidates)
        outcome.error = candidates.error().message;
    else if (!m_options.masterKey && !candidates->isEmpty())
        outcome.error = u"this agent has no master key to open provider accounts with"_s;
    else {
        for (const store::ReconcileCandidate &c : *candidates) {
            check(runId, c, outcome);
            std::lock_guard lock(m_mutex);
            if (m_stopping)
                break;
        }
    }
    if (auto r =
            store.finish(runId, outcome.checked, outcome.drifts, outcome.failures, outcome.error);
        !r)
        qCWarning(lcSchedule).noquote() << "reconciliation run" << runId << r.error().message;
    return outcome;
}

void Reconciler::check(qint64 runId, const store::ReconcileCandidate &c, Outcome &outcome)
{
    auto said = ask(c);
    ++outcome.checked;
    if (!said) {
        ++outcome.failures;
        qCWarning(lcSchedule).noquote() << "reconciliation: cannot ask about" << c.providerMessageId
                                        << ":" << said.error().message;
        return;
    }
    correct(runId, c, *said, outcome);
    if (auto r = store::ReconcileStore(*m_db).markChecked(c.deliveryId); !r)
        qCWarning(lcSchedule).noquote() << "reconciliation:" << r.error().message;
}

adapters::Adapter *Reconciler::adapterFor(const QString &channel) const
{
    for (const auto &adapter : m_adapters) {
        if (adapter->channel() == channel)
            return adapter.get();
    }
    return nullptr;
}

// Asks the provider and waits for its answer (the adapter's request timeout bounds the wait).
Result<adapters::ProviderStatus> Reconciler::ask(const store::ReconcileCandidate &c)
{
    adapters::Adapter *adapter = adapterFor(c.channel);
    if (!adapter || !m_options.masterKey)
        return makeError(u"no way to ask the %1 provider"_s.arg(c.channel));
    auto secret = store::CredentialStore::unseal(c.credential, *m_options.masterKey);
    if (!secret)
        return secret.error();
    const adapters::ProviderAccount account{c.credential.id, c.credential.name, c.provider,
                                            secret->toObject(), c.baseUrl};
    std::optional<Result<adapters::ProviderStatus>> answer;
    adapter->queryStatus(account, c.providerMessageId,
                         [&answer](const Result<adapters::ProviderStatus> &s) { answer = s; });
    while (!answer) {
        m_multi->perform();
        adapter->poll();
        if (!answer)
            m_multi->wait(-1, 100);
    }
    return *answer;
}

// Moves the message forward to what the provider says, never back; either way a disagreement
// is a drift, recorded with what was done. The provider's price goes into the ledger.
void Reconciler::correct(qint64 runId, const store::ReconcileCandidate &c,
                         const adapters::ProviderStatus &said, Outcome &outcome)
{
    const int rank = inbound::statusRank(said.status);
    const store::Receipt receipt{
        c.providerMessageId, inbound::normalizedStatus(said.status), rank, said.error, said.cost,
        said.currency};
    const bool forward = rank > c.rank;
    const bool behind = rank > 0 && rank < c.rank;
    auto done = m_db->inTransaction([&]() -> Result<void> {
        store::ReceiptStore receipts(*m_db);
        if (forward) {
            if (auto r = receipts.apply(c.tenantId, receipt); !r)
                return r.error();
        } else if (auto r = receipts.recordCost(c.deliveryId.toUtf8(), receipt); !r) {
            return r.error();
        }
        if (!forward && !behind)
            return {};
        const QString action =
            forward ? u"moved from %1 to %2"_s.arg(c.status, receipt.status)
                    : u"kept %1: the provider reports an earlier state"_s.arg(c.status);
        return store::ReconcileStore(*m_db).recordDrift(runId, c, said.status, action);
    });
    if (!done) {
        ++outcome.failures;
        return;
    }
    if (forward || behind)
        ++outcome.drifts;
}

} // namespace ferry::agent::reconcile
