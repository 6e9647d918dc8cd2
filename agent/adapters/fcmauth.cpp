#include "agent/adapters/fcmauth.h"

#include "agent/adapters/httptransfer.h"

#include <QJsonDocument>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace ferry::agent::adapters {

namespace {
struct BioFree
{
    void operator()(BIO *bio) const { BIO_free(bio); }
};
struct KeyFree
{
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
};
struct MdCtxFree
{
    void operator()(EVP_MD_CTX *ctx) const { EVP_MD_CTX_free(ctx); }
};

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray compactJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

Result<QByteArray> signRs256(const QByteArray &pem, const QByteArray &input)
{
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    std::unique_ptr<EVP_PKEY, KeyFree> key(
        bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!key)
        return makeError(u"the service account's private_key is not a PEM private key"_s);
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    size_t length = 0;
    const auto *data = reinterpret_cast<const unsigned char *>(input.constData());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &length, data, size_t(input.size())) != 1)
        return makeError(u"the service account's private_key cannot sign (is it an RSA key?)"_s);
    QByteArray signature(qsizetype(length), Qt::Uninitialized);
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
                       data, size_t(input.size())) != 1)
        return makeError(u"signing the FCM token request failed"_s);
    signature.truncate(qsizetype(length));
    return signature;
}
} // namespace

Result<FcmAuth::ServiceAccount> FcmAuth::serviceAccount(const QJsonObject &json)
{
    for (const auto *field : {"project_id", "client_email", "private_key"}) {
        if (json.value(QLatin1String(field)).toString().isEmpty())
            return makeError(
                u"has no %1 (store the whole service-account JSON)"_s.arg(QLatin1String(field)));
    }
    ServiceAccount a;
    a.projectId = json.value("project_id"_L1).toString();
    a.clientEmail = json.value("client_email"_L1).toString();
    a.privateKeyPem = json.value("private_key"_L1).toString().toUtf8();
    a.privateKeyId = json.value("private_key_id"_L1).toString();
    a.tokenUri = json.value("token_uri"_L1).toString(u"https://oauth2.googleapis.com/token"_s);
    return a;
}

Result<QByteArray> FcmAuth::assertion(const ServiceAccount &account, qint64 issuedAt)
{
    QJsonObject header{{u"alg"_s, u"RS256"_s}, {u"typ"_s, u"JWT"_s}};
    if (!account.privateKeyId.isEmpty())
        header.insert(u"kid"_s, account.privateKeyId);
    const QJsonObject claims{{u"iss"_s, account.clientEmail},
                             {u"scope"_s, QLatin1String(kScope)},
                             {u"aud"_s, account.tokenUri},
                             {u"iat"_s, issuedAt},
                             {u"exp"_s, issuedAt + kAssertionLifetimeS}};
    const QByteArray input = base64Url(compactJson(header)) + '.' + base64Url(compactJson(claims));
    const auto signature = signRs256(account.privateKeyPem, input);
    if (!signature)
        return makeError(signature.error().message, kUnusableAccount);
    return input + '.' + base64Url(*signature);
}

QByteArray FcmAuth::tokenRequestBody(const QByteArray &assertion)
{
    return formEncode(
        {{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"}, {"assertion", assertion}});
}

Result<FcmAuth::AccessToken> FcmAuth::parseTokenAnswer(const HttpResponse &response)
{
    if (!response.ok())
        return makeError(u"the FCM token endpoint did not answer: %1"_s.arg(
            response.blockedAddress.isEmpty()
                ? response.transportError
                : u"its address %1 is on an internal network"_s.arg(response.blockedAddress)));
    const QJsonObject body = QJsonDocument::fromJson(response.body).object();
    const QString token = body.value("access_token"_L1).toString();
    if (response.success() && !token.isEmpty())
        return AccessToken{token.toUtf8(), body.value("expires_in"_L1).toInteger(3600)};
    const QString error = body.value("error"_L1).toString();
    const bool refused = response.status == 400 || response.status == 401 || response.status == 403;
    return makeError(
        u"the FCM token endpoint answered HTTP %1: %2"_s.arg(response.status)
            .arg(error.isEmpty() ? response.excerpt()
                                 : error + u": "_s + body.value("error_description"_L1).toString()),
        refused ? kRefused : 0);
}

} // namespace ferry::agent::adapters
