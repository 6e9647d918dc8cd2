// CloudEvent::parse() on any body. Invariants: the fast path gives exactly what Qt's parser
// gives (fields, canonical form, content hash, or the same error); a parsed event's canonical
// form parses again to the same event (stable round trip).

#include "shared/cloudevent.h"
#include "tests/fuzz/fuzzcheck.h"

#include <QStringList>

#include <cstddef>
#include <cstdint>

using ferry::CloudEvent;

namespace {

QStringList fields(const CloudEvent &e)
{
    return {e.id,
            e.source,
            e.type,
            e.subject,
            e.partitionKey,
            e.schemaVersion,
            QString::fromLatin1(e.canonicalJson().toHex()),
            QString::fromLatin1(e.contentHash().toHex())};
}

bool same(const ferry::Result<CloudEvent> &a, const ferry::Result<CloudEvent> &b)
{
    if (a.ok() != b.ok())
        return false;
    if (!a.ok())
        return a.error().message == b.error().message && a.error().code == b.error().code;
    return fields(*a) == fields(*b);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto event = CloudEvent::parse(body);
    FUZZ_CHECK(same(event, ferry::detail::parseSlow(body)));
    if (const auto fast = ferry::detail::parseFast(body))
        FUZZ_CHECK(same(*fast, event));
    if (!event.ok())
        return 0;
    FUZZ_CHECK(event->canonical == event->canonicalJson());
    const auto again = CloudEvent::parse(event->canonical);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(fields(*again) == fields(*event));
    return 0;
}
