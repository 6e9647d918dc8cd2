#include "shared/ingestanswer.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace ferry::wire {

namespace {

constexpr QByteArrayView kFreshHead = R"({"duplicate":false,"event_id":")";
constexpr QByteArrayView kDuplicateHead = R"({"duplicate":true,"event_id":")";
constexpr QByteArrayView kFreshTail = R"(","status":202})";
constexpr QByteArrayView kDuplicateTail = R"(","status":200})";
constexpr QByteArrayView kResultsHead = R"({"results":[)";
constexpr QByteArrayView kResultsTail = "]}";
constexpr qsizetype kUuidLength = 36;

PublishResult itemFromObject(const QJsonObject &o)
{
    PublishResult r;
    r.status = o.value(kStatus).toInt();
    r.eventId = o.value(kEventId).toString();
    r.duplicate = o.value(kDuplicate).toBool();
    r.error = o.value(kDetail).toString();
    return r;
}

// The usual answer to one event, with its status, as encodeEventAck writes it.
std::optional<PublishResult> decodeEventAck(QByteArrayView body)
{
    const bool isDup = body.startsWith(kDuplicateHead);
    if (!isDup && !body.startsWith(kFreshHead))
        return std::nullopt;
    const qsizetype at = isDup ? kDuplicateHead.size() : kFreshHead.size();
    const QByteArrayView end = isDup ? kDuplicateTail : kFreshTail;
    if (body.size() != at + kUuidLength + end.size() || !body.endsWith(end))
        return std::nullopt;
    PublishResult r;
    r.status = isDup ? kStatusDuplicate : kStatusAccepted;
    r.duplicate = isDup;
    r.eventId = QString::fromLatin1(body.constData() + at, kUuidLength);
    return r;
}

// A batch ACK whose items are all in the usual form; nullopt for anything else.
std::optional<QList<PublishResult>> decodeBatchAck(QByteArrayView body)
{
    if (!body.startsWith(kResultsHead) || !body.endsWith(kResultsTail))
        return std::nullopt;
    QList<PublishResult> items;
    qsizetype at = kResultsHead.size();
    const qsizetype end = body.size() - kResultsTail.size();
    while (at < end) {
        const qsizetype close = body.indexOf('}', at);
        if (close < 0 || close >= end)
            return std::nullopt;
        auto item = decodeEventAck(body.sliced(at, close + 1 - at));
        if (!item)
            return std::nullopt;
        items.append(*item);
        at = close + 1;
        if (at < end && body[at++] != ',')
            return std::nullopt;
    }
    return items;
}

} // namespace

QByteArrayView kindName(AnswerKind kind)
{
    return kind == AnswerKind::Ack ? kAck : kNack;
}

QByteArray encodeEventAck(bool duplicate, const QUuid &eventId, bool withStatus)
{
    QByteArray body = (duplicate ? kDuplicateHead : kFreshHead).toByteArray();
    body += eventId.toByteArray(QUuid::WithoutBraces);
    if (withStatus)
        body += duplicate ? kDuplicateTail : kFreshTail;
    else
        body += R"("})";
    return body;
}

QByteArray encodeBatchResults(const QList<QByteArray> &items)
{
    QByteArray results = kResultsHead.toByteArray();
    results.reserve(results.size() + items.size() * 64);
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i)
            results += ',';
        results += items[i];
    }
    results += kResultsTail;
    return results;
}

QByteArray encodeObject(QJsonObject object, int status, std::optional<int> retryAfterSeconds)
{
    object.insert(kStatus, status);
    if (retryAfterSeconds)
        object.insert(kRetryAfter, *retryAfterSeconds);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray encodeFrame(QByteArrayView requestId, AnswerKind kind, QByteArrayView body)
{
    const QByteArrayView name = kindName(kind);
    QByteArray answer;
    answer.reserve(kVersion2.size() + requestId.size() + name.size() + body.size() + 3);
    answer.append(kVersion2).append(' ').append(requestId).append(' ').append(name);
    answer.append(' ').append(body);
    return answer;
}

std::optional<Frame> decodeFrame(QByteArrayView message)
{
    if (!message.startsWith(kVersion2) || !message.sliced(kVersion2.size()).startsWith(' '))
        return std::nullopt;
    message = message.sliced(kVersion2.size() + 1);
    const qsizetype idEnd = message.indexOf(' ');
    if (idEnd < 0)
        return std::nullopt;
    Frame f;
    f.requestId = message.first(idEnd);
    message = message.sliced(idEnd + 1);
    const qsizetype kindEnd = message.indexOf(' ');
    if (kindEnd < 0)
        return std::nullopt;
    const QByteArrayView kind = message.first(kindEnd);
    f.kind = kind == kAck ? AnswerKind::Ack : AnswerKind::Nack;
    f.body = message.sliced(kindEnd + 1);
    return f;
}

Answer decodeBody(AnswerKind kind, QByteArrayView body, bool batch)
{
    Answer a;
    a.kind = kind;
    if (kind == AnswerKind::Ack && !batch) {
        if (auto item = decodeEventAck(body)) {
            a.single = std::move(*item);
            return a;
        }
    } else if (kind == AnswerKind::Ack) {
        if (auto items = decodeBatchAck(body)) {
            a.batch.status = kStatusPerItem;
            a.batch.items = std::move(*items);
            return a;
        }
    }
    const QJsonObject object = QJsonDocument::fromJson(body.toByteArray()).object();
    a.retryAfterSeconds = object.value(kRetryAfter).toInt(1);
    if (!batch) {
        a.single = itemFromObject(object);
    } else if (kind == AnswerKind::Ack) {
        a.batch.status = kStatusPerItem;
        for (const auto &v : object.value(kResults).toArray())
            a.batch.items.append(itemFromObject(v.toObject()));
    } else {
        a.batch.status = object.value(kStatus).toInt();
        a.batch.error = object.value(kDetail).toString();
    }
    return a;
}

} // namespace ferry::wire
