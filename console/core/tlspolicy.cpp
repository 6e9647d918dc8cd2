#include "console/core/tlspolicy.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QSslCertificate>
#include <QSslError>
#include <QSslKey>

using namespace Qt::StringLiterals;

namespace ferry::console {

QString spkiFingerprint(const QSslCertificate &certificate)
{
    if (certificate.isNull())
        return {};
    return u"sha256/"_s +
           QString::fromLatin1(
               QCryptographicHash::hash(certificate.publicKey().toDer(), QCryptographicHash::Sha256)
                   .toBase64());
}

QSslConfiguration sslConfigurationFor(const ConnectionProfile &profile, QString *error)
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setProtocol(QSsl::TlsV1_2OrLater);
    switch (profile.trust) {
    case ConnectionProfile::Trust::System:
        break;
    case ConnectionProfile::Trust::CaFile: {
        const auto cas = QSslCertificate::fromPath(profile.caFile, QSsl::Pem);
        if (cas.isEmpty() && error) {
            *error = QCoreApplication::translate(
                         "ferry::console::TlsPolicy",
                         "The CA file %1 could not be read or holds no PEM certificate. Choose the "
                         "CA certificate that signed the agent's certificate.")
                         .arg(profile.caFile);
        }
        config.addCaCertificates(cas);
        break;
    }
    case ConnectionProfile::Trust::Pinned:
        // No CA at all: every certificate produces TLS errors and goes through checkPin, so a
        // publicly trusted certificate for the same name cannot bypass the pin.
        config.setCaCertificates({});
        break;
    }
    return config;
}

PinVerdict checkPin(const ConnectionProfile &profile, const QSslCertificate &peer)
{
    if (profile.pin.isEmpty())
        return PinVerdict::Unpinned;
    return spkiFingerprint(peer) == profile.pin ? PinVerdict::Accepted : PinVerdict::Mismatch;
}

PinVerdict checkPinErrors(const ConnectionProfile &profile, const QList<QSslError> &errors,
                          QString *fingerprint)
{
    QString seen;
    bool allPinned = !errors.isEmpty();
    for (const QSslError &e : errors) {
        if (e.certificate().isNull())
            continue;
        const QString fp = spkiFingerprint(e.certificate());
        if (seen.isEmpty())
            seen = fp;
        if (fp != profile.pin)
            allPinned = false;
    }
    if (fingerprint)
        *fingerprint = seen;
    if (profile.pin.isEmpty())
        return PinVerdict::Unpinned;
    return allPinned && !seen.isEmpty() ? PinVerdict::Accepted : PinVerdict::Mismatch;
}

PinVerdict pinVerdict(const ConnectionProfile &profile, const QSslCertificate &peer,
                      const QList<QSslError> &errors, QString *fingerprint)
{
    if (peer.isNull())
        return checkPinErrors(profile, errors, fingerprint);
    if (fingerprint)
        *fingerprint = spkiFingerprint(peer);
    return checkPin(profile, peer);
}

} // namespace ferry::console
