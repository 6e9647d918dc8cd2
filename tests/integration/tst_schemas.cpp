// Versioned event schemas against a real agent and PostgreSQL (docs/schemas.md): the registry
// through the API (validated, audited), strict mode refusing events of a registered type with
// an unknown version or missing and mistyped fields over HTTP and ZeroMQ with a 422 that names
// them and nothing stored, a tenant without strict mode taking them, routes that take only v2
// receiving v1 upcast and never v0, the DLQ for a delivery its route can no longer take, and
// ferryctl's schemas commands.
#include "tests/support/recordingserver.h"
#include "tests/support/testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;

namespace {

// An order.created event (or `type`) with `data`; `version` empty: no schemaversion.
QByteArray cloudEvent(const QString &id, const QString &version, const QByteArray &data,
                      const QString &type = u"order.created"_s)
{
    QJsonObject o{{u"specversion"_s, u"1.0"_s},
                  {u"id"_s, id},
                  {u"source"_s, u"/shop"_s},
                  {u"type"_s, type},
                  {u"data"_s, QJsonDocument::fromJson(data).object()}};
    if (!version.isEmpty())
        o.insert(u"schemaversion"_s, version);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonObject object(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

const QByteArray kUpcast = R"({"from":"1","to":"2","rename":{"cust_id":"customer.id"},)"
                           R"("set":{"currency":"EUR"},"drop":["legacy"]})";

} // namespace

class TestSchemas : public QObject
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
    QByteArray m_strictToken;
    QByteArray m_looseToken;
    ProducerCredentials m_strictKeys;
    test::RecordingServer m_receiver;
    QString m_routeId;

    QHash<QString, QString> env() const { return {{u"FERRY_DATABASE_URL"_s, m_db->url()}}; }
    test::HttpResponse api(const QByteArray &method, const QString &path,
                           const QByteArray &body = {})
    {
        test::HttpRequest r;
        r.method = method;
        r.url = u"https://127.0.0.1:%1%2"_s.arg(m_apiPort).arg(path);
        r.caFile = m_dir.filePath(u"api.crt"_s);
        r.body = body;
        r.headers = {{"Authorization", "Bearer " + m_admin}, {"Content-Type", "application/json"}};
        return test::http(r, 10000);
    }
    test::HttpResponse ingest(const QByteArray &token, const QByteArray &body,
                              const QByteArray &contentType = "application/cloudevents+json")
    {
        test::HttpRequest r;
        r.url = u"http://127.0.0.1:%1/v1/events"_s.arg(m_httpPort);
        r.body = body;
        r.headers = {{"Authorization", "Bearer " + token}, {"Content-Type", contentType}};
        return test::http(r, 10000);
    }
    // How many events and dedupe keys there are of these CloudEvent ids.
    int stored(const QStringList &ceIds) const
    {
        int total = 0;
        for (const QString &id : ceIds)
            total +=
                m_db->scalar(u"SELECT (SELECT count(*) FROM events WHERE ce_id = '%1') + "
                             "(SELECT count(*) FROM ingest_keys WHERE key LIKE '%%%1')"_s.arg(id))
                    .toInt();
        return total;
    }
    QString column(const QString &what, const QString &ceId) const
    {
        return m_db->scalar(u"SELECT %1 FROM events WHERE ce_id = '%2'"_s.arg(what, ceId));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = std::make_unique<test::TestDatabase>(u"schemas"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
        QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s}, env()).exitCode, 0);
        m_strictToken = test::createTenant(m_db->url(), u"strict"_s).toUtf8();
        m_looseToken = test::createTenant(m_db->url(), u"loose"_s).toUtf8();
        QVERIFY(m_strictToken.startsWith("fpt_") && m_looseToken.startsWith("fpt_"));
        m_httpPort = test::freePort();
        m_zmqPort = test::freePort();
        m_apiPort = test::freePort();
        m_strictKeys = test::addProducer(m_db->url(), u"strict"_s, m_zmqPort);
        QCOMPARE(m_strictKeys.publicKey.size(), 40);
        auto cert = test::run(test::agentBinary(),
                              {u"cert"_s, u"generate"_s, u"--out"_s, m_dir.path()}, env());
        QCOMPARE(cert.exitCode, 0);
        m_pin = QRegularExpression(u"fingerprint  (sha256/\\S+)"_s).match(cert.out).captured(1);
        m_admin = test::run(test::agentBinary(), {u"token"_s, u"create"_s, u"--role"_s, u"admin"_s},
                            env())
                      .out.trimmed()
                      .toUtf8();
        QVERIFY(!m_pin.isEmpty() && !m_admin.isEmpty());
        QVERIFY(m_receiver.start());
        auto e = test::agentEnvironment(m_db->url(), m_httpPort, m_zmqPort);
        test::addApi(e, m_apiPort, m_dir.path());
        m_agent = std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, e);
        QVERIFY(m_agent->start());
        QVERIFY2(test::waitForHealthy(m_httpPort), qPrintable(m_agent->output()));
    }

    void cleanupTestCase()
    {
        if (m_agent)
            QVERIFY2(m_agent->terminate(), qPrintable(m_agent->output()));
    }

    // Before any event of either tenant: the batch writers load a tenant's registry and strict
    // flag with its quotas when they first see it (and every 30 s after).
    void registryThroughTheApi()
    {
        const QString base = u"/v1/tenants/strict/schemas/order.created/"_s;
        auto r = api("PUT", base + u"1"_s, R"({"required":["cust_id"],"description":"first"})");
        QCOMPARE(r.status, 201);
        QCOMPARE(object(r.body).value("required"_L1).toArray(),
                 QJsonArray({QJsonObject{{u"path"_s, u"cust_id"_s}, {u"type"_s, QJsonValue()}}}));
        const QByteArray v2 = R"({"required":[{"path":"customer.id","type":"string"},)"
                              R"({"path":"total","type":"number"}]})";
        QCOMPARE(api("PUT", base + u"2"_s, v2).status, 201);
        r = api("PUT", base + u"2"_s, v2);
        QCOMPARE(r.status, 200);
        QCOMPARE(object(r.body).value("version"_L1).toString(), u"2"_s);
        QCOMPARE(m_db->scalar(u"SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE "
                              "subject = 'strict/schema/order.created/2'"_s),
                 u"schema.create,schema.update"_s);
        QCOMPARE(api("PUT", u"/v1/tenants/loose/schemas/order.created/2"_s, v2).status, 201);

        const auto list = api("GET", u"/v1/tenants/strict/schemas"_s);
        QCOMPARE(list.status, 200);
        QCOMPARE(object(list.body).value("items"_L1).toArray().size(), 2);
        QCOMPARE(object(list.body).value("strict_schemas"_L1), QJsonValue(false));
        const auto none = api("GET", u"/v1/tenants/strict/schemas?event_type=order.paid"_s);
        QCOMPARE(object(none.body).value("items"_L1).toArray().size(), 0);
        QCOMPARE(api("DELETE", base + u"9"_s).status, 404);

        r = api("PATCH", u"/v1/tenants/strict"_s, R"({"strict_schemas":true})");
        QCOMPARE(r.status, 200);
        QCOMPARE(object(r.body).value("strict_schemas"_L1), QJsonValue(true));
        QCOMPARE(object(api("GET", u"/v1/tenants/loose"_s).body).value("strict_schemas"_L1),
                 QJsonValue(false));
        QCOMPARE(api("PATCH", u"/v1/tenants/strict"_s, R"({"strict_schemas":"yes"})").status, 422);
    }

    void registryRefusesWhatItCannotCheck_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        const QString v3 = u"/v1/tenants/strict/schemas/order.created/3"_s;
        QTest::newRow("bad path") << v3 << QByteArray(R"({"required":["a..b"]})") << u"required"_s;
        QTest::newRow("bad type") << v3
                                  << QByteArray(R"({"required":[{"path":"x","type":"date"}]})")
                                  << u"required"_s;
        QTest::newRow("unknown member")
            << v3 << QByteArray(R"({"required":[{"path":"x","kind":"y"}]})")
            << u"required[0].kind"_s;
        QTest::newRow("unknown field") << v3 << QByteArray(R"({"fields":[]})") << u"fields"_s;
        QTest::newRow("listed twice")
            << v3 << QByteArray(R"({"required":["a","a"]})") << u"required"_s;
        QTest::newRow("every type")
            << u"/v1/tenants/strict/schemas/*/1"_s << QByteArray("{}") << QString();
    }

    void registryRefusesWhatItCannotCheck()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        const auto r = api("PUT", path, body);
        QVERIFY2(r.status == 422, r.body.constData());
        QCOMPARE(object(r.body).value("field"_L1).toString(), field);
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM event_schemas WHERE version <> '1' AND "
                              "version <> '2'"_s),
                 u"0"_s);
    }

    void strictTenantRefusesOverHttp()
    {
        auto r = ingest(m_strictToken, cloudEvent(u"h-v3"_s, u"3"_s, R"({"cust_id":"c"})"));
        QCOMPARE(r.status, 422);
        QCOMPARE(r.headers.value("content-type"), QByteArray("application/problem+json"));
        QJsonObject p = object(r.body);
        QCOMPARE(p.value("type"_L1).toString(), u"urn:ferry:problem:schema-mismatch"_s);
        QVERIFY2(p.value("detail"_L1).toString().contains(u"'order.created'"_s) &&
                     p.value("detail"_L1).toString().contains(u"'3'"_s),
                 r.body.constData());
        QCOMPARE(p.value("registered_versions"_L1).toArray(), QJsonArray({u"1"_s, u"2"_s}));

        r = ingest(m_strictToken, cloudEvent(u"h-bad"_s, u"2"_s, R"({"customer":{"id":7}})"));
        QCOMPARE(r.status, 422);
        p = object(r.body);
        const QString detail = p.value("detail"_L1).toString();
        QVERIFY2(detail.contains(u"version '2'"_s) && detail.contains(u"total"_s) &&
                     detail.contains(u"customer.id is number, not string"_s),
                 qPrintable(detail));
        QCOMPARE(p.value("missing"_L1).toArray(), QJsonArray({u"total"_s}));

        r = ingest(m_strictToken, cloudEvent(u"h-none"_s, {}, R"({"cust_id":"c"})"));
        QCOMPARE(r.status, 422);
        QVERIFY2(object(r.body).value("detail"_L1).toString().contains(u"schemaversion"_s),
                 r.body.constData());
        QCOMPARE(stored({u"h-v3"_s, u"h-bad"_s, u"h-none"_s}), 0);

        // What matches is stored with its version; unregistered types pass; dataschema counts.
        r = ingest(m_strictToken,
                   cloudEvent(u"h-good"_s, u"2"_s, R"({"customer":{"id":"c-1"},"total":12.5})"));
        QCOMPARE(r.status, 202);
        QCOMPARE(column(u"schema_version"_s, u"h-good"_s), u"2"_s);
        QCOMPARE(ingest(m_strictToken, cloudEvent(u"h-user"_s, {}, "{}", u"user.created"_s)).status,
                 202);
        QJsonObject viaDataschema = object(cloudEvent(u"h-ds"_s, {}, R"({"cust_id":"c"})"));
        viaDataschema.insert(u"dataschema"_s, u"1"_s);
        QCOMPARE(ingest(m_strictToken, QJsonDocument(viaDataschema).toJson()).status, 202);
        QCOMPARE(column(u"schema_version"_s, u"h-ds"_s), u"1"_s);
    }

    void strictBatchAnswersEachEvent()
    {
        const QByteArray batch = "[" + cloudEvent(u"b-bad"_s, u"1"_s, R"({"other":1})") + "," +
                                 cloudEvent(u"b-good"_s, u"1"_s, R"({"cust_id":"c"})") + "]";
        const auto r = ingest(m_strictToken, batch, "application/cloudevents-batch+json");
        QCOMPARE(r.status, 200);
        const QJsonArray results = object(r.body).value("results"_L1).toArray();
        QCOMPARE(results.size(), 2);
        QCOMPARE(results[0].toObject().value("status"_L1).toInt(), 422);
        QCOMPARE(results[0].toObject().value("missing"_L1).toArray(), QJsonArray({u"cust_id"_s}));
        QCOMPARE(results[1].toObject().value("status"_L1).toInt(), 202);
        QCOMPARE(stored({u"b-bad"_s}), 0);
        QCOMPARE(column(u"count(*)"_s, u"b-good"_s), u"1"_s);
    }

    void strictTenantRefusesOverZmq()
    {
        test::ZmqClient client(u"tcp://127.0.0.1:%1"_s.arg(m_zmqPort), m_strictKeys);
        QVERIFY(client.send({"ferry/1", "z-1", "PUB", {}, cloudEvent(u"z-v3"_s, u"3"_s, "{}")}));
        auto reply = client.receive(10000);
        QCOMPARE(reply.size(), 4);
        QCOMPARE(reply[2], QByteArray("NACK"));
        QJsonObject p = object(reply[3]);
        QCOMPARE(p.value("status"_L1).toInt(), 422);
        QVERIFY2(p.value("detail"_L1).toString().contains(u"no schema version '3'"_s),
                 reply[3].constData());
        QVERIFY(client.send({"ferry/1", "z-2", "PUB", {}, cloudEvent(u"z-bad"_s, u"2"_s, "{}")}));
        reply = client.receive(10000);
        QCOMPARE(reply.size(), 4);
        QCOMPARE(reply[2], QByteArray("NACK"));
        p = object(reply[3]);
        QCOMPARE(p.value("status"_L1).toInt(), 422);
        QCOMPARE(p.value("missing"_L1).toArray(), QJsonArray({u"customer.id"_s, u"total"_s}));
        QCOMPARE(stored({u"z-v3"_s, u"z-bad"_s}), 0);
        QVERIFY(
            client.send({"ferry/1",
                         "z-3",
                         "PUB",
                         {},
                         cloudEvent(u"z-good"_s, u"2"_s, R"({"customer":{"id":"c"},"total":1})")}));
        reply = client.receive(10000);
        QCOMPARE(reply.size(), 4);
        QCOMPARE(reply[2], QByteArray("ACK"));
    }

    void looseTenantTakesAnyVersion()
    {
        QCOMPARE(ingest(m_looseToken, cloudEvent(u"l-v3"_s, u"3"_s, "{}")).status, 202);
        QCOMPARE(ingest(m_looseToken, cloudEvent(u"l-bad"_s, u"2"_s, "{}")).status, 202);
        QCOMPARE(ingest(m_looseToken, cloudEvent(u"l-none"_s, {}, "{}")).status, 202);
        QCOMPARE(column(u"schema_version"_s, u"l-v3"_s), u"3"_s);
        QCOMPARE(column(u"schema_version IS NULL"_s, u"l-none"_s), u"t"_s);
    }

    void routeRefusesUpcastsThatLeadNowhere_data()
    {
        QTest::addColumn<QByteArray>("fields");
        QTest::addColumn<QString>("field");
        QTest::newRow("no versions")
            << QByteArray(R"("upcasts":[)" + kUpcast + "]") << u"upcasts"_s;
        QTest::newRow("leads nowhere")
            << QByteArray(R"("schema_versions":["2"],"upcasts":[{"from":"0","to":"1"}])")
            << u"upcasts"_s;
        QTest::newRow("bad rename")
            << QByteArray(
                   R"("schema_versions":["2"],"upcasts":[{"from":"1","to":"2","rename":{"a":1}}])")
            << u"upcasts[0].rename"_s;
        QTest::newRow("bad version")
            << QByteArray(R"("schema_versions":["two words"])") << u"schema_versions"_s;
    }

    void routeRefusesUpcastsThatLeadNowhere()
    {
        QFETCH(QByteArray, fields);
        QFETCH(QString, field);
        QJsonObject body = object("{" + fields + "}");
        body.insert(u"tenant"_s, u"loose"_s);
        body.insert(u"target"_s, m_receiver.url(u"/h"_s));
        const auto r = api("POST", u"/v1/routes"_s, QJsonDocument(body).toJson());
        QVERIFY2(r.status == 422, r.body.constData());
        QCOMPARE(object(r.body).value("field"_L1).toString(), field);
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM endpoints"_s), u"0"_s);
    }

    void routeTakesV2AndGetsV1Upcast()
    {
        const auto created =
            api("POST", u"/v1/routes"_s,
                R"({"tenant":"loose","target":")" + m_receiver.url(u"/hooks"_s).toUtf8() +
                    R"(","event_types":["order.created"],)"
                    R"("schema_versions":["2"],"upcasts":[)" +
                    kUpcast + "]}");
        QVERIFY2(created.status == 201, created.body.constData());
        const QJsonObject route = object(created.body);
        m_routeId = QString::number(route.value("id"_L1).toInteger());
        QCOMPARE(route.value("schema_versions"_L1).toArray(), QJsonArray({u"2"_s}));
        QCOMPARE(route.value("upcasts"_L1).toArray(), QJsonArray({object(kUpcast)}));
        QCOMPARE(m_db->scalar(u"SELECT schema_routable::text FROM endpoints"_s), u"{2,1}"_s);

        QCOMPARE(ingest(m_looseToken, cloudEvent(u"up-1"_s, u"1"_s,
                                                 R"({"cust_id":"c-1","legacy":true,"amount":5})"))
                     .status,
                 202);
        QCOMPARE(ingest(m_looseToken, cloudEvent(u"up-2"_s, u"2"_s, R"({"customer":{"id":"c-2"}})"))
                     .status,
                 202);
        QCOMPARE(ingest(m_looseToken, cloudEvent(u"up-0"_s, u"0"_s, R"({"cust_id":"c-0"})")).status,
                 202);
        QCOMPARE(ingest(m_looseToken, cloudEvent(u"up-none"_s, {}, R"({"cust_id":"c-0"})")).status,
                 202);
        // Routing runs in the event's transaction: what it did is there with the 202.
        QCOMPARE(m_db->scalar(u"SELECT string_agg(e.ce_id || ':' || (SELECT count(*) FROM "
                              "deliveries d WHERE d.event_id = e.id), ',' ORDER BY e.ce_id) "
                              "FROM events e WHERE e.ce_id LIKE 'up-%'"_s),
                 u"up-0:0,up-1:1,up-2:1,up-none:0"_s);

        QTRY_COMPARE_WITH_TIMEOUT(m_receiver.received().size(), 2, 20000);
        QHash<QString, QJsonObject> byId;
        for (const auto &request : m_receiver.received()) {
            const QJsonObject e = object(request.body);
            byId.insert(e.value("id"_L1).toString(), e);
        }
        QCOMPARE(byId.value(u"up-1"_s).value("data"_L1).toObject(),
                 object(R"({"customer":{"id":"c-1"},"currency":"EUR","amount":5})"));
        QCOMPARE(byId.value(u"up-1"_s).value("schemaversion"_L1).toString(), u"2"_s);
        QCOMPARE(byId.value(u"up-2"_s).value("data"_L1).toObject(),
                 object(R"({"customer":{"id":"c-2"}})"));
        QCOMPARE(byId.value(u"up-2"_s).value("schemaversion"_L1).toString(), u"2"_s);
    }

    // A delivery made while the route could upcast its version, sent after the route lost the
    // upcast: dead-lettered as schema_version, never sent as it is.
    void deliveryTheRouteCanNoLongerTakeIsDeadLettered()
    {
        QVERIFY(!m_routeId.isEmpty());
        const auto patched = api("PATCH", u"/v1/routes/"_s + m_routeId, R"({"upcasts":null})");
        QVERIFY2(patched.status == 200, patched.body.constData());
        QCOMPARE(m_db->scalar(u"SELECT schema_routable::text FROM endpoints"_s), u"{2}"_s);
        QVERIFY(m_db->exec(
            u"INSERT INTO events (id, tenant_id, source, ce_id, type, payload, schema_version) "
            "SELECT gen_random_uuid(), id, '/shop', 'late-1', 'order.created', "
            "'{\"data\":{\"cust_id\":\"c\"},\"id\":\"late-1\",\"type\":\"order.created\"}', '1' "
            "FROM tenants WHERE name = 'loose'; "
            "INSERT INTO deliveries (event_id, endpoint_id, tenant_id) SELECT e.id, %1, "
            "e.tenant_id FROM events e WHERE e.ce_id = 'late-1'"_s.arg(m_routeId)));
        QTRY_COMPARE_WITH_TIMEOUT(m_db->scalar(u"SELECT state || ':' || coalesce(dead_reason, '') "
                                               "FROM deliveries d JOIN events e ON e.id = "
                                               "d.event_id WHERE e.ce_id = 'late-1'"_s),
                                  u"dead:schema_version"_s, 20000);
        QVERIFY(m_db->scalar(u"SELECT last_error FROM deliveries d JOIN events e ON e.id = "
                             "d.event_id WHERE e.ce_id = 'late-1'"_s)
                    .contains(u"no upcast from version '1'"_s));
        QCOMPARE(m_receiver.received().size(), 2);
    }

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
        auto r = ctl({u"schemas"_s, u"put"_s, u"--tenant"_s, u"loose"_s, u"order.paid"_s, u"1"_s,
                      u"--field"_s, u"order.id:string"_s, u"--field"_s, u"amount"_s,
                      u"--description"_s, u"the first"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(m_db->scalar(u"SELECT required::text FROM event_schemas WHERE event_type = "
                              "'order.paid'"_s),
                 QString::fromUtf8(R"([{"path": "order.id", "type": "string"}, )"
                                   R"({"path": "amount", "type": null}])"));
        r = ctl({u"schemas"_s, u"list"_s, u"--tenant"_s, u"loose"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"strict mode off"_s) && r.out.contains(u"order.paid"_s) &&
                     r.out.contains(u"order.id:string, amount"_s),
                 qPrintable(r.out));
        r = ctl({u"schemas"_s, u"strict"_s, u"--tenant"_s, u"loose"_s, u"on"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(m_db->scalar(u"SELECT strict_schemas FROM tenants WHERE name = 'loose'"_s),
                 u"t"_s);
        QVERIFY(ctl({u"schemas"_s, u"list"_s, u"--tenant"_s, u"loose"_s})
                    .out.contains(u"strict mode on"_s));
        QCOMPARE(ctl({u"schemas"_s, u"strict"_s, u"--tenant"_s, u"loose"_s, u"off"_s}).exitCode, 0);
        r = ctl({u"schemas"_s, u"put"_s, u"--tenant"_s, u"loose"_s, u"order.paid"_s, u"2"_s,
                 u"--field"_s, u"a..b"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"a..b"_s), qPrintable(r.err));
        r = ctl({u"schemas"_s, u"delete"_s, u"--tenant"_s, u"loose"_s, u"order.paid"_s, u"1"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM event_schemas WHERE event_type = "
                              "'order.paid'"_s),
                 u"0"_s);
        QCOMPARE(ctl({u"schemas"_s, u"list"_s}).exitCode, 2); // no --tenant
    }
};

QTEST_GUILESS_MAIN(TestSchemas)
#include "tst_schemas.moc"
