#include "agent/ingest/partitionrouter.h"

#include "agent/app/logging.h"
#include "agent/ingest/batchwriter.h"
#include "agent/store/hotpath/ingeststore.h"
#include "agent/store/pgconnection.h"

using namespace Qt::StringLiterals;

namespace ferry::agent::ingest {

namespace {

constexpr qsizetype kMaxParkedRequests = 10000; // waiting for a lookup, across tokens
constexpr qsizetype kMaxRoutes = 100000;        // tokens remembered
constexpr qsizetype kLookupBatch = 200;         // tokens per lookup

} // namespace

// What one round of lookups found: each token's tenant by partition, and which partitions
// could not be asked.
struct PartitionRouter::Lookup
{
    std::vector<QHash<QByteArray, QString>> tenants; // index: partition
    std::vector<bool> failed;
};

PartitionRouter::PartitionRouter(std::vector<EventSink *> writers, Options options)
    : m_writers(std::move(writers))
    , m_options(std::move(options))
{
    m_clock.start();
}

PartitionRouter::~PartitionRouter()
{
    stop();
}

void PartitionRouter::start()
{
    m_thread = std::thread([this] { run(); });
}

void PartitionRouter::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    std::lock_guard lock(m_mutex);
    const IngestReply unavailable{IngestReply::Status::Unavailable,
                                  {},
                                  u"the agent is stopping"_s,
                                  m_options.retryAfterSeconds};
    for (auto &parked : m_parked) {
        for (Parked &p : parked)
            answerAll(p.requests, unavailable);
    }
    m_parked.clear();
    m_parkedRequests = 0;
}

void PartitionRouter::answerAll(std::vector<WriteRequest> &requests, const IngestReply &reply)
{
    for (WriteRequest &r : requests) {
        if (r.done)
            r.done(reply);
    }
}

bool PartitionRouter::submit(std::vector<WriteRequest> &&requests, quint64 shardKey)
{
    if (requests.empty())
        return true;
    const WriteRequest &first = requests.front();
    if (first.tokenHash.isEmpty()) // placed by its front end (ZeroMQ CURVE), or main's own
        return m_writers[size_t(std::max(first.partition, 0))]->submit(std::move(requests),
                                                                       shardKey);
    std::lock_guard lock(m_mutex);
    if (m_stop)
        return false;
    const QByteArray &hash = first.tokenHash;
    if (auto parked = m_parked.find(hash); parked != m_parked.end()) {
        if (m_parkedRequests + qsizetype(requests.size()) > kMaxParkedRequests)
            return false;
        m_parkedRequests += qsizetype(requests.size());
        parked->push_back({std::move(requests), shardKey});
        return true;
    }
    if (auto route = m_routes.find(hash); route != m_routes.end()) {
        if (route->expiresAt <= m_clock.elapsed() && !route->refreshing) {
            route->refreshing = true;
            m_queue.push_back(hash);
            m_wake.notify_one();
        }
        return deliver(*route, std::move(requests), shardKey);
    }
    if (m_parkedRequests + qsizetype(requests.size()) > kMaxParkedRequests)
        return false;
    m_parkedRequests += qsizetype(requests.size());
    m_parked[hash].push_back({std::move(requests), shardKey});
    m_queue.push_back(hash);
    m_wake.notify_one();
    return true;
}

bool PartitionRouter::deliver(const Route &route, std::vector<WriteRequest> &&requests,
                              quint64 shardKey)
{
    if (route.partition < 0) {
        answerAll(requests, {IngestReply::Status::Unauthorized, {}, route.refusal});
        return true;
    }
    return m_writers[size_t(route.partition)]->submit(std::move(requests), shardKey);
}

void PartitionRouter::run()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_stop || !m_queue.empty(); });
        if (m_stop)
            return;
        QList<QByteArray> hashes;
        while (!m_queue.empty() && hashes.size() < kLookupBatch) {
            hashes.append(m_queue.front());
            m_queue.pop_front();
        }
        lock.unlock();
        const Lookup found = lookUp(hashes);
        lock.lock();
        settle(hashes, found);
    }
}

// Asks every partition's database which tenant holds each token; connections are kept open
// between rounds (and paced by PgConnection when a database is down).
PartitionRouter::Lookup PartitionRouter::lookUp(const QList<QByteArray> &hashes)
{
    m_connections.resize(m_writers.size());
    Lookup found;
    found.tenants.resize(m_writers.size());
    found.failed.resize(m_writers.size(), false);
    for (size_t i = 0; i < m_writers.size(); ++i) {
        auto &db = m_connections[i];
        if (!db)
            db = std::make_unique<store::PgConnection>();
        Result<QHash<QByteArray, QString>> names = makeError(u"not connected"_s);
        if (db->isOpen() ||
            db->open(m_options.databaseUrls.value(qsizetype(i)), m_options.connectTimeoutSeconds))
            names = store::IngestStore(*db).tokenTenantNames(hashes);
        if (!names) {
            found.failed[i] = true;
            db->close();
            continue;
        }
        found.tenants[i] = *std::move(names);
    }
    return found;
}

// Where a token's requests go: nullopt when no database that answered knows it.
std::optional<PartitionRouter::Route> PartitionRouter::decide(const QByteArray &hash,
                                                              const Lookup &found) const
{
    QString tenant;
    QList<int> holders;
    for (size_t i = 0; i < found.tenants.size(); ++i) {
        if (const auto it = found.tenants[i].constFind(hash); it != found.tenants[i].constEnd()) {
            holders.append(int(i));
            tenant = it.value();
        }
    }
    if (holders.isEmpty())
        return std::nullopt;
    Route route;
    route.expiresAt = m_clock.elapsed() + m_options.refreshMs;
    const int placed = m_options.partitionOf(tenant);
    if (holders.contains(placed)) {
        route.partition = placed;
        return route;
    }
    route.partition = -1;
    route.refusal = u"tenant %1 is kept in partition %2's database, but database.partitions "
                    "places it in %3: ask the operator to move the tenant or correct the "
                    "setting"_s.arg(tenant, m_options.names.value(holders.first()),
                                    m_options.names.value(placed));
    return route;
}

// Under m_mutex: the lookups' answers become routes, and what waited for them goes on. A token
// no database knows goes to main (whose writer answers 401), unless a database could not be
// asked: then it is not known yet (503), and a route it had keeps serving.
void PartitionRouter::settle(const QList<QByteArray> &hashes, const Lookup &found)
{
    const bool anyFailed = std::ranges::find(found.failed, true) != found.failed.end();
    if (m_routes.size() > kMaxRoutes)
        m_routes.clear(); // random tokens: forget them rather than grow
    for (const QByteArray &hash : hashes) {
        std::optional<Route> route = decide(hash, found);
        std::vector<Parked> parked = m_parked.take(hash);
        for (const Parked &p : parked)
            m_parkedRequests -= qsizetype(p.requests.size());
        if (!route && anyFailed) {
            if (auto old = m_routes.find(hash); old != m_routes.end()) {
                old->refreshing = false; // asked again in a while, not at the next request
                old->expiresAt = m_clock.elapsed() + std::min<qint64>(m_options.refreshMs, 1000);
            }
            for (Parked &p : parked)
                answerAll(p.requests, {IngestReply::Status::Unavailable,
                                       {},
                                       u"a partition's database is unreachable"_s,
                                       m_options.retryAfterSeconds});
            continue;
        }
        if (!route)
            route = Route{.partition = 0,
                          .refusal = {},
                          .expiresAt = m_clock.elapsed() + m_options.refreshMs,
                          .refreshing = false};
        if (route->partition < 0)
            qCCritical(lcIngest).noquote() << "producer token refused:" << route->refusal;
        m_routes.insert(hash, *route);
        for (Parked &p : parked) {
            if (!deliver(*route, std::move(p.requests), p.shardKey)) // left untouched: answer
                answerAll(p.requests, {IngestReply::Status::Unavailable,
                                       {},
                                       u"the agent's queue is full"_s,
                                       m_options.retryAfterSeconds});
        }
    }
}

} // namespace ferry::agent::ingest
