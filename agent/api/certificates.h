#pragma once

#include "shared/result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace ferry::agent::api {

struct GeneratedCertificate
{
    QByteArray certificatePem;
    QByteArray privateKeyPem;
};

// A self-signed certificate (ECDSA P-256, SHA-256, valid ten years) for first use; the
// subject alternative names are the given host names and addresses.
Result<GeneratedCertificate> generateSelfSigned(const QStringList &names);

// The SHA-256 of the certificate's SubjectPublicKeyInfo, as "sha256/<base64>": what a client
// pins (it survives a renewal with the same key).
QString spkiFingerprint(const QByteArray &certificatePem);

} // namespace ferry::agent::api
