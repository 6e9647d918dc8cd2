#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUuid>

#include <optional>

// The ingest wire vocabulary (docs/protocol.md) and the codec of its answers: written by the
// agent's HTTP and ZeroMQ ingest, read by ferry::Producer. Every literal of the protocol lives
// here and nowhere else.
namespace ferry {

struct PublishResult
{
    int status = 0; // 202 new, 200 duplicate; 4xx/5xx refused; 0: no answer (see error)
    QString eventId;
    bool duplicate = false;
    QString error; // the agent's problem detail, or why no answer came
    bool ok() const { return status == 200 || status == 202; }
};

struct BatchPublishResult
{
    int status = 0; // 200 when the agent answered per item; else the refusal (NACK) or 0
    QList<PublishResult> items;
    QString error;
};

} // namespace ferry

namespace ferry::wire {

// Protocol versions: the first frame (ferry/1) or the header's first field (ferry/2).
inline constexpr QByteArrayView kVersion1 = "ferry/1";
inline constexpr QByteArrayView kVersion2 = "ferry/2";
// Commands.
inline constexpr QByteArrayView kPub = "PUB";
inline constexpr QByteArrayView kBatch = "BATCH";
// Answer kinds.
inline constexpr QByteArrayView kAck = "ACK";
inline constexpr QByteArrayView kNack = "NACK";
// Request options.
inline constexpr QLatin1StringView kIdempotencyKey{"idempotency_key"};
inline constexpr QLatin1StringView kToken{"token"};
// Members of an answer's JSON body.
inline constexpr QLatin1StringView kStatus{"status"};
inline constexpr QLatin1StringView kEventId{"event_id"};
inline constexpr QLatin1StringView kDuplicate{"duplicate"};
inline constexpr QLatin1StringView kDetail{"detail"};
inline constexpr QLatin1StringView kRetryAfter{"retry_after"};
inline constexpr QLatin1StringView kResults{"results"};

// Statuses (mirroring HTTP).
inline constexpr int kStatusAccepted = 202;  // a new event, stored
inline constexpr int kStatusDuplicate = 200; // already stored
inline constexpr int kStatusPerItem = 200;   // a batch ACK: each item has its own status
inline constexpr int kStatusUnavailable = 503;

enum class AnswerKind { Ack, Nack };
QByteArrayView kindName(AnswerKind kind);

// An answer's body, decoded: how a refusal or a batch's items read.
struct Answer
{
    AnswerKind kind = AnswerKind::Nack;
    int retryAfterSeconds = 0; // NACK 503: when to send the request again
    PublishResult single;      // the answer to PUB
    BatchPublishResult batch;  // the answer to BATCH
};

// The usual answer to one event, stored or a duplicate, written without a JSON writer:
// `{"duplicate":false,"event_id":"<uuid>"}`, with `,"status":202` before the brace when
// `withStatus` (ZeroMQ; HTTP carries the status in its status line). The same bytes as
// QJsonDocument writes for the equivalent object.
QByteArray encodeEventAck(bool duplicate, const QUuid &eventId, bool withStatus);
// `{"results":[<item>,<item>,…]}` from items already encoded.
QByteArray encodeBatchResults(const QList<QByteArray> &items);
// Any other body: `object` with its status (and retry_after when given), compact JSON.
QByteArray encodeObject(QJsonObject object, int status,
                        std::optional<int> retryAfterSeconds = std::nullopt);

// A ferry/2 answer, one frame: "ferry/2 <request id> <ACK|NACK> <body>".
QByteArray encodeFrame(QByteArrayView requestId, AnswerKind kind, QByteArrayView body);
struct Frame
{
    QByteArrayView requestId;
    AnswerKind kind = AnswerKind::Nack;
    QByteArrayView body;
};
// nullopt for anything that is not a ferry/2 answer; a kind other than ACK reads as NACK.
// The views point into `message`.
std::optional<Frame> decodeFrame(QByteArrayView message);

// Decodes a body: the usual forms without a JSON parser, anything else through QJsonDocument.
// `batch`: the answer to a BATCH request.
Answer decodeBody(AnswerKind kind, QByteArrayView body, bool batch);

} // namespace ferry::wire
