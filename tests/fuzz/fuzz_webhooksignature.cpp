// Standard Webhooks signing and verification. The input is "secret\nid\ntimestamp\nheader\nbody"
// (the body is the rest). Invariants: verify() accepts only when the header holds exactly the
// signature sign() makes, and never under a secret that has no key; a signature sign() made
// verifies, and no single changed character of it, no other body and no other id does.

#include "shared/webhooksignature.h"
#include "tests/fuzz/fuzzcheck.h"

#include <QList>

#include <cstddef>
#include <cstdint>
#include <optional>

using ferry::WebhookSignature;
using Verdict = WebhookSignature::Verdict;

namespace {

constexpr qint64 kNow = 1'700'000'000;

struct Input
{
    QByteArray secret, id, timestamp, header, body;
};

Input split(const QByteArray &data)
{
    QList<QByteArray> parts = data.split('\n');
    while (parts.size() < 5)
        parts.append(QByteArray());
    Input in{parts[0], parts[1], parts[2], parts[3], {}};
    const qsizetype bodyStart =
        parts[0].size() + parts[1].size() + parts[2].size() + parts[3].size() + 4;
    in.body = bodyStart < data.size() ? data.mid(bodyStart) : QByteArray();
    return in;
}

// The timestamp when it is a plausible time, which the verification then runs at, so that most
// inputs reach the signature comparison.
std::optional<qint64> plausibleTime(const QByteArray &timestamp)
{
    bool ok = false;
    const qint64 ts = timestamp.toLongLong(&ok);
    return ok && ts > -(1LL << 40) && ts < (1LL << 40) ? std::optional(ts) : std::nullopt;
}

void checkAccepted(const Input &in, qint64 now)
{
    FUZZ_CHECK(!WebhookSignature::keyFromSecret(in.secret).isEmpty());
    const QByteArray expected = WebhookSignature::sign(in.secret, in.id, in.timestamp, in.body);
    bool found = false;
    for (const QByteArray &candidate : in.header.split(' '))
        found = found || candidate.trimmed() == expected;
    FUZZ_CHECK(found);
    FUZZ_CHECK(now - 300 <= in.timestamp.toLongLong() && in.timestamp.toLongLong() <= now + 300);
}

void checkSigned(const Input &in, qint64 now)
{
    const QByteArray sig = WebhookSignature::sign(in.secret, in.id, in.timestamp, in.body);
    FUZZ_CHECK(sig.startsWith("v1,") && sig.size() == 3 + 44);
    const auto verify = [&](const QByteArray &id, const QByteArray &body, const QByteArray &h) {
        return WebhookSignature::verify(in.secret, id, in.timestamp, body, h, now);
    };
    FUZZ_CHECK(verify(in.id, in.body, sig) == Verdict::Valid);
    FUZZ_CHECK(verify(in.id, in.body, "v1,bm90IGl0 " + sig + " ") == Verdict::Valid); // rotation
    FUZZ_CHECK(verify(in.id, in.body + 'x', sig) == Verdict::BadSignature);
    FUZZ_CHECK(verify(in.id + 'x', in.body, sig) == Verdict::BadSignature);
    for (qsizetype i = 0; i < sig.size(); ++i) {
        QByteArray mutated = sig;
        mutated[i] = mutated[i] == 'A' ? 'B' : 'A';
        FUZZ_CHECK(verify(in.id, in.body, mutated) != Verdict::Valid);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const Input in = split(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    const std::optional<qint64> ts = plausibleTime(in.timestamp);
    const qint64 now = ts.value_or(kNow);
    const Verdict verdict =
        WebhookSignature::verify(in.secret, in.id, in.timestamp, in.body, in.header, now);
    if (verdict == Verdict::Valid)
        checkAccepted(in, now);
    if (!ts || in.id.isEmpty())
        return 0;
    if (!WebhookSignature::keyFromSecret(in.secret).isEmpty()) {
        checkSigned(in, now);
    } else {
        // Without a key, anyone could make the signature: it must not verify.
        const QByteArray sig = WebhookSignature::sign(in.secret, in.id, in.timestamp, in.body);
        FUZZ_CHECK(WebhookSignature::verify(in.secret, in.id, in.timestamp, in.body, sig, now) !=
                   Verdict::Valid);
    }
    return 0;
}
