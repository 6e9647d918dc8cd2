// Inbound provider webhooks through a real agent: POST /v1/inbound/{tenant}/{connector} checks
// each kind's signature over the raw bytes (secrets in rotation, stale and tampered requests
// refused with nothing stored), keeps each provider event once in the inbox, and turns domain
// webhooks into Ferry events that are routed and delivered like any other.
#include "agent/store/inbound/connectorstore.h"
#include "agent/store/inbound/inboxstore.h"
#include "shared/masterkey.h"
#include "shared/webhooksignature.h"
#include "tests/support/testsupport.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace ferry;
using namespace ferry::agent;
using namespace Qt::StringLiterals;

namespace {

constexpr char kStripeOld[] = "whsec_old_stripe_secret";
constexpr char kStripeNew[] = "whsec_new_stripe_secret";
constexpr char kTwilioToken[] = "twilio-auth-token-1";
constexpr char kAppSecret[] = "meta-app-secret";
constexpr char kPartnerSecret[] = "partner-shared-secret";

QByteArray hmacHex(const QByteArray &key, const QByteArray &data,
                   QCryptographicHash::Algorithm algorithm = QCryptographicHash::Sha256)
{
    return QMessageAuthenticationCode::hash(data, key, algorithm).toHex();
}

QByteArray now()
{
    return QByteArray::number(QDateTime::currentSecsSinceEpoch());
}

QByteArray stripeHeader(const QByteArray &secret, const QByteArray &body, const QByteArray &t)
{
    return "t=" + t + ",v1=" + hmacHex(secret, t + "." + body);
}

QByteArray stripeEvent(const QString &id, const QString &type, const QString &customer)
{
    return u"{\"id\":\"%1\",\"object\":\"event\",\"type\":\"%2\",\"created\":1764930000,"
           "\"data\":{\"object\":{\"id\":\"in_1\",\"customer\":\"%3\",\"amount_due\":1200}}}"_s
               .arg(id, type, customer)
               .toUtf8();
}

} // namespace

class TestInbound : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::TestDatabase> m_db;
    std::unique_ptr<test::Process> m_agent;
    std::unique_ptr<test::Process> m_receiver;
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    quint16 m_receiverPort = 0;
    QByteArray m_standardSecret;

    test::HttpResponse post(const QString &connector, const QByteArray &body,
                            const QList<QPair<QByteArray, QByteArray>> &headers,
                            const QString &query = {})
    {
        test::HttpRequest r;
        r.url = u"http://127.0.0.1:%1/v1/inbound/shop/%2%3"_s.arg(m_port).arg(connector, query);
        r.body = body;
        r.headers = headers;
        return test::http(r);
    }

    test::HttpResponse postStripe(const QByteArray &body, const QByteArray &secret,
                                  const QByteArray &t)
    {
        return post(u"stripe-main"_s, body,
                    {{"Stripe-Signature", stripeHeader(secret, body, t)},
                     {"Content-Type", "application/json"}});
    }

    int inboxCount() const { return m_db->scalar(u"SELECT count(*) FROM inbox"_s).toInt(); }

    // Waits until the SQL's first value reads `want`; the value it ended with.
    QString waitFor(const QString &sql, const QString &want, int timeoutMs = 20000) const
    {
        QString value;
        for (QElapsedTimer t; !t.isValid() || t.elapsed() < timeoutMs;) {
            if (!t.isValid())
                t.start();
            value = m_db->scalar(sql);
            if (value == want)
                break;
            QTest::qWait(50);
        }
        return value;
    }

    void addConnector(const QString &name, const QString &kind, const QList<QByteArray> &secrets,
                      const QJsonObject &settings = {}, const QByteArray &verifyToken = {})
    {
        store::PgConnection db;
        QVERIFY(db.open(m_db->url()));
        auto key = MasterKey::load(m_dir.filePath(u"master.key"_s));
        QVERIFY(key);
        const qint64 tenantId =
            m_db->scalar(u"SELECT id FROM tenants WHERE name = 'shop'"_s).toLongLong();
        auto r = store::ConnectorStore(db, u"test"_s)
                     .put(tenantId, u"shop"_s, name, kind, settings, {secrets, verifyToken}, *key,
                          nullptr);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = std::make_unique<test::TestDatabase>(u"inbound"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
        const QHash<QString, QString> dbEnv{{u"FERRY_DATABASE_URL"_s, m_db->url()}};
        QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s}, dbEnv).exitCode, 0);
        QVERIFY(!test::createTenant(m_db->url(), u"shop"_s).isEmpty());
        m_receiverPort = test::freePort();
        const QString secret = test::addEndpoint(m_db->url(), u"shop"_s,
                                                 u"http://127.0.0.1:%1/h"_s.arg(m_receiverPort));
        QVERIFY(!secret.isEmpty());
        m_receiver = std::make_unique<test::Process>(
            test::receiverBinary(),
            QStringList{u"--listen"_s, u"127.0.0.1:%1"_s.arg(m_receiverPort), u"--secret"_s,
                        secret});
        QVERIFY(m_receiver->start());
        const QString keyFile = m_dir.filePath(u"master.key"_s);
        QCOMPARE(
            test::run(test::agentBinary(), {u"credentials"_s, u"generate-key"_s, keyFile}).exitCode,
            0);
        m_standardSecret = WebhookSignature::generateSecret();
        addConnector(u"stripe-main"_s, u"stripe"_s, {kStripeOld, kStripeNew});
        addConnector(u"sw"_s, u"standard-webhooks"_s, {m_standardSecret});
        addConnector(u"partner"_s, u"hmac"_s, {kPartnerSecret},
                     {{u"header"_s, u"X-Partner-Signature"_s},
                      {u"algorithm"_s, u"sha512"_s},
                      {u"encoding"_s, u"base64"_s},
                      {u"timestamp_header"_s, u"X-Partner-Timestamp"_s},
                      {u"id_header"_s, u"X-Partner-Id"_s},
                      {u"event_type"_s, u"partner.updated"_s}});
        addConnector(u"wa"_s, u"whatsapp"_s, {kAppSecret}, {}, "verify-me");
        addConnector(u"tw"_s, u"twilio"_s, {kTwilioToken});
        addConnector(u"bounces"_s, u"hmac"_s, {kPartnerSecret},
                     {{u"header"_s, u"X-Bounce-Signature"_s}, {u"receipts"_s, u"dsn"_s}});

        m_port = test::freePort();
        auto env = test::agentEnvironment(m_db->url(), m_port);
        env.insert(u"FERRY_CREDENTIALS_MASTER_KEY_FILE"_s, keyFile);
        env.insert(u"FERRY_INBOUND_MAX_ATTEMPTS"_s, u"2"_s);
        m_agent = std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, env);
        QVERIFY(m_agent->start());
        QVERIFY2(test::waitForHealthy(m_port), qPrintable(m_agent->output()));
    }

    void cleanupTestCase()
    {
        if (m_agent)
            QVERIFY2(m_agent->terminate(), qPrintable(m_agent->output()));
    }

    // Stored once, answered at once, then an event of the tenant's, delivered by its route.
    void stripeEventIsStoredOnceAndDelivered()
    {
        const QByteArray body = stripeEvent(u"evt_paid_1"_s, u"invoice.paid"_s, u"cus_42"_s);
        const auto first = postStripe(body, kStripeNew, now());
        QCOMPARE(first.status, 200);
        const QJsonObject a = QJsonDocument::fromJson(first.body).object();
        QCOMPARE(a.value("duplicate"_L1).toBool(), false);
        // The provider retries (its own answer was lost): the same entry, nothing new.
        const auto again = postStripe(body, kStripeNew, now());
        QCOMPARE(again.status, 200);
        const QJsonObject b = QJsonDocument::fromJson(again.body).object();
        QCOMPARE(b.value("duplicate"_L1).toBool(), true);
        QCOMPARE(b.value("inbox_id"_L1).toInteger(), a.value("inbox_id"_L1).toInteger());
        QCOMPARE(
            waitFor(u"SELECT state FROM inbox WHERE provider_event_id = 'evt_paid_1'"_s, u"done"_s),
            u"done"_s);
        QCOMPARE(m_db->scalar(u"SELECT type || ' ' || source || ' ' || coalesce(partition_key, '') "
                              "FROM events WHERE ce_id = 'evt_paid_1'"_s),
                 u"invoice.paid /inbound/stripe-main cus_42"_s);
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM events WHERE ce_id = 'evt_paid_1'"_s), u"1"_s);
        QCOMPARE(waitFor(u"SELECT d.state FROM deliveries d JOIN events e ON e.id = d.event_id "
                         "WHERE e.ce_id = 'evt_paid_1'"_s,
                         u"succeeded"_s),
                 u"succeeded"_s);
    }

    // During rotation both secrets sign; a header may carry one signature per secret.
    void rotatedSecretsAreBothAccepted()
    {
        const QByteArray body = stripeEvent(u"evt_old_1"_s, u"invoice.paid"_s, u"cus_1"_s);
        QCOMPARE(postStripe(body, kStripeOld, now()).status, 200);
        const QByteArray body2 = stripeEvent(u"evt_two_1"_s, u"invoice.paid"_s, u"cus_1"_s);
        const QByteArray t = now();
        const QByteArray header =
            stripeHeader("whsec_unknown", body2, t) + ",v1=" + hmacHex(kStripeNew, t + "." + body2);
        QCOMPARE(post(u"stripe-main"_s, body2, {{"Stripe-Signature", header}}).status, 200);
    }

    void refusedRequestsStoreNothing_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        const QByteArray body = stripeEvent(u"evt_bad"_s, u"invoice.paid"_s, u"cus_9"_s);
        const QByteArray t = now();
        QByteArray tampered = body;
        tampered.replace("1200", "1");
        QTest::newRow("tampered body") << stripeHeader(kStripeNew, body, t) << tampered << 401;
        QTest::newRow("wrong secret") << stripeHeader("whsec_wrong", body, t) << body << 401;
        const QByteArray old = QByteArray::number(QDateTime::currentSecsSinceEpoch() - 400);
        QTest::newRow("stale (a replay 400 s later)")
            << stripeHeader(kStripeNew, body, old) << body << 401;
        const QByteArray ahead = QByteArray::number(QDateTime::currentSecsSinceEpoch() + 400);
        QTest::newRow("from the future") << stripeHeader(kStripeNew, body, ahead) << body << 401;
        QTest::newRow("no signature") << QByteArray() << body << 401;
        QTest::newRow("malformed") << QByteArray("t=abc,v1=zz") << body << 400;
    }

    void refusedRequestsStoreNothing()
    {
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        const int before = inboxCount();
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!header.isEmpty())
            headers.append({"Stripe-Signature", header});
        const auto r = post(u"stripe-main"_s, body, headers);
        QCOMPARE(r.status, status);
        QVERIFY2(r.body.contains("signature"), r.body.constData());
        QCOMPARE(inboxCount(), before);
    }

    void standardWebhooksBecomeEvents()
    {
        const QByteArray body =
            R"({"type":"subscription.updated","timestamp":"2026-12-06T10:00:00Z",)"
            R"("data":{"plan":"pro"}})";
        const QByteArray t = now();
        const QByteArray sig = WebhookSignature::sign(m_standardSecret, "msg_std_1", t, body);
        const auto r = post(
            u"sw"_s, body,
            {{"webhook-id", "msg_std_1"}, {"webhook-timestamp", t}, {"webhook-signature", sig}});
        QCOMPARE(r.status, 200);
        QCOMPARE(waitFor(u"SELECT type FROM events WHERE ce_id = 'msg_std_1'"_s,
                         u"subscription.updated"_s),
                 u"subscription.updated"_s);
        QCOMPARE(m_db->scalar(u"SELECT payload->'data'->>'plan' FROM events "
                              "WHERE ce_id = 'msg_std_1'"_s),
                 u"pro"_s);
        // A signature for another message id does not carry over.
        const auto moved = post(
            u"sw"_s, body,
            {{"webhook-id", "msg_std_2"}, {"webhook-timestamp", t}, {"webhook-signature", sig}});
        QCOMPARE(moved.status, 401);
    }

    void hmacConnectorTakesItsConfiguredScheme()
    {
        const QByteArray body = R"({"account":"a-7","tier":"gold"})";
        const QByteArray t = now();
        const QByteArray sig = QMessageAuthenticationCode::hash(t + "." + body, kPartnerSecret,
                                                                QCryptographicHash::Sha512)
                                   .toBase64();
        const auto r = post(
            u"partner"_s, body,
            {{"X-Partner-Signature", sig}, {"X-Partner-Timestamp", t}, {"X-Partner-Id", "p-1"}});
        QCOMPARE(r.status, 200);
        QCOMPARE(waitFor(u"SELECT type FROM events WHERE ce_id = 'p-1'"_s, u"partner.updated"_s),
                 u"partner.updated"_s);
        QCOMPARE(post(u"partner"_s, body, {{"X-Partner-Signature", sig}, {"X-Partner-Id", "p-2"}})
                     .status,
                 401); // the timestamp is part of what is signed, and required
    }

    void whatsappHandshake()
    {
        test::HttpRequest r;
        r.method = "GET";
        r.url = u"http://127.0.0.1:%1/v1/inbound/shop/wa?hub.mode=subscribe&"
                "hub.verify_token=verify-me&hub.challenge=1158201444"_s.arg(m_port);
        auto ok = test::http(r);
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.body, QByteArray("1158201444"));
        r.url = u"http://127.0.0.1:%1/v1/inbound/shop/wa?hub.mode=subscribe&"
                "hub.verify_token=guess&hub.challenge=1"_s.arg(m_port);
        QCOMPARE(test::http(r).status, 403);
        r.url = u"http://127.0.0.1:%1/v1/inbound/shop/stripe-main?hub.mode=subscribe&"
                "hub.verify_token=&hub.challenge=1"_s.arg(m_port);
        QCOMPARE(test::http(r).status, 403);
    }

    void whatsappSignatureIsChecked()
    {
        const QByteArray body = R"({"object":"whatsapp_business_account","entry":[]})";
        QCOMPARE(
            post(u"wa"_s, body, {{"X-Hub-Signature-256", "sha256=" + hmacHex(kAppSecret, body)}})
                .status,
            200);
        QCOMPARE(post(u"wa"_s, body, {{"X-Hub-Signature-256", "sha256=" + hmacHex("nope", body)}})
                     .status,
                 401);
    }

    // Twilio signs the URL it called and the sorted form parameters. A receipt for a message
    // no delivery has is retried, then parked as dead with the reason.
    void twilioReceiptForAnUnknownMessageEndsDead()
    {
        const QString url = u"http://127.0.0.1:%1/v1/inbound/shop/tw"_s.arg(m_port);
        const QList<QPair<QByteArray, QByteArray>> params{{"AccountSid", "AC1"},
                                                          {"MessageSid", "SMunknown1"},
                                                          {"MessageStatus", "delivered"},
                                                          {"To", "+14155550100"}};
        QByteArray signed_ = url.toUtf8();
        for (const auto &[k, v] : params) // already sorted by name
            signed_ += k + v;
        const QByteArray sig =
            QMessageAuthenticationCode::hash(signed_, kTwilioToken, QCryptographicHash::Sha1)
                .toBase64();
        QUrlQuery form;
        for (const auto &[k, v] : params)
            form.addQueryItem(QString::fromUtf8(k), QString::fromUtf8(v));
        const QByteArray body = form.toString(QUrl::FullyEncoded).toUtf8().replace("+", "%2B");
        const auto r = post(
            u"tw"_s, body,
            {{"X-Twilio-Signature", sig}, {"Content-Type", "application/x-www-form-urlencoded"}});
        QCOMPARE(r.status, 200);
        const QByteArray wrong =
            QMessageAuthenticationCode::hash(signed_, "another-token", QCryptographicHash::Sha1)
                .toBase64();
        QCOMPARE(post(u"tw"_s, body, {{"X-Twilio-Signature", wrong}}).status, 401);
        const QString sql = u"SELECT state || ': ' || last_error FROM inbox i JOIN "
                            "inbound_connectors c ON c.id = i.connector_id WHERE c.name = 'tw'"_s;
        const QString ended = waitFor(
            sql, u"dead: no delivery of tenant 'shop' has provider message id SMunknown1 (yet)"_s);
        QCOMPARE(ended,
                 u"dead: no delivery of tenant 'shop' has provider message id SMunknown1 (yet)"_s);
    }

    void bodyThatCannotBeAnEventEndsDead()
    {
        const QByteArray body = R"({"id":"evt_no_type","object":"event"})";
        QCOMPARE(postStripe(body, kStripeNew, now()).status, 200);
        QCOMPARE(waitFor(u"SELECT state || ': ' || last_error FROM inbox "
                         "WHERE provider_event_id = 'evt_no_type'"_s,
                         u"dead: not a Stripe event: it needs an 'id' and a 'type'"_s),
                 u"dead: not a Stripe event: it needs an 'id' and a 'type'"_s);
    }

    // A bounce (RFC 3464) of an email Ferry sent, posted by the mail server: the message is
    // bounced, matched by its Message-ID; a "delayed" notice changes nothing.
    void emailBounceIsAReceipt()
    {
        QVERIFY(m_db->exec(
            u"INSERT INTO endpoints (tenant_id, url, secret, channel) SELECT id, '', 'x', "
            "'email' FROM tenants WHERE name = 'shop';"
            "INSERT INTO events (id, tenant_id, source, ce_id, type, payload) SELECT "
            "gen_random_uuid(), id, '/t', 'mail-1', 't', '{}' FROM tenants WHERE name = 'shop';"
            "INSERT INTO deliveries (event_id, endpoint_id, tenant_id) SELECT e.id, ep.id, "
            "e.tenant_id FROM events e, endpoints ep WHERE e.ce_id = 'mail-1' AND "
            "ep.channel = 'email';"
            "UPDATE deliveries d SET provider_message_id = '<m1@ferry.shop.example>', state = "
            "'succeeded' FROM events e WHERE e.id = d.event_id AND e.ce_id = 'mail-1'"_s));
        const auto dsn = [](const QByteArray &action) {
            return "From: MAILER-DAEMON@mx.example\r\nMessage-ID: <dsn-" + action +
                   "@mx.example>\r\nContent-Type: multipart/report; "
                   "report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: "
                   "message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n"
                   "Final-Recipient: rfc822; nobody@shop.example\r\nAction: " +
                   action +
                   "\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 no such user\r\n"
                   "\r\n--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: "
                   "<m1@ferry.shop.example>\r\nSubject: Your order\r\n\r\n--b--\r\n";
        };
        const auto send = [&](const QByteArray &body) {
            return post(u"bounces"_s, body,
                        {{"X-Bounce-Signature", hmacHex(kPartnerSecret, body)},
                         {"Content-Type", "multipart/report"}});
        };
        QCOMPARE(send(dsn("delayed")).status, 200);
        QCOMPARE(send(dsn("failed")).status, 200);
        const QString sql = u"SELECT r.status || ' ' || r.error FROM delivery_receipts r JOIN "
                            "deliveries d ON d.id = r.delivery_id WHERE d.provider_message_id = "
                            "'<m1@ferry.shop.example>'"_s;
        QCOMPARE(waitFor(sql, u"bounced 5.1.1 smtp; 550 5.1.1 no such user"_s),
                 u"bounced 5.1.1 smtp; 550 5.1.1 no such user"_s);
        QCOMPARE(waitFor(u"SELECT count(*) FROM inbox i JOIN inbound_connectors c ON c.id = "
                         "i.connector_id WHERE c.name = 'bounces' AND i.state = 'done'"_s,
                         u"2"_s),
                 u"2"_s);
    }

    // The API's inbox list, with and without a state.
    void inboxListsWhatArrived()
    {
        store::PgConnection db;
        QVERIFY(db.open(m_db->url()));
        const qint64 tenantId =
            m_db->scalar(u"SELECT id FROM tenants WHERE name = 'shop'"_s).toLongLong();
        auto all = store::InboxStore(db).list(tenantId, {}, 1000);
        QVERIFY(all);
        QCOMPARE(QString::number(all->size()), m_db->scalar(u"SELECT count(*) FROM inbox"_s));
        QVERIFY(!all->isEmpty());
        auto dead = store::InboxStore(db).list(tenantId, u"dead"_s, 1000);
        QVERIFY(dead);
        QCOMPARE(QString::number(dead->size()),
                 m_db->scalar(u"SELECT count(*) FROM inbox WHERE state = 'dead'"_s));
    }

    void unknownPlacesAreRefused()
    {
        QCOMPARE(post(u"nobody"_s, "{}", {}).status, 404);
        test::HttpRequest r;
        r.url = u"http://127.0.0.1:%1/v1/inbound/other/stripe-main"_s.arg(m_port);
        r.body = "{}";
        QCOMPARE(test::http(r).status, 404);
        r.url = u"http://127.0.0.1:%1/v1/inbound/shop/stripe-main/extra"_s.arg(m_port);
        QCOMPARE(test::http(r).status, 404);
        r.method = "PUT";
        r.url = u"http://127.0.0.1:%1/v1/inbound/shop/stripe-main"_s.arg(m_port);
        QCOMPARE(test::http(r).status, 405);
    }
};

QTEST_GUILESS_MAIN(TestInbound)
#include "tst_inbound.moc"
