#include "agent/ingest/zmqingest.h"

#include "agent/app/logging.h"
#include "agent/ingest/batchwriter.h"
#include "agent/ingest/replyjson.h"
#include "agent/ingest/writerequest.h"
#include "agent/metrics/agentmetrics.h"
#include "agent/store/admin/producerkeystore.h"
#include "shared/cloudevent.h"
#include "shared/ingestanswer.h"
#include "shared/problem.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <zmq.hpp>

#include <sys/eventfd.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ferry::agent::ingest {

namespace {

using wire::kVersion1;
using wire::kVersion2;
constexpr const char *kZapEndpoint = "inproc://zeromq.zap.01";
constexpr qsizetype kMaxRequestId = 64;
constexpr qsizetype kMaxBatch = 1000;
constexpr qsizetype kMaxIdempotencyKey = 255;

QByteArray toBytes(const zmq::message_t &m)
{
    return QByteArray(static_cast<const char *>(m.data()), qsizetype(m.size()));
}

QByteArrayView view(const zmq::message_t &m)
{
    return QByteArrayView(static_cast<const char *>(m.data()), qsizetype(m.size()));
}

// A ferry/2 request id: 1 to 64 visible ASCII characters, so that it can sit between the
// spaces of the header and of the answer.
bool isHeaderToken(QByteArrayView id)
{
    if (id.isEmpty() || id.size() > kMaxRequestId)
        return false;
    return std::all_of(id.begin(), id.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

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

    ~Loop()
    {
        if (router)
            zmq_close(router);
        if (zap)
            zmq_close(zap);
    }
};

ZmqIngest::ZmqIngest(BatchWriter &writer, Options options)
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
    if (m_options.curve)
        m_refresher = std::thread([this] { runRefresher(); });
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
    return {};
}

void ZmqIngest::runLoop()
{
    Loop &loop = *m_loop;
    std::vector<zmq::message_t> frames;
    QElapsedTimer sinceStop;
    for (;;) {
        const bool reading = !m_stopAccepting.load();
        zmq_pollitem_t items[3] = {
            {loop.router, 0, short(reading ? ZMQ_POLLIN : 0), 0},
            {loop.zap, 0, short(loop.zap ? ZMQ_POLLIN : 0), 0},
            {nullptr, m_wakeFd, ZMQ_POLLIN, 0},
        };
        zmq_poll(items, 3, 100);

        if (items[2].revents & ZMQ_POLLIN) {
            quint64 n;
            [[maybe_unused]] const auto r = ::read(m_wakeFd, &n, sizeof n);
        }
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
        if (m_stop.load()) {
            if (!sinceStop.isValid())
                sinceStop.start();
            if (m_pending.load() == 0 || sinceStop.elapsed() > m_stopGraceMs.load())
                break;
        }
    }
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
        frames.push_back(std::move(part));
        zmq_getsockopt(router, ZMQ_RCVMORE, &more, &moreSize);
        while (more) {
            zmq::message_t next;
            zmq_msg_recv(next.handle(), router, 0);
            frames.push_back(std::move(next));
            zmq_getsockopt(router, ZMQ_RCVMORE, &more, &moreSize);
        }
        handleRequest(frames);
    }
}

void ZmqIngest::runRefresher()
{
    std::unique_lock lock(m_mutex);
    while (!m_stop.load()) {
        m_refreshWake.wait_for(lock, std::chrono::milliseconds(m_options.keyRefreshMs));
        if (m_stop.load())
            break;
        lock.unlock();
        refreshKeys();
        lock.lock();
    }
}

void ZmqIngest::refreshKeys()
{
    store::PgConnection db;
    if (auto opened = db.open(m_options.databaseUrl, m_options.connectTimeoutSeconds); !opened) {
        qCWarning(lcIngest).noquote() << "producer keys not refreshed:" << opened.error().message;
        return;
    }
    auto loaded = store::ProducerKeyStore(db).activeKeys();
    if (!loaded) {
        qCWarning(lcIngest).noquote() << "producer keys not refreshed:" << loaded.error().message;
        return;
    }
    bool revoked = false;
    {
        std::lock_guard lock(m_mutex);
        if (m_keysLoaded) {
            for (auto it = m_keys.constBegin(); it != m_keys.constEnd(); ++it) {
                if (!loaded->contains(it.key()))
                    revoked = true;
            }
        }
        m_keys = std::move(*loaded);
        m_keysLoaded = true;
    }
    if (revoked) {
        m_rebuild = true;
        if (m_wakeFd >= 0)
            wake();
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
    if (m_refresher.joinable())
        m_refresher.join();
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
        f.push_back(toBytes(part));
        zmq_getsockopt(zap, ZMQ_RCVMORE, &more, &moreSize);
    }
    QByteArray status = "400", text = "unknown producer key", user;
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
            user = QByteArray::number(it.value());
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

// One request as read from its frames (docs/protocol.md):
//   ferry/1: version, request id, command, options, event...
//   ferry/2: header "ferry/2 <request id> <command>[ <options>]", event...
struct ZmqRequest
{
    ZmqProtocol protocol = ZmqProtocol::V1;
    QByteArray routing;
    QByteArray requestId;
    QByteArrayView first; // the first frame after the routing id
    QByteArrayView version;
    QByteArrayView command;
    QByteArrayView optionsBytes;
    size_t firstEvent = 5;
    size_t frameCount = 0;
    bool headerComplete = true; // ferry/2: the header has its request id and command
    bool batch = false;
    QJsonObject options;
    QString idempotencyKey;
    qint64 tenantId = 0;
    QByteArray tokenHash;
    QByteArray metricsTenant; // the tenant's key for metrics, once known

    bool v2() const { return protocol == ZmqProtocol::V2; }
    qsizetype eventCount() const { return qsizetype(frameCount - firstEvent); }
};

// Why a request is answered NACK before any event is read.
struct ZmqRefusal
{
    int status = 400;
    QString slug;
    QString title;
    QString detail;
    QJsonObject extra = {};
};

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

namespace {

using Refused = std::optional<ZmqRefusal>;

void parseV2Header(ZmqRequest &r, qsizetype firstSpace)
{
    r.firstEvent = 2;
    const QByteArrayView rest = firstSpace < 0 ? QByteArrayView() : r.first.sliced(firstSpace + 1);
    const qsizetype idEnd = rest.indexOf(' ');
    const QByteArrayView id = idEnd < 0 ? rest : rest.first(idEnd);
    // An id that cannot be echoed between spaces is answered with an empty one.
    if (isHeaderToken(id))
        r.requestId = id.toByteArray();
    if (idEnd < 0) {
        r.headerComplete = false;
        return;
    }
    const QByteArrayView tail = rest.sliced(idEnd + 1);
    const qsizetype commandEnd = tail.indexOf(' ');
    r.command = commandEnd < 0 ? tail : tail.first(commandEnd);
    if (commandEnd >= 0)
        r.optionsBytes = tail.sliced(commandEnd + 1);
    r.headerComplete = !r.command.isEmpty();
}

ZmqRequest parseHeader(const std::vector<zmq::message_t> &frames)
{
    ZmqRequest r;
    r.frameCount = frames.size();
    r.routing = toBytes(frames[0]);
    r.first = frames.size() > 1 ? view(frames[1]) : QByteArrayView();
    const qsizetype firstSpace = r.first.indexOf(' ');
    r.version = firstSpace < 0 ? r.first : r.first.first(firstSpace);
    r.protocol = r.version == kVersion2 ? ZmqProtocol::V2 : ZmqProtocol::V1;
    if (r.v2()) {
        parseV2Header(r, firstSpace);
    } else {
        r.requestId = frames.size() > 2 ? toBytes(frames[2]) : QByteArray();
        if (frames.size() > 3)
            r.command = view(frames[3]);
        if (frames.size() > 4)
            r.optionsBytes = view(frames[4]);
    }
    r.batch = r.command == wire::kBatch;
    return r;
}

Refused checkVersion(const ZmqRequest &r)
{
    if (r.v2() || r.first == kVersion1)
        return std::nullopt;
    return ZmqRefusal{
        400,
        u"unsupported-version"_s,
        u"Unsupported protocol version"_s,
        r.version == kVersion1
            ? u"a ferry/1 request's first frame is exactly 'ferry/1'; a header with the "
              "request id and command in the first frame is ferry/2 (docs/protocol.md)"_s
            : u"the first frame is '%1'; this agent speaks %2 and %3 (docs/protocol.md)"_s.arg(
                  QString::fromUtf8(r.first.first(std::min<qsizetype>(r.first.size(), 32))
                                        .toByteArray()
                                        .toPercentEncoding(" /.:")),
                  QLatin1StringView(kVersion1), QLatin1StringView(kVersion2)),
        {{u"supported_versions"_s,
          QJsonArray{QString::fromLatin1(kVersion1), QString::fromLatin1(kVersion2)}}}};
}

Refused checkRequestId(const ZmqRequest &r)
{
    if (r.v2() && r.requestId.isEmpty())
        return ZmqRefusal{
            400, u"invalid-request-id"_s, u"Invalid request id"_s,
            u"the header is 'ferry/2 <request id> <command>[ <options>]'; the request id is 1 "
            "to %1 visible ASCII characters without spaces, unique among your requests in "
            "flight"_s.arg(kMaxRequestId)};
    if (!r.v2() && (r.requestId.isEmpty() || r.requestId.size() > kMaxRequestId))
        return ZmqRefusal{
            400, u"invalid-request-id"_s, u"Invalid request id"_s,
            u"frame 2 is the request id: 1 to %1 bytes, unique among your requests in flight"_s.arg(
                kMaxRequestId)};
    return std::nullopt;
}

Refused checkFrames(const ZmqRequest &r)
{
    if (r.v2() && (!r.headerComplete || r.frameCount < 3))
        return ZmqRefusal{
            400, u"malformed-request"_s, u"Malformed request"_s,
            !r.headerComplete
                ? u"the header is 'ferry/2 <request id> <command>[ <options>]'; this one has "
                  "no command"_s
                : u"a ferry/2 request has at least 2 frames: the header, then the event; this "
                  "one has %1"_s.arg(r.frameCount - 1)};
    if (!r.v2() && r.frameCount < 6)
        return ZmqRefusal{400, u"malformed-request"_s, u"Malformed request"_s,
                          u"a request has at least 5 frames: version, request id, command, "
                          "options, event; this one has %1"_s.arg(r.frameCount - 1)};
    return std::nullopt;
}

Refused checkCommand(const ZmqRequest &r)
{
    if (!r.batch && r.command != wire::kPub)
        return ZmqRefusal{
            400, u"unknown-command"_s, u"Unknown command"_s,
            u"%1 is the command: PUB (one event) or BATCH (1 to %2 events)"_s.arg(
                r.v2() ? u"the header's third field"_s : u"frame 3"_s, QString::number(kMaxBatch))};
    const qsizetype eventCount = r.eventCount();
    if (!r.batch && eventCount != 1)
        return ZmqRefusal{400, u"malformed-request"_s, u"Malformed request"_s,
                          u"PUB carries exactly one event frame; this request has %1 (use BATCH "
                          "for several)"_s.arg(eventCount)};
    if (r.batch && eventCount > kMaxBatch)
        return ZmqRefusal{
            400, u"invalid-batch"_s, u"Invalid batch size"_s,
            u"a batch holds 1 to %1 events; this one holds %2"_s.arg(kMaxBatch).arg(eventCount)};
    return std::nullopt;
}

// Options: none, or a JSON object.
Refused parseOptions(ZmqRequest &r)
{
    if (!r.optionsBytes.isEmpty()) {
        QJsonParseError error;
        const auto doc = QJsonDocument::fromJson(r.optionsBytes.toByteArray(), &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return ZmqRefusal{
                400, u"invalid-options"_s, u"Invalid options"_s,
                r.v2() ? u"the header's options, after the command and a space, are absent or "
                         "a JSON object such as {\"idempotency_key\":\"…\"}"_s
                       : u"frame 4 is empty or a JSON object such as "
                         "{\"idempotency_key\":\"…\"}"_s};
        r.options = doc.object();
    }
    r.idempotencyKey = r.options.value(wire::kIdempotencyKey).toString();
    if (r.idempotencyKey.size() > kMaxIdempotencyKey || (r.batch && !r.idempotencyKey.isEmpty()))
        return ZmqRefusal{
            400, u"invalid-idempotency-key"_s, u"Invalid idempotency key"_s,
            r.batch ? u"idempotency_key applies to PUB; in a batch each event is deduplicated "
                      "by its source and id"_s
                    : u"idempotency_key is longer than %1 characters"_s.arg(kMaxIdempotencyKey)};
    return std::nullopt;
}

// Who is it? With CURVE, the ZAP handler's answer; without, the producer token in the options.
Refused authenticate(ZmqRequest &r, const zmq::message_t &firstFrame, bool curve)
{
    if (curve) {
        const char *user = zmq_msg_gets(firstFrame.handle(), "User-Id");
        r.tenantId = user ? QByteArrayView(user).toLongLong() : 0;
        if (r.tenantId == 0)
            return ZmqRefusal{401, u"unauthorized"_s, u"Not authenticated"_s,
                              u"this connection has no authenticated producer key"_s};
        r.metricsTenant = metrics::TenantDirectory::keyForTenantId(r.tenantId);
        return std::nullopt;
    }
    const QString token = r.options.value(wire::kToken).toString();
    if (token.isEmpty())
        return ZmqRefusal{401, u"unauthorized"_s, u"Not authenticated"_s,
                          u"this agent runs ZeroMQ without CURVE: put the producer token in the "
                          "options as {\"token\":\"fpt_…\"}"_s};
    r.tokenHash = QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256);
    r.metricsTenant = metrics::TenantDirectory::keyForTokenHash(r.tokenHash);
    return std::nullopt;
}

Refused checkSize(const std::vector<zmq::message_t> &frames, size_t firstEvent, qint64 limit)
{
    qint64 total = 0;
    for (size_t i = firstEvent; i < frames.size(); ++i)
        total += qint64(frames[i].size());
    if (total <= limit)
        return std::nullopt;
    return ZmqRefusal{413, u"payload-too-large"_s, u"Request too large"_s,
                      u"the events are %1 bytes; this agent accepts at most %2 bytes per request "
                      "(zmq.max_message_bytes): send smaller events or smaller batches"_s.arg(total)
                          .arg(limit)};
}

// Every check before the events are read, in the order the protocol documents them.
Refused checkRequest(ZmqRequest &r, const std::vector<zmq::message_t> &frames,
                     const ZmqIngest::Options &options)
{
    Refused refused = checkVersion(r);
    if (!refused)
        refused = checkRequestId(r);
    if (!refused)
        refused = checkFrames(r);
    if (!refused)
        refused = checkCommand(r);
    if (!refused)
        refused = parseOptions(r);
    if (!refused)
        refused = authenticate(r, frames[1], options.curve);
    if (!refused)
        refused = checkSize(frames, r.firstEvent, options.maxMessageBytes);
    return refused;
}

} // namespace

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
    ZmqRequest request = parseHeader(frames);
    if (auto refused = checkRequest(request, frames, m_options)) {
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
        auto event = CloudEvent::parse(toBytes(frames[request.firstEvent + size_t(i)]));
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
