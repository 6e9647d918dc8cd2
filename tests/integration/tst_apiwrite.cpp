// The write side of the TLS API against real agents: producer tokens and CURVE keys (a revoked
// token gets 401 on HTTP ingest, a revoked key is disconnected and refused), routes with their
// validation, and credentials: sealed with the master key, used to sign real deliveries that
// the webhook receiver verifies, and never seen again in an answer, a log line or the audit log.
// Once secrets are sealed, an agent without the master key, or with another one, refuses to
// start and says which key it needs.
#include "agent/api/apiserver.h"
#include "shared/masterkey.h"
#include "tests/support/testsupport.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <zmq.h>

using namespace ferry;
using namespace Qt::StringLiterals;

namespace {

// A fresh Standard Webhooks secret that appears nowhere else.
const QByteArray kSigningSecret = "whsec_c2VjcmV0LW5ldmVyLXRvLWJlLXNlZW4tYWdhaW4hIQ==";

} // namespace

class TestApiWrite : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::TestDatabase> m_db;
    std::unique_ptr<test::Process> m_agent;
    std::unique_ptr<test::Process> m_receiver;
    QTemporaryDir m_dir;
    quint16 m_apiPort = 0;
    quint16 m_httpPort = 0;
    quint16 m_zmqPort = 0;
    quint16 m_receiverPort = 0;
    QByteArray m_admin;  // unscoped admin token
    QByteArray m_scoped; // admin token of tenant acme
    QHash<QString, QString> m_agentEnv;

    QHash<QString, QString> env() const { return {{u"FERRY_DATABASE_URL"_s, m_db->url()}}; }
    QString certFile() const { return m_dir.filePath(u"api.crt"_s); }
    QString keyFile() const { return m_dir.filePath(u"master.key"_s); }

    test::HttpResponse api(const QByteArray &method, const QString &path,
                           const QByteArray &body = {}, const QByteArray &token = {},
                           quint16 port = 0)
    {
        test::HttpRequest r;
        r.method = method;
        r.url = u"https://127.0.0.1:%1%2"_s.arg(port ? port : m_apiPort).arg(path);
        r.caFile = certFile();
        r.body = body;
        r.headers = {{"Authorization", "Bearer " + (token.isEmpty() ? m_admin : token)},
                     {"Content-Type", "application/json"}};
        return test::http(r, 10000);
    }
    static QJsonObject object(const test::HttpResponse &r)
    {
        return QJsonDocument::fromJson(r.body).object();
    }
    int ingest(const QByteArray &token, const QString &id, const QString &type = u"t"_s,
               quint16 port = 0)
    {
        test::HttpRequest r;
        r.url = u"http://127.0.0.1:%1/v1/events"_s.arg(port ? port : m_httpPort);
        r.body = test::cloudEvent(id, type);
        r.headers = {{"Authorization", "Bearer " + token},
                     {"Content-Type", "application/cloudevents+json"}};
        return test::http(r).status;
    }
    QJsonObject receiverStats(quint16 port = 0)
    {
        test::HttpRequest h;
        h.method = "GET";
        h.url = u"http://127.0.0.1:%1/stats"_s.arg(port ? port : m_receiverPort);
        return QJsonDocument::fromJson(test::http(h, 5000).body).object();
    }
    QHash<QString, QString> agentEnvironment(quint16 apiPort, quint16 httpPort)
    {
        auto e = test::agentEnvironment(m_db->url(), httpPort);
        test::addApi(e, apiPort, m_dir.path());
        // As talkative as it gets: a secret must not show up even in debug output.
        e.insert(u"QT_LOGGING_RULES"_s, u"ferry.*=true"_s);
        return e;
    }
    // Every GET route of the API, placeholders filled in, as `token` sees it.
    QByteArray everyGet(const QByteArray &token, qint64 routeId)
    {
        QByteArray all;
        for (const auto &route : agent::api::ApiServer::routes()) {
            if (route.method != "GET")
                continue;
            QString path = route.path;
            path.replace(u"{tenant}"_s, u"acme"_s)
                .replace(u"{num}"_s, QString::number(routeId))
                .replace(u"{name}"_s, u"signing"_s)
                .replace(u"{channel}"_s, u"sms"_s)
                .replace(u"{eventType}"_s, u"*"_s)
                .replace(u"{id}"_s, m_db->scalar(u"SELECT coalesce(max(id::text), "
                                                 "'00000000-0000-0000-0000-000000000000') "
                                                 "FROM deliveries"_s));
            const auto r = api("GET", path + u"?tenant=acme"_s, {}, token);
            all += path.toUtf8() + ' ' + QByteArray::number(r.status) + ' ' + r.body + '\n';
        }
        return all;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = std::make_unique<test::TestDatabase>(u"apiwrite"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
        QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s}, env()).exitCode, 0);
        for (const QString &t : {u"acme"_s, u"beta"_s})
            QVERIFY(!test::createTenant(m_db->url(), t).isEmpty());
        QCOMPARE(test::run(test::agentBinary(),
                           {u"cert"_s, u"generate"_s, u"--out"_s, m_dir.path()}, env())
                     .exitCode,
                 0);
        auto admin = test::run(test::agentBinary(),
                               {u"token"_s, u"create"_s, u"--role"_s, u"admin"_s}, env());
        QCOMPARE(admin.exitCode, 0);
        m_admin = admin.out.trimmed().toUtf8();
        auto scoped = test::run(
            test::agentBinary(),
            {u"token"_s, u"create"_s, u"--role"_s, u"admin"_s, u"--tenant"_s, u"acme"_s}, env());
        QCOMPARE(scoped.exitCode, 0);
        m_scoped = scoped.out.trimmed().toUtf8();

        m_receiverPort = test::freePort();
        m_receiver = std::make_unique<test::Process>(
            test::receiverBinary(),
            QStringList{u"--listen"_s, u"127.0.0.1:%1"_s.arg(m_receiverPort), u"--secret"_s,
                        QString::fromLatin1(kSigningSecret)});
        QVERIFY(m_receiver->start());
    }

    void cleanupTestCase()
    {
        if (m_agent)
            QVERIFY2(m_agent->terminate(), qPrintable(m_agent->output()));
        if (m_receiver)
            m_receiver->terminate();
    }

    void generateKeyWritesAPrivateFileAndNeverOverwrites()
    {
        auto r = test::run(test::agentBinary(), {u"credentials"_s, u"generate-key"_s, keyFile()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QFile key(keyFile());
        QCOMPARE(key.permissions() &
                     ~(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser),
                 QFile::Permissions());
        QVERIFY(key.open(QIODevice::ReadOnly));
        const QByteArray before = key.readAll();
        QCOMPARE(QByteArray::fromBase64(before.trimmed()).size(), 32);
        auto again =
            test::run(test::agentBinary(), {u"credentials"_s, u"generate-key"_s, keyFile()});
        QVERIFY(again.exitCode != 0);
        QVERIFY2(again.err.contains(u"already exists"_s), qPrintable(again.err));
        key.seek(0);
        QCOMPARE(key.readAll(), before);
    }

    void agentRefusesAnUnreadableKeyFile()
    {
        QFile junk(m_dir.filePath(u"junk.key"_s));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("not a key\n");
        junk.close();
        QVERIFY(junk.setPermissions(QFile::ReadOwner | QFile::WriteOwner));
        auto e = agentEnvironment(test::freePort(), test::freePort());
        e.insert(u"FERRY_CREDENTIALS_MASTER_KEY_FILE"_s, junk.fileName());
        auto r = test::run(test::agentBinary(), {u"run"_s}, e, 30000);
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(u"does not hold a key"_s) &&
                     r.err.contains(u"credentials.master_key_file"_s),
                 qPrintable(r.err));
    }

    void startAgent()
    {
        m_apiPort = test::freePort();
        m_httpPort = test::freePort();
        m_agentEnv = agentEnvironment(m_apiPort, m_httpPort);
        m_zmqPort = QUrl(m_agentEnv.value(u"FERRY_ZMQ_LISTEN"_s)).port();
        m_agentEnv.insert(u"FERRY_CREDENTIALS_MASTER_KEY_FILE"_s, keyFile());
        m_agent =
            std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, m_agentEnv);
        QVERIFY(m_agent->start());
        QVERIFY2(test::waitForHealthy(m_httpPort), qPrintable(m_agent->output()));
    }

    void producerTokens()
    {
        auto first = api("POST", u"/v1/tenants/acme/producers"_s, "{\"kind\":\"token\"}");
        QCOMPARE(first.status, 201);
        const QByteArray token = object(first).value("token"_L1).toString().toUtf8();
        const qint64 id = qint64(object(first).value("id"_L1).toDouble());
        QVERIFY(token.startsWith("fpt_"));
        QCOMPARE(ingest(token, u"tok-1"_s), 202);

        // A second token, revoked before it was ever used: refused at once.
        auto second = api("POST", u"/v1/tenants/acme/producers"_s, "{\"kind\":\"token\"}");
        QCOMPARE(second.status, 201);
        const QByteArray doomed = object(second).value("token"_L1).toString().toUtf8();
        const qint64 doomedId = qint64(object(second).value("id"_L1).toDouble());
        QCOMPARE(api("DELETE", u"/v1/tenants/acme/producers/%1?kind=token"_s.arg(doomedId)).status,
                 204);
        QCOMPARE(ingest(doomed, u"tok-2"_s), 401);
        QCOMPARE(ingest(token, u"tok-3"_s), 202);
        QCOMPARE(api("DELETE", u"/v1/tenants/acme/producers/%1?kind=token"_s.arg(doomedId)).status,
                 404);
        auto noKind = api("DELETE", u"/v1/tenants/acme/producers/%1"_s.arg(id));
        QCOMPARE(noKind.status, 422);
        QCOMPARE(object(noKind).value("field"_L1).toString(), u"kind"_s);
        // Another tenant's token is not there for acme, nor for acme's scoped token.
        QCOMPARE(api("DELETE", u"/v1/tenants/beta/producers/%1?kind=token"_s.arg(id)).status, 404);
        QCOMPARE(api("GET", u"/v1/tenants/beta/producers"_s, {}, m_scoped).status, 404);

        auto list = api("GET", u"/v1/tenants/acme/producers?limit=1000"_s);
        QCOMPARE(list.status, 200);
        bool sawRevoked = false, sawActive = false;
        for (const auto &v : object(list).value("items"_L1).toArray()) {
            const QJsonObject o = v.toObject();
            QCOMPARE(o.value("kind"_L1).toString(), u"token"_s);
            QVERIFY(!o.contains("token"_L1)); // shown once, at creation only
            if (qint64(o.value("id"_L1).toDouble()) == doomedId)
                sawRevoked = o.value("revoked_at"_L1).isString();
            if (qint64(o.value("id"_L1).toDouble()) == id)
                sawActive = o.value("revoked_at"_L1).isNull();
        }
        QVERIFY2(sawRevoked && sawActive, list.body.constData());
        QVERIFY(!list.body.contains(token) && !list.body.contains(doomed));
        // Paging: one at a time reaches the same items.
        int paged = 0;
        QString cursor;
        do {
            auto page = api("GET", u"/v1/tenants/acme/producers?limit=1"_s +
                                       (cursor.isEmpty() ? QString() : u"&cursor="_s + cursor));
            QCOMPARE(page.status, 200);
            paged += int(object(page).value("items"_L1).toArray().size());
            cursor = object(page).value("next_cursor"_L1).toString();
        } while (!cursor.isEmpty() && paged < 100);
        QCOMPARE(paged, int(object(list).value("items"_L1).toArray().size()));
    }

    void curveKeyRevokedThroughTheApiIsRefused()
    {
        auto created = api("POST", u"/v1/tenants/acme/producers"_s, "{\"kind\":\"curve\"}");
        QCOMPARE(created.status, 201);
        const QJsonObject o = object(created);
        ProducerCredentials creds;
        creds.endpoints = {u"tcp://127.0.0.1:%1"_s.arg(m_zmqPort)};
        creds.serverPublicKey = o.value("server_key"_L1).toString().toLatin1();
        creds.publicKey = o.value("public_key"_L1).toString().toLatin1();
        creds.secretKey = o.value("secret_key"_L1).toString().toLatin1();
        QCOMPARE(creds.publicKey.size(), 40);
        QCOMPARE(creds.secretKey.size(), 40);

        // The agent learns of the key at its next refresh; each try is a new connection.
        std::unique_ptr<test::ZmqClient> client;
        QList<QByteArray> reply;
        for (int i = 0; i < 20 && reply.value(2) != "ACK"; ++i) {
            client = std::make_unique<test::ZmqClient>(creds.endpoints.first(), creds);
            client->send({"ferry/1", "r1", "PUB", {}, test::cloudEvent(u"curve-1"_s)});
            reply = client->receive(1500);
        }
        QCOMPARE(reply.value(2), QByteArray("ACK"));

        const qint64 id = qint64(o.value("id"_L1).toDouble());
        QCOMPARE(api("DELETE", u"/v1/tenants/acme/producers/%1?kind=curve"_s.arg(id)).status, 204);
        // Disconnected as after 'ferry-agent producer revoke', and refused from then on.
        QVERIFY(client->waitForEvent(ZMQ_EVENT_DISCONNECTED, 10000) != 0);
        QCOMPARE(client->waitForEvent(ZMQ_EVENT_HANDSHAKE_FAILED_AUTH, 10000),
                 ZMQ_EVENT_HANDSHAKE_FAILED_AUTH);
        client->send({"ferry/1", "r2", "PUB", {}, test::cloudEvent(u"curve-2"_s)});
        QVERIFY(client->receive(1500).isEmpty());
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM events WHERE ce_id = 'curve-2'"_s), u"0"_s);
        auto list = api("GET", u"/v1/tenants/acme/producers"_s);
        bool revoked = false;
        for (const auto &v : object(list).value("items"_L1).toArray()) {
            if (v.toObject().value("public_key"_L1).toString().toLatin1() == creds.publicKey)
                revoked = v.toObject().value("revoked_at"_L1).isString();
        }
        QVERIFY2(revoked, list.body.constData());
        QVERIFY(!list.body.contains(creds.secretKey));
    }

    void routeValidationNamesTheField()
    {
        const QString base =
            u"\"tenant\":\"acme\",\"target\":\"http://127.0.0.1:%1/h\""_s.arg(m_receiverPort);
        const QList<QPair<QString, QString>> cases = {
            {u"\"channel\":\"fax\""_s, u"channel"_s},
            {u"\"channel\":\"sms\""_s, u"credential"_s}, // a message route needs an account
            {u"\"rate_per_second\":0"_s, u"rate_per_second"_s},
            {u"\"channel\":\"webhook\",\"target\":\"ftp://x/y\""_s, u"target"_s},
            {u"\"event_types\":\"order.created\""_s, u"event_types"_s},
            {u"\"event_types\":[\"\"]"_s, u"event_types"_s},
            {u"\"retry\":{\"schedule\":\"0s,5x\"}"_s, u"retry.schedule"_s},
            {u"\"retry\":{\"linear\":true}"_s, u"retry"_s},
            {u"\"max_attempts\":0"_s, u"max_attempts"_s},
            {u"\"max_age\":\"soon\""_s, u"max_age"_s},
            {u"\"ordered\":\"yes\""_s, u"ordered"_s},
            {u"\"on_block\":\"wait\""_s, u"on_block"_s},
            {u"\"concurrency\":1.5"_s, u"concurrency"_s},
            {u"\"template\":42"_s, u"template"_s},
            {u"\"credential\":\"no-such-credential\""_s, u"credential"_s},
            {u"\"colour\":\"blue\""_s, u"colour"_s},
        };
        const QString routes = m_db->scalar(u"SELECT count(*) FROM endpoints"_s);
        for (const auto &[fields, field] : cases) {
            // A valid route with the case's fields put over it.
            QJsonObject o = QJsonDocument::fromJson((u"{"_s + base + u"}"_s).toUtf8()).object();
            const QJsonObject over =
                QJsonDocument::fromJson((u"{"_s + fields + u"}"_s).toUtf8()).object();
            QVERIFY(!over.isEmpty());
            for (auto it = over.begin(); it != over.end(); ++it)
                o.insert(it.key(), it.value());
            const QByteArray body = QJsonDocument(o).toJson(QJsonDocument::Compact);
            auto r = api("POST", u"/v1/routes"_s, body);
            QVERIFY2(r.status == 422, qPrintable(QString::fromUtf8(body + " → " + r.body)));
            QCOMPARE(r.headers.value("content-type"), QByteArray("application/problem+json"));
            QCOMPARE(object(r).value("field"_L1).toString(), field);
            QVERIFY2(object(r).value("detail"_L1).toString().startsWith(field + u':'),
                     r.body.constData());
        }
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM endpoints"_s), routes);
        // A scoped token creates routes for its own tenant only.
        const QByteArray foreign = "{\"tenant\":\"beta\",\"target\":\"http://127.0.0.1:9/h\"}";
        QCOMPARE(api("POST", u"/v1/routes"_s, foreign, m_scoped).status, 404);
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM endpoints"_s), routes);
    }

    void routeCrudAndRoutingByEventTypes()
    {
        auto created = api("POST", u"/v1/routes"_s,
                           u"{\"tenant\":\"acme\",\"channel\":\"webhook\",\"target\":"
                           "\"http://127.0.0.1:%1/h\",\"event_types\":[\"order.created\","
                           "\"order.paid\"],\"retry\":{\"schedule\":\"0s,1s,2s\"},"
                           "\"max_attempts\":5,\"max_age\":\"2h\",\"ordered\":true,"
                           "\"on_block\":\"skip\",\"concurrency\":3,\"template\":\"Hi "
                           "{{name}}\"}"_s.arg(m_receiverPort)
                               .toUtf8());
        QCOMPARE(created.status, 201);
        QJsonObject route = object(created);
        const qint64 id = qint64(route.value("id"_L1).toDouble());
        const QString secret = route.value("signing_secret"_L1).toString();
        QVERIFY(secret.startsWith(u"whsec_"_s));
        QCOMPARE(route.value("event_types"_L1).toArray(),
                 QJsonArray({u"order.created"_s, u"order.paid"_s}));
        QCOMPARE(route.value("retry"_L1).toObject().value("schedule"_L1).toString(), u"0s,1s,2s"_s);
        QCOMPARE(route.value("max_age"_L1).toInteger(), 7200);
        QCOMPARE(route.value("on_block"_L1).toString(), u"skip"_s);
        QCOMPARE(route.value("credential"_L1), QJsonValue());

        auto fetched = api("GET", u"/v1/routes/%1"_s.arg(id));
        QCOMPARE(fetched.status, 200);
        QJsonObject expected = route;
        expected.remove(u"signing_secret"_s);
        QCOMPARE(object(fetched), expected);
        QVERIFY(!fetched.body.contains(secret.toUtf8())); // shown once

        auto patched =
            api("PATCH", u"/v1/routes/%1"_s.arg(id),
                "{\"concurrency\":4,\"retry\":{\"exponential\":true},\"template\":null}");
        QCOMPARE(patched.status, 200);
        expected.insert(u"concurrency"_s, 4);
        expected.insert(u"retry"_s, QJsonObject{{u"exponential"_s, true}});
        expected.insert(u"template"_s, QJsonValue());
        QCOMPARE(object(patched), expected);
        auto badPatch = api("PATCH", u"/v1/routes/%1"_s.arg(id), "{\"channel\":\"pigeon\"}");
        QCOMPARE(badPatch.status, 422);
        QCOMPARE(object(badPatch).value("field"_L1).toString(), u"channel"_s);
        QCOMPARE(object(api("GET", u"/v1/routes/%1"_s.arg(id))), expected);

        // A scoped token of another tenant does not see it; acme's does, in lists too.
        auto beta = test::run(
            test::agentBinary(),
            {u"token"_s, u"create"_s, u"--role"_s, u"admin"_s, u"--tenant"_s, u"beta"_s}, env());
        const QByteArray betaToken = beta.out.trimmed().toUtf8();
        QCOMPARE(api("GET", u"/v1/routes/%1"_s.arg(id), {}, betaToken).status, 404);
        const QByteArray concurrency = "{\"concurrency\":1}";
        QCOMPARE(api("PATCH", u"/v1/routes/%1"_s.arg(id), concurrency, betaToken).status, 404);
        QVERIFY(!api("GET", u"/v1/routes"_s, {}, betaToken).body.contains("\"acme\""));
        QVERIFY(api("GET", u"/v1/routes?tenant=acme"_s, {}, m_scoped)
                    .body.contains(u"\"id\":%1,"_s.arg(id).toUtf8()));
        QCOMPARE(api("GET", u"/v1/routes?tenant=acme"_s, {}, betaToken).body,
                 QByteArray("{\"items\":[],\"next_cursor\":null}"));

        // Routing: events of the listed types reach the receiver, signed with the secret;
        // others make no delivery for this route.
        auto token = api("POST", u"/v1/tenants/acme/producers"_s, "{\"kind\":\"token\"}");
        const QByteArray producer = object(token).value("token"_L1).toString().toUtf8();
        const quint16 port = test::freePort();
        test::Process receiver(test::receiverBinary(),
                               {u"--listen"_s, u"127.0.0.1:%1"_s.arg(port), u"--secret"_s, secret});
        QVERIFY(receiver.start());
        QCOMPARE(api("PATCH", u"/v1/routes/%1"_s.arg(id),
                     u"{\"target\":\"http://127.0.0.1:%1/h\"}"_s.arg(port).toUtf8())
                     .status,
                 200);
        QCOMPARE(ingest(producer, u"typed-1"_s, u"order.paid"_s), 202);
        QCOMPARE(ingest(producer, u"typed-2"_s, u"order.shipped"_s), 202);
        const QString deliveries =
            u"SELECT count(*) FROM deliveries d JOIN events e ON e.id = d.event_id WHERE "
            "d.endpoint_id = %1 AND e.ce_id = '%2'"_s;
        QCOMPARE(m_db->scalar(deliveries.arg(id).arg(u"typed-1"_s)), u"1"_s);
        QCOMPARE(m_db->scalar(deliveries.arg(id).arg(u"typed-2"_s)), u"0"_s);
        QTRY_COMPARE_WITH_TIMEOUT(receiverStats(port).value("deliveries"_L1).toInt(), 1, 20000);
        QCOMPARE(receiverStats(port).value("bad_signatures"_L1).toInt(), 0);

        QCOMPARE(api("DELETE", u"/v1/routes/%1"_s.arg(id)).status, 204);
        QCOMPARE(object(api("GET", u"/v1/routes/%1"_s.arg(id))).value("enabled"_L1).toBool(true),
                 false);
        QCOMPARE(ingest(producer, u"typed-3"_s, u"order.paid"_s), 202);
        QCOMPARE(m_db->scalar(deliveries.arg(id).arg(u"typed-3"_s)), u"0"_s);
        QCOMPARE(m_db->scalar(u"SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE "
                              "subject = 'acme/route/%1'"_s.arg(id)),
                 u"route.create,route.update,route.update,route.delete"_s);
    }

    void credentialSignsDeliveriesAndStaysSecret()
    {
        const QByteArray put = "{\"provider\":\"webhook\",\"secret\":{\"signing_secret\":\"" +
                               kSigningSecret + "\",\"note\":\"partner portal\"}}";
        auto created = api("PUT", u"/v1/tenants/acme/credentials/signing"_s, put);
        QCOMPARE(created.status, 201);
        const QJsonObject meta = object(created);
        QCOMPARE(meta.value("name"_L1).toString(), u"signing"_s);
        QCOMPARE(meta.value("provider"_L1).toString(), u"webhook"_s);
        QCOMPARE(meta.value("fingerprint"_L1).toString().size(), 16);
        QVERIFY(!meta.contains("secret"_L1));
        auto again = api("PUT", u"/v1/tenants/acme/credentials/signing"_s, put);
        QCOMPARE(again.status, 200);
        QCOMPARE(object(again).value("fingerprint"_L1), meta.value("fingerprint"_L1));
        const QByteArray weak =
            "{\"provider\":\"webhook\",\"secret\":{\"signing_secret\":\"short\"}}";
        QCOMPARE(api("PUT", u"/v1/tenants/acme/credentials/signing"_s, weak).status, 422);
        QCOMPARE(api("PUT", u"/v1/tenants/acme/credentials/Bad%20Name"_s, put).status, 404);
        QCOMPARE(api("PUT", u"/v1/tenants/beta/credentials/signing"_s, put, m_scoped).status, 404);

        // A route that names it: no secret of its own, and the receiver (which knows only the
        // credential's secret) verifies every delivery.
        auto route = api("POST", u"/v1/routes"_s,
                         u"{\"tenant\":\"acme\",\"target\":\"http://127.0.0.1:%1/h\","
                         "\"event_types\":[\"signed.by.credential\"],\"credential\":"
                         "\"signing\"}"_s.arg(m_receiverPort)
                             .toUtf8());
        QCOMPARE(route.status, 201);
        QVERIFY(!object(route).contains("signing_secret"_L1));
        QCOMPARE(object(route).value("credential"_L1).toString(), u"signing"_s);
        const qint64 routeId = qint64(object(route).value("id"_L1).toDouble());
        auto token = api("POST", u"/v1/tenants/acme/producers"_s, "{\"kind\":\"token\"}");
        const QByteArray producer = object(token).value("token"_L1).toString().toUtf8();
        for (int i = 0; i < 3; ++i)
            QCOMPARE(ingest(producer, u"cred-%1"_s.arg(i), u"signed.by.credential"_s), 202);
        QTRY_COMPARE_WITH_TIMEOUT(receiverStats().value("deliveries"_L1).toInt(), 3, 20000);
        QCOMPARE(receiverStats().value("bad_signatures"_L1).toInt(), 0);

        // In use: it cannot be deleted until the route lets go of it.
        auto conflict = api("DELETE", u"/v1/tenants/acme/credentials/signing"_s);
        QCOMPARE(conflict.status, 409);
        QVERIFY2(object(conflict).value("detail"_L1).toString().contains(QString::number(routeId)),
                 conflict.body.constData());
        // Nor can it become another provider's while a webhook route signs with it.
        auto reprovider = api("PUT", u"/v1/tenants/acme/credentials/signing"_s,
                              "{\"provider\":\"twilio\",\"secret\":{\"account_sid\":\"AC1\"}}");
        QCOMPARE(reprovider.status, 409);
        QVERIFY2(object(reprovider).value("detail"_L1).toString().contains(u"webhook"_s),
                 reprovider.body.constData());
        QCOMPARE(m_db->scalar(u"SELECT provider FROM credentials WHERE name = 'signing'"_s),
                 u"webhook"_s);
        // A route that lets go of its credential gets a secret of its own, shown once.
        auto other = api("POST", u"/v1/routes"_s,
                         "{\"tenant\":\"acme\",\"target\":\"http://127.0.0.1:9/x\","
                         "\"event_types\":[\"never\"],\"credential\":\"signing\"}");
        QCOMPARE(other.status, 201);
        QVERIFY(!object(other).contains("signing_secret"_L1));
        auto freed = api("PATCH", u"/v1/routes/%1"_s.arg(object(other).value("id"_L1).toInteger()),
                         "{\"credential\":null}");
        QCOMPARE(freed.status, 200);
        QVERIFY(object(freed).value("signing_secret"_L1).toString().startsWith(u"whsec_"_s));
        QCOMPARE(object(freed).value("credential"_L1), QJsonValue());

        // The secret is nowhere: not in any answer, log line, audit row or stored column.
        const QByteArray everything = everyGet(m_admin, routeId) + everyGet(m_scoped, routeId);
        QVERIFY2(everything.contains("\"fingerprint\""), everything.constData());
        QVERIFY2(!everything.contains(kSigningSecret), everything.constData());
        QVERIFY(!everything.contains("partner portal"));
        QVERIFY(!created.body.contains(kSigningSecret) && !route.body.contains(kSigningSecret));
        const QString log = m_agent->output();
        QVERIFY(log.contains(u"credentials master key"_s)); // the log is being captured
        QVERIFY(!log.contains(QString::fromLatin1(kSigningSecret)));
        QVERIFY(!log.contains(QString::fromLatin1(kSigningSecret.mid(6))));
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM audit_log WHERE action LIKE 'credential.%'"_s),
                 u"2"_s);
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM audit_log WHERE details::text LIKE '%%1%' "
                              "OR subject LIKE '%%1%'"_s.arg(
                                  QString::fromLatin1(kSigningSecret.mid(6, 12)))),
                 u"0"_s);
        QCOMPARE(
            m_db->scalar(u"SELECT count(*) FROM credentials WHERE position('%1'::bytea in "
                         "ciphertext) > 0"_s.arg(QString::fromLatin1(kSigningSecret.mid(6, 12)))),
            u"0"_s);
    }

    // Every stored secret (credentials, route signing secrets, the CURVE key) is sealed under
    // the first key: an agent given another one, here as a systemd credential, opens none of
    // them and does not start; it says which key the secrets need.
    void wrongMasterKeyIsRefusedAtStart()
    {
        QVERIFY(m_agent->terminate());
        m_agent.reset();
        QTemporaryDir credentials;
        const QString other = credentials.filePath(u"ferry-master-key"_s);
        QCOMPARE(
            test::run(test::agentBinary(), {u"credentials"_s, u"generate-key"_s, other}).exitCode,
            0);
        auto e = m_agentEnv;
        e.remove(u"FERRY_CREDENTIALS_MASTER_KEY_FILE"_s);
        e.insert(u"CREDENTIALS_DIRECTORY"_s, credentials.path());
        auto r = test::run(test::agentBinary(), {u"run"_s}, e, 30000);
        QVERIFY(r.exitCode != 0);
        const QString first = QString::fromLatin1(MasterKey::load(keyFile())->id());
        QVERIFY2(r.err.contains(u"opens none of the sealed secrets"_s) && r.err.contains(first) &&
                     r.err.contains(u"credentials.master_key_file"_s),
                 qPrintable(r.err));
    }

    void withoutMasterKeyTheAgentRefusesToStart()
    {
        auto e = m_agentEnv;
        e.remove(u"FERRY_CREDENTIALS_MASTER_KEY_FILE"_s);
        auto r = test::run(test::agentBinary(), {u"run"_s}, e, 30000);
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(u"has no master key"_s) &&
                     r.err.contains(u"credentials.master_key_file"_s) &&
                     r.err.contains(u"Restore the key file"_s),
                 qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestApiWrite)
#include "tst_apiwrite.moc"
