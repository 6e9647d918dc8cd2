#pragma once

#include "shared/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QCryptographicHash>
#include <QJsonObject>
#include <QList>
#include <QString>

// Signature checks for the webhooks that providers send to Ferry: Stripe, Twilio, Meta
// (WhatsApp), Standard Webhooks, and a configurable HMAC for everyone else. Pure functions: no
// I/O, no clock (the caller passes `nowSeconds`), no logging.
//
// - Digests are compared in constant time (CRYPTO_memcmp), never stopping at the first byte that
//   differs; hex is decoded first, so its case does not matter. Every signature in a header is
//   tried against every secret without stopping at a match, so the time taken does not say
//   which one matched.
// - Secrets are lists so that one can be rotated: the old and the new one are both accepted
//   while the provider moves over. Empty secrets are ignored (an HMAC under an empty key is one
//   anybody can compute); with none left, nothing verifies.
// - Where a scheme has a timestamp it is checked before the signature, as in
//   ferry::WebhookSignature: a request outside the tolerance is Stale whatever it carries, which
//   also refuses a replay of a genuine request once the tolerance has passed.
// - Header values longer than kMaxHeaderBytes are Malformed before anything else is read.
namespace ferry::agent::inbound {

enum class Verdict {
    Valid,
    Missing,      // a header the scheme needs is absent (or empty)
    Malformed,    // a header that does not read: bad hex or base64, no t=, a timestamp that is
                  // not a number, a digest of the wrong length, longer than kMaxHeaderBytes
    BadSignature, // readable, but no signature matches the request under any of the secrets
    Stale,        // the timestamp is further than the tolerance from now, in either direction
};

// "valid", "missing", "malformed", "bad signature" or "stale": for log lines and test output.
const char *verdictName(Verdict verdict);

struct Verification
{
    Verdict verdict = Verdict::BadSignature;
    // One plain sentence for the log and the 401 body. Never contains a secret or a digest.
    QString detail;

    bool valid() const { return verdict == Verdict::Valid; }
};

inline constexpr qsizetype kMaxHeaderBytes = qsizetype(8) * 1024;
inline constexpr qint64 kDefaultToleranceSeconds = 300;

// Stripe: `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…][,v0=…]`. Each v1 is the hex
// HMAC-SHA256 of "{t}.{raw body}" keyed with the whole secret as written, `whsec_` prefix
// included. Any v1 may match any secret (Stripe sends one v1 per live secret while a secret
// is rolled); other schemes are ignored.
Verification verifyStripe(QByteArrayView header, QByteArrayView body,
                          const QList<QByteArray> &secrets, qint64 nowSeconds,
                          qint64 toleranceSeconds = kDefaultToleranceSeconds);

// Twilio: `X-Twilio-Signature` is the base64 HMAC-SHA1, keyed with the auth token, of the URL
// as called followed, for an application/x-www-form-urlencoded body, by every POST parameter
// sorted by name then value (byte order, repeated pairs once), each written as name then value,
// form-decoded. For any other body (JSON), Twilio adds a `bodySHA256` query parameter to the
// URL: the signature covers the URL alone and the hex SHA-256 of the raw body must equal
// bodySHA256; a non-empty body without it is Malformed, as nothing would cover it.
// The URL is tried as given and with its port toggled, as Twilio's SDK does: Twilio keeps the
// port for some callbacks and drops it for others (voice over HTTPS), so a URL with a port is
// also tried without it, and one without a port also with the scheme's default (443 for https,
// 80 for http). There is no timestamp in this scheme: nothing here refuses a replay.
Verification verifyTwilio(QByteArrayView header, QByteArrayView url, QByteArrayView contentType,
                          QByteArrayView body, const QList<QByteArray> &authTokens);

// Meta (WhatsApp Cloud API): `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`,
// keyed with the app secret. No timestamp.
Verification verifyWhatsApp(QByteArrayView header, QByteArrayView body,
                            const QList<QByteArray> &appSecrets);

// Standard Webhooks: the webhook-id, webhook-timestamp and webhook-signature headers, checked
// by ferry::WebhookSignature::verify under each secret (`whsec_` + base64). The signature
// header holds space-separated `v1,<base64>` entries; one that does not read, or a header
// without any v1 entry, is Malformed.
Verification verifyStandardWebhooks(QByteArrayView id, QByteArrayView timestamp,
                                    QByteArrayView signatureHeader, QByteArrayView body,
                                    const QList<QByteArray> &secrets, qint64 nowSeconds,
                                    qint64 toleranceSeconds = kDefaultToleranceSeconds);

// A configurable HMAC for providers without a scheme of their own: the digest of the raw body
// (or of "{timestamp}.{body}" when `timestampHeader` is set, the timestamp then being required
// and within `toleranceSeconds`), in hex or base64, after an optional prefix such as "sha256=".
struct HmacScheme
{
    enum class Encoding { Hex, Base64 };

    QByteArray header = QByteArrayLiteral("X-Signature");
    QCryptographicHash::Algorithm algorithm = QCryptographicHash::Sha256; // Sha1, Sha256, Sha512
    Encoding encoding = Encoding::Hex;
    QByteArray prefix;          // expected at the start of the header value; empty: none
    QByteArray timestampHeader; // empty: the body alone is signed and there is no timestamp
    qint64 toleranceSeconds = kDefaultToleranceSeconds;
};

// Reads a scheme from configuration such as {"header":"X-Signature","algorithm":"sha256",
// "encoding":"hex","prefix":"sha256=","timestamp_header":"X-Timestamp",
// "tolerance_seconds":300}. Every field is optional (the defaults above); an unknown field or
// a bad value is an error that names the field and the values it takes.
Result<HmacScheme> parseHmacScheme(const QJsonObject &json);

// `timestampHeaderValue` is read only when the scheme has a timestamp header.
Verification verifyHmac(const HmacScheme &scheme, QByteArrayView signatureHeaderValue,
                        QByteArrayView timestampHeaderValue, QByteArrayView body,
                        const QList<QByteArray> &secrets, qint64 nowSeconds);

} // namespace ferry::agent::inbound
