#include "agent/api/certificates.h"

#include <QCryptographicHash>
#include <QHostAddress>
#include <QRandomGenerator>
#include <QSslCertificate>
#include <QSslKey>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace ferry::agent::api {

namespace {

template <typename T, void (*Free)(T *)>
using Owned = std::unique_ptr<T, decltype([](T *p) { Free(p); })>;

QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return {data, qsizetype(size)};
}

} // namespace

Result<GeneratedCertificate> generateSelfSigned(const QStringList &names)
{
    Owned<EVP_PKEY, EVP_PKEY_free> key(EVP_EC_gen("P-256"));
    if (!key)
        return makeError(u"cannot create a key pair (OpenSSL)"_s);
    Owned<X509, X509_free> cert(X509_new());
    X509_set_version(cert.get(), 2);
    QByteArray serial(16, Qt::Uninitialized);
    QRandomGenerator::system()->generate(serial.begin(), serial.end());
    serial[0] = char(serial[0] & 0x7f); // a positive serial number
    Owned<BIGNUM, BN_free> bn(
        BN_bin2bn(reinterpret_cast<const unsigned char *>(serial.constData()), 16, nullptr));
    BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get()));
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME *name = X509_get_subject_name(cert.get());
    const QByteArray cn = names.isEmpty() ? QByteArray("ferry-agent") : names.first().toUtf8();
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char *>(cn.constData()), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char *>("Ferry"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    QStringList san;
    for (const QString &n : names)
        san.append(QHostAddress(n).isNull() ? u"DNS:"_s + n : u"IP:"_s + n);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    if (!san.isEmpty()) {
        Owned<X509_EXTENSION, X509_EXTENSION_free> ext(X509V3_EXT_conf_nid(
            nullptr, &ctx, NID_subject_alt_name, san.join(u',').toUtf8().constData()));
        if (ext)
            X509_add_ext(cert.get(), ext.get(), -1);
    }
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
        return makeError(u"cannot sign the certificate (OpenSSL)"_s);

    GeneratedCertificate out;
    Owned<BIO, BIO_free_all> certBio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(certBio.get(), cert.get());
    out.certificatePem = bioBytes(certBio.get());
    Owned<BIO, BIO_free_all> keyBio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    out.privateKeyPem = bioBytes(keyBio.get());
    return out;
}

QString spkiFingerprint(const QByteArray &certificatePem)
{
    const auto certs = QSslCertificate::fromData(certificatePem, QSsl::Pem);
    if (certs.isEmpty())
        return {};
    const QByteArray spki = certs.first().publicKey().toDer();
    return u"sha256/"_s +
           QString::fromLatin1(
               QCryptographicHash::hash(spki, QCryptographicHash::Sha256).toBase64());
}

} // namespace ferry::agent::api
