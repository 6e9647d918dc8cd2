#include "agent/ingest/zmqrequest.h"

#include "agent/metrics/tenantdirectory.h"
#include "shared/ingestanswer.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

#include <zmq.hpp>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::agent::ingest {

namespace {

using wire::kVersion1;
using wire::kVersion2;
constexpr qsizetype kMaxRequestId = 64;
constexpr qsizetype kMaxBatch = 1000;
constexpr qsizetype kMaxIdempotencyKey = 255;

QByteArrayView view(const zmq::message_t &m)
{
    return {static_cast<const char *>(m.data()), qsizetype(m.size())};
}

// A ferry/2 request id: 1 to 64 visible ASCII characters, so that it can sit between the
// spaces of the header and of the answer.
bool isHeaderToken(QByteArrayView id)
{
    if (id.isEmpty() || id.size() > kMaxRequestId)
        return false;
    return std::all_of(id.begin(), id.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

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
        // The ZAP handler's user id: "TENANT_ID", or "PARTITION/TENANT_ID" (database.partitions).
        const QByteArrayView user = zmq_msg_gets(firstFrame.handle(), "User-Id");
        const qsizetype slash = user.indexOf('/');
        r.partition = slash < 0 ? -1 : int(user.first(slash).toLongLong());
        r.tenantId = user.sliced(slash + 1).toLongLong();
        if (r.tenantId == 0)
            return ZmqRefusal{401, u"unauthorized"_s, u"Not authenticated"_s,
                              u"this connection has no authenticated producer key"_s};
        r.metricsTenant = metrics::TenantDirectory::keyForTenantId(r.tenantId, r.partition);
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

} // namespace

QByteArray zmqFrameBytes(const zmq::message_t &frame)
{
    return {static_cast<const char *>(frame.data()), qsizetype(frame.size())};
}

ZmqRequest parseZmqHeader(const std::vector<zmq::message_t> &frames)
{
    ZmqRequest r;
    r.frameCount = frames.size();
    r.routing = zmqFrameBytes(frames[0]);
    r.first = frames.size() > 1 ? view(frames[1]) : QByteArrayView();
    const qsizetype firstSpace = r.first.indexOf(' ');
    r.version = firstSpace < 0 ? r.first : r.first.first(firstSpace);
    r.protocol = r.version == kVersion2 ? ZmqProtocol::V2 : ZmqProtocol::V1;
    if (r.v2()) {
        parseV2Header(r, firstSpace);
    } else {
        r.requestId = frames.size() > 2 ? zmqFrameBytes(frames[2]) : QByteArray();
        if (frames.size() > 3)
            r.command = view(frames[3]);
        if (frames.size() > 4)
            r.optionsBytes = view(frames[4]);
    }
    r.batch = r.command == wire::kBatch;
    return r;
}

std::optional<ZmqRefusal> checkZmqRequest(ZmqRequest &r, const std::vector<zmq::message_t> &frames,
                                          bool curve, qint64 maxMessageBytes)
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
        refused = authenticate(r, frames[1], curve);
    if (!refused)
        refused = checkSize(frames, r.firstEvent, maxMessageBytes);
    return refused;
}

} // namespace ferry::agent::ingest
