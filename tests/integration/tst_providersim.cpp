// ferry-provider-sim over real HTTP: each provider's success and refusals in its own wire
// format, fault knobs changed at run time, seeded faults that replay, and status callbacks
// whose signatures this test checks with its own code (Twilio's against Twilio's published
// example).
#include "tests/support/providersim.h"
#include "tests/support/testsupport.h"

#include <QAbstractHttpServer>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <memory>

using namespace ferry;
using namespace Qt::StringLiterals;

namespace {

constexpr auto kSid = "AC0123456789abcdef0123456789abcdef"_L1;
constexpr auto kToken = "twilio-auth-token"_L1;
constexpr auto kMetaToken = "meta-access-token"_L1;
constexpr auto kAppSecret = "meta-app-secret"_L1;

// One request a provider's callback reached us with.
struct Received
{
    QString path;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
};

// A local HTTP server that records every request and answers 200.
class Recorder final : public QAbstractHttpServer
{
public:
    QList<Received> received;
    quint16 port = 0;

    bool start()
    {
        port = test::freePort();
        auto *server = new QTcpServer(this);
        if (!server->listen(QHostAddress::LocalHost, port))
            return false;
        bind(server);
        return true;
    }
    QString url(const QString &path) const
    {
        return u"http://127.0.0.1:%1%2"_s.arg(port).arg(path);
    }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        Received r{request.url().path(), {}, request.body()};
        for (const auto &h : request.headers())
            r.headers.insert(h.first.toLower(), h.second);
        received.append(r);
        socket->write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        return true;
    }
    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override {}
};

QList<QPair<QString, QString>> formFields(const QByteArray &body)
{
    QByteArray plus = body;
    plus.replace('+', "%20");
    return QUrlQuery(QString::fromLatin1(plus)).queryItems(QUrl::FullyDecoded);
}

QString formValue(const QByteArray &body, const QString &name)
{
    for (const auto &[key, value] : formFields(body)) {
        if (key == name)
            return value;
    }
    return {};
}

// Twilio's X-Twilio-Signature, written here from Twilio's documentation.
QByteArray twilioSignature(const QByteArray &token, const QString &url,
                           QList<QPair<QString, QString>> params)
{
    std::sort(params.begin(), params.end());
    QByteArray data = url.toUtf8();
    for (const auto &[key, value] : params)
        data += key.toUtf8() + value.toUtf8();
    return QMessageAuthenticationCode::hash(data, token, QCryptographicHash::Sha1).toBase64();
}

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray rs256(const QByteArray &pem, const QByteArray &data)
{
    BIO *bio = BIO_new_mem_buf(pem.constData(), int(pem.size()));
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t length = 0;
    QByteArray signature;
    const auto *in = reinterpret_cast<const unsigned char *>(data.constData());
    if (key && EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
        EVP_DigestSign(ctx, nullptr, &length, in, size_t(data.size())) == 1) {
        signature.resize(qsizetype(length));
        EVP_DigestSign(ctx, reinterpret_cast<unsigned char *>(signature.data()), &length, in,
                       size_t(data.size()));
        signature.resize(qsizetype(length));
    }
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(key);
    return signature;
}

// A service-account JWT as Google's client libraries make it; `claims` override the defaults.
QByteArray serviceAccountJwt(const QJsonObject &account, const QJsonObject &claims = {})
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QJsonObject body{{u"iss"_s, account.value("client_email"_L1)},
                     {u"scope"_s, u"https://www.googleapis.com/auth/firebase.messaging"_s},
                     {u"aud"_s, account.value("token_uri"_L1)},
                     {u"iat"_s, now},
                     {u"exp"_s, now + 3600}};
    for (auto it = claims.constBegin(); it != claims.constEnd(); ++it)
        body.insert(it.key(), it.value());
    const QJsonObject header{{u"alg"_s, u"RS256"_s},
                             {u"typ"_s, u"JWT"_s},
                             {u"kid"_s, account.value("private_key_id"_L1)}};
    const QByteArray signedPart = base64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) +
                                  '.' +
                                  base64Url(QJsonDocument(body).toJson(QJsonDocument::Compact));
    return signedPart + '.' +
           base64Url(rs256(account.value("private_key"_L1).toString().toLatin1(), signedPart));
}

QJsonObject json(const test::HttpResponse &r)
{
    return QJsonDocument::fromJson(r.body).object();
}

} // namespace

class TestProviderSim : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::ProviderSim> m_sim;
    Recorder m_twilioHooks;
    Recorder m_metaHooks;

    test::HttpResponse twilioSend(const QList<QPair<QString, QString>> &fields,
                                  const QString &token = kToken, const QByteArray &key = {})
    {
        test::HttpRequest r;
        r.url = m_sim->baseUrl() + u"/2010-04-01/Accounts/%1/Messages.json"_s.arg(kSid);
        for (const auto &[k, v] : fields)
            r.body += (r.body.isEmpty() ? "" : "&") + k.toUtf8() + '=' + QUrl::toPercentEncoding(v);
        r.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"Authorization", "Basic " + (kSid + u':' + token).toUtf8().toBase64()}};
        if (!key.isEmpty())
            r.headers.append({"I-Twilio-Idempotency-Token", key});
        return test::http(r);
    }

    test::HttpResponse twilioFetch(const QString &messageSid)
    {
        test::HttpRequest r;
        r.method = "GET";
        r.url =
            m_sim->baseUrl() + u"/2010-04-01/Accounts/%1/Messages/%2.json"_s.arg(kSid, messageSid);
        r.headers = {{"Authorization", "Basic " + (kSid + u':' + kToken).toUtf8().toBase64()}};
        return test::http(r);
    }

    test::HttpResponse metaSend(const QJsonObject &body, const QString &token = kMetaToken)
    {
        test::HttpRequest r;
        r.url = m_sim->baseUrl() + u"/v19.0/106540352242922/messages"_s;
        r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
        r.headers = {{"Content-Type", "application/json"},
                     {"Authorization", "Bearer " + token.toUtf8()}};
        return test::http(r);
    }

    static QJsonObject metaText(const QString &to, const QString &text = u"Your order shipped"_s)
    {
        return {{u"messaging_product"_s, u"whatsapp"_s},
                {u"to"_s, to},
                {u"type"_s, u"text"_s},
                {u"text"_s, QJsonObject{{u"body"_s, text}}}};
    }

    test::HttpResponse fcmToken(const QByteArray &assertion)
    {
        test::HttpRequest r;
        r.url = m_sim->baseUrl() + u"/token"_s;
        r.body = "grant_type=" +
                 QUrl::toPercentEncoding(u"urn:ietf:params:oauth:grant-type:jwt-bearer"_s) +
                 "&assertion=" + assertion;
        r.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
        return test::http(r);
    }

    QByteArray fcmAccessToken()
    {
        const auto r = fcmToken(serviceAccountJwt(m_sim->serviceAccount()));
        return json(r).value("access_token"_L1).toString().toLatin1();
    }

    test::HttpResponse fcmSend(const QByteArray &accessToken, const QJsonObject &message,
                               const QString &project = u"ferry-sim"_s)
    {
        test::HttpRequest r;
        r.url = m_sim->baseUrl() + u"/v1/projects/%1/messages:send"_s.arg(project);
        r.body = QJsonDocument(QJsonObject{{u"message"_s, message}}).toJson(QJsonDocument::Compact);
        r.headers = {{"Content-Type", "application/json"},
                     {"Authorization", "Bearer " + accessToken}};
        return test::http(r);
    }

private Q_SLOTS:
    void initTestCase();
    void init();
    void twilioSignatureMatchesTwilioExample();
    void twilioAcceptsAndCallsBackSigned();
    void twilioRefusesWrongCredentials();
    void twilioRefusesBadNumbers();
    void twilioReportsUndelivered();
    void metaAcceptsAndCallsBackSigned();
    void metaRefusals();
    void fcmJwtTokenSend();
    void fcmRefusesBadAssertions();
    void fcmRefusals();
    void fcmTokenExpires();
    void knobsChangeAtRunTime();
    void connectionFaults();
    void duplicateAndReorderedCallbacks();
    void seedReplaysFaults();
    void statsCountPerSecond();
    void servesHttps();
    void forgetsOldestMessages();
};

void TestProviderSim::initTestCase()
{
    QVERIFY(m_twilioHooks.start());
    QVERIFY(m_metaHooks.start());
    m_sim = std::make_unique<test::ProviderSim>(
        QStringList{u"--seed"_s, u"42"_s, u"--twilio-account"_s, kSid + u':' + kToken,
                    u"--meta-token"_s, kMetaToken, u"--meta-app-secret"_s, kAppSecret,
                    u"--meta-callback"_s, m_metaHooks.url(u"/whatsapp?tenant=1"_s)});
    QVERIFY(m_sim->start());
}

void TestProviderSim::init()
{
    QVERIFY(m_sim->reset());
    m_twilioHooks.received.clear();
    m_metaHooks.received.clear();
}

void TestProviderSim::twilioSignatureMatchesTwilioExample()
{
    // Twilio's documented example: the verifier below is right before it judges the simulator.
    const QList<QPair<QString, QString>> params{{u"CallSid"_s, u"CA1234567890ABCDE"_s},
                                                {u"Caller"_s, u"+14158675310"_s},
                                                {u"Digits"_s, u"1234"_s},
                                                {u"From"_s, u"+14158675310"_s},
                                                {u"To"_s, u"+18005551212"_s}};
    QCOMPARE(twilioSignature("12345", u"https://mycompany.com/myapp.php?foo=1&bar=2"_s, params),
             QByteArray("GvWf1cFY/Q7PnoempGyD5oXAezc="));
}

void TestProviderSim::twilioAcceptsAndCallsBackSigned()
{
    const QString callback = m_twilioHooks.url(u"/twilio/status?d=7&x=a+b"_s);
    const auto r = twilioSend({{u"To"_s, u"+14155550100"_s},
                               {u"From"_s, u"+14155550199"_s},
                               {u"Body"_s, u"Hello & welcome to Ferry"_s},
                               {u"StatusCallback"_s, callback}},
                              kToken, "delivery-1");
    QCOMPARE(r.status, 201);
    const QJsonObject m = json(r);
    const QString sid = m.value("sid"_L1).toString();
    QVERIFY2(QRegularExpression(u"^SM[0-9a-f]{32}$"_s).match(sid).hasMatch(), qPrintable(sid));
    QCOMPARE(m.value("status"_L1).toString(), u"queued"_s);
    QCOMPARE(m.value("body"_L1).toString(), u"Hello & welcome to Ferry"_s);
    QCOMPARE(m.value("account_sid"_L1).toString(), QString(kSid));
    QVERIFY(m.value("price"_L1).isNull());
    QCOMPARE(m.value("price_unit"_L1).toString(), u"USD"_s);
    QCOMPARE(m.value("num_segments"_L1).toString(), u"1"_s);
    const QDateTime created = QLocale::c().toDateTime(m.value("date_created"_L1).toString(),
                                                      u"ddd, dd MMM yyyy hh:mm:ss +0000"_s);
    QVERIFY(created.isValid());

    QTRY_COMPARE_WITH_TIMEOUT(m_twilioHooks.received.size(), 2, 10000);
    QStringList statuses;
    for (const Received &hook : std::as_const(m_twilioHooks.received)) {
        const auto params = formFields(hook.body);
        QCOMPARE(hook.headers.value("x-twilio-signature"),
                 twilioSignature(QByteArray(kToken.data()), callback, params));
        QCOMPARE(formValue(hook.body, u"MessageSid"_s), sid);
        QCOMPARE(formValue(hook.body, u"AccountSid"_s), QString(kSid));
        QCOMPARE(formValue(hook.body, u"ApiVersion"_s), u"2010-04-01"_s);
        statuses.append(formValue(hook.body, u"MessageStatus"_s));
    }
    QCOMPARE(statuses, (QStringList{u"sent"_s, u"delivered"_s}));

    const QJsonObject now = json(twilioFetch(sid));
    QCOMPARE(now.value("status"_L1).toString(), u"delivered"_s);
    QCOMPARE(now.value("price"_L1).toString(), u"-0.00750"_s);
    const QJsonObject stats = m_sim->stats(u"twilio"_s);
    QCOMPARE(stats.value("accepted"_L1).toInt(), 1);
    QTRY_COMPARE(m_sim->stats(u"twilio"_s).value("callbacks_sent"_L1).toInt(), 2);
    const QJsonObject record = stats.value("messages"_L1).toArray().first().toObject();
    QCOMPARE(record.value("id"_L1).toString(), sid);
    QCOMPARE(record.value("to"_L1).toString(), u"+14155550100"_s);
    QCOMPARE(record.value("idempotency_key"_L1).toString(), u"delivery-1"_s);
}

void TestProviderSim::twilioRefusesWrongCredentials()
{
    const auto r = twilioSend(
        {{u"To"_s, u"+14155550100"_s}, {u"From"_s, u"+1415"_s}, {u"Body"_s, u"x"_s}}, u"wrong"_s);
    QCOMPARE(r.status, 401);
    const QJsonObject e = json(r);
    QCOMPARE(e.value("code"_L1).toInt(), 20003);
    QCOMPARE(e.value("status"_L1).toInt(), 401);
    QVERIFY(
        e.value("more_info"_L1).toString().startsWith("https://www.twilio.com/docs/errors/"_L1));
    QCOMPARE(m_sim->stats(u"twilio"_s).value("auth_failures"_L1).toInt(), 1);
    QCOMPARE(m_sim->stats(u"twilio"_s).value("accepted"_L1).toInt(), 0);
}

void TestProviderSim::twilioRefusesBadNumbers()
{
    for (const QString &to : {u"4155550100"_s, u"+1555000123"_s, u"+14a"_s}) {
        const auto r =
            twilioSend({{u"To"_s, to}, {u"From"_s, u"+14155550199"_s}, {u"Body"_s, u"x"_s}});
        QCOMPARE(r.status, 400);
        QCOMPARE(json(r).value("code"_L1).toInt(), 21211);
    }
    const auto noBody = twilioSend({{u"To"_s, u"+14155550100"_s}, {u"From"_s, u"+14155550199"_s}});
    QCOMPARE(noBody.status, 400);
    QCOMPARE(json(noBody).value("code"_L1).toInt(), 21602);
    const QJsonObject stats = m_sim->stats(u"twilio"_s);
    QCOMPARE(stats.value("rejected"_L1).toObject().value("invalid_to"_L1).toInt(), 3);
    QCOMPARE(stats.value("accepted"_L1).toInt(), 0);
}

void TestProviderSim::twilioReportsUndelivered()
{
    const auto r = twilioSend({{u"To"_s, u"+15559990001"_s},
                               {u"MessagingServiceSid"_s, u"MG0123456789abcdef0123456789abcdef"_s},
                               {u"Body"_s, u"x"_s},
                               {u"StatusCallback"_s, m_twilioHooks.url(u"/s"_s)}});
    QCOMPARE(r.status, 201);
    QCOMPARE(json(r).value("status"_L1).toString(), u"accepted"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_twilioHooks.received.size(), 2, 10000);
    const QByteArray last = m_twilioHooks.received.last().body;
    QCOMPARE(formValue(last, u"MessageStatus"_s), u"undelivered"_s);
    QCOMPARE(formValue(last, u"ErrorCode"_s), u"30003"_s);
    const QJsonObject now = json(twilioFetch(json(r).value("sid"_L1).toString()));
    QCOMPARE(now.value("status"_L1).toString(), u"undelivered"_s);
    QCOMPARE(now.value("error_code"_L1).toInt(), 30003);
}

void TestProviderSim::metaAcceptsAndCallsBackSigned()
{
    const auto r = metaSend(metaText(u"+14155550100"_s));
    QCOMPARE(r.status, 200);
    const QJsonObject answer = json(r);
    QCOMPARE(answer.value("messaging_product"_L1).toString(), u"whatsapp"_s);
    const QJsonObject contact = answer.value("contacts"_L1).toArray().first().toObject();
    QCOMPARE(contact.value("input"_L1).toString(), u"+14155550100"_s);
    QCOMPARE(contact.value("wa_id"_L1).toString(), u"14155550100"_s);
    const QString id =
        answer.value("messages"_L1).toArray().first().toObject().value("id"_L1).toString();
    QVERIFY2(id.startsWith("wamid."_L1), qPrintable(id));

    QTRY_COMPARE_WITH_TIMEOUT(m_metaHooks.received.size(), 3, 10000);
    QStringList statuses;
    for (const Received &hook : std::as_const(m_metaHooks.received)) {
        QCOMPARE(hook.path, u"/whatsapp"_s);
        const QByteArray expected =
            "sha256=" + QMessageAuthenticationCode::hash(hook.body, QByteArray(kAppSecret.data()),
                                                         QCryptographicHash::Sha256)
                            .toHex();
        QCOMPARE(hook.headers.value("x-hub-signature-256"), expected);
        const QJsonObject payload = QJsonDocument::fromJson(hook.body).object();
        QCOMPARE(payload.value("object"_L1).toString(), u"whatsapp_business_account"_s);
        const QJsonObject change = payload.value("entry"_L1)
                                       .toArray()
                                       .first()
                                       .toObject()
                                       .value("changes"_L1)
                                       .toArray()
                                       .first()
                                       .toObject();
        QCOMPARE(change.value("field"_L1).toString(), u"messages"_s);
        const QJsonObject value = change.value("value"_L1).toObject();
        QCOMPARE(value.value("metadata"_L1).toObject().value("phone_number_id"_L1).toString(),
                 u"106540352242922"_s);
        const QJsonObject status = value.value("statuses"_L1).toArray().first().toObject();
        QCOMPARE(status.value("id"_L1).toString(), id);
        QCOMPARE(status.value("recipient_id"_L1).toString(), u"14155550100"_s);
        QVERIFY(status.value("pricing"_L1).toObject().value("billable"_L1).toBool());
        statuses.append(status.value("status"_L1).toString());
    }
    QCOMPARE(statuses, (QStringList{u"sent"_s, u"delivered"_s, u"read"_s}));
    QCOMPARE(m_sim->stats(u"meta"_s).value("accepted"_L1).toInt(), 1);
}

void TestProviderSim::metaRefusals()
{
    const auto unauthorized = metaSend(metaText(u"+14155550100"_s), u"stolen"_s);
    QCOMPARE(unauthorized.status, 401);
    const QJsonObject oauth = json(unauthorized).value("error"_L1).toObject();
    QCOMPARE(oauth.value("code"_L1).toInt(), 190);
    QCOMPARE(oauth.value("type"_L1).toString(), u"OAuthException"_s);
    QVERIFY(!oauth.value("fbtrace_id"_L1).toString().isEmpty());

    QJsonObject noTo = metaText(u"+14155550100"_s);
    noTo.remove(u"to"_s);
    const auto cases =
        QList<QPair<QJsonObject, QPair<int, int>>>{{noTo, {400, 100}},
                                                   {metaText(u"+15550001234"_s), {400, 131026}},
                                                   {metaText(u"15558880000"_s), {400, 131047}},
                                                   {metaText(u"+15557770000"_s), {429, 131056}}};
    for (const auto &[body, expected] : cases) {
        const auto r = metaSend(body);
        QCOMPARE(r.status, expected.first);
        QCOMPARE(json(r).value("error"_L1).toObject().value("code"_L1).toInt(), expected.second);
    }
    // A template may reach a customer outside the 24-hour window; free text may not.
    const QJsonObject templ{
        {u"messaging_product"_s, u"whatsapp"_s},
        {u"to"_s, u"15558880000"_s},
        {u"type"_s, u"template"_s},
        {u"template"_s,
         QJsonObject{{u"name"_s, u"order_update"_s},
                     {u"language"_s, QJsonObject{{u"code"_s, u"en_US"_s}}},
                     {u"components"_s,
                      QJsonArray{QJsonObject{
                          {u"type"_s, u"body"_s},
                          {u"parameters"_s, QJsonArray{QJsonObject{{u"type"_s, u"text"_s},
                                                                   {u"text"_s, u"A-17"_s}}}}}}}}}};
    QCOMPARE(metaSend(templ).status, 200);
    const QJsonObject stats = m_sim->stats(u"meta"_s);
    QCOMPARE(stats.value("auth_failures"_L1).toInt(), 1);
    QCOMPARE(stats.value("accepted"_L1).toInt(), 1);
    QCOMPARE(stats.value("messages"_L1).toArray().first().toObject().value("body"_L1).toString(),
             u"order_update"_s);
}

void TestProviderSim::fcmJwtTokenSend()
{
    const QJsonObject account = m_sim->serviceAccount();
    QCOMPARE(account.value("type"_L1).toString(), u"service_account"_s);
    QCOMPARE(account.value("token_uri"_L1).toString(), m_sim->baseUrl() + u"/token"_s);
    QVERIFY(
        account.value("private_key"_L1).toString().startsWith("-----BEGIN PRIVATE KEY-----"_L1));

    const auto token = fcmToken(serviceAccountJwt(account));
    QCOMPARE(token.status, 200);
    const QJsonObject t = json(token);
    QCOMPARE(t.value("token_type"_L1).toString(), u"Bearer"_s);
    QCOMPARE(t.value("expires_in"_L1).toInt(), 3599);
    const QByteArray access = t.value("access_token"_L1).toString().toLatin1();
    QVERIFY(!access.isEmpty());

    const QJsonObject message{
        {u"token"_s, u"device-token-1"_s},
        {u"notification"_s, QJsonObject{{u"title"_s, u"Shipped"_s}, {u"body"_s, u"Order A-17"_s}}},
        {u"data"_s, QJsonObject{{u"order"_s, u"A-17"_s}}}};
    const auto sent = fcmSend(access, message);
    QCOMPARE(sent.status, 200);
    QVERIFY(json(sent).value("name"_L1).toString().startsWith("projects/ferry-sim/messages/0:"_L1));
    const QJsonObject stats = m_sim->stats(u"fcm"_s);
    QCOMPARE(stats.value("tokens_issued"_L1).toInt(), 1);
    const QJsonObject record = stats.value("messages"_L1).toArray().first().toObject();
    QCOMPARE(record.value("to"_L1).toString(), u"device-token-1"_s);
    QCOMPARE(record.value("title"_L1).toString(), u"Shipped"_s);
}

void TestProviderSim::fcmRefusesBadAssertions()
{
    const QJsonObject account = m_sim->serviceAccount();
    const QList<QJsonObject> badClaims{{{u"aud"_s, u"https://oauth2.googleapis.com/token"_s}},
                                       {{u"iss"_s, u"someone@else.iam.gserviceaccount.com"_s}},
                                       {{u"exp"_s, QDateTime::currentSecsSinceEpoch() - 10}},
                                       {{u"exp"_s, QDateTime::currentSecsSinceEpoch() + 7200}}};
    for (const QJsonObject &claims : badClaims) {
        const auto r = fcmToken(serviceAccountJwt(account, claims));
        QCOMPARE(r.status, 400);
        QCOMPARE(json(r).value("error"_L1).toString(), u"invalid_grant"_s);
    }
    const auto scope = fcmToken(serviceAccountJwt(account, {{u"scope"_s, u"email"_s}}));
    QCOMPARE(json(scope).value("error"_L1).toString(), u"invalid_scope"_s);
    QByteArray tampered = serviceAccountJwt(account);
    tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == 'A' ? 'B' : 'A';
    const auto forged = fcmToken(tampered);
    QCOMPARE(forged.status, 400);
    QCOMPARE(json(forged).value("error_description"_L1).toString(), u"Invalid JWT Signature."_s);
    QCOMPARE(m_sim->stats(u"fcm"_s).value("tokens_issued"_L1).toInt(), 0);
}

void TestProviderSim::fcmRefusals()
{
    const QByteArray access = fcmAccessToken();
    const auto unregistered = fcmSend(access, {{u"token"_s, u"invalid-device"_s}});
    QCOMPARE(unregistered.status, 404);
    const QJsonObject e = json(unregistered).value("error"_L1).toObject();
    QCOMPARE(e.value("status"_L1).toString(), u"NOT_FOUND"_s);
    const QJsonObject detail = e.value("details"_L1).toArray().first().toObject();
    QCOMPARE(detail.value("@type"_L1).toString(),
             u"type.googleapis.com/google.firebase.fcm.v1.FcmError"_s);
    QCOMPARE(detail.value("errorCode"_L1).toString(), u"UNREGISTERED"_s);

    const auto malformed =
        fcmSend(access, {{u"token"_s, u"d"_s}, {u"data"_s, QJsonObject{{u"n"_s, 1}}}});
    QCOMPARE(malformed.status, 400);
    QCOMPARE(json(malformed).value("error"_L1).toObject().value("status"_L1).toString(),
             u"INVALID_ARGUMENT"_s);
    QCOMPARE(fcmSend(access, {{u"token"_s, u"d"_s}}, u"other-project"_s).status, 403);
    const auto unauthenticated = fcmSend("ya29.made-up", {{u"token"_s, u"d"_s}});
    QCOMPARE(unauthenticated.status, 401);
    QCOMPARE(json(unauthenticated).value("error"_L1).toObject().value("status"_L1).toString(),
             u"UNAUTHENTICATED"_s);
}

void TestProviderSim::fcmTokenExpires()
{
    QVERIFY(m_sim->setKnobs({{u"provider"_s, u"fcm"_s}, {u"token_lifetime_s"_s, 1}}));
    const auto token = fcmToken(serviceAccountJwt(m_sim->serviceAccount()));
    QCOMPARE(json(token).value("expires_in"_L1).toInt(), 1);
    const QByteArray access = json(token).value("access_token"_L1).toString().toLatin1();
    const QJsonObject message{{u"token"_s, u"device-token-1"_s}};
    // Answers 200 until the second is over, then 401 for good.
    QTRY_COMPARE_WITH_TIMEOUT(fcmSend(access, message).status, 401, 5000);
    QCOMPARE(fcmSend(access, message).status, 401);
    const QByteArray fresh = fcmAccessToken();
    QCOMPARE(fcmSend(fresh, message).status, 200);
    test::HttpRequest expire;
    expire.url = m_sim->baseUrl() + u"/_sim/fcm/expire-tokens"_s;
    QCOMPARE(test::http(expire).status, 200);
    QCOMPARE(fcmSend(fresh, message).status, 401);
    QVERIFY(m_sim->stats(u"fcm"_s).value("auth_failures"_L1).toInt() >= 2);
}

void TestProviderSim::knobsChangeAtRunTime()
{
    const QList<QPair<QString, QString>> ok{
        {u"To"_s, u"+14155550100"_s}, {u"From"_s, u"+14155550199"_s}, {u"Body"_s, u"x"_s}};
    QCOMPARE(twilioSend(ok).status, 201);
    QVERIFY(m_sim->setKnobs(
        {{u"provider"_s, u"twilio"_s}, {u"throttle_rate"_s, 1}, {u"retry_after_s"_s, 9}}));
    const auto throttled = twilioSend(ok);
    QCOMPARE(throttled.status, 429);
    QCOMPARE(json(throttled).value("code"_L1).toInt(), 20429);
    QCOMPARE(throttled.headers.value("retry-after"), QByteArray("9"));
    // Other providers keep their own knobs.
    QCOMPARE(metaSend(metaText(u"+14155550100"_s)).status, 200);

    QVERIFY(m_sim->setKnobs({{u"provider"_s, u"all"_s},
                             {u"throttle_rate"_s, 0},
                             {u"error_rate"_s, 1},
                             {u"error_status"_s, 503}}));
    const auto unavailable = twilioSend(ok);
    QCOMPARE(unavailable.status, 503);
    QCOMPARE(json(unavailable).value("code"_L1).toInt(), 20503);
    const auto fcmDown = fcmSend(fcmAccessToken(), {{u"token"_s, u"d"_s}});
    QCOMPARE(fcmDown.status, 503);
    QCOMPARE(json(fcmDown).value("error"_L1).toObject().value("status"_L1).toString(),
             u"UNAVAILABLE"_s);
    QCOMPARE(metaSend(metaText(u"+14155550100"_s)).status, 503);

    QVERIFY(!m_sim->setKnobs({{u"provider"_s, u"twilio"_s}, {u"no_such_knob"_s, 1}}));
    QVERIFY(!m_sim->setKnobs({{u"provider"_s, u"twilio"_s}, {u"error_rate"_s, 2}}));
    QVERIFY(m_sim->reset());
    QCOMPARE(twilioSend(ok).status, 201);
    const QJsonObject stats = m_sim->stats(u"twilio"_s);
    QCOMPARE(stats.value("accepted"_L1).toInt(), 1);
}

void TestProviderSim::connectionFaults()
{
    const QList<QPair<QString, QString>> ok{
        {u"To"_s, u"+14155550100"_s}, {u"From"_s, u"+14155550199"_s}, {u"Body"_s, u"x"_s}};
    QVERIFY(m_sim->setKnobs({{u"provider"_s, u"twilio"_s}, {u"reset_rate"_s, 1}}));
    QCOMPARE(twilioSend(ok).status, 0);
    QVERIFY(m_sim->setKnobs(
        {{u"provider"_s, u"twilio"_s}, {u"reset_rate"_s, 0}, {u"lose_response_rate"_s, 1}}));
    QCOMPARE(twilioSend(ok).status, 0);
    QVERIFY(m_sim->setKnobs(
        {{u"provider"_s, u"twilio"_s}, {u"lose_response_rate"_s, 0}, {u"timeout_rate"_s, 1}}));
    test::HttpRequest held;
    held.url = m_sim->baseUrl() + u"/2010-04-01/Accounts/%1/Messages.json"_s.arg(kSid);
    held.body = "To=%2B14155550100&From=%2B14155550199&Body=x";
    held.headers = {{"Authorization", "Basic " + (kSid + u':' + kToken).toUtf8().toBase64()}};
    QCOMPARE(test::http(held, 500).status, 0);
    QVERIFY(m_sim->setKnobs(
        {{u"provider"_s, u"twilio"_s}, {u"timeout_rate"_s, 0}, {u"latency_ms"_s, 300}}));
    QElapsedTimer t;
    t.start();
    QCOMPARE(twilioSend(ok).status, 201);
    QVERIFY(t.elapsed() >= 300);

    const QJsonObject stats = m_sim->stats(u"twilio"_s);
    const QJsonObject faults = stats.value("faults"_L1).toObject();
    QCOMPARE(faults.value("reset"_L1).toInt(), 1);
    QCOMPARE(faults.value("lost_response"_L1).toInt(), 1);
    QCOMPARE(faults.value("timeout"_L1).toInt(), 1);
    // The lost answer's message was taken: an unknown outcome, not a failure.
    QCOMPARE(stats.value("accepted"_L1).toInt(), 2);
}

void TestProviderSim::duplicateAndReorderedCallbacks()
{
    QVERIFY(m_sim->setKnobs({{u"provider"_s, u"twilio"_s},
                             {u"duplicate_callbacks"_s, 1},
                             {u"reorder_callbacks"_s, 1}}));
    const auto r = twilioSend({{u"To"_s, u"+14155550100"_s},
                               {u"From"_s, u"+14155550199"_s},
                               {u"Body"_s, u"x"_s},
                               {u"StatusCallback"_s, m_twilioHooks.url(u"/s"_s)}});
    QCOMPARE(r.status, 201);
    QTRY_COMPARE_WITH_TIMEOUT(m_twilioHooks.received.size(), 4, 10000);
    QStringList statuses;
    for (const Received &hook : std::as_const(m_twilioHooks.received))
        statuses.append(formValue(hook.body, u"MessageStatus"_s));
    QCOMPARE(statuses, (QStringList{u"delivered"_s, u"delivered"_s, u"sent"_s, u"sent"_s}));
    // A late "sent" does not take the message back from delivered.
    QCOMPARE(json(twilioFetch(json(r).value("sid"_L1).toString())).value("status"_L1).toString(),
             u"delivered"_s);
}

void TestProviderSim::seedReplaysFaults()
{
    const auto run = [this](const QString &seed) {
        test::ProviderSim sim({u"--seed"_s, seed, u"--throttle-rate"_s, u"0.5"_s});
        if (!sim.start())
            return QList<int>();
        QList<int> statuses;
        for (int i = 0; i < 24; ++i) {
            test::HttpRequest r;
            r.url = sim.baseUrl() + u"/v19.0/1/messages"_s;
            r.body = QJsonDocument(metaText(u"+14155550100"_s)).toJson();
            r.headers = {{"Authorization", "Bearer any"}};
            statuses.append(test::http(r).status);
        }
        return statuses;
    };
    const QList<int> first = run(u"7"_s), again = run(u"7"_s), other = run(u"8"_s);
    QCOMPARE(first.size(), 24);
    QVERIFY(first.contains(429) && first.contains(200));
    QCOMPARE(again, first);
    QVERIFY(other != first);
}

void TestProviderSim::statsCountPerSecond()
{
    for (int i = 0; i < 5; ++i)
        QCOMPARE(metaSend(metaText(u"+1415555010%1"_s.arg(i))).status, 200);
    const QJsonObject stats = m_sim->stats(u"meta"_s);
    qint64 total = 0;
    for (const QJsonValue &v : stats.value("accepted_per_second"_L1).toArray())
        total += v.toObject().value("count"_L1).toInteger();
    QCOMPARE(total, 5);
    QCOMPARE(stats.value("messages"_L1).toArray().size(), 5);
    QVERIFY(m_sim->reset());
    QCOMPARE(m_sim->stats(u"meta"_s).value("accepted"_L1).toInt(), 0);
}

void TestProviderSim::servesHttps()
{
    QTemporaryDir dir;
    const auto cert =
        test::run(test::agentBinary(), {u"cert"_s, u"generate"_s, u"--out"_s, dir.path()});
    QCOMPARE(cert.exitCode, 0);
    const QString certFile = dir.filePath(u"api.crt"_s);
    test::ProviderSim tls({u"--tls-cert"_s, certFile, u"--tls-key"_s, dir.filePath(u"api.key"_s)});
    QVERIFY(tls.start());
    QVERIFY(tls.baseUrl().startsWith("https://"_L1));
    QCOMPARE(tls.serviceAccount().value("token_uri"_L1).toString(), tls.baseUrl() + u"/token"_s);
    test::HttpRequest r;
    r.url = tls.baseUrl() + u"/v19.0/1/messages"_s;
    r.body = QJsonDocument(metaText(u"+14155550100"_s)).toJson();
    r.headers = {{"Authorization", "Bearer any"}};
    r.caFile = certFile;
    QCOMPARE(test::http(r).status, 200);
    QCOMPARE(tls.stats(u"meta"_s).value("accepted"_L1).toInt(), 1);
}

void TestProviderSim::forgetsOldestMessages()
{
    test::ProviderSim small({u"--max-messages"_s, u"4"_s});
    QVERIFY(small.start());
    QStringList ids;
    for (int i = 0; i < 6; ++i) {
        test::HttpRequest r;
        r.url = small.baseUrl() + u"/2010-04-01/Accounts/%1/Messages.json"_s.arg(kSid);
        r.body = "To=%2B14155550100&From=%2B14155550199&Body=n" + QByteArray::number(i);
        r.headers = {{"Authorization", "Basic " + (QString(kSid) + u":any"_s).toUtf8().toBase64()}};
        const auto answer = test::http(r);
        QCOMPARE(answer.status, 201);
        ids.append(json(answer).value("sid"_L1).toString());
    }
    const QJsonObject stats = small.stats(u"twilio"_s);
    QCOMPARE(stats.value("accepted"_L1).toInt(), 6);
    const QJsonArray kept = stats.value("messages"_L1).toArray();
    QVERIFY(kept.size() <= 4);
    QCOMPARE(kept.last().toObject().value("id"_L1).toString(), ids.last());
    const auto fetch = [&](const QString &sid) {
        test::HttpRequest r;
        r.method = "GET";
        r.url = small.baseUrl() + u"/2010-04-01/Accounts/%1/Messages/%2.json"_s.arg(kSid, sid);
        r.headers = {{"Authorization", "Basic " + (QString(kSid) + u":any"_s).toUtf8().toBase64()}};
        return test::http(r).status;
    };
    QCOMPARE(fetch(ids.first()), 404);
    QCOMPARE(fetch(ids.last()), 200);
}

QTEST_GUILESS_MAIN(TestProviderSim)
#include "tst_providersim.moc"
