// Requests signed by the providers' own SDKs (npm: stripe, twilio and standardwebhooks, pinned
// in tests/inbound-sdk/package-lock.json) pass Ferry's verifiers (agent/inbound/signatures.h),
// and the same requests tampered with, replayed late or checked under another secret do not.
// tests/inbound-sdk/sign.mjs signs, and checks each signature with the SDK's own verifier
// first, so a wrong job cannot make this test pass. Meta's and the configurable HMAC have no
// signing SDK on npm: node:crypto signs those, as an independent implementation.
//
// Needs node and the SDKs in build/npm/inbound-sdk (scripts/install-sdks.sh, which
// scripts/test.sh runs). Without them it fails, saying so: CI installs them, so a skip would
// only hide a broken install.
#include "agent/inbound/signatures.h"
#include "shared/result.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTest>

using namespace ferry;
using namespace ferry::agent::inbound;
using namespace Qt::StringLiterals;

namespace ferry::agent::inbound {
// QCOMPARE prints verdicts by name.
char *toString(Verdict verdict)
{
    return qstrdup(verdictName(verdict));
}
} // namespace ferry::agent::inbound

namespace {

// The error message of a failed result, for QVERIFY2 (which reads its message even on success).
template <typename T> QByteArray failure(const ferry::Result<T> &result)
{
    return result.ok() ? QByteArray() : result.error().message.toUtf8();
}

const QString kSdkDir = QStringLiteral(FERRY_INBOUND_SDK_DIR);
const QString kSignScript = QStringLiteral(FERRY_SOURCE_DIR "/tests/inbound-sdk/sign.mjs");
const QString kPackageJson = QStringLiteral(FERRY_SOURCE_DIR "/tests/inbound-sdk/package.json");
const QString kInstall = u"run scripts/install-sdks.sh (scripts/install-deps.sh installs node "
                         "and npm first)"_s;
constexpr qint64 kNow = 1767225600; // 2026-01-01T00:00:00Z
constexpr int kCases = 8;           // random payloads per kind

QJsonObject readJsonFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

// node is there, and the installed SDKs are the versions package.json pins (after a version
// bump, until scripts/install-sdks.sh runs, they are not).
Result<void> checkInstall()
{
    if (QStandardPaths::findExecutable(u"node"_s).isEmpty())
        return makeError(u"node is not installed: run scripts/install-deps.sh, then "
                         "scripts/install-sdks.sh"_s);
    const QJsonObject pinned = readJsonFile(kPackageJson).value("dependencies"_L1).toObject();
    if (pinned.isEmpty())
        return makeError(u"%1 names no SDK"_s.arg(kPackageJson));
    for (auto it = pinned.begin(); it != pinned.end(); ++it) {
        const QString installed =
            readJsonFile(kSdkDir + "/node_modules/"_L1 + it.key() + "/package.json"_L1)
                .value("version"_L1)
                .toString();
        if (installed != it.value().toString())
            return makeError(u"%1 %2 is pinned but %3 is installed in %4: %5"_s.arg(
                it.key(), it.value().toString(), installed.isEmpty() ? u"none"_s : installed,
                kSdkDir, kInstall));
    }
    return {};
}

// Runs sign.mjs on the jobs: one answer per job, in order.
Result<QJsonArray> sign(const QJsonArray &jobs)
{
    QProcess node;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"FERRY_INBOUND_SDK_DIR"_s, kSdkDir);
    node.setProcessEnvironment(environment);
    node.start(u"node"_s, {kSignScript});
    if (!node.waitForStarted(10000))
        return makeError(u"node does not start (%1): %2"_s.arg(node.errorString(), kInstall));
    node.write(QJsonDocument(jobs).toJson(QJsonDocument::Compact));
    node.closeWriteChannel();
    if (!node.waitForFinished(60000)) {
        node.kill();
        node.waitForFinished();
        return makeError(u"sign.mjs did not finish within 60 s"_s);
    }
    const QString errors = QString::fromUtf8(node.readAllStandardError()).trimmed();
    if (node.exitStatus() != QProcess::NormalExit || node.exitCode() != 0)
        return makeError(u"sign.mjs failed: %1"_s.arg(errors));
    const QJsonDocument answers = QJsonDocument::fromJson(node.readAllStandardOutput());
    if (!answers.isArray() || answers.array().size() != jobs.size())
        return makeError(u"sign.mjs did not answer each job (%1)"_s.arg(errors));
    return answers.array();
}

QByteArray utf8(const QJsonValue &value)
{
    return value.toString().toUtf8();
}

// One byte in the middle changed: the body a man in the middle would send.
QByteArray tampered(QByteArray body)
{
    body[body.size() / 2] = char(body[body.size() / 2] ^ 0x01);
    return body;
}

// Payloads with what breaks careless signing: multi-byte UTF-8 (emoji take four bytes),
// JSON escapes, form-encoding's special characters, whitespace.
class Payloads
{
public:
    explicit Payloads(quint32 seed)
        : m_random(seed)
    {}

    QString text(int length)
    {
        static const QStringList pieces = {u"a"_s, u"Z"_s, u"7"_s,  u" "_s,  u"+"_s,  u"&"_s,
                                           u"="_s, u"%"_s, u"\""_s, u"\\"_s, u"\n"_s, u"'"_s,
                                           u"é"_s, u"ß"_s, u"ü"_s,  u"中"_s, u"文"_s, u"\u00a0"_s,
                                           u"😀"_s, u"🚀"_s, u"#"_s,  u"?"_s,  u"/"_s};
        QString text;
        for (int i = 0; i < length; ++i)
            text += pieces.at(m_random.bounded(int(pieces.size())));
        return text;
    }

    QByteArray json(int index)
    {
        const QJsonObject object{{"id"_L1, u"evt_%1"_s.arg(index)},
                                 {"amount"_L1, int(m_random.bounded(100000))},
                                 {"text"_L1, text(8 + m_random.bounded(40))}};
        return QJsonDocument(object).toJson(QJsonDocument::Compact);
    }

    QByteArray secret(const QByteArray &prefix)
    {
        QByteArray key(32, Qt::Uninitialized);
        m_random.fillRange(reinterpret_cast<quint32 *>(key.data()), key.size() / 4);
        return prefix + key.toBase64();
    }

private:
    QRandomGenerator m_random;
};

quint32 chooseSeed()
{
    bool ok = false;
    const quint32 seed = qEnvironmentVariable("FERRY_TEST_SEED").toUInt(&ok);
    return ok ? seed : QRandomGenerator::global()->generate();
}

} // namespace

class TestInboundSdk : public QObject
{
    Q_OBJECT
private:
    quint32 m_seed = chooseSeed();
    Payloads m_payloads{m_seed};

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        const Result<void> install = checkInstall();
        QVERIFY2(install.ok(), failure(install).constData());
        qInfo("random payloads from seed %u (FERRY_TEST_SEED=%u repeats them)", m_seed, m_seed);
    }

    void stripe()
    {
        const QByteArray secret = m_payloads.secret("whsec_");
        const QByteArray other = m_payloads.secret("whsec_");
        QJsonArray jobs;
        QList<QByteArray> bodies;
        for (int i = 0; i < kCases; ++i) {
            bodies.append(m_payloads.json(i));
            jobs.append(QJsonObject{{"kind"_L1, "stripe"_L1},
                                    {"secret"_L1, QString::fromLatin1(secret)},
                                    {"payload"_L1, QString::fromUtf8(bodies.last())},
                                    {"timestamp"_L1, kNow + i}});
        }
        const Result<QJsonArray> answers = sign(jobs);
        QVERIFY2(answers.ok(), failure(answers).constData());
        for (int i = 0; i < kCases; ++i) {
            const QByteArray header = utf8(answers->at(i)["header"_L1]);
            const QByteArray &body = bodies.at(i);
            const qint64 t = kNow + i;
            QCOMPARE(verifyStripe(header, body, {secret}, t).verdict, Verdict::Valid);
            QCOMPARE(verifyStripe(header, body, {other, secret}, t + 299).verdict, Verdict::Valid);
            QCOMPARE(verifyStripe(header, tampered(body), {secret}, t).verdict,
                     Verdict::BadSignature);
            QCOMPARE(verifyStripe(header, body, {other}, t).verdict, Verdict::BadSignature);
            QCOMPARE(verifyStripe(header, body, {secret}, t + 301).verdict, Verdict::Stale);
            QCOMPARE(verifyStripe(header, body, {secret}, t - 301).verdict, Verdict::Stale);
        }
    }

    void stripeRolledSecret()
    {
        // While a secret is rolled Stripe signs with both: a header with two v1 entries.
        const QByteArray oldSecret = m_payloads.secret("whsec_");
        const QByteArray newSecret = m_payloads.secret("whsec_");
        const QByteArray body = m_payloads.json(0);
        const QJsonArray secrets{QString::fromLatin1(oldSecret), QString::fromLatin1(newSecret)};
        const Result<QJsonArray> answers =
            sign({QJsonObject{{"kind"_L1, "stripe"_L1},
                              {"secrets"_L1, secrets},
                              {"payload"_L1, QString::fromUtf8(body)},
                              {"timestamp"_L1, kNow}}});
        QVERIFY2(answers.ok(), failure(answers).constData());
        const QByteArray header = utf8(answers->at(0)["header"_L1]);
        QCOMPARE(header.count("v1="), 2);
        QCOMPARE(verifyStripe(header, body, {oldSecret}, kNow).verdict, Verdict::Valid);
        QCOMPARE(verifyStripe(header, body, {newSecret}, kNow).verdict, Verdict::Valid);
        QCOMPARE(verifyStripe(header, body, {m_payloads.secret("whsec_")}, kNow).verdict,
                 Verdict::BadSignature);
    }

    void twilioForm_data()
    {
        QTest::addColumn<QByteArray>("signedUrl");
        QTest::addColumn<QByteArray>("calledUrl");
        const auto row = [](const char *name, const char *signedUrl, const char *calledUrl) {
            QTest::newRow(name) << QByteArray(signedUrl) << QByteArray(calledUrl);
        };
        row("same URL", "https://hooks.example.com/twilio/sms?tenant=acme",
            "https://hooks.example.com/twilio/sms?tenant=acme");
        row("called with 443", "https://hooks.example.com/twilio/sms",
            "https://hooks.example.com:443/twilio/sms");
        row("signed with 443", "https://hooks.example.com:443/twilio/voice",
            "https://hooks.example.com/twilio/voice");
        row("http with port", "http://localhost:8080/twilio?x=a%20b",
            "http://localhost:8080/twilio?x=a%20b");
        row("http signed with 80", "http://hooks.example.com:80/twilio",
            "http://hooks.example.com/twilio");
        // Twilio drops the port when it signs voice callbacks over HTTPS.
        row("voice on 8443", "https://hooks.example.com/twilio/voice",
            "https://hooks.example.com:8443/twilio/voice");
        row("encoded query", "https://hooks.example.com/t?name=J%C3%BCrgen&q=it's&e=",
            "https://hooks.example.com/t?name=J%C3%BCrgen&q=it's&e=");
    }

    void twilioForm()
    {
        QFETCH(QByteArray, signedUrl);
        QFETCH(QByteArray, calledUrl);
        const QByteArray token = m_payloads.secret({}).left(32);
        const QByteArray other = m_payloads.secret({}).left(32);
        const QJsonObject params{{"Body"_L1, m_payloads.text(30)},
                                 {"From"_L1, "+14155550100"_L1},
                                 {"To"_L1, "whatsapp:+14155550199"_L1},
                                 {"MediaUrl0"_L1, "https://api.example/x?y=1&z=a+b"_L1},
                                 {"Empty"_L1, ""_L1},
                                 {"Ünïcode Name"_L1, m_payloads.text(5)},
                                 {"Tag"_L1, QJsonArray{u"b"_s, u"a b"_s, u"b"_s}}};
        const Result<QJsonArray> answers =
            sign({QJsonObject{{"kind"_L1, "twilio"_L1},
                              {"authToken"_L1, QString::fromLatin1(token)},
                              {"url"_L1, QString::fromUtf8(signedUrl)},
                              {"calledUrl"_L1, QString::fromUtf8(calledUrl)},
                              {"params"_L1, params}}});
        QVERIFY2(answers.ok(), failure(answers).constData());
        const QByteArray signature = utf8(answers->at(0)["signature"_L1]);
        const QByteArray body = utf8(answers->at(0)["body"_L1]);
        const auto verdict = [&](const QByteArray &url, const QByteArray &form,
                                 const QList<QByteArray> &tokens) {
            return verifyTwilio(signature, url, "application/x-www-form-urlencoded", form, tokens)
                .verdict;
        };
        QCOMPARE(verdict(calledUrl, body, {token}), Verdict::Valid);
        QCOMPARE(verdict(calledUrl, body, {other, token}), Verdict::Valid);
        QCOMPARE(verdict(calledUrl, body, {other}), Verdict::BadSignature);
        QCOMPARE(verdict(calledUrl, body + "&Injected=1", {token}), Verdict::BadSignature);
        QCOMPARE(verdict(calledUrl, QByteArray(body).replace("From=", "From=1"), {token}),
                 Verdict::BadSignature);
        QCOMPARE(verdict(calledUrl + "x", body, {token}), Verdict::BadSignature);
    }

    void twilioJson()
    {
        const QByteArray token = m_payloads.secret({}).left(32);
        const QList<QByteArray> urls = {"https://hooks.example.com/twilio/json",
                                        "https://hooks.example.com/twilio/json?tenant=acme",
                                        "http://localhost:8080/j?q=%C3%BC"};
        QJsonArray jobs;
        QList<QByteArray> bodies;
        for (const QByteArray &url : urls) {
            bodies.append(m_payloads.json(int(bodies.size())));
            jobs.append(QJsonObject{{"kind"_L1, "twilio-json"_L1},
                                    {"authToken"_L1, QString::fromLatin1(token)},
                                    {"url"_L1, QString::fromUtf8(url)},
                                    {"body"_L1, QString::fromUtf8(bodies.last())}});
        }
        const Result<QJsonArray> answers = sign(jobs);
        QVERIFY2(answers.ok(), failure(answers).constData());
        for (qsizetype i = 0; i < urls.size(); ++i) {
            const QByteArray signature = utf8(answers->at(i)["signature"_L1]);
            const QByteArray url = utf8(answers->at(i)["url"_L1]);
            QVERIFY2(url.contains("bodySHA256="), url.constData());
            const auto verdict = [&](const QByteArray &calledUrl, const QByteArray &body) {
                return verifyTwilio(signature, calledUrl, "application/json", body, {token})
                    .verdict;
            };
            QCOMPARE(verdict(url, bodies.at(i)), Verdict::Valid);
            QCOMPARE(verdict(url, tampered(bodies.at(i))), Verdict::BadSignature);
            QCOMPARE(verdict(url.left(url.indexOf("bodySHA256=") - 1), bodies.at(i)),
                     Verdict::Malformed);
            QCOMPARE(
                verifyTwilio(signature, url, "application/json", bodies.at(i), {"other"}).verdict,
                Verdict::BadSignature);
        }
    }

    void standardWebhooksSpecificationVector()
    {
        // The npm package signs the specification's vector as the specification says.
        const Result<QJsonArray> answers =
            sign({QJsonObject{{"kind"_L1, "standard-webhooks"_L1},
                              {"secret"_L1, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"_L1},
                              {"id"_L1, "msg_p5jXN8AQM9LWM0D4loKWxJek"_L1},
                              {"timestamp"_L1, 1614265330},
                              {"payload"_L1, R"({"test": 2432232314})"_L1}}});
        QVERIFY2(answers.ok(), failure(answers).constData());
        QCOMPARE(answers->at(0)["signature"_L1].toString(),
                 u"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="_s);
    }

    void standardWebhooks()
    {
        const QByteArray secret = m_payloads.secret("whsec_");
        const QByteArray other = m_payloads.secret("whsec_");
        QJsonArray jobs;
        QList<QByteArray> bodies;
        for (int i = 0; i < kCases; ++i) {
            bodies.append(m_payloads.json(i));
            // The last job signs with two secrets, as a sender does while one is rotated.
            const QJsonArray secrets = i == kCases - 1 ? QJsonArray{QString::fromLatin1(other),
                                                                    QString::fromLatin1(secret)}
                                                       : QJsonArray{QString::fromLatin1(secret)};
            jobs.append(QJsonObject{{"kind"_L1, "standard-webhooks"_L1},
                                    {"secrets"_L1, secrets},
                                    {"id"_L1, u"msg_%1"_s.arg(i)},
                                    {"timestamp"_L1, kNow + i},
                                    {"payload"_L1, QString::fromUtf8(bodies.last())}});
        }
        const Result<QJsonArray> answers = sign(jobs);
        QVERIFY2(answers.ok(), failure(answers).constData());
        for (int i = 0; i < kCases; ++i) {
            const QByteArray signature = utf8(answers->at(i)["signature"_L1]);
            const QByteArray id = "msg_" + QByteArray::number(i);
            const QByteArray stamp = QByteArray::number(kNow + i);
            const auto verdict = [&](const QByteArray &body, const QList<QByteArray> &secrets,
                                     qint64 now) {
                return verifyStandardWebhooks(id, stamp, signature, body, secrets, now).verdict;
            };
            const bool rotated = i == kCases - 1;
            QCOMPARE(verdict(bodies.at(i), {secret}, kNow), Verdict::Valid);
            QCOMPARE(verdict(bodies.at(i), {other}, kNow),
                     rotated ? Verdict::Valid : Verdict::BadSignature);
            QCOMPARE(verdict(tampered(bodies.at(i)), {secret}, kNow), Verdict::BadSignature);
            QCOMPARE(verdict(bodies.at(i), {secret}, kNow + i + 301), Verdict::Stale);
            QCOMPARE(verdict(bodies.at(i), {secret}, kNow + i - 301), Verdict::Stale);
        }
    }

    void hmacAgainstNodeCrypto_data()
    {
        QTest::addColumn<QString>("algorithm");
        QTest::addColumn<QString>("encoding");
        for (const QString &algorithm : {u"sha1"_s, u"sha256"_s, u"sha512"_s}) {
            for (const QString &encoding : {u"hex"_s, u"base64"_s})
                QTest::addRow("%s %s", qPrintable(algorithm), qPrintable(encoding))
                    << algorithm << encoding;
        }
    }

    void hmacAgainstNodeCrypto()
    {
        QFETCH(QString, algorithm);
        QFETCH(QString, encoding);
        const Result<HmacScheme> scheme =
            parseHmacScheme(QJsonObject{{"algorithm"_L1, algorithm},
                                        {"encoding"_L1, encoding},
                                        {"timestamp_header"_L1, "X-Timestamp"_L1}});
        QVERIFY2(scheme.ok(), failure(scheme).constData());
        const QByteArray secret = m_payloads.secret({});
        const QByteArray body = m_payloads.json(0);
        const QByteArray stamp = QByteArray::number(kNow);
        const Result<QJsonArray> answers =
            sign({QJsonObject{{"kind"_L1, "hmac"_L1},
                              {"algorithm"_L1, algorithm},
                              {"encoding"_L1, encoding},
                              {"secret"_L1, QString::fromLatin1(secret)},
                              {"payload"_L1, QString::fromUtf8(stamp + '.' + body)}}});
        QVERIFY2(answers.ok(), failure(answers).constData());
        const QByteArray signature = utf8(answers->at(0)["signature"_L1]);
        QCOMPARE(verifyHmac(*scheme, signature, stamp, body, {secret}, kNow).verdict,
                 Verdict::Valid);
        QCOMPARE(verifyHmac(*scheme, signature, stamp, tampered(body), {secret}, kNow).verdict,
                 Verdict::BadSignature);
        QCOMPARE(verifyHmac(*scheme, signature, stamp, body, {secret}, kNow + 301).verdict,
                 Verdict::Stale);
    }

    void whatsAppAgainstNodeCrypto()
    {
        const QByteArray secret = m_payloads.secret({}).left(32);
        QJsonArray jobs;
        QList<QByteArray> bodies;
        for (int i = 0; i < kCases; ++i) {
            bodies.append(m_payloads.json(i));
            jobs.append(QJsonObject{{"kind"_L1, "hmac"_L1},
                                    {"algorithm"_L1, "sha256"_L1},
                                    {"encoding"_L1, "hex"_L1},
                                    {"secret"_L1, QString::fromLatin1(secret)},
                                    {"payload"_L1, QString::fromUtf8(bodies.last())}});
        }
        const Result<QJsonArray> answers = sign(jobs);
        QVERIFY2(answers.ok(), failure(answers).constData());
        for (int i = 0; i < kCases; ++i) {
            const QByteArray header = "sha256=" + utf8(answers->at(i)["signature"_L1]);
            QCOMPARE(verifyWhatsApp(header, bodies.at(i), {secret}).verdict, Verdict::Valid);
            QCOMPARE(verifyWhatsApp(header, tampered(bodies.at(i)), {secret}).verdict,
                     Verdict::BadSignature);
        }
    }
};

QTEST_GUILESS_MAIN(TestInboundSdk)
#include "tst_inboundsdk.moc"
