#include "agent/ingest/partitionrouter.h"

#include "agent/app/logging.h"
#include "agent/store/hotpath/ingeststore.h"
#include "agent/store/pgconnection.h"

#include <condition_variable>
#include <deque>
#include <thread>

using namespace Qt::StringLiterals;

namespace ferry::agent::ingest {

namespace {

constexpr qsizetype kMaxParkedRequests = 10000; // waiting for a lookup, across tokens
constexpr qsizetype kMaxParkedPerToken = 1000;
constexpr qsizetype kMaxNewTokens = 1000;     // tokens without a route being looked up
constexpr qsizetype kMaxRoutes = 100000;      // tokens a database knows
constexpr qsizetype kMaxUnknown = 10000;      // tokens none knows
constexpr qsizetype kLookupBatch = 200;       // tokens per query
constexpr qint64 kRetryFailedLookupMs = 1000; // a refresh that could not ask every database

} // namespace

// One database's lookups: its queue of tokens, its thread (which holds its connection).
struct PartitionRouter::Worker
{
    int partition = 0;
    std::deque<QByteArray> queue;
    std::condition_variable wake;
    std::thread thread;
};

PartitionRouter::PartitionRouter(std::vector<EventSink *> writers, Options options)
    : m_writers(std::move(writers))
    , m_options(std::move(options))
{
    m_clock.start();
    for (size_t i = 0; i < m_writers.size(); ++i) {
        m_workers.push_back(std::make_unique<Worker>());
        m_workers.back()->partition = int(i);
    }
}

PartitionRouter::~PartitionRouter()
{
    stop();
}

void PartitionRouter::start()
{
    for (auto &worker : m_workers)
        worker->thread = std::thread([this, w = worker.get()] { runWorker(*w); });
}

void PartitionRouter::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    for (auto &worker : m_workers)
        worker->wake.notify_all();
    for (auto &worker : m_workers) {
        if (worker->thread.joinable())
            worker->thread.join();
    }
    std::vector<Answer> answers;
    {
        std::lock_guard lock(m_mutex);
        const IngestReply unavailable{IngestReply::Status::Unavailable,
                                      {},
                                      u"the agent is stopping"_s,
                                      m_options.retryAfterSeconds};
        for (Pending &pending : m_pending) {
            for (Parked &p : pending.parked)
                answers.push_back({std::move(p.requests), unavailable});
        }
        m_pending.clear();
        m_parkedRequests = 0;
        m_newTokens = 0;
    }
    answerAll(answers);
}

void PartitionRouter::answerAll(std::vector<Answer> &answers)
{
    for (Answer &a : answers) {
        for (WriteRequest &r : a.requests) {
            if (r.done)
                r.done(a.reply);
        }
    }
    answers.clear();
}

bool PartitionRouter::submit(std::vector<WriteRequest> &&requests, quint64 shardKey)
{
    if (requests.empty())
        return true;
    const WriteRequest &first = requests.front();
    if (first.tokenHash.isEmpty()) // placed by its front end (ZeroMQ CURVE), or main's own
        return m_writers[size_t(std::max(first.partition, 0))]->submit(std::move(requests),
                                                                       shardKey);
    const QByteArray hash = first.tokenHash;
    const auto n = qsizetype(requests.size());
    std::vector<Answer> answers;
    bool taken = false;
    {
        std::lock_guard lock(m_mutex);
        if (m_stop)
            return false;
        if (auto route = m_routes.find(hash); route != m_routes.end()) {
            if (route->expiresAt <= m_clock.elapsed() && !route->refreshing) {
                route->refreshing = true;
                lookUp(hash, Pending{});
            }
            taken = deliver(*route, std::move(requests), shardKey, answers);
        } else if (auto pending = m_pending.find(hash); pending != m_pending.end()) {
            taken = m_parkedRequests + n <= kMaxParkedRequests &&
                    pending->parked.size() < size_t(kMaxParkedPerToken);
            if (taken) {
                m_parkedRequests += n;
                pending->parked.push_back({std::move(requests), shardKey});
            }
        } else if (auto unknown = m_unknown.find(hash);
                   unknown != m_unknown.end() && *unknown > m_clock.elapsed()) {
            return m_writers.front()->submit(std::move(requests), shardKey); // answers 401
        } else {
            taken = m_newTokens < kMaxNewTokens && m_parkedRequests + n <= kMaxParkedRequests;
            if (taken) {
                m_parkedRequests += n;
                ++m_newTokens;
                Pending fresh;
                fresh.fresh = true;
                fresh.parked.push_back({std::move(requests), shardKey});
                lookUp(hash, std::move(fresh));
            }
        }
    }
    answerAll(answers);
    return taken;
}

void PartitionRouter::lookUp(const QByteArray &hash, Pending pending)
{
    pending.unanswered = int(m_workers.size());
    m_pending.emplace(hash, std::move(pending));
    for (auto &worker : m_workers) {
        worker->queue.push_back(hash);
        worker->wake.notify_one();
    }
}

bool PartitionRouter::deliver(const Route &route, std::vector<WriteRequest> &&requests,
                              quint64 shardKey, std::vector<Answer> &answers)
{
    if (route.partition < 0) {
        answers.push_back(
            {std::move(requests), {IngestReply::Status::Unauthorized, {}, route.refusal}});
        return true;
    }
    return m_writers[size_t(route.partition)]->submit(std::move(requests), shardKey);
}

// Up to a batch of the tokens still being looked up (a database that answers late finds most
// of its queue settled by the others).
QList<QByteArray> PartitionRouter::takeWork(Worker &worker)
{
    QList<QByteArray> hashes;
    while (!worker.queue.empty() && hashes.size() < kLookupBatch) {
        if (m_pending.contains(worker.queue.front()))
            hashes.append(worker.queue.front());
        worker.queue.pop_front();
    }
    return hashes;
}

void PartitionRouter::runWorker(Worker &worker)
{
    store::PgConnection db; // paced by its own reconnect backoff while the database is away
    const QString url = m_options.databaseUrls.value(worker.partition);
    std::vector<Answer> answers;
    std::unique_lock lock(m_mutex);
    for (;;) {
        worker.wake.wait(lock, [&] { return m_stop || !worker.queue.empty(); });
        if (m_stop)
            return;
        const QList<QByteArray> hashes = takeWork(worker);
        if (hashes.isEmpty())
            continue;
        lock.unlock();
        std::optional<QHash<QByteArray, QString>> tenants;
        if (db.isOpen() || db.open(url, m_options.connectTimeoutSeconds)) {
            if (auto found = store::IngestStore(db).tokenTenantNames(hashes))
                tenants = *std::move(found);
            else
                db.close();
        }
        lock.lock();
        record(worker.partition, hashes, tenants, answers);
        lock.unlock();
        answerAll(answers);
        lock.lock();
    }
}

void PartitionRouter::record(int partition, const QList<QByteArray> &hashes,
                             const std::optional<QHash<QByteArray, QString>> &tenants,
                             std::vector<Answer> &answers)
{
    for (const QByteArray &hash : hashes) {
        auto pending = m_pending.find(hash);
        if (pending == m_pending.end())
            continue; // another database settled it
        if (tenants && tenants->contains(hash)) {
            settle(hash, *pending, placed(partition, tenants->value(hash)), answers);
            continue;
        }
        pending->failed = pending->failed || !tenants;
        if (--pending->unanswered == 0)
            settle(hash, *pending, std::nullopt, answers);
    }
}

// Where the requests of a token `holder`'s database knows go: there, when the configuration
// places its tenant there; refused otherwise.
PartitionRouter::Route PartitionRouter::placed(int holder, const QString &tenant) const
{
    Route route;
    route.expiresAt = m_clock.elapsed() + m_options.refreshMs;
    const int placedIn = m_options.partitionOf(tenant);
    if (placedIn == holder) {
        route.partition = holder;
        return route;
    }
    route.partition = -1;
    route.refusal =
        u"tenant %1 is kept in partition %2's database, but database.partitions "
        "places it in %3: ask the operator to move the tenant or correct the "
        "setting"_s.arg(tenant, m_options.names.value(holder), m_options.names.value(placedIn));
    return route;
}

// A token no database knows goes to main (whose writer answers 401) unless a database could
// not be asked: then it is not known yet (503), and a route it had keeps serving a while.
void PartitionRouter::settle(const QByteArray &hash, Pending &pending, std::optional<Route> route,
                             std::vector<Answer> &answers)
{
    std::vector<Parked> parked = std::move(pending.parked);
    const bool failed = pending.failed;
    if (pending.fresh)
        --m_newTokens;
    m_pending.remove(hash);
    for (const Parked &p : parked)
        m_parkedRequests -= qsizetype(p.requests.size());
    auto known = m_routes.find(hash);
    if (!route && failed) {
        if (known != m_routes.end()) {
            known->refreshing = false;
            known->expiresAt = m_clock.elapsed() + kRetryFailedLookupMs;
        }
        for (Parked &p : parked)
            answers.push_back({std::move(p.requests),
                               {IngestReply::Status::Unavailable,
                                {},
                                u"a partition's database is unreachable"_s,
                                m_options.retryAfterSeconds}});
        return;
    }
    if (!route) {
        if (known != m_routes.end())
            m_routes.erase(known); // revoked everywhere
        if (m_unknown.size() >= kMaxUnknown)
            m_unknown.clear(); // made-up tokens: forget them rather than grow
        m_unknown.insert(hash, m_clock.elapsed() + m_options.refreshMs);
        route = Route{.partition = 0, .refusal = {}, .expiresAt = 0, .refreshing = false};
    } else {
        if (route->partition < 0)
            qCCritical(lcIngest).noquote() << "producer token refused:" << route->refusal;
        if (m_routes.size() >= kMaxRoutes && known == m_routes.end())
            m_routes.clear(); // more real tokens than this: look them up again
        m_routes.insert(hash, *route);
        m_unknown.remove(hash);
    }
    bool refused = false; // once one is refused, the ones after it too: they keep their order
    for (Parked &p : parked) {
        if (refused || !deliver(*route, std::move(p.requests), p.shardKey, answers)) {
            refused = true; // left untouched by the writer
            answers.push_back({std::move(p.requests),
                               {IngestReply::Status::Unavailable,
                                {},
                                u"the agent's queue is full"_s,
                                m_options.retryAfterSeconds}});
        }
    }
}

} // namespace ferry::agent::ingest
