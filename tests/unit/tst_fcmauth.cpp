// The JWT Ferry signs for FCM's OAuth2 token exchange: its header and claims, and an RS256
// signature that the service account's public key verifies (and that breaks when a claim does).
#include "agent/adapters/fcmauth.h"
#include "agent/adapters/httptransfer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUrlQuery>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>

using ferry::agent::adapters::FcmAuth;
using ferry::agent::adapters::HttpResponse;
using namespace Qt::StringLiterals;

namespace {
struct KeyFree
{
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;

QByteArray pem(EVP_PKEY *key, bool isPrivate)
{
    BIO *bio = BIO_new(BIO_s_mem());
    if (isPrivate)
        PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    else
        PEM_write_bio_PUBKEY(bio, key);
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    QByteArray out(data, size);
    BIO_free(bio);
    return out;
}

Key publicKey(const QByteArray &publicPem)
{
    BIO *bio = BIO_new_mem_buf(publicPem.constData(), int(publicPem.size()));
    Key key(PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr));
    BIO_free(bio);
    return key;
}

bool verifyRs256(EVP_PKEY *key, const QByteArray &input, const QByteArray &signature)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    const bool ok =
        EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
        EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char *>(signature.constData()),
                         size_t(signature.size()),
                         reinterpret_cast<const unsigned char *>(input.constData()),
                         size_t(input.size())) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

QByteArray fromBase64Url(const QByteArray &part)
{
    return QByteArray::fromBase64(part, QByteArray::Base64UrlEncoding |
                                            QByteArray::AbortOnBase64DecodingErrors);
}

QJsonObject jsonPart(const QByteArray &part)
{
    return QJsonDocument::fromJson(fromBase64Url(part)).object();
}
} // namespace

class TestFcmAuth : public QObject
{
    Q_OBJECT
    Key m_key;
    QJsonObject m_json;

private Q_SLOTS:
    void initTestCase()
    {
        m_key.reset(EVP_RSA_gen(2048));
        QVERIFY(m_key);
        m_json = QJsonObject{{u"type"_s, u"service_account"_s},
                             {u"project_id"_s, u"shop-app"_s},
                             {u"private_key_id"_s, u"k1"_s},
                             {u"private_key"_s, QString::fromLatin1(pem(m_key.get(), true))},
                             {u"client_email"_s, u"ferry@shop-app.iam.gserviceaccount.com"_s},
                             {u"token_uri"_s, u"https://oauth2.example/token"_s}};
    }

    void assertionIsSignedWithTheAccountsKey()
    {
        const auto account = FcmAuth::serviceAccount(m_json);
        QVERIFY(account.ok());
        const auto jwt = FcmAuth::assertion(*account, 1'700'000'000);
        QVERIFY2(jwt.ok(), qPrintable(jwt.ok() ? QString() : jwt.error().message));
        const QList<QByteArray> parts = jwt->split('.');
        QCOMPARE(parts.size(), 3);
        for (const QByteArray &part : parts)
            QVERIFY2(!part.contains('=') && !part.contains('+') && !part.contains('/'),
                     "base64url without padding");

        const QJsonObject header = jsonPart(parts[0]);
        QCOMPARE(header.value("alg"_L1).toString(), u"RS256"_s);
        QCOMPARE(header.value("typ"_L1).toString(), u"JWT"_s);
        QCOMPARE(header.value("kid"_L1).toString(), u"k1"_s);
        const QJsonObject claims = jsonPart(parts[1]);
        QCOMPARE(claims.value("iss"_L1).toString(), u"ferry@shop-app.iam.gserviceaccount.com"_s);
        QCOMPARE(claims.value("scope"_L1).toString(),
                 u"https://www.googleapis.com/auth/firebase.messaging"_s);
        QCOMPARE(claims.value("aud"_L1).toString(), u"https://oauth2.example/token"_s);
        QCOMPARE(claims.value("iat"_L1).toInteger(), 1'700'000'000);
        QCOMPARE(claims.value("exp"_L1).toInteger(), 1'700'003'600);

        const Key pub = publicKey(pem(m_key.get(), false));
        QVERIFY(pub);
        const QByteArray signature = fromBase64Url(parts[2]);
        QCOMPARE(signature.size(), 256); // RSA-2048
        QVERIFY(verifyRs256(pub.get(), parts[0] + '.' + parts[1], signature));
        // A changed claim no longer matches the signature.
        QJsonObject forged = claims;
        forged.insert(u"iss"_s, u"someone@else.example"_s);
        const QByteArray forgedPart =
            QJsonDocument(forged)
                .toJson(QJsonDocument::Compact)
                .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        QVERIFY(!verifyRs256(pub.get(), parts[0] + '.' + forgedPart, signature));
    }

    void anotherKeyDoesNotVerify()
    {
        const auto jwt = FcmAuth::assertion(*FcmAuth::serviceAccount(m_json), 1'700'000'000);
        QVERIFY(jwt.ok());
        const Key other(EVP_RSA_gen(2048));
        const QList<QByteArray> parts = jwt->split('.');
        QVERIFY(!verifyRs256(other.get(), parts[0] + '.' + parts[1], fromBase64Url(parts[2])));
    }

    void unusableAccountsSayWhy()
    {
        QJsonObject noEmail = m_json;
        noEmail.remove(u"client_email"_s);
        const auto missing = FcmAuth::serviceAccount(noEmail);
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.contains(u"client_email"_s));

        QJsonObject badKey = m_json;
        badKey.insert(u"private_key"_s, u"-----BEGIN PRIVATE KEY-----\nnope\n"_s);
        const auto jwt = FcmAuth::assertion(*FcmAuth::serviceAccount(badKey), 1);
        QVERIFY(!jwt.ok());
        QCOMPARE(jwt.error().code, FcmAuth::kUnusableAccount);
    }

    void tokenRequestIsTheJwtBearerGrant()
    {
        const QUrlQuery form(QString::fromLatin1(FcmAuth::tokenRequestBody("a.b-_.c")));
        QCOMPARE(form.queryItemValue(u"grant_type"_s, QUrl::FullyDecoded),
                 u"urn:ietf:params:oauth:grant-type:jwt-bearer"_s);
        QCOMPARE(form.queryItemValue(u"assertion"_s, QUrl::FullyDecoded), u"a.b-_.c"_s);
    }

    void tokenAnswers()
    {
        HttpResponse ok;
        ok.status = 200;
        ok.body = R"({"access_token":"ya29.x","expires_in":1800,"token_type":"Bearer"})";
        const auto token = FcmAuth::parseTokenAnswer(ok);
        QVERIFY(token.ok());
        QCOMPARE(token->token, QByteArray("ya29.x"));
        QCOMPARE(token->expiresInS, 1800);

        HttpResponse refused;
        refused.status = 400;
        refused.body = R"({"error":"invalid_grant","error_description":"Invalid JWT Signature."})";
        const auto no = FcmAuth::parseTokenAnswer(refused);
        QVERIFY(!no.ok());
        QCOMPARE(no.error().code, FcmAuth::kRefused);
        QVERIFY(no.error().message.contains(u"Invalid JWT Signature."_s));

        HttpResponse down;
        down.status = 503;
        const auto later = FcmAuth::parseTokenAnswer(down);
        QVERIFY(!later.ok());
        QCOMPARE(later.error().code, 0);
    }
};

QTEST_GUILESS_MAIN(TestFcmAuth)
#include "tst_fcmauth.moc"
