#include "shared/webhooksignature.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

namespace ferry {

namespace {

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace

QByteArray WebhookSignature::generateSecret()
{
    QByteArray key(32, Qt::Uninitialized);
    QRandomGenerator::system()->generate(key.begin(), key.end());
    return QByteArrayLiteral("whsec_") + key.toBase64();
}

QByteArray WebhookSignature::keyFromSecret(const QByteArray &secret)
{
    const QByteArray encoded = secret.startsWith("whsec_") ? secret.mid(6) : secret;
    auto decoded = QByteArray::fromBase64Encoding(encoded, QByteArray::AbortOnBase64DecodingErrors);
    if (decoded.decodingStatus != QByteArray::Base64DecodingStatus::Ok)
        return {};
    return decoded.decoded;
}

QByteArray WebhookSignature::sign(const QByteArray &secret, const QByteArray &id,
                                  const QByteArray &timestamp, const QByteArray &body)
{
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, keyFromSecret(secret));
    mac.addData(id);
    mac.addData(".", 1);
    mac.addData(timestamp);
    mac.addData(".", 1);
    mac.addData(body);
    return QByteArrayLiteral("v1,") + mac.result().toBase64();
}

WebhookSignature::Verdict WebhookSignature::verify(const QByteArray &secret, const QByteArray &id,
                                                   const QByteArray &timestamp,
                                                   const QByteArray &body,
                                                   const QByteArray &signatureHeader,
                                                   qint64 nowSeconds, qint64 toleranceSeconds)
{
    bool ok = false;
    const qint64 ts = timestamp.toLongLong(&ok);
    if (!ok || id.isEmpty() || signatureHeader.isEmpty())
        return Verdict::MalformedHeaders;
    if (ts < nowSeconds - toleranceSeconds || ts > nowSeconds + toleranceSeconds)
        return Verdict::StaleTimestamp;
    // Without a key the HMAC is one anybody can compute: nothing verifies under such a secret.
    if (keyFromSecret(secret).isEmpty())
        return Verdict::BadSignature;
    const QByteArray expected = sign(secret, id, timestamp, body);
    bool match = false;
    for (const QByteArray &candidate : signatureHeader.split(' ')) {
        if (constantTimeEquals(candidate.trimmed(), expected))
            match = true; // keep comparing: no early exit on a match
    }
    return match ? Verdict::Valid : Verdict::BadSignature;
}

} // namespace ferry
