#include "shared/webhooksignature.h"

#include <QTest>

using ferry::WebhookSignature;

class TestWebhookSignature : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void standardWebhooksVector()
    {
        // The test vector published with the Standard Webhooks specification.
        const QByteArray sig = WebhookSignature::sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                                                      "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330",
                                                      R"({"test": 2432232314})");
        QCOMPARE(sig, QByteArray("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
    }

    void verifyAcceptsAnyOfSeveralSignatures()
    {
        const QByteArray secret = WebhookSignature::generateSecret();
        QVERIFY(secret.startsWith("whsec_"));
        QCOMPARE(WebhookSignature::keyFromSecret(secret).size(), 32);
        const QByteArray good = WebhookSignature::sign(secret, "id1", "1000", "body");
        const QByteArray header = "v1,AAAAbogusbogusbogus= " + good;
        QCOMPARE(WebhookSignature::verify(secret, "id1", "1000", "body", header, 1000),
                 WebhookSignature::Verdict::Valid);
    }

    void verifyRejectsTampering()
    {
        const QByteArray secret = WebhookSignature::generateSecret();
        const QByteArray sig = WebhookSignature::sign(secret, "id1", "1000", "body");
        QCOMPARE(WebhookSignature::verify(secret, "id1", "1000", "b0dy", sig, 1000),
                 WebhookSignature::Verdict::BadSignature);
        QCOMPARE(WebhookSignature::verify(secret, "id2", "1000", "body", sig, 1000),
                 WebhookSignature::Verdict::BadSignature);
        QCOMPARE(WebhookSignature::verify(WebhookSignature::generateSecret(), "id1", "1000", "body",
                                          sig, 1000),
                 WebhookSignature::Verdict::BadSignature);
        QCOMPARE(WebhookSignature::verify(secret, "id1", "1000", "body", sig, 1000 + 301),
                 WebhookSignature::Verdict::StaleTimestamp);
        QCOMPARE(WebhookSignature::verify(secret, "id1", "soon", "body", sig, 1000),
                 WebhookSignature::Verdict::MalformedHeaders);
    }

    // Found by fuzzing (tests/fuzz/corpus/webhooksignature/bad-secret): a secret that is not
    // base64 gives an empty HMAC key, and the signature under an empty key, which anybody can
    // compute, verified.
    void verifyRejectsEverythingUnderASecretWithoutKey()
    {
        for (const QByteArray &secret :
             {QByteArray("whsec_!!!!"), QByteArray("whsec_"), QByteArray()}) {
            QVERIFY(WebhookSignature::keyFromSecret(secret).isEmpty());
            const QByteArray forged = WebhookSignature::sign(secret, "id1", "1000", "body");
            QCOMPARE(WebhookSignature::verify(secret, "id1", "1000", "body", forged, 1000),
                     WebhookSignature::Verdict::BadSignature);
        }
    }
};

QTEST_GUILESS_MAIN(TestWebhookSignature)
#include "tst_webhooksignature.moc"
