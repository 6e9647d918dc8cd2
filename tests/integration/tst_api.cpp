// The TLS console API against a real agent: every route × every role × own and foreign
// tenant, built from the server's own route table (a route without a rule here fails the
// test); TLS refusals and the certificate pin; mutual TLS; docs/api.md against the routes.
#include "agent/api/apiserver.h"
#include "agent/api/certificates.h"
#include "tests/support/liveclient.h"
#include "tests/support/testsupport.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <curl/curl.h>

using namespace ferry;
using namespace Qt::StringLiterals;
using agent::api::RouteInfo;
using agent::store::Role;

namespace {

struct Reply
{
    int status = 0;
    QByteArray body;
    QString error;
};

// HTTPS with libcurl: verify against `caFile` (empty: no verification at all).
Reply https(const QByteArray &method, const QString &url, const QByteArray &token,
            const QByteArray &body, const QString &caFile)
{
    Reply r;
    CURL *c = curl_easy_init();
    curl_slist *headers = nullptr;
    if (!token.isEmpty())
        headers = curl_slist_append(headers, ("Authorization: Bearer " + token).constData());
    headers = curl_slist_append(headers, "Content-Type: application/json");
    const QByteArray u = url.toUtf8(), ca = caFile.toUtf8();
    curl_easy_setopt(c, CURLOPT_URL, u.constData());
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.constData());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    if (method == "POST" || !body.isEmpty()) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.constData());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, long(body.size()));
    }
    if (ca.isEmpty()) {
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    } else {
        curl_easy_setopt(c, CURLOPT_CAINFO, ca.constData());
    }
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(
        c, CURLOPT_WRITEFUNCTION, +[](char *d, size_t s, size_t n, void *sink) -> size_t {
            static_cast<QByteArray *>(sink)->append(d, qsizetype(s * n));
            return s * n;
        });
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
    const CURLcode code = curl_easy_perform(c);
    if (code == CURLE_OK) {
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        r.status = int(status);
    } else {
        r.error = QString::fromUtf8(curl_easy_strerror(code));
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(c);
    return r;
}

} // namespace

class TestApi : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::TestDatabase> m_db;
    std::unique_ptr<test::Process> m_agent;
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    QString m_fingerprint;
    QHash<QString, QByteArray> m_tokens; // "<role>/<scope>" → token
    int m_counter = 0;

    QHash<QString, QString> env() const { return {{u"FERRY_DATABASE_URL"_s, m_db->url()}}; }
    QString url(const QString &path) const
    {
        return u"https://127.0.0.1:%1%2"_s.arg(m_port).arg(path);
    }
    QString certFile() const { return m_dir.filePath(u"api.crt"_s); }

    // A fresh dead delivery of a tenant (each call: replay and discard consume theirs).
    QString deadDelivery(const QString &tenant)
    {
        const QString ce = u"dead-%1"_s.arg(++m_counter);
        m_db->exec(u"INSERT INTO events (id, tenant_id, source, ce_id, type, payload) SELECT "
                   "gen_random_uuid(), id, '/t', '%2', 't', '{}' FROM tenants WHERE name = '%1';"
                   "INSERT INTO deliveries (event_id, endpoint_id, tenant_id, state, attempts, "
                   "dead_reason, last_error, finished_at) SELECT e.id, ep.id, e.tenant_id, "
                   "'dead', 3, 'http_5xx', 'HTTP 503', now() FROM events e JOIN endpoints ep ON "
                   "ep.tenant_id = e.tenant_id WHERE e.ce_id = '%2'"_s.arg(tenant, ce));
        return m_db->scalar(u"SELECT d.id FROM deliveries d JOIN events e ON e.id = d.event_id "
                            "WHERE e.ce_id = '%1'"_s.arg(ce));
    }

    // A delivery of a tenant with a job still running on another agent (this one runs none), so
    // its cancel is only asked for.
    QString runningJob(const QString &tenant)
    {
        const QString id = deadDelivery(tenant);
        m_db->exec(u"INSERT INTO jobs (delivery_id, attempt, tenant_id, endpoint_id, command, "
                   "agent, progress) SELECT id, 1, tenant_id, endpoint_id, 'nightly', 'elsewhere', "
                   "30 FROM deliveries WHERE id = '%1'"_s.arg(id));
        return id;
    }

    struct Call
    {
        QString path;
        QByteArray body;
    };
    // The request each route gets in the table test. A new route needs a rule here.
    // A PUT route's call is the PUT itself; its DELETE's removes what an admin PUT first.
    std::optional<Call> putOrMade(const RouteInfo &route, const QString &path,
                                  const QByteArray &put)
    {
        if (route.method == "PUT")
            return Call{path, put};
        if (https("PUT", url(path), m_tokens.value(u"admin/all"_s), put, certFile()).status != 201)
            return std::nullopt;
        return Call{path, {}};
    }

    std::optional<Call> callFor(const RouteInfo &route, const QString &target)
    {
        const QString key = QString::fromLatin1(route.method) + u' ' + route.path;
        if (key == "GET /v1/overview"_L1 || key == "GET /v1/whoami"_L1 ||
            key == "GET /v1/tenants"_L1 || key == "GET /v1/dlq"_L1 || key == "GET /v1/audit"_L1)
            return Call{route.path, {}};
        if (key == "POST /v1/tenants"_L1)
            return Call{route.path, "{\"name\":\"t" + QByteArray::number(++m_counter) + "\"}"};
        if (key == "GET /v1/tenants/{tenant}"_L1)
            return Call{u"/v1/tenants/"_s + target, {}};
        if (key == "GET /v1/deliveries/{id}"_L1)
            return Call{u"/v1/deliveries/"_s + deadDelivery(target), {}};
        if (key == "POST /v1/dlq/replay"_L1)
            return Call{route.path, "{\"ids\":[\"" + deadDelivery(target).toUtf8() + "\"]}"};
        if (key == "POST /v1/dlq/{id}/discard"_L1)
            return Call{u"/v1/dlq/%1/discard"_s.arg(deadDelivery(target)), R"({"reason":"test"})"};
        if (key == "POST /v1/dlq/{id}/notes"_L1)
            return Call{u"/v1/dlq/%1/notes"_s.arg(deadDelivery(target)), R"({"note":"seen"})"};
        if (key == "GET /v1/tenants/{tenant}/producers"_L1 ||
            key == "GET /v1/tenants/{tenant}/credentials"_L1 ||
            key == "GET /v1/tenants/{tenant}/templates"_L1 ||
            key == "GET /v1/tenants/{tenant}/connectors"_L1 ||
            key == "GET /v1/tenants/{tenant}/inbox"_L1 ||
            key == "GET /v1/tenants/{tenant}/messages"_L1 ||
            key == "GET /v1/tenants/{tenant}/reconciliation"_L1 ||
            key == "GET /v1/tenants/{tenant}/workflows"_L1 ||
            key == "GET /v1/tenants/{tenant}/workflow-instances"_L1 ||
            key == "GET /v1/tenants/{tenant}/schedules"_L1 ||
            key == "GET /v1/tenants/{tenant}/jobs"_L1 ||
            key == "POST /v1/tenants/{tenant}/reconciliation"_L1)
            return Call{QString(route.path).replace(u"{tenant}"_s, target), {}};
        if (key == "POST /v1/tenants/{tenant}/inbox/replay"_L1)
            return Call{u"/v1/tenants/%1/inbox/replay"_s.arg(target), R"({"ids":[1]})"};
        if (key == "PUT /v1/tenants/{tenant}/prices/{channel}"_L1)
            return Call{u"/v1/tenants/%1/prices/sms"_s.arg(target),
                        R"({"unit_cost":0.0079,"currency":"USD"})"};
        if (key == "PUT /v1/tenants/{tenant}/workflows/{name}"_L1 ||
            key == "DELETE /v1/tenants/{tenant}/workflows/{name}"_L1)
            return putOrMade(route, u"/v1/tenants/%1/workflows/w%2"_s.arg(target).arg(++m_counter),
                             R"({"trigger":"order.paid","steps":[{"name":"ship","emit":"ship"}]})");
        if (key == "GET /v1/tenants/{tenant}/schedules/{name}"_L1 ||
            key == "PUT /v1/tenants/{tenant}/schedules/{name}"_L1 ||
            key == "DELETE /v1/tenants/{tenant}/schedules/{name}"_L1)
            return putOrMade(route, u"/v1/tenants/%1/schedules/s%2"_s.arg(target).arg(++m_counter),
                             R"({"cron":"@daily","event":{"type":"report.nightly"}})");
        if (key == "POST /v1/tenants/{tenant}/schedules/{name}/pause"_L1 ||
            key == "POST /v1/tenants/{tenant}/schedules/{name}/resume"_L1) {
            const QString path = u"/v1/tenants/%1/schedules/s%2"_s.arg(target).arg(++m_counter);
            if (!putOrMade(route, path, R"({"cron":"@every 1h","event":{"type":"tick"}})"))
                return std::nullopt;
            return Call{path + route.path.mid(route.path.lastIndexOf(u'/')), {}};
        }
        if (key == "GET /v1/tenants/{tenant}/jobs/{id}"_L1)
            return Call{u"/v1/tenants/%1/jobs/%2"_s.arg(target, runningJob(target)), {}};
        if (key == "POST /v1/tenants/{tenant}/jobs/{id}/cancel"_L1)
            return Call{u"/v1/tenants/%1/jobs/%2/cancel"_s.arg(target, runningJob(target)), {}};
        if (key == "PUT /v1/tenants/{tenant}/connectors/{name}"_L1 ||
            key == "DELETE /v1/tenants/{tenant}/connectors/{name}"_L1) {
            const QString path = u"/v1/tenants/%1/connectors/c%2"_s.arg(target).arg(++m_counter);
            return putOrMade(route, path, R"({"kind":"stripe","secrets":["whsec_test_secret"]})");
        }
        if (key == "POST /v1/tenants/{tenant}/producers"_L1)
            return Call{u"/v1/tenants/%1/producers"_s.arg(target), R"({"kind":"token"})"};
        if (key == "DELETE /v1/tenants/{tenant}/producers/{num}"_L1)
            return Call{u"/v1/tenants/%1/producers/%2?kind=token"_s.arg(
                            target, m_db->scalar(u"INSERT INTO producer_tokens (tenant_id, "
                                                 "token_hash) SELECT id, gen_random_uuid()::text"
                                                 "::bytea FROM tenants WHERE name = '%1' "
                                                 "RETURNING id"_s.arg(target))),
                        {}};
        if (key == "GET /v1/routes"_L1)
            return Call{route.path, {}};
        if (key == "POST /v1/routes"_L1)
            return Call{route.path, "{\"tenant\":\"" + target.toUtf8() +
                                        "\",\"channel\":\"webhook\",\"target\":"
                                        "\"http://127.0.0.1:9/r\"}"};
        if (key == "GET /v1/routes/{num}"_L1 || key == "PATCH /v1/routes/{num}"_L1 ||
            key == "DELETE /v1/routes/{num}"_L1)
            return Call{u"/v1/routes/"_s +
                            m_db->scalar(u"INSERT INTO endpoints (tenant_id, url, secret) SELECT "
                                         "id, 'http://127.0.0.1:9/r', 'whsec_AAAA' FROM tenants "
                                         "WHERE name = '%1' RETURNING id"_s.arg(target)),
                        route.method == "PATCH" ? R"({"event_types":["a","b"]})" : QByteArray()};
        if (key == "POST /v1/routes/{num}/test"_L1)
            return Call{u"/v1/routes/%1/test"_s.arg(m_db->scalar(
                            u"INSERT INTO endpoints (tenant_id, url, secret) SELECT id, "
                            "'http://127.0.0.1:9/r', 'whsec_AAAA' FROM tenants WHERE name = '%1' "
                            "RETURNING id"_s.arg(target))),
                        {}};
        if (key == "PUT /v1/tenants/{tenant}/credentials/{name}"_L1 ||
            key == "DELETE /v1/tenants/{tenant}/credentials/{name}"_L1) {
            const QString path = u"/v1/tenants/%1/credentials/c%2"_s.arg(target).arg(++m_counter);
            return putOrMade(route, path,
                             R"({"provider":"webhook","secret":{"signing_secret":)"
                             R"("whsec_MDEyMzQ1Njc4OWFiY2RlZg=="}})");
        }
        if (key == "GET /v1/tenants/{tenant}/schemas"_L1)
            return Call{u"/v1/tenants/%1/schemas"_s.arg(target), {}};
        if (route.path == "/v1/tenants/{tenant}/schemas/{eventType}/{version}"_L1) {
            const QString path = u"/v1/tenants/%1/schemas/t%2/1"_s.arg(target).arg(++m_counter);
            return putOrMade(route, path, R"({"required":["id"]})");
        }
        if (route.path == "/v1/tenants/{tenant}/templates/{channel}/{eventType}"_L1) {
            const QString path = u"/v1/tenants/%1/templates/sms/t%2"_s.arg(target).arg(++m_counter);
            return putOrMade(route, path, R"({"text":"{{id}}"})");
        }
        if (key == "PATCH /v1/tenants/{tenant}"_L1)
            return Call{u"/v1/tenants/"_s + target, R"({"sla":{"latency_ms":60000}})"};
        if (key == "DELETE /v1/tenants/{tenant}"_L1) {
            // A tenant of its own each time: the allowed calls delete it.
            const QString name = u"gone%1"_s.arg(++m_counter);
            m_db->exec(u"INSERT INTO tenants (name) VALUES ('%1')"_s.arg(name));
            return Call{u"/v1/tenants/"_s + name, {}};
        }
        if (key == "GET /v1/sla"_L1 || key == "GET /v1/live"_L1 || key == "GET /v1/agents"_L1 ||
            key == "GET /v1/dlq/groups"_L1 || key == "GET /v1/tokens"_L1)
            return Call{route.path, {}};
        if (key == "POST /v1/tokens"_L1)
            return Call{route.path, "{\"role\":\"viewer\",\"tenant\":\"" + target.toUtf8() +
                                        "\",\"name\":\"k" + QByteArray::number(++m_counter) +
                                        "\"}"};
        if (key == "DELETE /v1/tokens/{num}"_L1)
            return Call{
                u"/v1/tokens/"_s +
                    m_db->scalar(u"INSERT INTO api_tokens (token_hash, role, tenant_id) "
                                 "SELECT gen_random_uuid()::text::bytea, 'viewer', id "
                                 "FROM tenants WHERE name = '%1' RETURNING id"_s.arg(target)),
                {}};
        if (key == "GET /v1/deliveries"_L1)
            return Call{u"/v1/deliveries?tenant="_s + target, {}};
        if (key == "GET /v1/reports/deliveries"_L1)
            return Call{u"/v1/reports/deliveries?tenant="_s + target, {}};
        return std::nullopt;
    }

    // A call of the table test. The live feed is a WebSocket: 200 when a snapshot arrived (its
    // text is the body), 401 when the server closed with 1008 without sending anything.
    Reply call(const RouteInfo &route, const Call &c, const QByteArray &token)
    {
        if (route.path != "/v1/live"_L1)
            return https(route.method, url(c.path), token, c.body, certFile());
        test::LiveClient live(m_port, token, certFile());
        Reply r;
        if (live.waitForMessages(1))
            r = {200, live.raw.first().toUtf8(), {}};
        else if (live.closeCode == 1008)
            r = {401, live.closeReason.toUtf8(), {}};
        else
            r.error = u"no snapshot and no 1008 close (code %1)"_s.arg(live.closeCode);
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        m_db = std::make_unique<test::TestDatabase>(u"api"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
        QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s}, env()).exitCode, 0);
        for (const QString &t : {u"own"_s, u"other"_s}) {
            QVERIFY(!test::createTenant(m_db->url(), t).isEmpty());
            QVERIFY(!test::addEndpoint(m_db->url(), t, u"http://127.0.0.1:9/h"_s).isEmpty());
        }
        auto cert = test::run(test::agentBinary(),
                              {u"cert"_s, u"generate"_s, u"--out"_s, m_dir.path()}, env());
        QCOMPARE(cert.exitCode, 0);
        const auto fp = QRegularExpression(u"fingerprint  (sha256/\\S+)"_s).match(cert.out);
        QVERIFY(fp.hasMatch());
        m_fingerprint = fp.captured(1);
        for (const QString &role : {u"viewer"_s, u"operator"_s, u"admin"_s}) {
            for (const QString &scope : {u"all"_s, u"own"_s}) {
                QStringList args{u"token"_s, u"create"_s, u"--role"_s, role};
                if (scope != "all"_L1)
                    args << u"--tenant"_s << scope;
                auto r = test::run(test::agentBinary(), args, env());
                QCOMPARE(r.exitCode, 0);
                m_tokens.insert(role + u'/' + scope, r.out.trimmed().toUtf8());
            }
        }
        m_port = test::freePort();
        auto agentEnv = test::agentEnvironment(m_db->url(), test::freePort());
        test::addApi(agentEnv, m_port, m_dir.path());
        agentEnv.insert(u"FERRY_DISPATCH_POLL_INTERVAL"_s, u"1h"_s); // keep the DLQ as it is
        const QString masterKey = m_dir.filePath(u"master.key"_s);
        QCOMPARE(test::run(test::agentBinary(), {u"credentials"_s, u"generate-key"_s, masterKey})
                     .exitCode,
                 0);
        agentEnv.insert(u"FERRY_CREDENTIALS_MASTER_KEY_FILE"_s, masterKey);
        m_agent =
            std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, agentEnv);
        QVERIFY(m_agent->start());
        QTRY_VERIFY_WITH_TIMEOUT(
            https("GET", url(u"/v1/overview"_s), {}, {}, certFile()).status == 401, 20000);
    }

    void cleanupTestCase()
    {
        if (m_agent)
            QVERIFY2(m_agent->terminate(), qPrintable(m_agent->output()));
    }

    void whoamiNamesTheTokensRoleAndScope()
    {
        for (const QString &key : {u"operator/own"_s, u"admin/all"_s}) {
            const auto r = https("GET", url(u"/v1/whoami"_s), m_tokens.value(key), {}, certFile());
            QCOMPARE(r.status, 200);
            const QJsonObject o = QJsonDocument::fromJson(r.body).object();
            QCOMPARE(o.value("role"_L1).toString(), key.section(u'/', 0, 0));
            if (key.endsWith("/own"_L1))
                QCOMPARE(o.value("tenant"_L1).toString(), u"own"_s);
            else
                QVERIFY(o.value("tenant"_L1).isNull());
            QCOMPARE(o.value("agent_version"_L1).toString(), QStringLiteral(FERRY_VERSION));
        }
    }

    void everyRouteRoleAndTenant()
    {
        for (const RouteInfo &route : agent::api::ApiServer::routes()) {
            const QString name = QString::fromLatin1(route.method) + u' ' + route.path;
            // No token at all.
            auto probe = callFor(route, u"own"_s);
            QVERIFY2(probe,
                     qPrintable(u"no test rule for route %1: add one to callFor()"_s.arg(name)));
            QCOMPARE(call(route, *probe, {}).status, 401);

            for (const Role role : {Role::Viewer, Role::Operator, Role::Admin}) {
                for (const QString &scope : {u"all"_s, u"own"_s}) {
                    for (const QString &target : {u"own"_s, u"other"_s}) {
                        const auto call = callFor(route, target);
                        const QByteArray token =
                            m_tokens.value(agent::store::roleName(role) + u'/' + scope);
                        const Reply r = this->call(route, *call, token);
                        int expected = 0; // 0: allowed
                        if (int(role) < int(route.minRole))
                            expected = 403;
                        else if (route.scope == RouteInfo::Scope::GlobalOnly && scope != "all"_L1)
                            expected = 403;
                        else if (scope == "own"_L1 && target == "other"_L1 &&
                                 (route.scope == RouteInfo::Scope::Tenant ||
                                  call->body.contains("\"ids\"") ||
                                  call->body.contains("\"tenant\"") ||
                                  call->path.startsWith("/v1/reports/"_L1)))
                            expected = 404;
                        const QString what =
                            u"%1 as %2/%3 on %4: %5 %6"_s
                                .arg(name, agent::store::roleName(role), scope, target)
                                .arg(r.status)
                                .arg(QString::fromUtf8(r.body.left(200)));
                        if (expected)
                            QVERIFY2(r.status == expected, qPrintable(what));
                        else
                            QVERIFY2(r.status >= 200 && r.status < 300, qPrintable(what));
                        // A scoped token never sees another tenant's data.
                        if (scope == "own"_L1 && r.status < 300)
                            QVERIFY2(!r.body.contains("\"other\""), qPrintable(what));
                    }
                }
            }
        }
    }

    void tlsOnly()
    {
        // Plain HTTP on the API port gets no HTTP answer.
        QTcpSocket plain;
        plain.connectToHost(u"127.0.0.1"_s, m_port);
        QVERIFY(plain.waitForConnected(5000));
        plain.write("GET /v1/overview HTTP/1.1\r\nHost: x\r\n\r\n");
        plain.waitForReadyRead(2000);
        QVERIFY(!plain.readAll().contains("HTTP/1.1 2"));
        // A client that does not trust the certificate is refused by its own TLS stack.
        const Reply untrusted = https("GET", url(u"/v1/overview"_s), m_tokens.value(u"admin/all"_s),
                                      {}, u"/dev/null"_s);
        QCOMPARE(untrusted.status, 0);
        QVERIFY(!untrusted.error.isEmpty());
        // The certificate the agent presents has the fingerprint `cert generate` printed.
        QSslSocket tls;
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        tls.connectToHostEncrypted(u"127.0.0.1"_s, m_port);
        QVERIFY(tls.waitForEncrypted(5000));
        QCOMPARE(agent::api::spkiFingerprint(tls.peerCertificate().toPem()), m_fingerprint);
    }

    void mutualTlsRefusesClientsWithoutCertificate()
    {
        const quint16 port = test::freePort();
        auto agentEnv = test::agentEnvironment(m_db->url(), test::freePort());
        test::addApi(agentEnv, port, m_dir.path());
        agentEnv.insert(u"FERRY_API_CLIENT_CA"_s, certFile());
        // The first agent sealed the database's secrets: every agent needs the key.
        agentEnv.insert(u"FERRY_CREDENTIALS_MASTER_KEY_FILE"_s, m_dir.filePath(u"master.key"_s));
        test::Process agent(test::agentBinary(), {u"run"_s}, agentEnv);
        QVERIFY(agent.start());
        QVERIFY(test::waitForHealthy(
            QUrl(agentEnv.value(u"FERRY_HTTP_LISTEN"_s).prepend(u"http://"_s)).port()));
        const Reply r = https("GET", u"https://127.0.0.1:%1/v1/overview"_s.arg(port),
                              m_tokens.value(u"admin/all"_s), {}, certFile());
        QCOMPARE(r.status, 0); // the handshake fails: no client certificate
        QVERIFY(agent.terminate());
    }

    void repeatedBadTokensAreSlowedDown()
    {
        for (int i = 0; i < 10; ++i)
            QCOMPARE(https("GET", url(u"/v1/overview"_s), "fat_guess" + QByteArray::number(i), {},
                           certFile())
                         .status,
                     401);
        QCOMPARE(https("GET", url(u"/v1/overview"_s), "fat_guess-more", {}, certFile()).status,
                 429);
        // A token that works is not locked out by someone else's guessing.
        QCOMPARE(
            https("GET", url(u"/v1/overview"_s), m_tokens.value(u"viewer/all"_s), {}, certFile())
                .status,
            200);
    }

    void documentationListsEveryRoute()
    {
        QFile doc(QStringLiteral(FERRY_SOURCE_DIR "/docs/api.md"));
        QVERIFY(doc.open(QIODevice::ReadOnly));
        QStringList documented;
        const QRegularExpression heading(u"^### (GET|POST|PUT|PATCH|DELETE) (\\S+)$"_s,
                                         QRegularExpression::MultilineOption);
        for (auto it = heading.globalMatch(QString::fromUtf8(doc.readAll())); it.hasNext();) {
            const auto m = it.next();
            documented.append(m.captured(1) + u' ' + m.captured(2));
        }
        QStringList served;
        for (const auto &r : agent::api::ApiServer::routes())
            served.append(QString::fromLatin1(r.method) + u' ' + r.path);
        documented.sort();
        served.sort();
        QCOMPARE(documented, served);
    }
};

QTEST_GUILESS_MAIN(TestApi)
#include "tst_api.moc"
