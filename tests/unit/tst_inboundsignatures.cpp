// The signature checks for inbound provider webhooks (agent/inbound/signatures.h): for every
// kind a valid request, a tampered body, a wrong secret, secret rotation, stale and future
// timestamps, a replay after the tolerance, malformed and missing headers; and the published
// vectors that could be confirmed (Standard Webhooks' specification, Twilio's worked example,
// RFC 4231 / RFC 2202 for the HMAC primitive). tst_inboundsdk checks the same verifiers against
// requests signed by the providers' own SDKs.
#include "agent/inbound/signatures.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QStandardPaths>
#include <QTest>

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

constexpr qint64 kNow = 1767225600; // 2026-01-01T00:00:00Z
const QByteArray kStripeSecret = "whsec_4eC39HqLyjWDarjtT1zdp7dc";
const QByteArray kOtherSecret = "whsec_0ther0ther0ther0ther0ther00";
const QByteArray kBody = R"({"id":"evt_1","type":"payment_intent.succeeded","text":"Grüße 😀"})";

QByteArray mac(QCryptographicHash::Algorithm algorithm, const QByteArray &key,
               const QByteArray &data)
{
    return QMessageAuthenticationCode::hash(data, key, algorithm);
}

QByteArray stripeV1(const QByteArray &secret, qint64 t, const QByteArray &body)
{
    return "v1=" +
           mac(QCryptographicHash::Sha256, secret, QByteArray::number(t) + '.' + body).toHex();
}

QByteArray stripeHeader(const QByteArray &secret, qint64 t, const QByteArray &body)
{
    return "t=" + QByteArray::number(t) + ',' + stripeV1(secret, t, body);
}

QByteArray twilioSignature(const QByteArray &token, const QByteArray &signedText)
{
    return mac(QCryptographicHash::Sha1, token, signedText).toBase64();
}

QByteArray metaHeader(const QByteArray &secret, const QByteArray &body)
{
    return "sha256=" + mac(QCryptographicHash::Sha256, secret, body).toHex();
}

QByteArray standardSecret(char fill)
{
    return "whsec_" + QByteArray(32, fill).toBase64();
}

QByteArray standardSignature(const QByteArray &secret, const QByteArray &id, qint64 t,
                             const QByteArray &body)
{
    const QByteArray key = QByteArray::fromBase64(secret.mid(6));
    const QByteArray text = id + '.' + QByteArray::number(t) + '.' + body;
    return "v1," + mac(QCryptographicHash::Sha256, key, text).toBase64();
}

// Twilio's worked example (its Security documentation, "Explore the algorithm yourself"): auth
// token 12345, this URL, these POST fields; the documented signature is
// L/OH5YylLD5NRKLltdqwSvS0BnU=.
const QByteArray kTwilioToken = "12345";
const QByteArray kTwilioUrl = "https://example.com/myapp.php?foo=1&bar=2";
const QByteArray kTwilioForm = "Digits=1234&To=%2B18005551212&From=%2B14158675310"
                               "&Caller=%2B14158675310&CallSid=CA1234567890ABCDE";
const QByteArray kTwilioDocumented = "L/OH5YylLD5NRKLltdqwSvS0BnU=";
const QByteArray kForm = "application/x-www-form-urlencoded";

// The signed text of Twilio's example, for signing variants of its URL.
QByteArray twilioExampleParameters()
{
    return "CallSidCA1234567890ABCDECaller+14158675310Digits1234From+14158675310To+18005551212";
}

} // namespace

class TestInboundSignatures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    // ---- Stripe

    void stripeValid()
    {
        const QByteArray header = stripeHeader(kStripeSecret, kNow, kBody);
        const Verification result = verifyStripe(header, kBody, {kStripeSecret}, kNow);
        QCOMPARE(result.verdict, Verdict::Valid);
        QVERIFY(result.valid());
        // Hex in capitals is the same digest.
        const QByteArray upper = "t=" + QByteArray::number(kNow) +
                                 ",v1=" + stripeV1(kStripeSecret, kNow, kBody).mid(3).toUpper();
        QCOMPARE(verifyStripe(upper, kBody, {kStripeSecret}, kNow).verdict, Verdict::Valid);
    }

    void stripeRefusesTamperingAndOtherSecrets()
    {
        const QByteArray header = stripeHeader(kStripeSecret, kNow, kBody);
        QByteArray tampered = kBody;
        tampered.replace("evt_1", "evt_2");
        QCOMPARE(verifyStripe(header, tampered, {kStripeSecret}, kNow).verdict,
                 Verdict::BadSignature);
        QCOMPARE(verifyStripe(header, kBody, {kOtherSecret}, kNow).verdict, Verdict::BadSignature);
        // The secret is used as written: without its whsec_ prefix it is another key.
        QCOMPARE(verifyStripe(header, kBody, {kStripeSecret.mid(6)}, kNow).verdict,
                 Verdict::BadSignature);
        // The timestamp is signed: moving it breaks the signature.
        const QByteArray moved =
            "t=" + QByteArray::number(kNow + 1) + ',' + stripeV1(kStripeSecret, kNow, kBody);
        QCOMPARE(verifyStripe(moved, kBody, {kStripeSecret}, kNow).verdict, Verdict::BadSignature);
    }

    void stripeRotation()
    {
        // While a secret is rolled, Stripe sends one v1 per secret.
        const QByteArray both =
            stripeHeader(kOtherSecret, kNow, kBody) + ',' + stripeV1(kStripeSecret, kNow, kBody);
        QCOMPARE(verifyStripe(both, kBody, {kStripeSecret}, kNow).verdict, Verdict::Valid);
        QCOMPARE(verifyStripe(both, kBody, {kOtherSecret}, kNow).verdict, Verdict::Valid);
        // And Ferry may hold the old and the new secret while the sender has one.
        const QByteArray one = stripeHeader(kStripeSecret, kNow, kBody);
        QCOMPARE(verifyStripe(one, kBody, {kOtherSecret, kStripeSecret}, kNow).verdict,
                 Verdict::Valid);
        QCOMPARE(verifyStripe(one, kBody, {"whsec_unrelated", kOtherSecret}, kNow).verdict,
                 Verdict::BadSignature);
    }

    void stripeIgnoresOtherSchemes()
    {
        const QByteArray header = "t=" + QByteArray::number(kNow) + ",v0=" + QByteArray(64, 'a') +
                                  ',' + stripeV1(kStripeSecret, kNow, kBody);
        QCOMPARE(verifyStripe(header, kBody, {kStripeSecret}, kNow).verdict, Verdict::Valid);
        const QByteArray onlyV0 =
            "t=" + QByteArray::number(kNow) + ",v0=" + stripeV1(kStripeSecret, kNow, kBody).mid(3);
        QCOMPARE(verifyStripe(onlyV0, kBody, {kStripeSecret}, kNow).verdict, Verdict::Malformed);
    }

    void stripeTimestamps()
    {
        const QByteArray header = stripeHeader(kStripeSecret, kNow, kBody);
        QCOMPARE(verifyStripe(header, kBody, {kStripeSecret}, kNow + 300).verdict, Verdict::Valid);
        QCOMPARE(verifyStripe(header, kBody, {kStripeSecret}, kNow - 300).verdict, Verdict::Valid);
        QCOMPARE(verifyStripe(header, kBody, {kStripeSecret}, kNow + 301).verdict, Verdict::Stale);
        // From the future beyond the tolerance: a clock that is off, or a forged timestamp.
        QCOMPARE(verifyStripe(header, kBody, {kStripeSecret}, kNow - 301).verdict, Verdict::Stale);
        QCOMPARE(verifyStripe(header, kBody, {kStripeSecret}, kNow + 60, 30).verdict,
                 Verdict::Stale);
    }

    void stripeReplayIsRefused()
    {
        // A genuine request captured and sent again an hour later.
        const QByteArray header = stripeHeader(kStripeSecret, kNow, kBody);
        QCOMPARE(verifyStripe(header, kBody, {kStripeSecret}, kNow + 5).verdict, Verdict::Valid);
        const Verification replay = verifyStripe(header, kBody, {kStripeSecret}, kNow + 3600);
        QCOMPARE(replay.verdict, Verdict::Stale);
        QVERIFY2(replay.detail.contains("300 seconds"_L1), qPrintable(replay.detail));
    }

    void stripeMalformed_data()
    {
        QTest::addColumn<QByteArray>("header");
        const QByteArray v1 = stripeV1(kStripeSecret, kNow, kBody);
        const QByteArray t = "t=" + QByteArray::number(kNow);
        QTest::newRow("no t") << v1;
        QTest::newRow("t not a number") << "t=soon," + v1;
        QTest::newRow("t negative") << "t=-5," + v1;
        QTest::newRow("t with a fraction") << "t=1767225600.5," + v1;
        QTest::newRow("t too long") << "t=" + QByteArray(40, '9') + ',' + v1;
        QTest::newRow("two t") << t + ',' + t + ',' + v1;
        QTest::newRow("no v1") << t;
        QTest::newRow("v1 not hex") << t + ",v1=" + QByteArray(64, 'z');
        QTest::newRow("v1 too short") << t + ',' + v1.left(v1.size() - 1);
        QTest::newRow("v1 too long") << t + ',' + v1 + "00";
        QTest::newRow("no name=value") << t + ",garbage," + v1;
        QTest::newRow("junk") << QByteArray("\x01\x02\xff,,,===");
        QTest::newRow("longer than 8 KiB") << t + ',' + v1 + ",v0=" + QByteArray(9000, 'a');
    }

    void stripeMalformed()
    {
        QFETCH(QByteArray, header);
        QCOMPARE(verifyStripe(header, kBody, {kStripeSecret}, kNow).verdict, Verdict::Malformed);
    }

    void stripeMissingOrNoSecret()
    {
        QCOMPARE(verifyStripe({}, kBody, {kStripeSecret}, kNow).verdict, Verdict::Missing);
        QCOMPARE(verifyStripe("  ", kBody, {kStripeSecret}, kNow).verdict, Verdict::Missing);
        // An empty secret signs nothing: an HMAC under it is one anybody can compute.
        const QByteArray underEmpty = stripeHeader({}, kNow, kBody);
        QCOMPARE(verifyStripe(underEmpty, kBody, {QByteArray()}, kNow).verdict,
                 Verdict::BadSignature);
        QCOMPARE(verifyStripe(underEmpty, kBody, {}, kNow).verdict, Verdict::BadSignature);
    }

    // ---- Twilio

    void twilioDocumentedExample()
    {
        const Verification result =
            verifyTwilio(kTwilioDocumented, kTwilioUrl, kForm, kTwilioForm, {kTwilioToken});
        QCOMPARE(result.verdict, Verdict::Valid);
        // A charset parameter and capitals in the content type change nothing.
        QCOMPARE(verifyTwilio(kTwilioDocumented, kTwilioUrl,
                              "Application/X-WWW-Form-URLEncoded; charset=utf-8", kTwilioForm,
                              {kTwilioToken})
                     .verdict,
                 Verdict::Valid);
    }

    void twilioRefusesTamperingAndOtherTokens()
    {
        const auto verdict = [](const QByteArray &url, const QByteArray &form,
                                const QList<QByteArray> &tokens) {
            return verifyTwilio(kTwilioDocumented, url, kForm, form, tokens).verdict;
        };
        QByteArray digits = kTwilioForm;
        digits.replace("Digits=1234", "Digits=1235");
        QCOMPARE(verdict(kTwilioUrl, digits, {kTwilioToken}), Verdict::BadSignature);
        QCOMPARE(verdict(kTwilioUrl, kTwilioForm + "&Extra=1", {kTwilioToken}),
                 Verdict::BadSignature);
        QCOMPARE(
            verdict(kTwilioUrl, kTwilioForm.left(kTwilioForm.lastIndexOf('&')), {kTwilioToken}),
            Verdict::BadSignature);
        QCOMPARE(verdict("https://example.com/myapp.php?foo=1&bar=3", kTwilioForm, {kTwilioToken}),
                 Verdict::BadSignature);
        QCOMPARE(verdict("http://example.com/myapp.php?foo=1&bar=2", kTwilioForm, {kTwilioToken}),
                 Verdict::BadSignature);
        QCOMPARE(verdict(kTwilioUrl, kTwilioForm, {"54321"}), Verdict::BadSignature);
        // Rotation: the secondary auth token next to the primary.
        QCOMPARE(verdict(kTwilioUrl, kTwilioForm, {"54321", kTwilioToken}), Verdict::Valid);
        // The fields may come in any order: they are sorted before signing.
        QCOMPARE(verdict(kTwilioUrl,
                         "CallSid=CA1234567890ABCDE&To=%2B18005551212&Caller=%2B14158675310"
                         "&From=%2B14158675310&Digits=1234",
                         {kTwilioToken}),
                 Verdict::Valid);
    }

    void twilioPortToggle_data()
    {
        QTest::addColumn<QByteArray>("signedUrl");
        QTest::addColumn<QByteArray>("calledUrl");
        QTest::addColumn<Verdict>("expected");
        QTest::newRow("signed without, called with 443")
            << QByteArray("https://example.com/hook") << QByteArray("https://example.com:443/hook")
            << Verdict::Valid;
        QTest::newRow("signed with 443, called without")
            << QByteArray("https://example.com:443/hook") << QByteArray("https://example.com/hook")
            << Verdict::Valid;
        QTest::newRow("signed with 80, called without")
            << QByteArray("http://example.com:80/hook") << QByteArray("http://example.com/hook")
            << Verdict::Valid;
        // Twilio drops the port when it signs voice callbacks over HTTPS.
        QTest::newRow("signed without, called with 8443")
            << QByteArray("https://example.com/hook?x=1")
            << QByteArray("https://example.com:8443/hook?x=1") << Verdict::Valid;
        QTest::newRow("signed with 8443, called without")
            << QByteArray("https://example.com:8443/hook") << QByteArray("https://example.com/hook")
            << Verdict::BadSignature;
        QTest::newRow("signed with 443, called with 8443")
            << QByteArray("https://example.com:443/hook")
            << QByteArray("https://example.com:8443/hook") << Verdict::BadSignature;
        QTest::newRow("IPv6 literal with port")
            << QByteArray("https://[2001:db8::1]/hook")
            << QByteArray("https://[2001:db8::1]:443/hook") << Verdict::Valid;
        QTest::newRow("IPv6 literal without port")
            << QByteArray("https://[2001:db8::1]:443/hook")
            << QByteArray("https://[2001:db8::1]/hook") << Verdict::Valid;
    }

    void twilioPortToggle()
    {
        QFETCH(QByteArray, signedUrl);
        QFETCH(QByteArray, calledUrl);
        QFETCH(Verdict, expected);
        const QByteArray signature =
            twilioSignature(kTwilioToken, signedUrl + twilioExampleParameters());
        QCOMPARE(verifyTwilio(signature, calledUrl, kForm, kTwilioForm, {kTwilioToken}).verdict,
                 expected);
    }

    void twilioFormDecoding()
    {
        // '+' is a space, %2B a plus; repeated pairs count once; sorted by name, then value.
        const QByteArray url = "https://hooks.example/sms";
        const QByteArray form = "Body=hello+world%21&Tag=b&Tag=a&Tag=b&Plus=%2B1+555&Empty=&Bare";
        const QByteArray text =
            url + "Bare" + "Body" + "hello world!" + "Empty" + "Plus" + "+1 555" + "Taga" + "Tagb";
        QCOMPARE(verifyTwilio(twilioSignature("tok", text), url, kForm, form, {"tok"}).verdict,
                 Verdict::Valid);
        // Unicode, percent-encoded as UTF-8, is signed as its UTF-8 bytes.
        const QByteArray unicode = "Body=Gr%C3%BC%C3%9Fe+%F0%9F%98%80";
        const QByteArray signedText = url + "Body" + QByteArray("Grüße 😀");
        QCOMPARE(
            verifyTwilio(twilioSignature("tok", signedText), url, kForm, unicode, {"tok"}).verdict,
            Verdict::Valid);
    }

    void twilioJsonBody()
    {
        // The body and its hash from Twilio's documentation (application/json body); the
        // documented signature of that URL uses a token the page does not give, so the URL is
        // signed here.
        const QByteArray body = R"({"CallSid":"CA1234567890ABCDE","Caller":"+12349013030"})";
        const QByteArray hash = "5ccde7145dfb8f56479710896586cb9d5911809d83afbe34627818790db0aec9";
        const QByteArray url = "https://example.com/myapp?bodySHA256=" + hash;
        const QByteArray signature = twilioSignature(kTwilioToken, url);
        const auto verdict = [&](const QByteArray &calledUrl, const QByteArray &sentBody) {
            return verifyTwilio(signature, calledUrl, "application/json", sentBody, {kTwilioToken})
                .verdict;
        };
        QCOMPARE(verdict(url, body), Verdict::Valid);
        QCOMPARE(verdict(url, QByteArray(body).replace("CA1", "CA2")), Verdict::BadSignature);
        QCOMPARE(verdict(url, body + ' '), Verdict::BadSignature);
        QCOMPARE(verdict("https://example.com:443/myapp?bodySHA256=" + hash, body), Verdict::Valid);
        // Capital hex in the URL (then signed as such) is the same hash.
        const QByteArray upperUrl = "https://example.com/myapp?bodySHA256=" + hash.toUpper();
        QCOMPARE(verifyTwilio(twilioSignature(kTwilioToken, upperUrl), upperUrl, "application/json",
                              body, {kTwilioToken})
                     .verdict,
                 Verdict::Valid);
    }

    void twilioJsonBodyNeedsItsHash()
    {
        const QByteArray body = R"({"a":1})";
        const auto verdict = [&](const QByteArray &url, const QByteArray &sentBody) {
            return verifyTwilio(twilioSignature("tok", url), url, "application/json", sentBody,
                                {"tok"})
                .verdict;
        };
        // Without bodySHA256 nothing covers a JSON body.
        QCOMPARE(verdict("https://hooks.example/j", body), Verdict::Malformed);
        QCOMPARE(verdict("https://hooks.example/j?bodySHA256=xyz", body), Verdict::Malformed);
        const QByteArray hash = QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex();
        QCOMPARE(
            verdict("https://hooks.example/j?bodySHA256=" + hash + "&bodySHA256=" + hash, body),
            Verdict::Malformed);
        QCOMPARE(verdict("https://hooks.example/j?x=1&bodySHA256=" + hash, body), Verdict::Valid);
        // A request without a body (status callbacks by GET) is signed over its URL alone.
        QCOMPARE(verdict("https://hooks.example/status?CallSid=CA1", {}), Verdict::Valid);
    }

    void twilioMalformedAndMissing_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<Verdict>("expected");
        QTest::newRow("empty") << QByteArray() << Verdict::Missing;
        QTest::newRow("blank") << QByteArray(" ") << Verdict::Missing;
        QTest::newRow("not base64") << QByteArray("not base64!") << Verdict::Malformed;
        QTest::newRow("19 bytes") << QByteArray(19, 'x').toBase64() << Verdict::Malformed;
        QTest::newRow("32 bytes") << QByteArray(32, 'x').toBase64() << Verdict::Malformed;
        QTest::newRow("longer than 8 KiB") << QByteArray(9000, 'A') << Verdict::Malformed;
        QTest::newRow("20 wrong bytes") << QByteArray(20, 'x').toBase64() << Verdict::BadSignature;
    }

    void twilioMalformedAndMissing()
    {
        QFETCH(QByteArray, header);
        QFETCH(Verdict, expected);
        QCOMPARE(verifyTwilio(header, kTwilioUrl, kForm, kTwilioForm, {kTwilioToken}).verdict,
                 expected);
    }

    // ---- Meta (WhatsApp)

    void whatsApp()
    {
        const QByteArray secret = "app-secret-1";
        const QByteArray header = metaHeader(secret, kBody);
        QCOMPARE(verifyWhatsApp(header, kBody, {secret}).verdict, Verdict::Valid);
        QCOMPARE(verifyWhatsApp("sha256=" + header.mid(7).toUpper(), kBody, {secret}).verdict,
                 Verdict::Valid);
        QCOMPARE(verifyWhatsApp(header, kBody + ' ', {secret}).verdict, Verdict::BadSignature);
        QCOMPARE(verifyWhatsApp(header, kBody, {"app-secret-2"}).verdict, Verdict::BadSignature);
        QCOMPARE(verifyWhatsApp(header, kBody, {"app-secret-2", secret}).verdict, Verdict::Valid);
        QCOMPARE(verifyWhatsApp({}, kBody, {secret}).verdict, Verdict::Missing);
        QCOMPARE(verifyWhatsApp(header.mid(7), kBody, {secret}).verdict, Verdict::Malformed);
        QCOMPARE(verifyWhatsApp("sha1=" + header.mid(7), kBody, {secret}).verdict,
                 Verdict::Malformed);
        QCOMPARE(verifyWhatsApp("sha256=" + QByteArray(64, 'g'), kBody, {secret}).verdict,
                 Verdict::Malformed);
        QCOMPARE(verifyWhatsApp("sha256=" + QByteArray(9000, 'a'), kBody, {secret}).verdict,
                 Verdict::Malformed);
    }

    // ---- Standard Webhooks

    void standardWebhooksSpecificationVector()
    {
        // The test vector published with the Standard Webhooks specification.
        const QByteArray secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        const QByteArray id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        const QByteArray body = R"({"test": 2432232314})";
        const QByteArray signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        const qint64 t = 1614265330;
        QCOMPARE(verifyStandardWebhooks(id, "1614265330", signature, body, {secret}, t).verdict,
                 Verdict::Valid);
        QCOMPARE(
            verifyStandardWebhooks(id, "1614265330", signature, body, {kOtherSecret, secret}, t)
                .verdict,
            Verdict::Valid);
        QCOMPARE(
            verifyStandardWebhooks(id, "1614265330", signature, body, {secret}, t + 301).verdict,
            Verdict::Stale);
        QCOMPARE(
            verifyStandardWebhooks(id, "1614265330", signature, body, {secret}, t - 301).verdict,
            Verdict::Stale);
    }

    void standardWebhooks()
    {
        const QByteArray secret = standardSecret('a');
        const QByteArray old = standardSecret('b');
        const QByteArray id = "msg_1";
        const QByteArray stamp = QByteArray::number(kNow);
        const QByteArray signature = standardSignature(secret, id, kNow, kBody);
        const auto verdict = [&](const QByteArray &sentId, const QByteArray &header,
                                 const QByteArray &body, const QList<QByteArray> &secrets,
                                 qint64 now) {
            return verifyStandardWebhooks(sentId, stamp, header, body, secrets, now).verdict;
        };
        QCOMPARE(verdict(id, signature, kBody, {secret}, kNow), Verdict::Valid);
        QCOMPARE(verdict(id, signature, kBody + ' ', {secret}, kNow), Verdict::BadSignature);
        QCOMPARE(verdict("msg_2", signature, kBody, {secret}, kNow), Verdict::BadSignature);
        QCOMPARE(verdict(id, signature, kBody, {old}, kNow), Verdict::BadSignature);
        // Rotation: two signatures in the header, or two secrets here.
        const QByteArray both = standardSignature(old, id, kNow, kBody) + ' ' + signature;
        QCOMPARE(verdict(id, both, kBody, {secret}, kNow), Verdict::Valid);
        QCOMPARE(verdict(id, both, kBody, {old}, kNow), Verdict::Valid);
        QCOMPARE(verdict(id, signature, kBody, {old, secret}, kNow), Verdict::Valid);
        // Entries of other versions (asymmetric v1a) are skipped.
        QCOMPARE(verdict(id, "v1a,c29tZXRoaW5n " + signature, kBody, {secret}, kNow),
                 Verdict::Valid);
        // Stale, from the future, and a replay an hour later.
        QCOMPARE(verdict(id, signature, kBody, {secret}, kNow + 301), Verdict::Stale);
        QCOMPARE(verdict(id, signature, kBody, {secret}, kNow - 301), Verdict::Stale);
        QCOMPARE(verdict(id, signature, kBody, {secret}, kNow + 3600), Verdict::Stale);
    }

    void standardWebhooksMalformedAndMissing()
    {
        const QByteArray secret = standardSecret('a');
        const QByteArray stamp = QByteArray::number(kNow);
        const QByteArray good = standardSignature(secret, "msg_1", kNow, kBody);
        const auto verdict = [&](const QByteArray &id, const QByteArray &timestamp,
                                 const QByteArray &header) {
            return verifyStandardWebhooks(id, timestamp, header, kBody, {secret}, kNow).verdict;
        };
        QCOMPARE(verdict({}, stamp, good), Verdict::Missing);
        QCOMPARE(verdict("msg_1", {}, good), Verdict::Missing);
        QCOMPARE(verdict("msg_1", stamp, {}), Verdict::Missing);
        QCOMPARE(verdict("msg_1", "soon", good), Verdict::Malformed);
        QCOMPARE(verdict("msg_1", "-1", good), Verdict::Malformed);
        QCOMPARE(verdict("msg_1", stamp, "garbage"), Verdict::Malformed);
        QCOMPARE(verdict("msg_1", stamp, "v1,!!!!"), Verdict::Malformed);
        QCOMPARE(verdict("msg_1", stamp, "v1," + QByteArray(20, 'x').toBase64()),
                 Verdict::Malformed);
        QCOMPARE(verdict("msg_1", stamp, "v1a,c29tZXRoaW5n"), Verdict::Malformed);
        QCOMPARE(verdict("msg_1", stamp, good + ' ' + QByteArray(9000, 'a')), Verdict::Malformed);
    }

    // ---- Configurable HMAC

    void hmacPublishedVectors_data()
    {
        QTest::addColumn<QByteArray>("algorithm");
        QTest::addColumn<QByteArray>("digest");
        // RFC 2202 test case 2 (HMAC-SHA1) and RFC 4231 test case 2 (HMAC-SHA256, -SHA512):
        // key "Jefe", data "what do ya want for nothing?".
        QTest::newRow("sha1") << QByteArray("sha1")
                              << QByteArray("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
        QTest::newRow("sha256")
            << QByteArray("sha256")
            << QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        QTest::newRow("sha512")
            << QByteArray("sha512")
            << QByteArray("164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
                          "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
    }

    void hmacPublishedVectors()
    {
        QFETCH(QByteArray, algorithm);
        QFETCH(QByteArray, digest);
        const auto scheme =
            parseHmacScheme(QJsonObject{{"algorithm"_L1, QString::fromLatin1(algorithm)}});
        QVERIFY2(scheme.ok(), failure(scheme).constData());
        const QByteArray data = "what do ya want for nothing?";
        QCOMPARE(verifyHmac(*scheme, digest, {}, data, {"Jefe"}, kNow).verdict, Verdict::Valid);
        auto base64 = *scheme;
        base64.encoding = HmacScheme::Encoding::Base64;
        const QByteArray encoded = QByteArray::fromHex(digest).toBase64();
        QCOMPARE(verifyHmac(base64, encoded, {}, data, {"Jefe"}, kNow).verdict, Verdict::Valid);
        QCOMPARE(verifyHmac(base64, digest, {}, data, {"Jefe"}, kNow).verdict, Verdict::Malformed);
        QCOMPARE(verifyHmac(*scheme, digest, {}, data + '!', {"Jefe"}, kNow).verdict,
                 Verdict::BadSignature);
        QCOMPARE(verifyHmac(*scheme, digest, {}, data, {"jefe"}, kNow).verdict,
                 Verdict::BadSignature);
        QCOMPARE(verifyHmac(*scheme, digest, {}, data, {"jefe", "Jefe"}, kNow).verdict,
                 Verdict::Valid);
    }

    void hmacWithPrefixAndTimestamp()
    {
        const auto parsed = parseHmacScheme(
            QJsonDocument::fromJson(R"({"header":"X-Acme-Signature","algorithm":"sha256",
                "encoding":"hex","prefix":"sha256=","timestamp_header":"X-Acme-Timestamp",
                "tolerance_seconds":120})")
                .object());
        QVERIFY2(parsed.ok(), failure(parsed).constData());
        const HmacScheme scheme = *parsed;
        QCOMPARE(scheme.header, QByteArray("X-Acme-Signature"));
        QCOMPARE(scheme.timestampHeader, QByteArray("X-Acme-Timestamp"));
        QCOMPARE(scheme.toleranceSeconds, qint64(120));
        const QByteArray stamp = QByteArray::number(kNow);
        const QByteArray header =
            "sha256=" + mac(QCryptographicHash::Sha256, "k", stamp + '.' + kBody).toHex();
        const auto verdict = [&](const QByteArray &sig, const QByteArray &ts,
                                 const QByteArray &body, qint64 now) {
            return verifyHmac(scheme, sig, ts, body, {"k"}, now).verdict;
        };
        QCOMPARE(verdict(header, stamp, kBody, kNow), Verdict::Valid);
        QCOMPARE(verdict(header, stamp, kBody + ' ', kNow), Verdict::BadSignature);
        // The timestamp is signed; and the body alone is not what this scheme signs.
        QCOMPARE(verdict(header, QByteArray::number(kNow + 1), kBody, kNow), Verdict::BadSignature);
        const QByteArray bodyOnly = "sha256=" + mac(QCryptographicHash::Sha256, "k", kBody).toHex();
        QCOMPARE(verdict(bodyOnly, stamp, kBody, kNow), Verdict::BadSignature);
        QCOMPARE(verdict(header, stamp, kBody, kNow + 121), Verdict::Stale);
        QCOMPARE(verdict(header, stamp, kBody, kNow - 121), Verdict::Stale);
        QCOMPARE(verdict(header, stamp, kBody, kNow + 86400), Verdict::Stale); // a replay
        QCOMPARE(verdict(header, {}, kBody, kNow), Verdict::Missing);
        QCOMPARE(verdict(header, "yesterday", kBody, kNow), Verdict::Malformed);
        QCOMPARE(verdict(header.mid(7), stamp, kBody, kNow), Verdict::Malformed);
        QCOMPARE(verdict({}, stamp, kBody, kNow), Verdict::Missing);
    }

    void hmacSchemeDefaults()
    {
        const auto scheme = parseHmacScheme({});
        QVERIFY(scheme.ok());
        QCOMPARE(scheme->header, QByteArray("X-Signature"));
        QCOMPARE(scheme->algorithm, QCryptographicHash::Sha256);
        QCOMPARE(scheme->encoding, HmacScheme::Encoding::Hex);
        QVERIFY(scheme->prefix.isEmpty());
        QVERIFY(scheme->timestampHeader.isEmpty());
        QCOMPARE(scheme->toleranceSeconds, qint64(300));
    }

    void hmacSchemeErrors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QStringList>("mentions");
        QTest::newRow("algorithm")
            << QByteArray(R"({"algorithm":"md5"})")
            << QStringList{u"algorithm"_s, u"sha1, sha256 or sha512"_s, u"md5"_s};
        QTest::newRow("encoding") << QByteArray(R"({"encoding":"base32"})")
                                  << QStringList{u"encoding"_s, u"hex or base64"_s};
        QTest::newRow("empty header")
            << QByteArray(R"({"header":""})") << QStringList{u"header"_s, u"X-Signature"_s};
        QTest::newRow("header with a space")
            << QByteArray(R"({"header":"X Sig"})") << QStringList{u"header"_s};
        QTest::newRow("timestamp header")
            << QByteArray(R"({"timestamp_header":"X:T"})") << QStringList{u"timestamp_header"_s};
        QTest::newRow("tolerance zero") << QByteArray(R"({"tolerance_seconds":0})")
                                        << QStringList{u"tolerance_seconds"_s, u"1 to 86400"_s};
        QTest::newRow("tolerance fraction")
            << QByteArray(R"({"tolerance_seconds":1.5})") << QStringList{u"tolerance_seconds"_s};
        QTest::newRow("tolerance text")
            << QByteArray(R"({"tolerance_seconds":"300"})") << QStringList{u"tolerance_seconds"_s};
        QTest::newRow("prefix number")
            << QByteArray(R"({"prefix":5})") << QStringList{u"prefix"_s, u"string"_s};
        QTest::newRow("unknown field")
            << QByteArray(R"({"timestamp-header":"X-T"})")
            << QStringList{u"timestamp-header"_s, u"timestamp_header"_s, u"tolerance_seconds"_s};
    }

    void hmacSchemeErrors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QStringList, mentions);
        const auto scheme = parseHmacScheme(QJsonDocument::fromJson(json).object());
        QVERIFY(!scheme.ok());
        for (const QString &word : mentions)
            QVERIFY2(scheme.error().message.contains(word), failure(scheme).constData());
    }

    void hmacMalformed()
    {
        HmacScheme scheme;
        scheme.encoding = HmacScheme::Encoding::Base64;
        const QByteArray good = mac(QCryptographicHash::Sha256, "k", kBody).toBase64();
        QCOMPARE(verifyHmac(scheme, good, {}, kBody, {"k"}, kNow).verdict, Verdict::Valid);
        QCOMPARE(verifyHmac(scheme, "***", {}, kBody, {"k"}, kNow).verdict, Verdict::Malformed);
        QCOMPARE(verifyHmac(scheme, good.left(20), {}, kBody, {"k"}, kNow).verdict,
                 Verdict::Malformed);
        QCOMPARE(verifyHmac(scheme, QByteArray(9000, 'A'), {}, kBody, {"k"}, kNow).verdict,
                 Verdict::Malformed);
        // No timestamp header configured: a timestamp sent along is not read.
        QCOMPARE(verifyHmac(scheme, good, "garbage", kBody, {"k"}, kNow).verdict, Verdict::Valid);
    }

    // ---- All kinds

    void detailsNeverCarryASecret()
    {
        const QByteArray secret = "whsec_c2VjcmV0LXRoYXQtbXVzdC1ub3QtbGVhaw==";
        const QByteArray stripe = stripeHeader(secret, kNow, kBody);
        const QList<Verification> results = {
            verifyStripe(stripe, kBody, {secret}, kNow),
            verifyStripe(stripe, kBody + 'x', {secret}, kNow),
            verifyStripe(stripe, kBody, {secret}, kNow + 999),
            verifyTwilio(twilioSignature(secret, "u"), "u", kForm, {}, {secret}),
            verifyWhatsApp(metaHeader(secret, kBody), kBody + 'x', {secret}),
            verifyStandardWebhooks("m", "1", "v1," + QByteArray(32, 'x').toBase64(), kBody,
                                   {secret}, 1),
            verifyHmac(HmacScheme{}, QByteArray(64, 'a'), {}, kBody, {secret}, kNow),
        };
        for (const Verification &result : results) {
            QVERIFY(!result.detail.isEmpty());
            QVERIFY2(!result.detail.contains(QString::fromLatin1(secret)),
                     qPrintable(result.detail));
            QVERIFY2(!result.detail.contains(QString::fromLatin1(secret.mid(6))),
                     qPrintable(result.detail));
        }
    }
};

QTEST_GUILESS_MAIN(TestInboundSignatures)
#include "tst_inboundsignatures.moc"
