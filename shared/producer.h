#pragma once

#include "shared/ingestanswer.h"
#include "shared/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>
#include <functional>
#include <future>
#include <memory>

namespace ferry {

// Where and how a producer connects (docs/protocol.md). `ferry-agent producer add` prints these
// in the file format that fromFile() reads.
struct ProducerCredentials
{
    QStringList endpoints;      // tcp://host:7600; several agents share the load
    QByteArray serverPublicKey; // Z85; empty for plain mode
    QByteArray publicKey;       // Z85
    QByteArray secretKey;       // Z85
    QByteArray token;           // plain mode only (zmq.curve = false): a producer token

    static Result<ProducerCredentials> fromFile(const QString &path);
};

// ferry::Producer publishes CloudEvents to one or several agents over ZeroMQ (DEALER, CURVE).
// Calls are asynchronous and thread-safe; completions run on the producer's own thread.
// Requests that get no answer within `resendAfter` are sent again with the same request id and
// the same events, so the agent's dedupe turns a resend into "duplicate" instead of a second
// event; a NACK 503 is resent after its retry_after. At most `maxInFlight` requests await an
// answer at once; beyond `maxQueued` waiting requests, publish() fails at once.
//
//     ferry::Producer producer({credentials});
//     if (auto started = producer.start(); !started) { /* started.error().message */ }
//     auto done = producer.publish(R"({"specversion":"1.0","id":"42",…})");
//     ferry::PublishResult r = done.get(); // r.status 202, r.eventId
class Producer
{
public:
    struct Options
    {
        ProducerCredentials credentials;
        int maxInFlight = 1000;
        int maxQueued = 100000;
        std::chrono::milliseconds resendAfter{3000};
        std::chrono::milliseconds giveUpAfter{120000};
    };

    explicit Producer(Options options);
    ~Producer(); // close()
    Producer(const Producer &) = delete;
    Producer &operator=(const Producer &) = delete;

    Result<void> start();
    // Stops the producer; requests still unanswered complete with status 0.
    void close();

    void publish(const QByteArray &event, std::function<void(const PublishResult &)> done,
                 const QByteArray &idempotencyKey = {});
    std::future<PublishResult> publish(const QByteArray &event,
                                       const QByteArray &idempotencyKey = {});
    void publishBatch(const QList<QByteArray> &events,
                      std::function<void(const BatchPublishResult &)> done);
    std::future<BatchPublishResult> publishBatch(const QList<QByteArray> &events);

    // Requests queued or awaiting an answer.
    qsizetype outstanding() const;

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace ferry
