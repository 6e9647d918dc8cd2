// The HTTP/1.1 request parser on a byte stream (pipelined requests, chunked bodies, any bytes).
// The first four input bytes seed where the stream is split into reads; the rest is the stream.
// Invariants: the parser reads the same requests and ends in the same state whether the stream
// arrives in one read or in many small ones; every feed() uses at most what it was given and
// makes progress; a complete request stays within the limits and its request line is sane.

#include "agent/net/httpparser.h"
#include "tests/fuzz/fuzzcheck.h"

#include <QList>
#include <QStringList>

#include <cstddef>
#include <cstdint>
#include <random>

using ferry::agent::net::HttpParser;
using ferry::agent::net::HttpRequest;
using ferry::agent::net::HttpRequestLimits;

namespace {

HttpRequestLimits limits()
{
    HttpRequestLimits l;
    l.maxHeadBytes = 512; // small, so that inputs reach the limits
    l.maxHeaders = 8;
    l.maxBodyBytes = 1024;
    return l;
}

QByteArray describe(const HttpRequest &r)
{
    QByteArray d = r.method + ' ' + r.target + ' ' + char('0' + r.keepAlive) +
                   char('0' + r.expectContinue) + '\n';
    for (const auto &[name, value] : r.headers)
        d += name + ": " + value + '\n';
    return d + QByteArray::number(r.body.size()) + '\n' + r.body + '\n';
}

void checkRequest(const HttpRequest &r, const HttpRequestLimits &l)
{
    FUZZ_CHECK(r.body.size() <= l.maxBodyBytes);
    FUZZ_CHECK(r.headers.size() <= l.maxHeaders);
    FUZZ_CHECK(!r.method.isEmpty() && r.target.startsWith('/'));
    FUZZ_CHECK(!r.method.contains(' ') && !r.target.contains(' '));
    for (const auto &[name, value] : r.headers)
        FUZZ_CHECK(!name.isEmpty() && !value.contains('\n') && !value.contains('\r'));
}

// What a connection reads from the stream when it arrives in the given reads.
QList<QByteArray> transcript(const QList<QByteArrayView> &reads)
{
    const HttpRequestLimits l = limits();
    HttpParser parser(l);
    QList<QByteArray> out;
    for (QByteArrayView rest : reads) {
        while (!rest.isEmpty()) {
            const HttpParser::State before = parser.state();
            const qsizetype used = parser.feed(rest);
            FUZZ_CHECK(used >= 0 && used <= rest.size());
            FUZZ_CHECK(used > 0 || parser.state() != before);
            rest = rest.sliced(used);
            if (parser.state() == HttpParser::State::Done) {
                const HttpRequest r = parser.takeRequest();
                checkRequest(r, l);
                out.append(describe(r));
            } else if (parser.state() == HttpParser::State::Failed) {
                const auto &f = parser.failure();
                FUZZ_CHECK(f.status >= 400 && f.status < 600 && !f.slug.isEmpty());
                out.append("failed " + QByteArray::number(f.status) + ' ' + f.slug.toUtf8());
                return out;
            }
        }
    }
    out.append("open " + QByteArray::number(int(parser.state())) + ' ' +
               QByteArray::number(parser.bodyBytes()) + ' ' + char('0' + parser.inProgress()));
    return out;
}

QList<QByteArrayView> randomReads(QByteArrayView stream, uint32_t seed)
{
    std::minstd_rand rng(seed | 1);
    QList<QByteArrayView> reads;
    while (!stream.isEmpty()) {
        // Mostly tiny reads (split terminators and chunk lines), sometimes larger ones.
        const qsizetype cap = rng() % 4 == 0 ? 64 : 4;
        const qsizetype n = std::min<qsizetype>(stream.size(), 1 + qsizetype(rng() % cap));
        reads.append(stream.first(n));
        stream = stream.sliced(n);
    }
    return reads;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    const uint32_t seed = uint32_t(data[0]) | uint32_t(data[1]) << 8 | uint32_t(data[2]) << 16 |
                          uint32_t(data[3]) << 24;
    const QByteArrayView stream(reinterpret_cast<const char *>(data) + 4, qsizetype(size - 4));
    const QList<QByteArray> whole = transcript({stream});
    FUZZ_CHECK(transcript(randomReads(stream, seed)) == whole);
    QList<QByteArrayView> bytes;
    for (qsizetype i = 0; i < stream.size(); ++i)
        bytes.append(stream.sliced(i, 1));
    FUZZ_CHECK(transcript(bytes) == whole);
    return 0;
}
