#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

#include <optional>
#include <vector>

namespace zmq {
class message_t;
}

namespace ferry::agent::ingest {

// The protocol version of a request, which its answer follows (docs/protocol.md).
enum class ZmqProtocol : quint8 { V1, V2 };

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
    int partition = -1; // with CURVE and database.partitions: the database of the key's tenant
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

// A frame's bytes, copied.
QByteArray zmqFrameBytes(const zmq::message_t &frame);

// Reads a request's header from its frames (the routing id first); checks nothing.
ZmqRequest parseZmqHeader(const std::vector<zmq::message_t> &frames);

// Every check before the events are read, in the order the protocol documents them: the
// refusal to answer with, or nothing when the events may be read. `curve`: the producer is
// the ZAP handler's (the User-Id of frame 1), otherwise the options' token.
std::optional<ZmqRefusal> checkZmqRequest(ZmqRequest &r, const std::vector<zmq::message_t> &frames,
                                          bool curve, qint64 maxMessageBytes);

} // namespace ferry::agent::ingest
