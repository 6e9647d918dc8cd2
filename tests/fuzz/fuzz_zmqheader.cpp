// The ZeroMQ ingest request header (ferry/1 and ferry/2, docs/protocol.md) and the checks made
// before any event is read. The first input byte's low bit says whether CURVE is on; the rest
// is the request's frames after the routing id, separated by '\n'. Invariants: a refusal is a
// 4xx problem that says why; an accepted request has a request id, a known command with 1 event
// (PUB) or 1 to 1000 (BATCH), its events within the size limit and a producer; a ferry/2 header
// written back from what was read reads the same.

#include "agent/ingest/zmqrequest.h"
#include "shared/cloudevent.h"
#include "shared/ingestanswer.h"
#include "tests/fuzz/fuzzcheck.h"

#include <zmq.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

using namespace ferry::agent::ingest;
namespace wire = ferry::wire;

namespace {

constexpr qint64 kMaxMessageBytes = 512; // small, so that inputs reach the limit

std::vector<zmq::message_t> framesOf(QByteArrayView input)
{
    std::vector<zmq::message_t> frames;
    frames.emplace_back("peer", 4); // the routing id ROUTER prepends
    while (true) {
        const qsizetype nl = input.indexOf('\n');
        const QByteArrayView frame = nl < 0 ? input : input.first(nl);
        frames.emplace_back(frame.data(), size_t(frame.size()));
        if (nl < 0)
            return frames;
        input = input.sliced(nl + 1);
    }
}

void checkParsed(const ZmqRequest &r, const std::vector<zmq::message_t> &frames)
{
    FUZZ_CHECK(r.frameCount == frames.size());
    FUZZ_CHECK(r.routing == "peer");
    FUZZ_CHECK(r.v2() == (r.version == wire::kVersion2));
    if (r.v2()) {
        FUZZ_CHECK(r.firstEvent == 2);
        FUZZ_CHECK(r.requestId.size() <= 64 && !r.requestId.contains(' '));
    }
}

void checkAccepted(const ZmqRequest &r, const std::vector<zmq::message_t> &frames)
{
    FUZZ_CHECK(!r.requestId.isEmpty() && r.requestId.size() <= 64);
    FUZZ_CHECK(r.command == wire::kPub || r.command == wire::kBatch);
    FUZZ_CHECK(r.batch ? r.eventCount() >= 1 && r.eventCount() <= 1000 : r.eventCount() == 1);
    FUZZ_CHECK(r.tenantId != 0 || !r.tokenHash.isEmpty());
    FUZZ_CHECK(r.idempotencyKey.size() <= 255 && (!r.batch || r.idempotencyKey.isEmpty()));
    qint64 total = 0;
    for (size_t i = r.firstEvent; i < frames.size(); ++i) {
        total += qint64(frames[i].size());
        (void)ferry::CloudEvent::parse(zmqFrameBytes(frames[i])); // as handleRequest() does
    }
    FUZZ_CHECK(total <= kMaxMessageBytes);
}

// A ferry/2 header written back from its parts reads the same.
void checkRewritten(const ZmqRequest &r)
{
    QByteArray header =
        wire::kVersion2.toByteArray() + ' ' + r.requestId + ' ' + r.command.toByteArray();
    if (!r.optionsBytes.isNull())
        header += ' ' + r.optionsBytes.toByteArray();
    std::vector<zmq::message_t> frames;
    frames.emplace_back("peer", 4);
    frames.emplace_back(header.constData(), size_t(header.size()));
    const ZmqRequest again = parseZmqHeader(frames);
    FUZZ_CHECK(again.v2() && again.requestId == r.requestId && again.command == r.command);
    FUZZ_CHECK(again.optionsBytes == r.optionsBytes && again.batch == r.batch);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const bool curve = data[0] & 1;
    const auto frames =
        framesOf(QByteArrayView(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1)));
    ZmqRequest request = parseZmqHeader(frames);
    checkParsed(request, frames);
    const auto refused = checkZmqRequest(request, frames, curve, kMaxMessageBytes);
    if (refused) {
        FUZZ_CHECK(refused->status >= 400 && refused->status < 500);
        FUZZ_CHECK(!refused->slug.isEmpty() && !refused->title.isEmpty() &&
                   !refused->detail.isEmpty());
        return 0;
    }
    checkAccepted(request, frames);
    if (request.v2())
        checkRewritten(request);
    return 0;
}
