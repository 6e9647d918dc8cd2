#include "agent/ingest/rateshares.h"

#include "agent/app/logging.h"
#include "agent/store/hotpath/ratesharestore.h"
#include "agent/store/pgconnection.h"

#include <QElapsedTimer>

#include <algorithm>

namespace ferry::agent::ingest {

namespace {
constexpr double kFloor = 0.05;   // of the quota: what an agent wants at least
constexpr double kHeadroom = 1.2; // an agent wants its demand and a fifth more
constexpr int kPurgeEvery = 60;   // exchanges
} // namespace

struct RateShares::Connection
{
    store::PgConnection db;
    QString lastError;
};

RateShares::RateShares(Options options)
    : m_options(std::move(options))
    , m_connection(std::make_unique<Connection>())
{}

RateShares::~RateShares()
{
    stop();
}

void RateShares::start()
{
    if (m_thread.joinable())
        return;
    m_stopping = false;
    m_thread = std::thread([this] { run(); });
}

void RateShares::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

qint64 RateShares::freshForMs(qint64 intervalMs)
{
    return std::max<qint64>(3000, 10 * intervalMs);
}

// Water-filling: raise a common level until the wants below it and the level for the rest use
// up the quota (or every want is met, and what is left is split equally).
double RateShares::share(qint64 mine, const QList<qint64> &others, qint64 limit)
{
    if (limit <= 0)
        return 1.0;
    const auto want = [limit](qint64 demand) {
        return std::max(double(demand) * kHeadroom, kFloor * double(limit));
    };
    std::vector<double> wants{want(mine)};
    for (qint64 d : others)
        wants.push_back(want(d));
    const double mineWant = wants.front();
    std::sort(wants.begin(), wants.end());
    auto left = double(limit);
    for (size_t i = 0; i < wants.size(); ++i) {
        const double level = left / double(wants.size() - i);
        if (wants[i] > level) // this one and all after it want more: equal parts
            return std::min(mineWant, level) / double(limit);
        left -= wants[i];
    }
    // Every want met: the rest in equal parts on top.
    return (mineWant + left / double(wants.size())) / double(limit);
}

void RateShares::run()
{
    QElapsedTimer since;
    since.start();
    exchangeOnce(1); // at once: the number of live agents before the first event arrives
    for (int round = 1;; ++round) {
        {
            std::unique_lock lock(m_mutex);
            if (m_wake.wait_for(lock, std::chrono::milliseconds(m_options.intervalMs),
                                [this] { return m_stopping; }))
                break;
        }
        exchangeOnce(std::max<qint64>(1, since.restart()));
        if (round % kPurgeEvery == 0 && m_connection->db.isOpen())
            (void)store::RateShareStore(m_connection->db).purge();
    }
    m_connection->db.close();
}

// Logs a failure once, not every interval while it lasts.
void RateShares::warnOnce(const QString &message)
{
    if (m_connection->lastError != message)
        qCWarning(lcIngest).noquote() << "quota shares:" << message;
    m_connection->lastError = message;
}

// One report and read; on failure the shares in use go stale by themselves.
void RateShares::exchangeOnce(qint64 elapsedMs)
{
    const QList<Asked> asked = m_options.collect();
    QList<store::RateShareStore::Demand> demands;
    for (const Asked &a : asked)
        demands.append(
            {a.tenantId, a.events == 0 ? 0 : std::max<qint64>(1, a.events * 1000 / elapsedMs)});
    auto &db = m_connection->db;
    if (!db.isOpen()) {
        if (auto opened = db.open(m_options.databaseUrl, m_options.connectTimeoutSeconds); !opened)
            return warnOnce(opened.error().message);
    }
    const qint64 freshMs = freshForMs(m_options.intervalMs);
    auto exchanged = store::RateShareStore(db).exchange(m_options.agentId, demands, freshMs);
    if (!exchanged) {
        db.close(); // opened again next time
        return warnOnce(exchanged.error().message);
    }
    m_connection->lastError.clear();
    QHash<qint64, double> shares;
    for (qsizetype i = 0; i < demands.size(); ++i) {
        // Everyone's reports as they stood before this one (this agent's previous included), so
        // every agent shares out the same numbers; a first report counts as it is.
        const auto snapshot = exchanged->tenants.value(demands[i].tenantId);
        const qint64 mine = snapshot.mine >= 0 ? snapshot.mine : demands[i].perSecond;
        shares.insert(demands[i].tenantId, share(mine, snapshot.others, asked[i].limit));
    }
    m_options.apply(shares, exchanged->liveAgents, freshMs);
}

} // namespace ferry::agent::ingest
