#pragma once

#include <QByteArray>
#include <QList>

namespace ferry {

// Standard Webhooks signing (https://www.standardwebhooks.com): the signature is
// `v1,<base64 HMAC-SHA256>` over `id.timestamp.body`, keyed with the base64-decoded part of a
// `whsec_` secret.
class WebhookSignature
{
public:
    // A fresh secret: `whsec_` followed by 32 random bytes in base64.
    static QByteArray generateSecret();
    // The raw HMAC key of a `whsec_…` secret (or of a bare base64 secret); empty if invalid.
    static QByteArray keyFromSecret(const QByteArray &secret);

    static QByteArray sign(const QByteArray &secret, const QByteArray &id,
                           const QByteArray &timestamp, const QByteArray &body);

    enum class Verdict { Valid, BadSignature, StaleTimestamp, MalformedHeaders };
    // Checks a `webhook-signature` header (space-separated, several during secret rotation)
    // in constant time, and that the timestamp is within `toleranceSeconds` of `nowSeconds`.
    // A secret without a key (keyFromSecret() empty) verifies nothing: BadSignature.
    static Verdict verify(const QByteArray &secret, const QByteArray &id,
                          const QByteArray &timestamp, const QByteArray &body,
                          const QByteArray &signatureHeader, qint64 nowSeconds,
                          qint64 toleranceSeconds = 300);
};

} // namespace ferry
