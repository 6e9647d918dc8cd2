#include "agent/ingest/batchwriter.h"

#include "agent/app/logging.h"
#include "agent/store/publicerror.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QTimeZone>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <thread>

using namespace Qt::StringLiterals;

namespace ferry::agent::ingest {

namespace {

// Why the event store refused an event, as its producer may read it: PostgreSQL's own text
// stays in the log under the reference (store::publicError()).
QString refusedMessage(const Error &error, const QString &what)
{
    return u"the event store refused %1: %2"_s.arg(
        what, store::publicError(error, u"ingest commit"_s).message);
}
constexpr qint64 kUnknownTokenTtlMs = 2'000;

// Runs `query` (returning a Result) on a lane's connection. A connection that the server
// dropped while the lane sat idle (a restart, a failover) is found by its first statement:
// `reopen` then opens a fresh one and the query runs once more. That is safe for the commit
// too: every event carries its idempotency key, so a batch whose commit did land before the
// loss is answered as duplicates of itself.
template <typename Query, typename Reopen>
auto onceMoreIfLost(store::PgConnection &db, Reopen &&reopen, Query &&query) -> decltype(query())
{
    auto result = query();
    if (result || !result.error().connectionLost)
        return result;
    db.close();
    if (!reopen())
        return result;
    result = query();
    if (!result && result.error().connectionLost)
        db.close();
    return result;
}
} // namespace

// One lane: a queue, the thread that drains it, and that thread's PostgreSQL connection.
struct BatchWriter::Lane
{
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<std::vector<WriteRequest>> queue; // one entry per submit()
    bool stopping = false;
    std::thread thread;

    // Read by unready() on other threads.
    std::atomic<qint64> beat{0}; // steady ms of the last turn of the loop
    std::atomic<bool> databaseUp{false};

    // Lane-thread state.
    store::PgConnection db;
    QElapsedTimer sincePing;
    QString lastConnectError;
};

BatchWriter::BatchWriter(Options options)
    : m_options(std::move(options))
{
    m_options.writers = std::clamp(m_options.writers, 1, 16);
    for (int i = 0; i < m_options.writers; ++i)
        m_lanes.push_back(std::make_unique<Lane>());
    m_clock.start();
}

BatchWriter::~BatchWriter()
{
    stop();
}

void BatchWriter::start()
{
    m_stopping = false;
    if (!m_shares && !m_options.agentId.isEmpty())
        m_shares = std::make_unique<RateShares>(RateShares::Options{
            .databaseUrl = m_options.databaseUrl,
            .connectTimeoutSeconds = m_options.connectTimeoutSeconds,
            .agentId = m_options.agentId,
            .intervalMs = m_options.quotaShareIntervalMs,
            .collect = [this] { return collectAsked(); },
            .apply = [this](const QHash<qint64, double> &shares, int live,
                            qint64 validMs) { applyShares(shares, live, validMs); }});
    if (m_shares)
        m_shares->start(); // again after a stop()
    for (auto &lane : m_lanes) {
        if (lane->thread.joinable())
            continue;
        {
            std::lock_guard lock(lane->mutex);
            lane->stopping = false;
        }
        Lane *l = lane.get();
        lane->thread = std::thread([this, l] { run(*l); });
    }
}

void BatchWriter::stop()
{
    m_stopping = true;
    for (auto &lane : m_lanes) {
        {
            std::lock_guard lock(lane->mutex);
            lane->stopping = true;
        }
        lane->wake.notify_all();
    }
    for (auto &lane : m_lanes) {
        if (lane->thread.joinable())
            lane->thread.join();
    }
    if (m_shares)
        m_shares->stop();
}

bool BatchWriter::submit(std::vector<WriteRequest> &&requests, quint64 shardKey)
{
    const auto n = qsizetype(requests.size());
    if (m_stopping)
        return false;
    // Reserve room first, so that concurrent submitters cannot pass the limit together.
    if (m_queuedEvents.fetch_add(n) + n > m_options.queueLimit) {
        m_queuedEvents.fetch_sub(n);
        return false;
    }
    Lane &lane = *m_lanes[size_t(shardKey % m_lanes.size())];
    {
        std::lock_guard lock(lane.mutex);
        if (lane.stopping) {
            m_queuedEvents.fetch_sub(n);
            return false;
        }
        lane.queue.push_back(std::move(requests));
    }
    lane.wake.notify_one();
    return true;
}

void BatchWriter::setCommitListener(std::function<void(qint64)> listener)
{
    m_commitListener = std::move(listener);
}

qsizetype BatchWriter::queued() const
{
    return m_queuedEvents.load();
}

void BatchWriter::run(Lane &lane)
{
    for (;;) {
        std::vector<WriteRequest> batch;
        {
            std::unique_lock lock(lane.mutex);
            lane.beat = QDeadlineTimer::current().deadline();
            if (!lane.wake.wait_for(lock, std::chrono::seconds(1),
                                    [&lane] { return lane.stopping || !lane.queue.empty(); })) {
                lock.unlock();
                idleCheck(lane);
                continue;
            }
            if (lane.queue.empty() && lane.stopping)
                break;
            // Whole submissions only, so that one request's events share one transaction.
            while (
                !lane.queue.empty() &&
                (batch.empty() || qsizetype(batch.size()) + qsizetype(lane.queue.front().size()) <=
                                      m_options.maxBatch)) {
                auto &group = lane.queue.front();
                for (auto &r : group)
                    batch.push_back(std::move(r));
                lane.queue.pop_front();
            }
        }
        m_queuedEvents.fetch_sub(qsizetype(batch.size()));
        processBatch(lane, batch);
        lane.databaseUp = lane.db.isOpen();
    }
    lane.db.close();
}

void BatchWriter::idleCheck(Lane &lane)
{
    constexpr qint64 kPingEveryMs = 5000;
    if (!lane.db.isOpen()) {
        ensureConnected(lane);
    } else if (!lane.sincePing.isValid() || lane.sincePing.elapsed() >= kPingEveryMs) {
        lane.sincePing.start();
        lane.db.ping();
    }
    lane.databaseUp = lane.db.isOpen();
}

QString BatchWriter::unready(qint64 stuckMs) const
{
    for (size_t i = 0; i < m_lanes.size(); ++i) {
        if (!m_lanes[i]->databaseUp)
            return u"batch writer lane %1 cannot reach PostgreSQL"_s.arg(i + 1);
    }
    return stalled(stuckMs);
}

QString BatchWriter::stalled(qint64 stuckMs) const
{
    const qint64 now = QDeadlineTimer::current().deadline();
    for (size_t i = 0; i < m_lanes.size(); ++i) {
        const qint64 quiet = now - m_lanes[i]->beat;
        if (quiet > stuckMs)
            return u"batch writer lane %1 has been busy for %2 s"_s.arg(i + 1).arg(quiet / 1000);
    }
    return {};
}

bool BatchWriter::ensureConnected(Lane &lane) const
{
    if (lane.db.isOpen())
        return true;
    auto opened = lane.db.open(m_options.databaseUrl, m_options.connectTimeoutSeconds);
    if (!opened) {
        if (lane.lastConnectError != opened.error().message)
            qCWarning(lcIngest).noquote() << "batch writer:" << opened.error().message;
        lane.lastConnectError = opened.error().message;
        return false;
    }
    if (!lane.lastConnectError.isEmpty())
        qCInfo(lcIngest) << "batch writer reconnected to PostgreSQL";
    lane.lastConnectError.clear();
    return true;
}

bool BatchWriter::resolveTenants(Lane &lane, std::vector<WriteRequest> &batch)
{
    const qint64 now = m_clock.elapsed();
    QList<QByteArray> unknown;
    {
        std::lock_guard lock(m_cacheMutex);
        for (auto &r : batch) {
            if (r.tokenHash.isEmpty())
                continue; // authenticated by the front end
            const auto it = m_tokens.constFind(r.tokenHash);
            if (it != m_tokens.constEnd() && it->expiresAt > now)
                r.item.tenantId = it->tenantId;
            else if (!unknown.contains(r.tokenHash))
                unknown.append(r.tokenHash);
        }
    }
    if (unknown.isEmpty())
        return true;
    auto resolved = onceMoreIfLost(
        lane.db, [&] { return ensureConnected(lane); },
        [&] { return store::IngestStore(lane.db).resolveTokens(unknown); });
    if (!resolved)
        return false;
    const auto &map = *resolved;
    std::lock_guard lock(m_cacheMutex);
    if (m_tokens.size() > 100'000)
        m_tokens.clear();
    for (const QByteArray &hash : std::as_const(unknown)) {
        const qint64 tenant = map.value(hash, 0);
        const qint64 ttl = tenant ? m_options.tenantRefreshMs
                                  : std::min(m_options.tenantRefreshMs, kUnknownTokenTtlMs);
        m_tokens.insert(hash, {tenant, now + ttl});
    }
    for (auto &r : batch) {
        if (r.item.tenantId == 0 && !r.tokenHash.isEmpty())
            r.item.tenantId = map.value(r.tokenHash, 0);
    }
    return true;
}

bool BatchWriter::refreshQuotas(Lane &lane, const std::vector<WriteRequest> &batch, qint64 now)
{
    QList<qint64> stale;
    {
        std::lock_guard lock(m_cacheMutex);
        for (const auto &r : batch) {
            const qint64 t = r.item.tenantId;
            if (t == 0 || stale.contains(t))
                continue;
            const auto it = m_quotas.constFind(t);
            if (it == m_quotas.constEnd() || it->expiresAt <= now)
                stale.append(t);
        }
    }
    if (stale.isEmpty())
        return true;
    auto loaded = onceMoreIfLost(
        lane.db, [&] { return ensureConnected(lane); },
        [&] { return store::IngestStore(lane.db).loadLimits(stale); });
    const auto schemas = loaded ? loadSchemas(lane, *loaded) : std::nullopt;
    if (!schemas)
        return false;
    const auto &map = *loaded;
    std::lock_guard lock(m_cacheMutex);
    for (qint64 t : std::as_const(stale)) {
        TenantQuota &q = m_quotas[t];
        const bool fresh = q.expiresAt == 0;
        q.limits = map.value(t);
        q.expiresAt = now + m_options.tenantRefreshMs;
        if (fresh) {
            q.tokens = double(q.limits.eventsPerSecond) * quotaShare(q, now);
            q.refilledAt = now;
        }
        const auto registry = schemas->constFind(t);
        q.schemas = registry == schemas->cend() ? nullptr
                                                : std::make_shared<const SchemaRegistry>(*registry);
    }
    return true;
}

std::optional<QHash<qint64, SchemaRegistry>>
BatchWriter::loadSchemas(Lane &lane, const QHash<qint64, store::IngestStore::TenantLimits> &limits)
{
    QList<qint64> strict;
    for (auto it = limits.cbegin(); it != limits.cend(); ++it) {
        if (it->strictSchemas)
            strict.append(it.key());
    }
    if (strict.isEmpty())
        return QHash<qint64, SchemaRegistry>();
    auto loaded = onceMoreIfLost(
        lane.db, [&] { return ensureConnected(lane); },
        [&] { return store::SchemaStore(lane.db).registries(strict); });
    if (!loaded)
        return std::nullopt;
    return registriesOf(*loaded);
}

void BatchWriter::checkSchemas(const std::vector<WriteRequest> &batch,
                               const std::vector<StrictCheck> &checks, std::vector<bool> &refused,
                               Refusals &refusals)
{
    for (const auto &[i, registry] : checks) {
        const store::IngestItem &item = batch[i].item;
        auto violation = checkSchema(*registry, item.type, item.schemaVersion, item.payload);
        if (!violation)
            continue;
        refused[i] = true;
        IngestReply reply{IngestReply::Status::SchemaMismatch, {}, violation->detail};
        reply.members = violation->members;
        refusals.emplace_back(i, std::move(reply));
    }
}

IngestReply BatchWriter::disabledReply(const store::IngestStore::TenantLimits &limits)
{
    return {IngestReply::Status::TenantDisabled,
            {},
            u"tenant '%1' is disabled; an admin enables it with PATCH /v1/tenants/%1 "
            "{\"disabled\": false}"_s.arg(limits.name)};
}

std::optional<IngestReply> BatchWriter::overQuota(TenantQuota &q, const WriteRequest &r, qint64 now,
                                                  double share)
{
    const auto &l = q.limits;
    if (l.maxPayloadBytes > 0 && r.item.payload.size() > l.maxPayloadBytes)
        return IngestReply{IngestReply::Status::TooLarge,
                           {},
                           u"the event is %1 bytes; this tenant's limit is %2 bytes per event"_s
                               .arg(r.item.payload.size())
                               .arg(l.maxPayloadBytes)};
    if (l.eventsPerSecond > 0) {
        ++q.asked;
        q.askedAt = now;
        // This agent's part of the tenant's quota; a burst of one second's worth, at least one.
        const double rate = double(l.eventsPerSecond) * share;
        const double burst = std::max(1.0, rate);
        // Lanes take their `now` before they queue for the lock, so it may be behind the last
        // refill: time is counted once, never backwards (or a second lane would refill the same
        // span again).
        if (now > q.refilledAt) {
            q.tokens = std::min(burst, q.tokens + rate * double(now - q.refilledAt) / 1000.0);
            q.refilledAt = now;
        }
        q.tokens = std::min(burst, q.tokens);
        if (q.tokens < 1.0) {
            const int wait = std::max(1, int(std::ceil((1.0 - q.tokens) / rate)));
            return IngestReply{IngestReply::Status::RateLimited,
                               {},
                               u"this tenant may send %1 events per second; slow down and retry "
                               "after the Retry-After delay"_s.arg(l.eventsPerSecond),
                               wait};
        }
        q.tokens -= 1.0;
    }
    return std::nullopt;
}

double BatchWriter::quotaShare(const TenantQuota &q, qint64 now) const
{
    return q.shareUntil > now ? q.share : 1.0 / double(m_liveAgents);
}

QList<RateShares::Asked> BatchWriter::collectAsked()
{
    // A tenant asked for lately is still reported, with no demand, so the others take the room.
    const qint64 lately =
        m_clock.elapsed() - RateShares::freshForMs(m_options.quotaShareIntervalMs);
    QList<RateShares::Asked> out;
    std::lock_guard lock(m_cacheMutex);
    for (auto it = m_quotas.begin(); it != m_quotas.end(); ++it) {
        if (it->limits.eventsPerSecond > 0 && it->askedAt >= 0 && it->askedAt > lately)
            out.append({it.key(), it->asked, it->limits.eventsPerSecond});
        it->asked = 0;
    }
    return out;
}

void BatchWriter::applyShares(const QHash<qint64, double> &shares, int liveAgents, qint64 validMs)
{
    const qint64 until = m_clock.elapsed() + validMs;
    std::lock_guard lock(m_cacheMutex);
    m_liveAgents = std::max(1, liveAgents);
    for (auto it = shares.cbegin(); it != shares.cend(); ++it) {
        const auto q = m_quotas.find(it.key());
        if (q == m_quotas.end())
            continue;
        q->share = it.value();
        q->shareUntil = until;
    }
}

std::optional<QHash<qint64, qint64>>
BatchWriter::admit(Lane &lane, std::vector<WriteRequest> &batch, std::vector<bool> &refused)
{
    const qint64 now = m_clock.elapsed();
    if (!refreshQuotas(lane, batch, now))
        return std::nullopt; // never admit a tenant whose quotas are unknown

    // Decide under the lock; check schemas and answer the refused requests after it.
    QHash<qint64, qint64> daily;
    Refusals refusals;
    std::vector<StrictCheck> strict;
    {
        std::lock_guard lock(m_cacheMutex);
        for (size_t i = 0; i < batch.size(); ++i) {
            auto &r = batch[i];
            const auto it = m_quotas.find(r.item.tenantId);
            if (r.item.tenantId == 0 || it == m_quotas.end())
                continue;
            if (it->limits.disabled && !r.agentMade) {
                refused[i] = true;
                refusals.emplace_back(i, disabledReply(it->limits));
                continue;
            }
            if (auto reply = overQuota(*it, r, now, quotaShare(*it, now))) {
                refused[i] = true;
                refusals.emplace_back(i, std::move(*reply));
                continue;
            }
            if (it->schemas)
                strict.emplace_back(i, it->schemas);
            if (it->limits.eventsPerDay > 0)
                daily.insert(r.item.tenantId, it->limits.eventsPerDay);
        }
    }
    if (!strict.empty())
        checkSchemas(batch, strict, refused, refusals);
    for (const auto &[i, reply] : refusals)
        batch[i].done(reply);
    return daily;
}

IngestReply BatchWriter::replyFor(const store::IngestOutcome &o, qint64 dailyLimit)
{
    IngestReply reply;
    reply.eventId = o.eventId;
    switch (o.kind) {
    case store::IngestOutcome::Kind::Accepted:
        reply.status = IngestReply::Status::Accepted;
        break;
    case store::IngestOutcome::Kind::Duplicate:
        reply.status = IngestReply::Status::Duplicate;
        break;
    case store::IngestOutcome::Kind::Conflict:
        reply.status = IngestReply::Status::Conflict;
        reply.message = u"this idempotency key was already used for an event with "
                        "different content; send a new key for a new event"_s;
        break;
    case store::IngestOutcome::Kind::DailyQuotaExceeded: {
        reply.status = IngestReply::Status::RateLimited;
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QDateTime midnight(now.date().addDays(1), QTime(0, 0), Qt::UTC);
        reply.retryAfterSeconds = int(std::max<qint64>(1, now.secsTo(midnight)));
        reply.message = u"this tenant reached its quota of %1 events per day (UTC); "
                        "nothing was stored"_s.arg(dailyLimit);
        break;
    }
    }
    return reply;
}

void BatchWriter::processBatch(Lane &lane, std::vector<WriteRequest> &batch)
{
    if (!ensureConnected(lane)) {
        failAll(batch, u"the event store (PostgreSQL) cannot be reached; nothing was stored"_s);
        return;
    }
    if (!resolveTenants(lane, batch)) {
        failAll(batch,
                u"the event store (PostgreSQL) could not check the token; nothing was stored"_s);
        return;
    }
    std::vector<bool> refused(batch.size(), false);
    const auto admitted = admit(lane, batch, refused);
    if (!admitted) {
        for (size_t i = 0; i < batch.size(); ++i) {
            if (!refused[i])
                batch[i].done({IngestReply::Status::Unavailable,
                               {},
                               u"the event store (PostgreSQL) could not check the tenant's "
                               "quotas and schemas; nothing was stored"_s,
                               0});
        }
        return;
    }
    Commit commit{lane, *admitted, {}, {}, {}};
    collect(batch, refused, commit);
    if (commit.items.isEmpty())
        return;
    commit.notify = notifyPayload();
    commitItems(commit);
}

void BatchWriter::failAll(std::vector<WriteRequest> &batch, const QString &message)
{
    for (auto &r : batch)
        r.done({IngestReply::Status::Unavailable, {}, message});
}

void BatchWriter::collect(std::vector<WriteRequest> &batch, const std::vector<bool> &refused,
                          Commit &commit)
{
    for (size_t i = 0; i < batch.size(); ++i) {
        auto &r = batch[i];
        if (refused[i])
            continue;
        if (r.item.tenantId == 0) {
            r.done({IngestReply::Status::Unauthorized,
                    {},
                    u"the bearer token is unknown or revoked"_s});
            continue;
        }
        commit.items.append(r.item);
        commit.owners.push_back(&r);
    }
}

QByteArray BatchWriter::notifyPayload()
{
    // At most one notification per 20 ms: a pg_notify takes a global lock at commit. Other
    // agents' missed wake-ups are caught by their poll; our own dispatcher is woken directly.
    if (m_options.agentId.isEmpty())
        return {};
    const qint64 now = m_clock.elapsed();
    qint64 last = m_lastNotifyAt.load();
    if (now - last >= 20 && m_lastNotifyAt.compare_exchange_strong(last, now))
        return m_options.agentId;
    return {};
}

void BatchWriter::commitItems(Commit &c)
{
    store::IngestStore store(c.lane.db);
    auto result = onceMoreIfLost(
        c.lane.db, [&] { return ensureConnected(c.lane); },
        [&] { return store.commitBatch(c.items, c.daily, c.notify); });
    // Serialisation failure or deadlock, or prepared statements to prepare again: nothing was
    // committed; try again a few times.
    for (int retry = 0; retry < 3; ++retry) {
        if (result)
            break;
        const Error &error = result.error();
        if (error.sqlState != "40001" && error.sqlState != "40P01" &&
            !store::isStalePreparedStatement(error))
            break;
        result = store.commitBatch(c.items, c.daily, c.notify);
    }
    if (!result && !result.error().connectionLost && c.items.size() > 1) {
        // The database refused the batch for its content: commit the events one by one so
        // that one bad event is answered on its own and the others are stored.
        qCWarning(lcIngest).noquote()
            << "batch of" << c.items.size() << "events refused:" << result.error().message
            << "- committing them one by one";
        commitOneByOne(store, c);
        return;
    }
    if (!result) {
        failCommitted(c, result.error());
        return;
    }
    const auto &committed = *result;
    for (size_t i = 0; i < c.owners.size(); ++i)
        c.owners[i]->done(
            replyFor(committed.outcomes[qsizetype(i)], c.daily.value(c.owners[i]->item.tenantId)));
    if (committed.deliveriesCreated > 0 && m_commitListener)
        m_commitListener(committed.deliveriesCreated);
}

void BatchWriter::commitOneByOne(store::IngestStore &store, Commit &c)
{
    for (qsizetype i = 0; i < c.items.size(); ++i) {
        auto one = store.commitBatch({c.items[i]}, c.daily, c.notify);
        if (!one) {
            const bool lost = one.error().connectionLost;
            c.owners[size_t(i)]->done(
                {lost ? IngestReply::Status::Unavailable : IngestReply::Status::Refused,
                 {},
                 lost ? u"the event store (PostgreSQL) cannot be reached; the event may not "
                        "have been stored: send it again"_s
                      : refusedMessage(one.error(), u"this event"_s),
                 0});
            if (lost)
                c.lane.db.close();
            continue;
        }
        const auto &o = one->outcomes.first();
        c.owners[size_t(i)]->done(replyFor(o, c.daily.value(c.items[i].tenantId)));
    }
    if (m_commitListener)
        m_commitListener(1); // some of them may have created deliveries
}

void BatchWriter::failCommitted(Commit &c, const Error &error)
{
    qCWarning(lcIngest).noquote() << "batch of" << c.items.size()
                                  << "events not committed:" << error.message;
    const QString message =
        error.connectionLost
            ? u"the event store (PostgreSQL) cannot be reached; the events may not have "
              "been stored: send them again (a resend is answered as a duplicate if they "
              "were)"_s
            : refusedMessage(error, u"the event"_s);
    for (auto *r : c.owners)
        r->done(
            {error.connectionLost ? IngestReply::Status::Unavailable : IngestReply::Status::Refused,
             {},
             message,
             0});
    if (error.connectionLost)
        c.lane.db.close();
}

} // namespace ferry::agent::ingest
