#include "agent/ingest/zmqingest.h"

#include "agent/app/logging.h"
#include "agent/ingest/batchwriter.h"
#include "agent/ingest/replyjson.h"
#include "agent/ingest/writerequest.h"
#include "agent/ingest/zmqmemoryguard.h"
#include "agent/ingest/zmqrequest.h"
#include "agent/metrics/agentmetrics.h"
#include "agent/store/admin/producerkeystore.h"
#include "shared/cloudevent.h"
#include "shared/ingestanswer.h"
#include "shared/problem.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <zmq.hpp>

#include <cstring>

#include <sys/eventfd.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ferry::agent::ingest {

namespace {

using wire::kVersion1;
constexpr const char *kZapEndpoint = "inproc://zeromq.zap.01";
// How often the memory guard compares what connections sent with what was read.
constexpr int kGuardEveryMs = 20;

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonObject problemObject(int status, const QString &slug, const QString &title,
                          const QString &detail)
{
    return QJsonDocument::fromJson(Problem::make(status, slug, title, detail).toJson()).object();
}

} // namespace

// The sockets; created by start() on the caller's thread, then used only by the loop thread.
class ZmqIngest::Loop
{
public:
    explicit Loop(void *externalContext)
        : ownContext(externalContext ? nullptr : std::make_unique<zmq::context_t>(1))
        , context(externalContext ? externalContext : ownContext->handle())
    {}
    std::unique_ptr<zmq::context_t> ownContext;
    void *context;
    void *zap = nullptr;
    void *router = nullptr;
    void *monitor = nullptr; // the ROUTER's socket monitor: connections accepted and closed
    int monitors = 0;        // monitors made so far, for a fresh inproc endpoint each time
    std::unique_ptr<ZmqMemoryGuard> guard;

    ~Loop()
    {
        if (monitor)
            zmq_close(monitor);
        if (router)
            zmq_close(router);
        if (zap)
            zmq_close(zap);
    }
};

ZmqIngest::ZmqIngest(EventSink &writer, Options options)
    : m_writer(writer)
    , m_options(std::move(options))
{}

ZmqIngest::~ZmqIngest()
{
    stop(0);
}

void ZmqIngest::post(ZmqProtocol protocol, const QByteArray &routing, const QByteArray &requestId,
                     wire::AnswerKind kind, QByteArray body)
{
    Reply r;
    if (protocol == ZmqProtocol::V2)
        r.frames = {routing, wire::encodeFrame(requestId, kind, body)};
    else
        r.frames = {routing, kVersion1.toByteArray(), requestId, wire::kindName(kind).toByteArray(),
                    std::move(body)};
    std::lock_guard lock(m_mutex);
    m_replies.append(std::move(r));
    wake();
}

void ZmqIngest::wake()
{
    // One write until the socket thread has looked: a commit of 500 answers costs one wake-up.
    if (m_woken.exchange(true))
        return;
    const quint64 one = 1;
    [[maybe_unused]] const auto n = ::write(m_wakeFd, &one, sizeof one);
}

static void *makeRouter(void *context, const ZmqIngest::Options &o, QString *error)
{
    void *s = zmq_socket(context, ZMQ_ROUTER);
    const int zero = 0;
    const int one = 1;
    const int hwm = 100000;
    // A frame larger than this drops the connection; up to maxMessageBytes gets a 413 NACK.
    const int64_t maxFrame = o.maxMessageBytes * 2 + 65536;
    zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(s, ZMQ_RCVHWM, &hwm, sizeof hwm);
    zmq_setsockopt(s, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &maxFrame, sizeof maxFrame);
    // A producer that vanished without closing (its host cut off) is dropped after 15 s of
    // silence instead of holding its connection until TCP gives up.
    const int heartbeat = 5000;
    const int silence = 15000;
    zmq_setsockopt(s, ZMQ_HEARTBEAT_IVL, &heartbeat, sizeof heartbeat);
    zmq_setsockopt(s, ZMQ_HEARTBEAT_TIMEOUT, &silence, sizeof silence);
    if (o.curve) {
        zmq_setsockopt(s, ZMQ_CURVE_SERVER, &one, sizeof one);
        zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, o.serverSecretKey.constData(), 40);
        zmq_setsockopt(s, ZMQ_ZAP_DOMAIN, "ferry", 5);
    }
    if (zmq_bind(s, o.listen.toUtf8().constData()) != 0) {
        *error = u"cannot listen on %1 (zmq.listen): %2"_s.arg(
            o.listen, QString::fromLocal8Bit(zmq_strerror(zmq_errno())));
        zmq_close(s);
        return nullptr;
    }
    return s;
}

Result<void> ZmqIngest::start(void *zapContext)
{
    m_loop = std::make_unique<Loop>(zapContext);
    if (auto bound = bindSockets(); !bound) {
        m_loop.reset();
        return bound;
    }
    m_wakeFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    m_thread = std::thread([this] { runLoop(); });
    if (m_options.curve) {
        for (int i = 0; i < databaseUrls().size(); ++i)
            m_refreshers.emplace_back([this, i] { runRefresher(i); });
    }
    qCInfo(lcIngest).noquote() << "ZeroMQ ingest on" << m_options.listen
                               << (m_options.curve ? "(CURVE)" : "(plain, producer tokens)");
    return {};
}

Result<void> ZmqIngest::bindSockets()
{
    if (m_options.curve) {
        // Fail closed: without our ZAP handler libzmq would let every CURVE client in, so the
        // ROUTER is bound only after the handler is.
        m_loop->zap = zmq_socket(m_loop->context, ZMQ_REP);
        const int zero = 0;
        zmq_setsockopt(m_loop->zap, ZMQ_LINGER, &zero, sizeof zero);
        if (zmq_bind(m_loop->zap, kZapEndpoint) != 0) {
            const QString why = QString::fromLocal8Bit(zmq_strerror(zmq_errno()));
            return makeError(u"cannot start the ZeroMQ authentication handler (%1); ZeroMQ "
                             "ingest stays closed"_s.arg(why));
        }
        refreshKeys();
    }
    QString error;
    m_loop->router = makeRouter(m_loop->context, m_options, &error);
    if (!m_loop->router)
        return makeError(error);
    m_loop->guard = std::make_unique<ZmqMemoryGuard>(
        ZmqMemoryGuard::Limits{m_options.maxUnreadPerConnection, m_options.maxUnreadTotal});
    watchConnections();
    return {};
}

void ZmqIngest::watchConnections()
{
    Loop &loop = *m_loop;
    if (loop.monitor)
        zmq_close(loop.monitor);
    loop.guard->clear();
    const QByteArray endpoint = "inproc://ferry-zmq-monitor-" + QByteArray::number(++loop.monitors);
    zmq_socket_monitor(loop.router, endpoint.constData(),
                       ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_CLOSED);
    loop.monitor = zmq_socket(loop.context, ZMQ_PAIR);
    zmq_connect(loop.monitor, endpoint.constData());
}

// Monitor events are two frames: the event (16 bits) and its value (32 bits, here the
// connection's descriptor), then the endpoint.
void ZmqIngest::readMonitor()
{
    Loop &loop = *m_loop;
    for (;;) {
        zmq::message_t event;
        zmq::message_t endpoint;
        if (zmq_msg_recv(event.handle(), loop.monitor, ZMQ_DONTWAIT) < 0)
            return;
        zmq_msg_recv(endpoint.handle(), loop.monitor, 0);
        if (event.size() < 6)
            continue;
        quint16 id = 0;
        quint32 fd = 0;
        std::memcpy(&id, event.data(), sizeof id);
        std::memcpy(&fd, static_cast<const char *>(event.data()) + 2, sizeof fd);
        if (id == ZMQ_EVENT_ACCEPTED)
            loop.guard->accepted(int(fd));
        else
            loop.guard->closed(int(fd));
    }
}

void ZmqIngest::runLoop()
{
    Loop &loop = *m_loop;
    std::vector<zmq::message_t> frames;
    QElapsedTimer sinceStop;
    QElapsedTimer sinceGuard;
    sinceGuard.start();
    for (;;) {
        const bool reading = !m_stopAccepting.load();
        zmq_pollitem_t items[4] = {
            {loop.router, 0, short(reading ? ZMQ_POLLIN : 0), 0},
            {loop.zap, 0, short(loop.zap ? ZMQ_POLLIN : 0), 0},
            {nullptr, m_wakeFd, ZMQ_POLLIN, 0},
            {loop.monitor, 0, ZMQ_POLLIN, 0},
        };
        zmq_poll(items, 4, kGuardEveryMs);
        if (items[3].revents & ZMQ_POLLIN)
            readMonitor();
        if (sinceGuard.elapsed() >= kGuardEveryMs) {
            sinceGuard.restart();
            enforceMemoryBounds();
        }
        if (items[2].revents & ZMQ_POLLIN)
            drainWakeFd();
        m_woken = false; // before taking the answers: a later one wakes us again
        if (m_rebuild.exchange(false)) {
            rebuildRouter();
            continue;
        }
        sendReplies();
        if (items[1].revents & ZMQ_POLLIN)
            handleZap(loop.zap);
        if (reading && (items[0].revents & ZMQ_POLLIN))
            readRequests(frames);
        if (m_stop.load() && stopIsDue(sinceStop))
            break;
    }
}

// Closes the connections that sent more than the agent may hold unread.
void ZmqIngest::enforceMemoryBounds()
{
    for (const int fd : m_loop->guard->enforce())
        qCWarning(lcIngest) << "ZeroMQ connection" << fd
                            << "closed: it sent more than the agent may hold unread "
                               "(zmq.max_unread_bytes, zmq.max_unread_total)";
}

void ZmqIngest::drainWakeFd() const
{
    quint64 n = 0;
    [[maybe_unused]] const auto r = ::read(m_wakeFd, &n, sizeof n);
}

// Once asked to stop: true when every request has its answer, or the grace is over.
bool ZmqIngest::stopIsDue(QElapsedTimer &sinceStop) const
{
    if (!sinceStop.isValid())
        sinceStop.start();
    return m_pending.load() == 0 || sinceStop.elapsed() > m_stopGraceMs.load();
}

void ZmqIngest::rebuildRouter()
{
    // A key was revoked: drop every connection; producers reconnect and pass through the ZAP
    // handler again, where the revoked key is refused.
    qCInfo(lcIngest) << "producer key revoked: closing all ZeroMQ connections";
    Loop &loop = *m_loop;
    zmq_close(loop.router);
    // The old listener closes asynchronously in libzmq's I/O thread: retry the bind until the
    // port is free again.
    QString why;
    QElapsedTimer retry;
    retry.start();
    while (!(loop.router = makeRouter(loop.context, m_options, &why))) {
        if (retry.elapsed() > 10000) {
            qCCritical(lcIngest).noquote() << why << "(after revoking a key)";
            retry.restart();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    watchConnections();
}

void ZmqIngest::sendReplies()
{
    // Answers from the batch writer.
    QList<Reply> replies;
    {
        std::lock_guard lock(m_mutex);
        replies.swap(m_replies);
    }
    for (const Reply &r : std::as_const(replies)) {
        for (qsizetype i = 0; i < r.frames.size(); ++i)
            zmq_send(m_loop->router, r.frames[i].constData(), size_t(r.frames[i].size()),
                     (i + 1 < r.frames.size() ? ZMQ_SNDMORE : 0) | ZMQ_DONTWAIT);
        --m_pending;
    }
}

void ZmqIngest::readRequests(std::vector<zmq::message_t> &frames)
{
    void *router = m_loop->router;
    // Level-triggered: read what is there now, bounded so replies are not starved.
    for (int budget = 0; budget < 1000; ++budget) {
        frames.clear();
        zmq::message_t part;
        int more = 0;
        size_t moreSize = sizeof more;
        if (zmq_msg_recv(part.handle(), router, ZMQ_DONTWAIT) < 0)
            break;
        m_loop->guard->consumed(zmq_msg_get(part.handle(), ZMQ_SRCFD), qint64(part.size()));
        frames.push_back(std::move(part));
        zmq_getsockopt(router, ZMQ_RCVMORE, &more, &moreSize);
        while (more) {
            zmq::message_t next;
            zmq_msg_recv(next.handle(), router, 0);
            m_loop->guard->consumed(zmq_msg_get(next.handle(), ZMQ_SRCFD), qint64(next.size()));
            frames.push_back(std::move(next));
            zmq_getsockopt(router, ZMQ_RCVMORE, &more, &moreSize);
        }
        handleRequest(frames);
    }
}

// One database's producer keys, every zmq.key_refresh, on a thread and a connection of their
// own: a partition whose database is slow or away does not hold up the others' revocations.
void ZmqIngest::runRefresher(int partition)
{
    store::PgConnection db; // paced by its own reconnect backoff while the database is away
    std::unique_lock lock(m_mutex);
    while (!m_stop.load()) {
        m_refreshWake.wait_for(lock, std::chrono::milliseconds(m_options.keyRefreshMs));
        if (m_stop.load())
            break;
        lock.unlock();
        refreshPartition(partition, db);
        lock.lock();
    }
}

QStringList ZmqIngest::databaseUrls() const
{
    return QStringList{m_options.databaseUrl} + m_options.partitionUrls;
}

Result<QHash<QByteArray, QByteArray>> ZmqIngest::loadKeys(int index, store::PgConnection &db)
{
    if (!db.isOpen()) {
        if (auto opened = db.open(databaseUrls().value(index), m_options.connectTimeoutSeconds);
            !opened)
            return opened.error();
    }
    auto loaded = store::ProducerKeyStore(db).activeKeys();
    if (!loaded) {
        db.close();
        return loaded.error();
    }
    const bool partitioned = !m_options.partitionUrls.isEmpty();
    QHash<QByteArray, QByteArray> users;
    for (auto it = loaded->constBegin(); it != loaded->constEnd(); ++it) {
        const QByteArray id = QByteArray::number(it->tenantId);
        if (!partitioned) {
            users.insert(it.key(), id);
        } else if (m_options.partitionOf(it->tenant) == index) {
            users.insert(it.key(), QByteArray::number(index) + '/' + id);
        } else if (!m_misplacedLogged[size_t(index)].contains(it.key())) {
            m_misplacedLogged[size_t(index)].insert(it.key());
            qCCritical(lcIngest).noquote()
                << "producer key" << it.key() << "of tenant" << it->tenant
                << "refused: its database is not the one database.partitions places the "
                   "tenant in";
        }
    }
    return users;
}

// Partition `index`'s keys replace its last ones (kept while its database cannot be read); a
// key gone from them closes every connection, which then authenticates again.
void ZmqIngest::refreshPartition(int index, store::PgConnection &db)
{
    auto loaded = loadKeys(index, db);
    QString &lastError = m_refreshErrors[size_t(index)];
    if (!loaded) {
        if (std::exchange(lastError, loaded.error().message) != loaded.error().message)
            qCWarning(lcIngest).noquote()
                << "producer keys not refreshed (the last ones stay):" << loaded.error().message;
        return;
    }
    if (!std::exchange(lastError, QString()).isEmpty())
        qCInfo(lcIngest) << "producer keys refreshed again";
    bool revoked = false;
    {
        std::lock_guard lock(m_mutex);
        auto &keys = m_partitionKeys[size_t(index)];
        for (auto it = keys.constBegin(); it != keys.constEnd(); ++it) {
            if (!loaded->contains(it.key()))
                revoked = true;
        }
        keys = *std::move(loaded);
        m_keys.clear();
        for (const auto &partition : m_partitionKeys)
            m_keys.insert(partition);
        m_keysLoaded = true;
    }
    if (revoked) {
        m_rebuild = true;
        if (m_wakeFd >= 0)
            wake();
    }
}

// At start, before the ROUTER is bound: every database's keys once.
void ZmqIngest::refreshKeys()
{
    const qsizetype partitions = databaseUrls().size();
    m_partitionKeys.resize(size_t(partitions));
    m_misplacedLogged.resize(size_t(partitions));
    m_refreshErrors.resize(size_t(partitions));
    for (int i = 0; i < partitions; ++i) {
        store::PgConnection db;
        refreshPartition(i, db);
    }
}

void ZmqIngest::stopAccepting()
{
    m_stopAccepting = true;
    if (m_wakeFd >= 0)
        wake();
}

void ZmqIngest::stop(qint64 graceMs)
{
    m_stopGraceMs = graceMs;
    m_stopAccepting = true;
    m_stop = true;
    m_refreshWake.notify_all();
    if (m_wakeFd >= 0)
        wake();
    if (m_thread.joinable())
        m_thread.join();
    for (auto &refresher : m_refreshers) {
        if (refresher.joinable())
            refresher.join();
    }
    m_refreshers.clear();
    m_loop.reset();
    if (m_wakeFd >= 0) {
        ::close(m_wakeFd);
        m_wakeFd = -1;
    }
}

void ZmqIngest::handleZap(void *zap)
{
    // ZAP request (RFC 27): version, request id, domain, address, identity, mechanism,
    // credentials...
    std::vector<QByteArray> f;
    int more = 1;
    size_t moreSize = sizeof more;
    while (more) {
        zmq::message_t part;
        if (zmq_msg_recv(part.handle(), zap, ZMQ_DONTWAIT) < 0)
            return;
        f.push_back(zmqFrameBytes(part));
        zmq_getsockopt(zap, ZMQ_RCVMORE, &more, &moreSize);
    }
    QByteArray status = "400";
    QByteArray text = "unknown producer key";
    QByteArray user;
    if (f.size() >= 7 && f[5] == "CURVE" && f[6].size() == 32) {
        char z85[41] = {};
        zmq_z85_encode(z85, reinterpret_cast<const uint8_t *>(f[6].constData()), 32);
        std::lock_guard lock(m_mutex);
        if (!m_keysLoaded) {
            status = "500";
            text = "producer keys not loaded";
        } else if (const auto it = m_keys.constFind(QByteArray(z85, 40)); it != m_keys.constEnd()) {
            status = "200";
            text = "OK";
            user = it.value();
        } else {
            qCInfo(lcIngest).noquote() << "refused ZeroMQ producer with unknown or revoked key"
                                       << QByteArray(z85, 40) << "from" << f[3];
        }
    }
    const QByteArray reply[] = {"1.0",       f.size() > 1 ? f[1] : QByteArray(), status, text, user,
                                QByteArray()};
    for (int i = 0; i < 6; ++i)
        zmq_send(zap, reply[i].constData(), size_t(reply[i].size()), i < 5 ? ZMQ_SNDMORE : 0);
}

// The answers of one request's events, gathered on the writer thread until the last one.
struct ZmqPending
{
    ZmqProtocol protocol = ZmqProtocol::V1;
    QByteArray routing;
    QByteArray requestId;
    QByteArray metricsTenant;
    bool batch = false;
    QList<QPair<int, QJsonObject>> results;
    // A batch item's usual answer (accepted or duplicate), written directly; its object in
    // `results` stays empty unless another item needs the JSON path.
    QList<QByteArray> direct;
    int outstanding = 0;
};

void ZmqIngest::refuse(const ZmqRequest &r, const ZmqRefusal &refusal)
{
    metrics::AgentMetrics::instance().countIngestRejection("zmq", r.metricsTenant, refusal.status,
                                                           refusal.slug);
    QJsonObject body = problemObject(refusal.status, refusal.slug, refusal.title, refusal.detail);
    for (auto it = refusal.extra.constBegin(); it != refusal.extra.constEnd(); ++it)
        body.insert(it.key(), it.value());
    ++m_pending; // balanced when sent
    post(r.protocol, r.routing, r.requestId, wire::AnswerKind::Nack, compact(body));
}

void ZmqIngest::handleRequest(std::vector<zmq::message_t> &frames)
{
    ZmqRequest request = parseZmqHeader(frames);
    if (auto refused =
            checkZmqRequest(request, frames, m_options.curve, m_options.maxMessageBytes)) {
        refuse(request, *refused);
        return;
    }
    const qsizetype eventCount = request.eventCount();
    auto pending = std::make_shared<ZmqPending>();
    pending->protocol = request.protocol;
    pending->routing = request.routing;
    pending->requestId = request.requestId;
    pending->metricsTenant = request.metricsTenant;
    pending->batch = request.batch;
    pending->results.resize(eventCount);
    if (request.batch)
        pending->direct.resize(eventCount);
    std::vector<WriteRequest> requests;
    for (qsizetype i = 0; i < eventCount; ++i) {
        auto event = CloudEvent::parse(zmqFrameBytes(frames[request.firstEvent + size_t(i)]));
        if (!event) {
            const ZmqRefusal invalid{400, u"invalid-event"_s, u"Invalid CloudEvent"_s,
                                     event.error().message};
            if (!request.batch) {
                refuse(request, invalid);
                return;
            }
            pending->results[i] = {400,
                                   problemObject(400, invalid.slug, invalid.title, invalid.detail)};
            continue;
        }
        WriteRequest r =
            makeWriteRequest(*event, request.tokenHash, request.tenantId, request.idempotencyKey);
        r.partition = request.partition;
        r.done = [this, pending, i](const IngestReply &reply) { answered(pending, i, reply); };
        requests.push_back(std::move(r));
    }
    submit(request, pending, std::move(requests));
}

void ZmqIngest::submit(const ZmqRequest &request, const std::shared_ptr<ZmqPending> &pending,
                       std::vector<WriteRequest> &&requests)
{
    pending->outstanding = int(requests.size());
    ++m_pending;
    if (requests.empty()) {
        finish(*pending);
        return;
    }
    // One lane per producer connection: its requests commit in the order they arrived.
    if (!m_writer.submit(std::move(requests), qHash(request.routing))) {
        --m_pending;
        refuse(request, {503,
                         u"overloaded"_s,
                         u"Ingest queue full"_s,
                         u"this agent has more events waiting for the database than "
                         "ingest.queue_limit allows; nothing was stored, resend after "
                         "retry_after seconds"_s,
                         {{u"retry_after"_s, m_options.retryAfterSeconds}}});
    }
}

void ZmqIngest::answered(const std::shared_ptr<ZmqPending> &pending, qsizetype i,
                         const IngestReply &reply)
{
    // Runs on the writer thread, one batch at a time: no two callbacks of one request run
    // concurrently (a request's events share one transaction).
    ZmqPending &p = *pending;
    if (reply.status == IngestReply::Status::Accepted ||
        reply.status == IngestReply::Status::Duplicate) {
        // The common answer, written directly: the same bytes as the JSON path.
        const bool dup = reply.status == IngestReply::Status::Duplicate;
        const int status = dup ? wire::kStatusDuplicate : wire::kStatusAccepted;
        QByteArray body = wire::encodeEventAck(dup, reply.eventId, true);
        if (!p.batch) {
            metrics::AgentMetrics::instance().countIngestAnswer("zmq", p.metricsTenant, status, {});
            post(p.protocol, p.routing, p.requestId, wire::AnswerKind::Ack, std::move(body));
            return;
        }
        p.results[i].first = status;
        p.direct[i] = std::move(body);
    } else {
        p.results[i] = replyObject(reply);
    }
    if (--p.outstanding == 0)
        finish(p);
}

void ZmqIngest::finish(ZmqPending &p)
{
    for (const auto &[status, answer] : p.results)
        metrics::AgentMetrics::instance().countIngestAnswer("zmq", p.metricsTenant, status, answer);
    const auto [kind, body] = p.batch ? batchAnswer(p) : singleAnswer(p);
    post(p.protocol, p.routing, p.requestId, kind, body);
}

std::pair<wire::AnswerKind, QByteArray> ZmqIngest::batchAnswer(ZmqPending &p) const
{
    const bool allUnavailable =
        std::all_of(p.results.cbegin(), p.results.cend(),
                    [](const auto &r) { return r.first == wire::kStatusUnavailable; });
    if (allUnavailable) {
        // The batch's transaction failed as a whole: a request-level NACK, resent whole.
        return {wire::AnswerKind::Nack,
                wire::encodeObject(p.results.first().second, wire::kStatusUnavailable,
                                   m_options.retryAfterSeconds)};
    }
    if (std::none_of(p.direct.cbegin(), p.direct.cend(),
                     [](const QByteArray &d) { return d.isEmpty(); })) {
        // Every item stored or a duplicate: the same bytes as the JSON path below.
        return {wire::AnswerKind::Ack, wire::encodeBatchResults(p.direct)};
    }
    QJsonArray results;
    for (qsizetype i = 0; i < p.results.size(); ++i) {
        const auto &r = p.results[i];
        QJsonObject o =
            p.direct[i].isEmpty() ? r.second : QJsonDocument::fromJson(p.direct[i]).object();
        o.insert(wire::kStatus, r.first);
        results.append(o);
    }
    return {wire::AnswerKind::Ack, compact(QJsonObject{{wire::kResults, results}})};
}

std::pair<wire::AnswerKind, QByteArray> ZmqIngest::singleAnswer(ZmqPending &p) const
{
    const auto &[status, object] = p.results.first();
    return {status >= 300 ? wire::AnswerKind::Nack : wire::AnswerKind::Ack,
            wire::encodeObject(object, status,
                               status == wire::kStatusUnavailable
                                   ? std::optional<int>(m_options.retryAfterSeconds)
                                   : std::nullopt)};
}

} // namespace ferry::agent::ingest
