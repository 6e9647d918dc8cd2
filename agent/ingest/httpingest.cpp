#include "agent/ingest/httpingest.h"

#include "agent/app/logging.h"
#include "agent/inbound/inboundreceiver.h"
#include "agent/ingest/batchwriter.h"
#include "agent/ingest/replyjson.h"
#include "agent/ingest/writerequest.h"
#include "agent/metrics/agentmetrics.h"
#include "shared/cloudevent.h"
#include "shared/ingestanswer.h"
#include "shared/problem.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>

#include <atomic>
#include <functional>
#include <mutex>

using namespace Qt::StringLiterals;

namespace ferry::agent::ingest {

// Answers from the batch writer's threads, handed to the HTTP thread in one queued call per
// wake-up instead of one per event.
struct HttpIngest::Mailbox
{
    std::mutex mutex;
    std::vector<std::function<void()>> answers;
    std::atomic<bool> posted{false};

    void post(QObject *to, std::function<void()> answer)
    {
        {
            std::lock_guard lock(mutex);
            answers.push_back(std::move(answer));
        }
        if (to && !posted.exchange(true))
            QMetaObject::invokeMethod(
                to, [this] { drain(); }, Qt::QueuedConnection);
    }
    void drain()
    {
        posted = false; // before taking them: a later answer posts again
        std::vector<std::function<void()>> taken;
        {
            std::lock_guard lock(mutex);
            taken.swap(answers);
        }
        for (auto &answer : taken)
            answer();
    }
};

namespace {

constexpr QByteArrayView kJson = "application/json";
constexpr QByteArrayView kProblem = "application/problem+json";
constexpr qsizetype kMaxIdempotencyKey = 255;
constexpr qsizetype kMaxBatchItems = 1000;

} // namespace

HttpIngest::HttpIngest(EventSink &writer, Options options, QObject *parent)
    : QObject(parent)
    , m_writer(writer)
    , m_mailbox(std::make_shared<Mailbox>())
    , m_options(std::move(options))
    , m_server(new net::HttpServer(
          m_options.limits,
          [this](net::HttpRequest &&request, net::HttpResponder responder) {
              handle(std::move(request), std::move(responder));
          },
          this))
{
    m_server->setRefusal([](int status, const QString &slug, const QString &detail) {
        metrics::AgentMetrics::instance().countIngestRejection("http", {}, status, slug);
        return net::HttpResponse{
            status, kProblem.toByteArray(),
            Problem::make(status, slug, u"Request refused"_s, detail).toJson()};
    });
    if (m_options.tls)
        m_server->setTls(*m_options.tls);
}

HttpIngest::~HttpIngest() = default;

Result<void> HttpIngest::listen(const QHostAddress &address, quint16 port)
{
    if (!m_server->listen(address, port))
        return makeError(m_server->errorString());
    return {};
}

quint16 HttpIngest::serverPort() const
{
    return m_server->serverPort();
}

void HttpIngest::stopAccepting()
{
    m_accepting = false;
    m_server->stopListening();
}

int HttpIngest::pendingResponses() const
{
    return m_pending;
}

void HttpIngest::answer(net::HttpResponder &responder, int status, const QByteArray &contentType,
                        const QByteArray &body, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    --m_pending;
    responder.respond({status, contentType, body, headers});
}

void HttpIngest::handle(net::HttpRequest &&request, net::HttpResponder responder)
{
    ++m_pending;
    const QString path = request.url.path();
    if (path == "/healthz"_L1) {
        answer(responder, 200, kJson.toByteArray(), R"({"status":"ok"})");
        return;
    }
    if (path == "/readyz"_L1) {
        const QString why = !m_accepting        ? u"the agent is shutting down"_s
                            : m_options.unready ? m_options.unready()
                                                : QString();
        QJsonObject status{{u"status"_s, why.isEmpty() ? u"ready"_s : u"not ready"_s}};
        if (!why.isEmpty())
            status.insert(u"reason"_s, why);
        else if (const QString part = m_options.degraded ? m_options.degraded() : QString();
                 !part.isEmpty())
            status.insert(u"degraded"_s, part);
        answer(responder, why.isEmpty() ? 200 : 503, kJson.toByteArray(),
               QJsonDocument(status).toJson(QJsonDocument::Compact));
        return;
    }
    if (path.startsWith("/v1/inbound/"_L1) && m_options.inbound) {
        handleInbound(std::move(request), responder);
        return;
    }
    if (path != "/v1/events"_L1) {
        answer(
            responder, 404, kProblem.toByteArray(),
            Problem::make(404, u"not-found"_s, u"Not found"_s,
                          u"no resource at %1; events go to POST /v1/events"_s.arg(path.left(200)))
                .toJson());
        return;
    }
    if (request.method != "POST") {
        answer(responder, 405, kProblem.toByteArray(),
               Problem::make(405, u"method-not-allowed"_s, u"Method not allowed"_s,
                             u"send events with POST"_s)
                   .toJson(),
               {{"Allow", "POST"}});
        return;
    }
    handleEvents(request, responder);
}

// Provider webhooks go to the inbound receiver's thread; its answer comes back through the
// mailbox, like the batch writer's.
void HttpIngest::handleInbound(net::HttpRequest &&request, net::HttpResponder &responder)
{
    auto done = [mailbox = m_mailbox, self = QPointer<HttpIngest>(this),
                 responder](const net::HttpResponse &response) mutable {
        mailbox->post(self, [self, responder, response]() mutable {
            if (self)
                --self->m_pending;
            responder.respond(response);
        });
    };
    const QString tenant = request.url.path().mid(12).section(u'/', 0, 0);
    inbound::InboundReceiver *receiver = m_options.inbound(tenant);
    if (!receiver) {
        answer(responder, 404, kProblem.toByteArray(),
               Problem::make(404, u"not-found"_s, u"Not found"_s, u"no such tenant"_s).toJson());
        return;
    }
    if (!receiver->submit(std::move(request), std::move(done)))
        answer(responder, 503, kProblem.toByteArray(),
               Problem::make(503, u"unavailable"_s, u"Unavailable"_s,
                             u"too many inbound webhooks are waiting; the provider will retry"_s)
                   .toJson(),
               {{"Retry-After", "2"}});
}

// Why a request is refused before any event reaches the batch writer.
struct HttpRefusal
{
    int status = 400;
    QString slug;
    QString title;
    QString detail;
    QList<QPair<QByteArray, QByteArray>> headers = {};
};

// The answers of one request's events, gathered until the last one.
struct HttpIngest::Pending
{
    QPointer<HttpIngest> self;
    net::HttpResponder responder;
    bool batch = false;
    QByteArray tokenHash;
    QList<QPair<int, QJsonObject>> results;
    QByteArray direct; // a single event's usual answer (stored or duplicate), written directly
    int outstanding = 0;
};

namespace {

using Refused = std::optional<HttpRefusal>;

// The authentication header present and well-formed (the token itself is checked by the batch
// writer against the database, off this thread).
Refused checkAuthorization(const net::HttpRequest &request)
{
    const QByteArray auth = request.header("authorization");
    if (auth.startsWith("Bearer ") && auth.size() > 7)
        return std::nullopt;
    return HttpRefusal{401,
                       u"unauthorized"_s,
                       u"Not authenticated"_s,
                       u"send 'Authorization: Bearer <producer token>' as printed by "
                       "'ferry-agent tenant create'"_s,
                       {{"WWW-Authenticate", "Bearer"}}};
}

// The media type: one event or a batch.
Refused checkMediaType(const net::HttpRequest &request, bool *batch)
{
    const QByteArray contentType =
        request.header("content-type").split(';').first().trimmed().toLower();
    *batch = contentType == "application/cloudevents-batch+json";
    if (*batch || contentType == "application/cloudevents+json")
        return std::nullopt;
    return HttpRefusal{
        415, u"unsupported-media-type"_s, u"Unsupported media type"_s,
        u"Content-Type '%1' is not accepted; send one event as "
        "application/cloudevents+json or several as "
        "application/cloudevents-batch+json"_s.arg(QString::fromLatin1(contentType))};
}

Refused checkIdempotencyKey(const QByteArray &idempotencyKey, bool batch)
{
    if (idempotencyKey.size() > kMaxIdempotencyKey)
        return HttpRefusal{
            400, u"invalid-idempotency-key"_s, u"Invalid Idempotency-Key"_s,
            u"the Idempotency-Key header is longer than %1 characters"_s.arg(kMaxIdempotencyKey)};
    if (batch && !idempotencyKey.isEmpty())
        return HttpRefusal{400, u"invalid-idempotency-key"_s, u"Invalid Idempotency-Key"_s,
                           u"Idempotency-Key applies to one event; in a batch each event is "
                           "deduplicated by its source and id"_s};
    return std::nullopt;
}

// A batch body: a JSON array of 1 to kMaxBatchItems objects.
Refused parseBatch(const QByteArray &body, QList<QJsonObject> *objects)
{
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray())
        return HttpRefusal{400, u"invalid-json"_s, u"Malformed batch"_s,
                           error.error != QJsonParseError::NoError
                               ? u"the body is not valid JSON: %1 at byte %2"_s.arg(
                                     error.errorString(), QString::number(error.offset))
                               : u"a batch is a JSON array of CloudEvents"_s};
    const QJsonArray array = doc.array();
    if (array.isEmpty() || array.size() > kMaxBatchItems)
        return HttpRefusal{400, u"invalid-batch"_s, u"Invalid batch size"_s,
                           u"a batch holds 1 to %1 events; this one holds %2"_s.arg(kMaxBatchItems)
                               .arg(array.size())};
    for (const auto &v : array)
        objects->append(v.toObject());
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array[i].isObject())
            return HttpRefusal{400, u"invalid-event"_s, u"Invalid CloudEvent"_s,
                               u"batch item %1 is not a JSON object"_s.arg(i)};
    }
    return std::nullopt;
}

// Every check before the events are read, in the order of the documentation.
Refused checkRequest(const net::HttpRequest &request, const QByteArray &idempotencyKey, bool *batch,
                     QList<QJsonObject> *objects)
{
    Refused refused = checkAuthorization(request);
    if (!refused)
        refused = checkMediaType(request, batch);
    if (!refused)
        refused = checkIdempotencyKey(idempotencyKey, *batch);
    if (!refused && *batch)
        refused = parseBatch(request.body, objects);
    return refused;
}

QJsonObject invalidEvent(const QString &detail)
{
    return QJsonDocument::fromJson(
               Problem::make(400, u"invalid-event"_s, u"Invalid CloudEvent"_s, detail).toJson())
        .object();
}

} // namespace

void HttpIngest::refuse(const net::HttpRequest &request, net::HttpResponder &responder,
                        const HttpRefusal &refusal)
{
    metrics::AgentMetrics::instance().countIngestRejection(
        "http", metrics::TenantDirectory::keyForAuthorization(request.header("authorization")),
        refusal.status, refusal.slug);
    answer(responder, refusal.status, kProblem.toByteArray(),
           Problem::make(refusal.status, refusal.slug, refusal.title, refusal.detail).toJson(),
           refusal.headers);
}

void HttpIngest::handleEvents(const net::HttpRequest &request, net::HttpResponder &responder)
{
    if (!m_accepting) {
        refuse(request, responder,
               {503,
                u"shutting-down"_s,
                u"Agent shutting down"_s,
                u"this agent is stopping; send the event again to another agent or later"_s,
                {{"Retry-After", QByteArray::number(m_options.retryAfterSeconds)}}});
        return;
    }
    bool batch = false;
    const QByteArray idempotencyKey = request.header("idempotency-key");
    QList<QJsonObject> objects;
    if (Refused refused = checkRequest(request, idempotencyKey, &batch, &objects)) {
        refuse(request, responder, *refused);
        return;
    }

    auto pending = std::make_shared<Pending>();
    pending->self = this;
    pending->responder = responder;
    pending->batch = batch;
    pending->tokenHash = QCryptographicHash::hash(request.header("authorization").mid(7).trimmed(),
                                                  QCryptographicHash::Sha256);
    const QString key = QString::fromUtf8(idempotencyKey);
    std::vector<WriteRequest> requests;
    const auto makeRequest = [&](const CloudEvent &event, qsizetype index) {
        WriteRequest r = makeWriteRequest(event, pending->tokenHash, 0, key);
        r.done = [mailbox = m_mailbox, pending, index](const IngestReply &reply) {
            mailbox->post(pending->self.data(),
                          [pending, index, reply] { answered(pending, index, reply); });
        };
        return r;
    };

    if (!batch) {
        auto event = CloudEvent::parse(request.body);
        if (!event) {
            refuse(request, responder,
                   {400, u"invalid-event"_s, u"Invalid CloudEvent"_s, event.error().message});
            return;
        }
        pending->results.resize(1);
        requests.push_back(makeRequest(*event, 0));
    } else {
        const bool mayContainNul = request.body.contains("\\u0000") || request.body.contains('\0');
        pending->results.resize(objects.size());
        for (qsizetype i = 0; i < objects.size(); ++i) {
            auto event = CloudEvent::fromJson(objects[i], mayContainNul);
            if (event)
                requests.push_back(makeRequest(*event, i));
            else
                pending->results[i] = {400, invalidEvent(event.error().message)};
        }
    }
    submit(request, pending, std::move(requests));
}

void HttpIngest::submit(const net::HttpRequest &request, const std::shared_ptr<Pending> &pending,
                        std::vector<WriteRequest> &&requests)
{
    pending->outstanding = int(requests.size());
    if (requests.empty()) {
        finish(*pending);
        return;
    }
    // One lane per connection: its requests commit in the order they arrived.
    if (!m_writer.submit(std::move(requests), qHash(pending->responder.connectionId()))) {
        refuse(request, pending->responder,
               {503,
                u"overloaded"_s,
                u"Ingest queue full"_s,
                u"this agent has more events waiting for the database than "
                "ingest.queue_limit allows; nothing was stored, retry after the pause"_s,
                {{"Retry-After", QByteArray::number(m_options.retryAfterSeconds)}}});
    }
}

void HttpIngest::answered(const std::shared_ptr<Pending> &pending, qsizetype index,
                          const IngestReply &reply)
{
    Pending &p = *pending;
    if (!p.batch && (reply.status == IngestReply::Status::Accepted ||
                     reply.status == IngestReply::Status::Duplicate)) {
        // The usual answer, written directly: the same bytes as the JSON path.
        const bool dup = reply.status == IngestReply::Status::Duplicate;
        p.results[index].first = dup ? wire::kStatusDuplicate : wire::kStatusAccepted;
        p.direct = wire::encodeEventAck(dup, reply.eventId, false);
    } else {
        p.results[index] = replyObject(reply);
    }
    if (--p.outstanding == 0)
        finish(p);
}

void HttpIngest::finish(Pending &p)
{
    for (const auto &[status, answer] : p.results)
        metrics::AgentMetrics::instance().countIngestAnswer(
            "http", metrics::TenantDirectory::keyForTokenHash(p.tokenHash), status, answer);
    HttpIngest *self = p.self.data();
    if (!self)
        return;
    if (p.batch) {
        QJsonArray results;
        for (const auto &r : p.results) {
            QJsonObject o = r.second;
            o.insert(wire::kStatus, r.first);
            results.append(o);
        }
        self->answer(
            p.responder, 200, kJson.toByteArray(),
            QJsonDocument(QJsonObject{{wire::kResults, results}}).toJson(QJsonDocument::Compact));
        return;
    }
    const auto &[status, object] = p.results.first();
    if (!p.direct.isEmpty()) {
        self->answer(p.responder, status, kJson.toByteArray(), p.direct);
        return;
    }
    QList<QPair<QByteArray, QByteArray>> headers;
    if (status == 503)
        headers.append({"Retry-After", QByteArray::number(self->m_options.retryAfterSeconds)});
    if (status == 401)
        headers.append({QByteArray("WWW-Authenticate"), QByteArray("Bearer")});
    if (status == 429)
        headers.append(
            {"Retry-After", QByteArray::number(object.value(wire::kRetryAfter).toInt(1))});
    QByteArray body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    if (status >= 400)
        body += '\n'; // a problem ends its line, as Problem::toJson() writes it
    self->answer(p.responder, status, status >= 400 ? kProblem.toByteArray() : kJson.toByteArray(),
                 body, headers);
}

} // namespace ferry::agent::ingest
