#include "shared/producer.h"

#include "shared/ingestanswer.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

#include <zmq.h>

#include <atomic>
#include <cstring>
#include <deque>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <variant>

#include <sys/eventfd.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ferry {

Result<ProducerCredentials> ProducerCredentials::fromFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return makeError(
            u"cannot read producer credentials %1: %2"_s.arg(path, file.errorString()));
    ProducerCredentials c;
    int lineNo = 0;
    while (!file.atEnd()) {
        ++lineNo;
        const QByteArray line = file.readLine().trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype eq = line.indexOf('=');
        if (eq <= 0)
            return makeError(u"%1:%2: expected 'key = value'"_s.arg(path).arg(lineNo));
        const QByteArray key = line.left(eq).trimmed();
        const QByteArray value = line.mid(eq + 1).trimmed();
        if (key == "agent")
            c.endpoints.append(QString::fromUtf8(value));
        else if (key == "server_public_key")
            c.serverPublicKey = value;
        else if (key == "public_key")
            c.publicKey = value;
        else if (key == "secret_key")
            c.secretKey = value;
        else if (key == "token")
            c.token = value;
        else
            return makeError(
                u"%1:%2: unknown key '%3'"_s.arg(path).arg(lineNo).arg(QString::fromUtf8(key)));
    }
    if (c.endpoints.isEmpty())
        return makeError(u"%1 names no agent (a line 'agent = tcp://host:7600')"_s.arg(path));
    if (c.token.isEmpty() &&
        (c.serverPublicKey.size() != 40 || c.publicKey.size() != 40 || c.secretKey.size() != 40))
        return makeError(u"%1 needs server_public_key, public_key and secret_key (40-character "
                         "Z85 keys from 'ferry-agent producer add'), or a token for an agent "
                         "without CURVE"_s.arg(path));
    return c;
}

namespace {

struct Request
{
    QByteArray id;
    QByteArray headerTail;    // " <command>[ <options>]", after "ferry/2 <id>"
    QList<QByteArray> frames; // the header, events…
    bool batch = false;
    qsizetype eventCount = 1;
    std::function<void(const PublishResult &)> single;
    std::function<void(const BatchPublishResult &)> many;
    qint64 enqueuedAt = 0;
    qint64 firstSentAt = -1;
    qint64 lastSentAt = -1;
    qint64 nextSendAt = 0;
    int sends = 0;
};

} // namespace

class Producer::Private
{
public:
    explicit Private(Options o)
        : options(std::move(o))
    {}

    Options options;
    void *context = nullptr;
    void *dealer = nullptr;
    int wakeFd = -1;
    std::thread thread;
    std::atomic<bool> stopping{false};

    mutable std::mutex mutex;
    std::deque<Request> inbox;
    std::atomic<qsizetype> outstanding{0};

    // Loop-thread state.
    std::deque<Request> queued;
    QHash<QByteArray, Request> waiting; // sent, or waiting to be resent
    // No request in `waiting` is due for a resend before this time, so the loop walks the
    // whole map only when one may be (not after every answer).
    qint64 earliestDue = std::numeric_limits<qint64>::max();
    QElapsedTimer clock;
    quint32 idPrefix = QRandomGenerator::system()->generate();
    quint64 counter = 0;

    void *monitor = nullptr;
    qint64 rebuildAt = -1;
    qint64 rebuildBackoff = 1000;
    int generation = 0;

    // The DEALER socket, connected to every agent, with a monitor that reports handshakes.
    QString openSocket()
    {
        const auto &c = options.credentials;
        dealer = zmq_socket(context, ZMQ_DEALER);
        const int zero = 0;
        const int one = 1;
        const int hwm = 1000000;
        const int ivl = 100;
        const int ivlMax = 2000;
        zmq_setsockopt(dealer, ZMQ_LINGER, &zero, sizeof zero);
        zmq_setsockopt(dealer, ZMQ_IMMEDIATE, &one, sizeof one);
        zmq_setsockopt(dealer, ZMQ_SNDHWM, &hwm, sizeof hwm);
        zmq_setsockopt(dealer, ZMQ_RCVHWM, &hwm, sizeof hwm);
        zmq_setsockopt(dealer, ZMQ_RECONNECT_IVL, &ivl, sizeof ivl);
        zmq_setsockopt(dealer, ZMQ_RECONNECT_IVL_MAX, &ivlMax, sizeof ivlMax);
        // An agent whose host dropped off the network sends no RST: without heartbeats its
        // connection would take every other request until TCP gave up. A silent one is closed
        // after 3 s, new requests go to the others (ZMQ_IMMEDIATE), and what it held is resent.
        const int heartbeat = 1000;
        const int silence = 3000;
        zmq_setsockopt(dealer, ZMQ_HEARTBEAT_IVL, &heartbeat, sizeof heartbeat);
        zmq_setsockopt(dealer, ZMQ_HEARTBEAT_TIMEOUT, &silence, sizeof silence);
        zmq_setsockopt(dealer, ZMQ_CONNECT_TIMEOUT, &silence, sizeof silence);
        if (c.token.isEmpty()) {
            zmq_setsockopt(dealer, ZMQ_CURVE_SERVERKEY, c.serverPublicKey.constData(), 40);
            zmq_setsockopt(dealer, ZMQ_CURVE_PUBLICKEY, c.publicKey.constData(), 40);
            zmq_setsockopt(dealer, ZMQ_CURVE_SECRETKEY, c.secretKey.constData(), 40);
        }
        const QByteArray monitorAddress = "inproc://ferry-producer-monitor-" +
                                          QByteArray::number(quintptr(this), 16) + "-" +
                                          QByteArray::number(++generation);
        zmq_socket_monitor(dealer, monitorAddress.constData(),
                           ZMQ_EVENT_HANDSHAKE_FAILED_AUTH | ZMQ_EVENT_DISCONNECTED);
        monitor = zmq_socket(context, ZMQ_PAIR);
        zmq_setsockopt(monitor, ZMQ_LINGER, &zero, sizeof zero);
        zmq_connect(monitor, monitorAddress.constData());
        for (const QString &endpoint : c.endpoints) {
            if (zmq_connect(dealer, endpoint.toUtf8().constData()) != 0)
                return u"cannot connect to %1: %2"_s.arg(
                    endpoint, QString::fromLocal8Bit(zmq_strerror(zmq_errno())));
        }
        return {};
    }

    void closeSocket()
    {
        if (monitor)
            zmq_close(monitor);
        if (dealer)
            zmq_close(dealer);
        monitor = dealer = nullptr;
    }

    // libzmq gives up on a connection whose handshake the agent refused (an unknown or revoked
    // key). Keys can arrive later (an agent reloads them every few seconds), so the producer
    // starts over with a new socket after a growing pause; unanswered requests are resent.
    // A connection that broke (an agent that died, or fell silent past the heartbeat timeout)
    // took the answers to what was sent on it: what has waited for its answer a while is resent
    // at once, to the agents still connected, rather than after its resend timeout. (Which
    // connection a request went out on is libzmq's to know; a healthy agent answers in
    // milliseconds, so a request unanswered for kStaleAfterMs most likely went to the dead one.)
    void checkMonitor()
    {
        zmq_msg_t m;
        zmq_msg_init(&m);
        bool firstFrame = true;
        while (zmq_msg_recv(&m, monitor, ZMQ_DONTWAIT) >= 0) {
            if (firstFrame && zmq_msg_size(&m) >= 2) { // the event: uint16 id, uint32 value
                quint16 event = 0;
                std::memcpy(&event, zmq_msg_data(&m), sizeof event);
                if (event == ZMQ_EVENT_DISCONNECTED)
                    resendStaleNow();
                else if (rebuildAt < 0) {
                    rebuildAt = clock.elapsed() + rebuildBackoff;
                    rebuildBackoff = std::min<qint64>(rebuildBackoff * 2, 30000);
                }
            }
            int more = 0;
            size_t size = sizeof more;
            zmq_getsockopt(monitor, ZMQ_RCVMORE, &more, &size);
            firstFrame = !more;
        }
        zmq_msg_close(&m);
    }

    void resendStaleNow()
    {
        constexpr qint64 kStaleAfterMs = 100;
        const qint64 now = clock.elapsed();
        for (Request &r : waiting) {
            if (r.lastSentAt >= 0 && now - r.lastSentAt >= kStaleAfterMs)
                r.nextSendAt = std::min(r.nextSendAt, now);
        }
        earliestDue = std::min(earliestDue, now);
    }

    void wake() const
    {
        const quint64 one = 1;
        [[maybe_unused]] const auto n = ::write(wakeFd, &one, sizeof one);
    }

    void enqueue(Request r)
    {
        bool first = false;
        {
            std::lock_guard lock(mutex);
            r.id = QByteArray::number(idPrefix, 16) + '-' + QByteArray::number(++counter, 16);
            r.frames[0] = wire::kVersion2.toByteArray() + ' ' + r.id + r.headerTail;
            first = inbox.empty();
            inbox.push_back(std::move(r));
        }
        ++outstanding;
        // The loop takes the whole inbox after each wake-up: only the request that finds it
        // empty needs to wake it (one eventfd write per burst, not per request).
        if (first)
            wake();
    }

    void complete(Request &r, wire::Answer answer, const QString &noAnswer = {})
    {
        if (r.batch) {
            if (!noAnswer.isEmpty())
                answer.batch.error = noAnswer;
            r.many(answer.batch);
        } else {
            if (!noAnswer.isEmpty())
                answer.single.error = noAnswer;
            r.single(answer.single);
        }
        --outstanding;
    }

    bool send(Request &r)
    {
        for (qsizetype i = 0; i < r.frames.size(); ++i) {
            const int flags = (i + 1 < r.frames.size() ? ZMQ_SNDMORE : 0) | ZMQ_DONTWAIT;
            if (zmq_send(dealer, r.frames[i].constData(), size_t(r.frames[i].size()), flags) < 0)
                return false; // no agent connected yet (ZMQ_IMMEDIATE): try again later
        }
        const qint64 now = clock.elapsed();
        if (r.firstSentAt < 0)
            r.firstSentAt = now;
        r.lastSentAt = now;
        // Resends back off (×2 each, at most 30 s) so that a slow database is not flooded
        // with copies of what it is still committing.
        const qint64 wait = std::min<qint64>(options.resendAfter.count() << std::min(r.sends, 4),
                                             std::max<qint64>(30000, options.resendAfter.count()));
        ++r.sends;
        r.nextSendAt = now + wait;
        earliestDue = std::min(earliestDue, r.nextSendAt);
        return true;
    }

    // Handles one answer (docs/protocol.md, ferry/2): "ferry/2 <request id> <ACK|NACK> <JSON>".
    void answer(QByteArrayView message)
    {
        const auto frame = wire::decodeFrame(message);
        if (!frame)
            return;
        auto it =
            waiting.find(QByteArray::fromRawData(frame->requestId.data(), frame->requestId.size()));
        if (it == waiting.end())
            return; // the answer to a resend we already had an answer for
        wire::Answer answer = wire::decodeBody(frame->kind, frame->body, it->batch);
        const int status = it->batch ? answer.batch.status : answer.single.status;
        if (answer.kind == wire::AnswerKind::Nack && status == wire::kStatusUnavailable) {
            // Nothing was stored: send the same request again after the pause.
            it->nextSendAt = clock.elapsed() + std::max(100, answer.retryAfterSeconds * 1000);
            earliestDue = std::min(earliestDue, it->nextSendAt);
            return;
        }
        rebuildBackoff = 1000; // the agent accepts this producer
        Request r = std::move(*it);
        waiting.erase(it);
        complete(r, std::move(answer));
    }

    void receive()
    {
        zmq_msg_t message;
        zmq_msg_init(&message);
        while (zmq_msg_recv(&message, dealer, ZMQ_DONTWAIT) >= 0) {
            if (!zmq_msg_more(&message)) {
                answer(QByteArrayView(static_cast<const char *>(zmq_msg_data(&message)),
                                      qsizetype(zmq_msg_size(&message))));
                continue;
            }
            // Several frames: not a ferry/2 answer (an agent that speaks only ferry/1 refusing
            // the version). Skip the rest of it; the request is resent and finally given up.
            while (zmq_msg_more(&message) && zmq_msg_recv(&message, dealer, 0) >= 0) {
            }
        }
        zmq_msg_close(&message);
    }

    void drainWakeFd() const
    {
        quint64 n = 0;
        [[maybe_unused]] const auto r = ::read(wakeFd, &n, sizeof n);
    }

    // Moves what publish() handed over to the send queue.
    void takeInbox()
    {
        std::lock_guard lock(mutex);
        while (!inbox.empty()) {
            inbox.front().enqueuedAt = clock.elapsed();
            queued.push_back(std::move(inbox.front()));
            inbox.pop_front();
        }
    }

    // Resends what got no answer; gives up on what is too old.
    void resendOrGiveUp(qint64 now)
    {
        earliestDue = std::numeric_limits<qint64>::max();
        for (auto it = waiting.begin(); it != waiting.end();) {
            if (now < it->nextSendAt) {
                earliestDue = std::min(earliestDue, it->nextSendAt);
                ++it;
                continue;
            }
            if (now - it->firstSentAt > options.giveUpAfter.count()) {
                Request r = std::move(*it);
                it = waiting.erase(it);
                complete(r, {},
                         u"no answer from any agent within %1 s"_s.arg(options.giveUpAfter.count() /
                                                                       1000));
                continue;
            }
            if (!send(*it)) // no agent connected: still due
                earliestDue = std::min(earliestDue, it->nextSendAt);
            ++it;
        }
    }

    // Gives up on what waited for an agent longer than giveUpAfter.
    void expireQueued(qint64 now)
    {
        while (!queued.empty() && now - queued.front().enqueuedAt > options.giveUpAfter.count()) {
            complete(queued.front(), {},
                     u"no agent reachable within %1 s"_s.arg(options.giveUpAfter.count() / 1000));
            queued.pop_front();
        }
    }

    // Sends from the queue while fewer than maxInFlight wait for an answer.
    void sendQueued()
    {
        while (!queued.empty() && waiting.size() < options.maxInFlight) {
            Request &r = queued.front();
            if (!send(r))
                break; // no agent connected: wait for one, up to giveUpAfter
            r.firstSentAt = r.enqueuedAt;
            QByteArray id = r.id;
            waiting.emplace(std::move(id), std::move(r));
            queued.pop_front();
        }
    }

    void run()
    {
        clock.start();
        while (!stopping.load()) {
            zmq_pollitem_t items[3] = {{dealer, 0, ZMQ_POLLIN, 0},
                                       {nullptr, wakeFd, ZMQ_POLLIN, 0},
                                       {monitor, 0, ZMQ_POLLIN, 0}};
            zmq_poll(items, 3, 50);
            if (items[2].revents & ZMQ_POLLIN)
                checkMonitor();
            if (rebuildAt >= 0 && clock.elapsed() >= rebuildAt) {
                rebuildAt = -1;
                closeSocket();
                openSocket();
                continue;
            }
            if (items[1].revents & ZMQ_POLLIN)
                drainWakeFd();
            takeInbox();
            if (items[0].revents & ZMQ_POLLIN)
                receive();
            const qint64 now = clock.elapsed();
            if (now >= earliestDue)
                resendOrGiveUp(now);
            expireQueued(now);
            sendQueued();
        }
        // Closing: everything unanswered completes now.
        for (auto &r : queued)
            complete(r, {}, u"the producer was closed before an answer came"_s);
        queued.clear();
        for (auto &r : waiting)
            complete(r, {}, u"the producer was closed before an answer came"_s);
        waiting.clear();
    }
};

Producer::Producer(Options options)
    : d(std::make_unique<Private>(std::move(options)))
{}

Producer::~Producer()
{
    close();
}

Result<void> Producer::start()
{
    const auto &c = d->options.credentials;
    if (c.endpoints.isEmpty())
        return makeError(u"no agent endpoint given (tcp://host:7600)"_s);
    d->context = zmq_ctx_new();
    if (const QString error = d->openSocket(); !error.isEmpty()) {
        d->closeSocket();
        zmq_ctx_term(d->context);
        d->context = nullptr;
        return makeError(error);
    }
    d->wakeFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    d->thread = std::thread([this] { d->run(); });
    return {};
}

void Producer::close()
{
    if (!d->thread.joinable())
        return;
    d->stopping = true;
    d->wake();
    d->thread.join();
    {
        std::lock_guard lock(d->mutex);
        for (auto &r : d->inbox)
            d->complete(r, {}, u"the producer was closed before an answer came"_s);
        d->inbox.clear();
    }
    d->closeSocket();
    zmq_ctx_term(d->context);
    ::close(d->wakeFd);
    d->context = nullptr;
}

// The part of a ferry/2 header after the request id: " <command>[ <options JSON>]".
static QByteArray headerTail(QByteArrayView command, const ProducerCredentials &c,
                             const QByteArray &key)
{
    QJsonObject o;
    if (!c.token.isEmpty())
        o.insert(wire::kToken, QString::fromUtf8(c.token));
    if (!key.isEmpty())
        o.insert(wire::kIdempotencyKey, QString::fromUtf8(key));
    QByteArray tail = ' ' + command.toByteArray();
    if (!o.isEmpty())
        tail += ' ' + QJsonDocument(o).toJson(QJsonDocument::Compact);
    return tail;
}

void Producer::publish(const QByteArray &event, std::function<void(const PublishResult &)> done,
                       const QByteArray &idempotencyKey)
{
    if (d->outstanding.load() >= d->options.maxQueued || !d->thread.joinable()) {
        PublishResult r;
        r.error = d->thread.joinable() ? u"too many requests waiting (maxQueued)"_s
                                       : u"the producer is not started"_s;
        done(r);
        return;
    }
    Request r;
    r.headerTail = headerTail(wire::kPub, d->options.credentials, idempotencyKey);
    r.frames = {{}, event};
    r.single = std::move(done);
    d->enqueue(std::move(r));
}

std::future<PublishResult> Producer::publish(const QByteArray &event,
                                             const QByteArray &idempotencyKey)
{
    auto promise = std::make_shared<std::promise<PublishResult>>();
    auto future = promise->get_future();
    publish(
        event, [promise](const PublishResult &r) { promise->set_value(r); }, idempotencyKey);
    return future;
}

void Producer::publishBatch(const QList<QByteArray> &events,
                            std::function<void(const BatchPublishResult &)> done)
{
    if (d->outstanding.load() >= d->options.maxQueued || !d->thread.joinable()) {
        BatchPublishResult r;
        r.error = d->thread.joinable() ? u"too many requests waiting (maxQueued)"_s
                                       : u"the producer is not started"_s;
        done(r);
        return;
    }
    Request r;
    r.batch = true;
    r.eventCount = events.size();
    r.headerTail = headerTail(wire::kBatch, d->options.credentials, {});
    r.frames.reserve(events.size() + 1);
    r.frames.append(QByteArray());
    r.frames += events;
    r.many = std::move(done);
    d->enqueue(std::move(r));
}

std::future<BatchPublishResult> Producer::publishBatch(const QList<QByteArray> &events)
{
    auto promise = std::make_shared<std::promise<BatchPublishResult>>();
    auto future = promise->get_future();
    publishBatch(events, [promise](const BatchPublishResult &r) { promise->set_value(r); });
    return future;
}

qsizetype Producer::outstanding() const
{
    return d->outstanding.load();
}

} // namespace ferry
