#include "agent/net/tlssettings.h"

#include <QFile>
#include <QSslCipher>
#include <QSslKey>

using namespace Qt::StringLiterals;

namespace ferry::agent::net {

namespace {

// Mozilla's "intermediate" list: ECDHE or DHE key exchange, AES-GCM or ChaCha20-Poly1305.
// TLS 1.3's own suites are all AEAD.
constexpr const char *kCiphers[] = {
    "TLS_AES_128_GCM_SHA256",       "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE-RSA-AES128-GCM-SHA256",  "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES256-GCM-SHA384",  "ECDHE-ECDSA-CHACHA20-POLY1305",
    "ECDHE-RSA-CHACHA20-POLY1305",  "DHE-RSA-AES128-GCM-SHA256",
    "DHE-RSA-AES256-GCM-SHA384",    "DHE-RSA-CHACHA20-POLY1305",
};

QList<QSslCipher> aeadCiphers()
{
    QList<QSslCipher> ciphers;
    for (const char *name : kCiphers) {
        const QSslCipher cipher(QString::fromLatin1(name));
        if (!cipher.isNull())
            ciphers.append(cipher);
    }
    return ciphers;
}

Result<QSslKey> readKey(const QByteArray &pem)
{
    QSslKey key(pem, QSsl::Ec, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(pem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        return makeError(u"not a PEM EC or RSA private key"_s);
    return key;
}

} // namespace

Result<QSslConfiguration> serverTls(const TlsFiles &files)
{
    const QString &p = files.keyPrefix;
    QFile certFile(files.certificate);
    QFile keyFile(files.privateKey);
    if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly))
        return makeError(u"cannot read the certificate %1 or key %2 (%3.certificate, "
                         "%3.private_key); 'ferry-agent cert generate' writes a pair"_s.arg(
                             files.certificate, files.privateKey, p));
    const auto certs = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
    const auto key = readKey(keyFile.readAll());
    if (certs.isEmpty() || !key)
        return makeError(u"%1.certificate or %1.private_key is not valid PEM"_s.arg(p));
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(certs);
    tls.setPrivateKey(*key);
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    tls.setCiphers(aeadCiphers());
    if (!files.clientCa.isEmpty()) {
        const auto ca = QSslCertificate::fromPath(files.clientCa);
        if (ca.isEmpty())
            return makeError(u"%1.client_ca %2 holds no certificate"_s.arg(p, files.clientCa));
        tls.setCaCertificates(ca);
        tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    } else {
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    }
    return tls;
}

} // namespace ferry::agent::net
