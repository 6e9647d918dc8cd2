// A tenant's display name and its disabled state against a real agent and PostgreSQL
// (docs/decisions/0030-tenant-display-name-and-disable.md): a rename shows in GET while the name
// stays the key; a disabled tenant's events are refused over HTTP (403 tenant-disabled with how
// to enable it), ZeroMQ (NACK 403) and inbound webhooks (403), its schedules do not fire, and
// what it accepted before is still delivered; enabled again, it takes events and its schedules
// fire. Scoped admins may not do either; every change is audited.
#include "tests/support/recordingserver.h"
#include "tests/support/testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;

namespace {

QJsonObject object(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

class TestTenantAdmin : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::TestDatabase> m_db;
    std::unique_ptr<test::Process> m_agent;
    QTemporaryDir m_dir;
    quint16 m_httpPort = 0;
    quint16 m_zmqPort = 0;
    quint16 m_apiPort = 0;
    QString m_pin;
    QByteArray m_admin;
    QByteArray m_scopedAdmin;
    QByteArray m_shopToken;
    ProducerCredentials m_shopKeys;
    test::RecordingServer m_receiver;

    QHash<QString, QString> env() const { return {{u"FERRY_DATABASE_URL"_s, m_db->url()}}; }
    QByteArray agentLine(const QStringList &args) const
    {
        return test::run(test::agentBinary(), args, env()).out.trimmed().toUtf8();
    }
    test::HttpResponse api(const QByteArray &method, const QString &path,
                           const QByteArray &body = {}, const QByteArray &token = {})
    {
        test::HttpRequest r;
        r.method = method;
        r.url = u"https://127.0.0.1:%1%2"_s.arg(m_apiPort).arg(path);
        r.caFile = m_dir.filePath(u"api.crt"_s);
        r.body = body;
        r.headers = {{"Authorization", "Bearer " + (token.isEmpty() ? m_admin : token)},
                     {"Content-Type", "application/json"}};
        return test::http(r, 10000);
    }
    test::HttpResponse ingest(const QString &id)
    {
        test::HttpRequest r;
        r.url = u"http://127.0.0.1:%1/v1/events"_s.arg(m_httpPort);
        r.body = test::cloudEvent(id);
        r.headers = {{"Authorization", "Bearer " + m_shopToken},
                     {"Content-Type", "application/cloudevents+json"}};
        return test::http(r, 10000);
    }
    // A signed inbound webhook to shop's hmac connector: the HTTP status.
    int inbound(const QByteArray &account)
    {
        test::HttpRequest r;
        r.url = u"http://127.0.0.1:%1/v1/inbound/shop/partner"_s.arg(m_httpPort);
        r.body = "{\"account\":\"" + account + "\"}";
        r.headers = {{"X-Signature", QMessageAuthenticationCode::hash(r.body, "partner-secret",
                                                                      QCryptographicHash::Sha256)
                                         .toHex()},
                     {"Content-Type", "application/json"}};
        return test::http(r, 10000).status;
    }
    // The status of HTTP ingest for a new event (a fresh id each time).
    int probe()
    {
        static int n = 0;
        return ingest(u"probe-%1"_s.arg(++n)).status;
    }
    // The status of a PUB over ZeroMQ with shop's CURVE key ("ACK 202", "NACK 403").
    QString zmqPublish(const QString &id)
    {
        test::ZmqClient client(u"tcp://127.0.0.1:%1"_s.arg(m_zmqPort), m_shopKeys);
        if (!client.send({"ferry/1", id.toUtf8(), "PUB", {}, test::cloudEvent(id)}))
            return u"not sent"_s;
        const auto reply = client.receive(10000);
        if (reply.size() != 4)
            return u"no answer"_s;
        return QString::fromLatin1(reply[2]) + u" "_s +
               QString::number(object(reply[3]).value("status"_L1).toInt());
    }
    QString deliveryState(const QString &ceId) const
    {
        return m_db->scalar(u"SELECT d.state FROM deliveries d JOIN events e ON e.id = d.event_id "
                            "WHERE e.ce_id = '%1'"_s.arg(ceId));
    }
    int scheduleEvents(const QString &tenant) const
    {
        return m_db
            ->scalar(u"SELECT count(*) FROM events e JOIN tenants t ON t.id = e.tenant_id "
                     "WHERE t.name = '%1' AND e.source LIKE '/schedules/%%'"_s.arg(tenant))
            .toInt();
    }
    void putTick(const QString &tenant)
    {
        const QJsonObject body{{u"cron"_s, u"@every 1s"_s},
                               {u"catch_up"_s, u"skip"_s},
                               {u"event"_s, QJsonObject{{u"type"_s, u"tick"_s}}}};
        const auto r = api("PUT", u"/v1/tenants/%1/schedules/tick"_s.arg(tenant),
                           QJsonDocument(body).toJson());
        QVERIFY2(r.status == 201, r.body.constData());
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = std::make_unique<test::TestDatabase>(u"tenantadmin"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
        QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s}, env()).exitCode, 0);
        m_shopToken = test::createTenant(m_db->url(), u"shop"_s).toUtf8();
        QVERIFY(test::createTenant(m_db->url(), u"other"_s).startsWith(u"fpt_"_s));
        QVERIFY(m_shopToken.startsWith("fpt_"));
        m_httpPort = test::freePort();
        m_zmqPort = test::freePort();
        m_apiPort = test::freePort();
        m_shopKeys = test::addProducer(m_db->url(), u"shop"_s, m_zmqPort);
        QCOMPARE(m_shopKeys.publicKey.size(), 40);
        const auto cert = test::run(test::agentBinary(),
                                    {u"cert"_s, u"generate"_s, u"--out"_s, m_dir.path()}, env());
        QCOMPARE(cert.exitCode, 0);
        m_pin = QRegularExpression(u"fingerprint  (sha256/\\S+)"_s).match(cert.out).captured(1);
        QVERIFY(!m_pin.isEmpty());
        m_admin = agentLine({u"token"_s, u"create"_s, u"--role"_s, u"admin"_s});
        m_scopedAdmin =
            agentLine({u"token"_s, u"create"_s, u"--role"_s, u"admin"_s, u"--tenant"_s, u"shop"_s});
        QVERIFY(!m_admin.isEmpty() && !m_scopedAdmin.isEmpty());
        QVERIFY(m_receiver.start());
        QVERIFY(!test::addEndpoint(m_db->url(), u"shop"_s, m_receiver.url(u"/in"_s)).isEmpty());
        const QString masterKey = m_dir.filePath(u"master.key"_s);
        QCOMPARE(
            test::run(test::agentBinary(), {u"credentials"_s, u"generate-key"_s, masterKey}, env())
                .exitCode,
            0);
        auto e = test::agentEnvironment(m_db->url(), m_httpPort, m_zmqPort);
        e.insert(u"FERRY_CREDENTIALS_MASTER_KEY_FILE"_s, masterKey);
        test::addApi(e, m_apiPort, m_dir.path());
        // What ingest knows of a tenant is read again every 200 ms instead of every 30 s.
        e.insert(u"FERRY_INGEST_TENANT_REFRESH"_s, u"200ms"_s);
        e.insert(u"FERRY_RETRY_MAX_ATTEMPTS"_s, u"1000"_s);
        m_agent = std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, e);
        QVERIFY(m_agent->start());
        QVERIFY2(test::waitForHealthy(m_httpPort), qPrintable(m_agent->output()));
        const auto connector = api("PUT", u"/v1/tenants/shop/connectors/partner"_s,
                                   "{\"kind\":\"hmac\",\"secrets\":[\"partner-secret\"],"
                                   "\"settings\":{\"event_type\":\"partner.updated\"}}");
        QVERIFY2(connector.status == 201, connector.body.constData());
        QCOMPARE(inbound("before"), 200);
    }

    void cleanupTestCase()
    {
        if (m_agent)
            QVERIFY2(m_agent->terminate(), qPrintable(m_agent->output()));
    }

    void renameShowsAndKeepsTheName()
    {
        QJsonObject shop = object(api("GET", u"/v1/tenants/shop"_s).body);
        QCOMPARE(shop.value("display_name"_L1).toString(), u"shop"_s); // default: the name
        QCOMPARE(shop.value("disabled"_L1), QJsonValue(false));
        QVERIFY(shop.value("disabled_at"_L1).isNull());

        auto r = api("PATCH", u"/v1/tenants/shop"_s, R"({"display_name":"  Web shop (EU)  "})");
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(object(r.body).value("display_name"_L1).toString(), u"Web shop (EU)"_s);
        QCOMPARE(object(r.body).value("name"_L1).toString(), u"shop"_s);
        shop = object(api("GET", u"/v1/tenants"_s).body)
                   .value("items"_L1)
                   .toArray()
                   .at(1) // "other", "shop" by name
                   .toObject();
        QCOMPARE(shop.value("display_name"_L1).toString(), u"Web shop (EU)"_s);
        QCOMPARE(ingest(u"after-rename"_s).status, 202); // producers still name it "shop"

        for (const QByteArray &bad :
             {QByteArray(R"({"display_name":""})"), QByteArray(R"({"display_name":"   "})"),
              QByteArray(R"({"display_name":7})"), QByteArray(R"({"display_name":"a\nb"})"),
              "{\"display_name\":\"" + QByteArray(101, 'x') + "\"}"}) {
            r = api("PATCH", u"/v1/tenants/shop"_s, bad);
            QVERIFY2(r.status == 422, bad.constData());
            QVERIFY2(object(r.body).value("detail"_L1).toString().contains(u"1 to 100"_s),
                     r.body.constData());
        }
        QCOMPARE(api("PATCH", u"/v1/tenants/shop"_s, R"({"disabled":"yes"})").status, 422);
        QCOMPARE(object(api("GET", u"/v1/tenants/shop"_s).body).value("display_name"_L1),
                 QJsonValue(u"Web shop (EU)"_s));
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM audit_log WHERE action = 'tenant.update' AND "
                              "details->'after'->>'display_name' = 'Web shop (EU)'"_s),
                 u"1"_s);
    }

    void scopedAdminMayNotRenameOrDisable()
    {
        for (const QByteArray &body :
             {QByteArray(R"({"display_name":"Mine"})"), QByteArray(R"({"disabled":true})")}) {
            const auto r = api("PATCH", u"/v1/tenants/shop"_s, body, m_scopedAdmin);
            QVERIFY2(r.status == 403, r.body.constData());
        }
        const QJsonObject shop = object(api("GET", u"/v1/tenants/shop"_s, {}, m_scopedAdmin).body);
        QCOMPARE(shop.value("display_name"_L1).toString(), u"Web shop (EU)"_s);
        QCOMPARE(shop.value("disabled"_L1), QJsonValue(false));
    }

    void disabledTenantIsRefusedAndKeepsDelivering()
    {
        // An event accepted before, whose delivery is still being retried when the tenant is
        // disabled.
        m_receiver.answer(503, "{}");
        QCOMPARE(ingest(u"before-disable"_s).status, 202);
        QTRY_VERIFY_WITH_TIMEOUT(!m_receiver.received().isEmpty(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(deliveryState(u"before-disable"_s), u"retry_wait"_s, 5000);
        putTick(u"other"_s);

        auto r = api("PATCH", u"/v1/tenants/shop"_s, R"({"disabled":true})");
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(object(r.body).value("disabled"_L1), QJsonValue(true));
        const QString disabledAt = object(r.body).value("disabled_at"_L1).toString();
        QVERIFY(QDateTime::fromString(disabledAt, Qt::ISODate).isValid());
        // Disabling again keeps the first time.
        r = api("PATCH", u"/v1/tenants/shop"_s, R"({"disabled":true})");
        QCOMPARE(object(r.body).value("disabled_at"_L1).toString(), disabledAt);
        putTick(u"shop"_s);

        // Within the refresh: HTTP 403 with how to enable it, nothing stored.
        QTRY_COMPARE_WITH_TIMEOUT(probe(), 403, 10000);
        const auto refused = ingest(u"while-disabled"_s);
        QCOMPARE(refused.status, 403);
        const QJsonObject problem = object(refused.body);
        QCOMPARE(problem.value("type"_L1).toString(), u"urn:ferry:problem:tenant-disabled"_s);
        QCOMPARE(problem.value("detail"_L1).toString(),
                 u"tenant 'shop' is disabled; an admin enables it with PATCH /v1/tenants/shop "
                 "{\"disabled\": false}"_s);
        QCOMPARE(zmqPublish(u"zmq-while-disabled"_s), u"NACK 403"_s);
        QCOMPARE(inbound("while-disabled"), 403); // read on every request: at once
        QCOMPARE(
            m_db->scalar(u"SELECT count(*) FROM events WHERE ce_id LIKE '%%while-disabled%%'"_s),
            u"0"_s);

        // The other tenant's schedule fires while shop's does not.
        QTRY_VERIFY_WITH_TIMEOUT(scheduleEvents(u"other"_s) >= 3, 15000);
        QCOMPARE(scheduleEvents(u"shop"_s), 0);

        // What was accepted before is delivered all the same.
        m_receiver.answer(200, "{}");
        QTRY_COMPARE_WITH_TIMEOUT(deliveryState(u"before-disable"_s), u"succeeded"_s, 15000);
    }

    // ferryctl tenants rename|disable|enable, and the list's columns.
    void ferryctlCommands()
    {
        const QHash<QString, QString> ctlEnv{
            {u"FERRYCTL_CONFIG"_s, m_dir.filePath(u"ctl/ferryctl.json"_s)}};
        const auto ctl = [&](const QStringList &args) {
            return test::run(QStringLiteral(FERRYCTL_BIN), args, ctlEnv);
        };
        const QString tokenFile = m_dir.filePath(u"admin.token"_s);
        {
            QFile f(tokenFile);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(m_admin);
        }
        QCOMPARE(ctl({u"login"_s, u"--url"_s, u"https://127.0.0.1:%1"_s.arg(m_apiPort),
                      u"--token-file"_s, tokenFile, u"--pin"_s, m_pin})
                     .exitCode,
                 0);
        auto r = ctl({u"tenants"_s, u"rename"_s, u"other"_s, u"Other shop"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(ctl({u"tenants"_s, u"disable"_s, u"other"_s}).exitCode, 0);
        r = ctl({u"tenants"_s});
        QVERIFY2(r.out.contains(u"DISABLED"_s) && r.out.contains(u"Other shop"_s),
                 qPrintable(r.out));
        QCOMPARE(object(api("GET", u"/v1/tenants/other"_s).body).value("disabled"_L1),
                 QJsonValue(true));
        QCOMPARE(ctl({u"tenants"_s, u"enable"_s, u"other"_s}).exitCode, 0);
        QCOMPARE(object(api("GET", u"/v1/tenants/other"_s).body).value("disabled"_L1),
                 QJsonValue(false));
        r = ctl({u"tenants"_s, u"disable"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"tenants disable|enable NAME"_s), qPrintable(r.err));
    }

    void enabledTenantTakesEventsAgain()
    {
        auto r = api("PATCH", u"/v1/tenants/shop"_s, R"({"disabled":false})");
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(object(r.body).value("disabled"_L1), QJsonValue(false));
        QVERIFY(object(r.body).value("disabled_at"_L1).isNull());
        QTRY_COMPARE_WITH_TIMEOUT(probe(), 202, 10000);
        QCOMPARE(ingest(u"after-enable"_s).status, 202);
        QCOMPARE(zmqPublish(u"zmq-after-enable"_s), u"ACK 202"_s);
        QCOMPARE(inbound("after-enable"), 200);
        QTRY_VERIFY_WITH_TIMEOUT(scheduleEvents(u"shop"_s) >= 1, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(deliveryState(u"after-enable"_s), u"succeeded"_s, 15000);
        QCOMPARE(
            m_db->scalar(u"SELECT string_agg(details->'after'->>'disabled', ',' ORDER BY id) "
                         "FROM audit_log WHERE action = 'tenant.update' AND subject = 'shop'"
                         "  AND details->'before'->>'disabled' <> details->'after'->>'disabled'"_s),
            u"true,false"_s);
    }
};

QTEST_GUILESS_MAIN(TestTenantAdmin)
#include "tst_tenantadmin.moc"
