// Route administration over the API against a real agent, PostgreSQL and receiver (docs/api.md,
// decision 0029): route names (set, renamed, unique per tenant, also from `ferry-agent endpoint
// add --name`, and shown in the DLQ, its groups and a delivery's trace) and the test send (POST
// /v1/routes/{num}/test): it reaches the tested route exactly once, signed with the route's
// secret, and no other route of the tenant; a failing receiver gets one attempt and the DLQ
// never sees it; roles, scope and disabled routes.
#include "shared/webhooksignature.h"
#include "tests/support/apitest.h"
#include "tests/support/recordingserver.h"
#include "tests/support/testsupport.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;

namespace {

// The item of a list answer whose `key` is `value`, or an empty object.
QJsonObject itemWith(const test::HttpResponse &r, const QString &key, const QJsonValue &value)
{
    for (const QJsonValue &v : test::jsonObject(r).value("items"_L1).toArray()) {
        if (v.toObject().value(key) == value)
            return v.toObject();
    }
    return {};
}

} // namespace

class TestRouteAdmin : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::TestDatabase> m_db;
    std::unique_ptr<test::Process> m_agent;
    test::RecordingServer m_receiver; // answers 200
    test::RecordingServer m_failing;  // answers 503
    QTemporaryDir m_dir;
    quint16 m_apiPort = 0;
    QByteArray m_admin;
    QByteArray m_viewer;
    QByteArray m_operator;     // unscoped
    QByteArray m_betaOperator; // scoped to beta
    qint64 m_namedRoute = 0;   // acme's "ERP orders", renamed to "ERP"
    QByteArray m_namedSecret;  // its signing secret

    QHash<QString, QString> env() const { return {{u"FERRY_DATABASE_URL"_s, m_db->url()}}; }

    test::HttpResponse api(const QByteArray &method, const QString &path, const QByteArray &token,
                           const QByteArray &body = {})
    {
        return test::ApiEndpoint{m_apiPort, m_dir.filePath(u"api.crt"_s)}.call(method, path, token,
                                                                               body);
    }

    QByteArray cliToken(const QString &role, const QString &tenant = {})
    {
        return test::cliToken(m_db->url(), role, tenant);
    }

    // A webhook route made over the API; its answer (with the signing secret).
    QJsonObject createRoute(const QString &tenant, const QString &url, const QJsonValue &name,
                            const QJsonArray &eventTypes = {})
    {
        const QJsonObject body{{u"tenant"_s, tenant},
                               {u"channel"_s, u"webhook"_s},
                               {u"target"_s, url},
                               {u"name"_s, name},
                               {u"event_types"_s, eventTypes}};
        const auto r = api("POST", u"/v1/routes"_s, m_admin,
                           QJsonDocument(body).toJson(QJsonDocument::Compact));
        if (r.status != 201)
            qWarning().noquote() << "route not created:" << test::describe(r);
        return test::jsonObject(r);
    }

    // The delivery's trace once its state is final (succeeded, discarded or dead), or as it was
    // after 20 s (the caller's checks fail then).
    QJsonObject finalTrace(const QString &deliveryId)
    {
        QJsonObject trace;
        const auto isFinal = [&] {
            trace = test::jsonObject(api("GET", u"/v1/deliveries/"_s + deliveryId, m_viewer));
            const QString state = trace.value("state"_L1).toString();
            return state == "succeeded"_L1 || state == "discarded"_L1 || state == "dead"_L1;
        };
        if (!QTest::qWaitFor(isFinal, 20000))
            qWarning().noquote() << "not final after 20 s:" << QJsonDocument(trace).toJson();
        return trace;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_receiver.start());
        QVERIFY(m_failing.start());
        m_failing.answer(503, R"({"error":"down"})");
        m_db = std::make_unique<test::TestDatabase>(u"routeadmin"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
        QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s}, env()).exitCode, 0);
        for (const QString &t : {u"acme"_s, u"beta"_s})
            QVERIFY(!test::createTenant(m_db->url(), t).isEmpty());
        QCOMPARE(test::run(test::agentBinary(),
                           {u"cert"_s, u"generate"_s, u"--out"_s, m_dir.path()}, env())
                     .exitCode,
                 0);
        m_admin = cliToken(u"admin"_s);
        m_viewer = cliToken(u"viewer"_s);
        m_operator = cliToken(u"operator"_s);
        m_betaOperator = cliToken(u"operator"_s, u"beta"_s);
        for (const QByteArray &t : {m_admin, m_viewer, m_operator, m_betaOperator})
            QVERIFY(t.startsWith("fat_"));
        m_apiPort = test::freePort();
        auto e = test::agentEnvironment(m_db->url(), test::freePort());
        test::addApi(e, m_apiPort, m_dir.path());
        m_agent = std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, e);
        QVERIFY(m_agent->start());
        QTRY_VERIFY_WITH_TIMEOUT(api("GET", u"/v1/whoami"_s, {}).status == 401, 20000);
    }

    void cleanupTestCase()
    {
        if (m_agent)
            QVERIFY2(m_agent->terminate(), qPrintable(m_agent->output().right(3000)));
    }

    void aRouteHasANameThatCanChange()
    {
        const QJsonObject made = createRoute(u"acme"_s, m_receiver.url(u"/erp"_s), u"ERP orders"_s,
                                             QJsonArray{u"order.paid"_s});
        QCOMPARE(made.value("name"_L1).toString(), u"ERP orders"_s);
        m_namedRoute = made.value("id"_L1).toInteger();
        m_namedSecret = made.value("signing_secret"_L1).toString().toUtf8();
        QVERIFY(m_namedRoute > 0 && m_namedSecret.startsWith("whsec_"));

        const auto renamed =
            api("PATCH", u"/v1/routes/%1"_s.arg(m_namedRoute), m_admin, R"({"name":"ERP"})");
        QCOMPARE(renamed.status, 200);
        QCOMPARE(test::jsonObject(renamed).value("name"_L1).toString(), u"ERP"_s);
        const auto listed = api("GET", u"/v1/routes?tenant=acme"_s, m_viewer);
        QCOMPARE(itemWith(listed, u"id"_s, m_namedRoute).value("name"_L1).toString(), u"ERP"_s);
        // Unnamed is null, not "".
        const QJsonObject unnamed =
            createRoute(u"acme"_s, m_receiver.url(u"/other"_s), QJsonValue::Null);
        QVERIFY(unnamed.contains("name"_L1) && unnamed.value("name"_L1).isNull());
    }

    void aNameIsUniqueWithinItsTenantAndShort()
    {
        const auto taken =
            api("POST", u"/v1/routes"_s, m_admin,
                "{\"tenant\":\"acme\",\"target\":\"http:\\/\\/127.0.0.1:9/a\",\"name\":\"ERP\"}");
        QCOMPARE(taken.status, 422);
        QCOMPARE(test::jsonObject(taken).value("field"_L1).toString(), u"name"_s);
        QVERIFY2(test::jsonObject(taken)
                     .value("detail"_L1)
                     .toString()
                     .contains("already has a route named"_L1),
                 taken.body.constData());
        const QString other = m_receiver.url(u"/x"_s);
        QVERIFY(createRoute(u"beta"_s, other, u"ERP"_s).value("id"_L1).toInteger() > 0);
        const QJsonObject second = createRoute(u"acme"_s, other, u"Second"_s);
        const auto clash = api("PATCH", u"/v1/routes/%1"_s.arg(second.value("id"_L1).toInteger()),
                               m_admin, R"({"name":"ERP"})");
        QCOMPARE(clash.status, 422);
        QCOMPARE(test::jsonObject(clash).value("field"_L1).toString(), u"name"_s);
        const QByteArray tooLong = "{\"name\":\"" + QByteArray(101, 'n') + "\"}";
        const auto refused = api("PATCH", u"/v1/routes/%1"_s.arg(m_namedRoute), m_admin, tooLong);
        QCOMPARE(refused.status, 422);
        QCOMPARE(test::jsonObject(refused).value("field"_L1).toString(), u"name"_s);
        QCOMPARE(
            api("PATCH", u"/v1/routes/%1"_s.arg(m_namedRoute), m_admin, R"({"name":" "})").status,
            422);
    }

    void theCommandLineNamesARoute()
    {
        auto e = env();
        e.insert(u"FERRY_WEBHOOK_ALLOWED_NETWORKS"_s, u"127.0.0.0/8"_s);
        const QStringList add{u"endpoint"_s, u"add"_s,   u"--tenant"_s,
                              u"beta"_s,     u"--url"_s, m_receiver.url(u"/cli"_s),
                              u"--name"_s};
        const auto made = test::run(test::agentBinary(), add + QStringList{u"Ledger"_s}, e);
        QVERIFY2(made.exitCode == 0, qPrintable(made.err));
        QVERIFY(made.out.trimmed().startsWith(u"whsec_"_s)); // the secret alone on stdout
        const auto listed = api("GET", u"/v1/routes?tenant=beta"_s, m_viewer);
        QCOMPARE(itemWith(listed, u"name"_s, u"Ledger"_s).value("target"_L1).toString(),
                 m_receiver.url(u"/cli"_s));
        const auto again = test::run(test::agentBinary(), add + QStringList{u"Ledger"_s}, e);
        QVERIFY(again.exitCode != 0);
        QVERIFY2(again.err.contains(u"already has a route named 'Ledger'"_s),
                 qPrintable(again.err));
    }

    void theDlqNamesTheRoute()
    {
        // A dead delivery of the named route, as the dispatcher leaves one.
        const QString id = m_db->scalar(
            u"WITH ev AS (INSERT INTO events (id, tenant_id, source, ce_id, type, payload) "
            "  SELECT gen_random_uuid(), id, '/seed', 'dead-1', 'order.paid', '{}' FROM tenants "
            "  WHERE name = 'acme' RETURNING id, tenant_id) "
            "INSERT INTO deliveries (event_id, endpoint_id, tenant_id, state, attempts, "
            "  dead_reason, last_error, finished_at) "
            "SELECT id, %1, tenant_id, 'dead', 3, 'http_5xx', 'HTTP 503', now() FROM ev "
            "RETURNING id"_s.arg(m_namedRoute));
        QVERIFY(!id.isEmpty());
        const auto dlq = api("GET", u"/v1/dlq?tenant=acme"_s, m_viewer);
        QCOMPARE(itemWith(dlq, u"id"_s, id).value("endpoint_name"_L1).toString(), u"ERP"_s);
        const auto groups = api("GET", u"/v1/dlq/groups?tenant=acme"_s, m_viewer);
        QCOMPARE(itemWith(groups, u"endpoint"_s, m_namedRoute).value("endpoint_name"_L1),
                 QJsonValue(u"ERP"_s));
        const auto trace = api("GET", u"/v1/deliveries/"_s + id, m_viewer);
        QCOMPARE(test::jsonObject(trace).value("endpoint_name"_L1).toString(), u"ERP"_s);
    }

    void aTestSendReachesOnlyTheTestedRouteOnceSigned()
    {
        // The tested route takes only order.paid; the tenant's other routes take every type.
        const int before = int(m_receiver.received().size());
        const auto sent = api("POST", u"/v1/routes/%1/test"_s.arg(m_namedRoute), m_operator);
        QVERIFY2(sent.status == 202, qPrintable(test::describe(sent)));
        const QString deliveryId = test::jsonObject(sent).value("delivery_id"_L1).toString();
        const QString eventId = test::jsonObject(sent).value("event_id"_L1).toString();
        QVERIFY2(!deliveryId.isEmpty() && !eventId.isEmpty(), sent.body.constData());
        const QJsonObject trace = finalTrace(deliveryId);
        QCOMPARE(trace.value("state"_L1).toString(), u"succeeded"_s);
        QCOMPARE(trace.value("event_type"_L1).toString(), u"ferry.test"_s);

        QCOMPARE(m_receiver.received().size(), before + 1);
        const auto &request = m_receiver.received().last();
        QCOMPARE(request.path, u"/erp"_s);
        const QJsonObject event = QJsonDocument::fromJson(request.body).object();
        QCOMPARE(event.value("type"_L1).toString(), u"ferry.test"_s);
        const QJsonObject data = event.value("data"_L1).toObject();
        QCOMPARE(data.value("test"_L1), QJsonValue(true));
        QCOMPARE(data.value("route"_L1).toInteger(), m_namedRoute);
        QVERIFY(!data.value("requested_by"_L1).toString().isEmpty());
        QCOMPARE(WebhookSignature::verify(m_namedSecret, request.headers.value("webhook-id"),
                                          request.headers.value("webhook-timestamp"), request.body,
                                          request.headers.value("webhook-signature"),
                                          QDateTime::currentSecsSinceEpoch()),
                 WebhookSignature::Verdict::Valid);
        // One delivery of the event, to this route: none for the tenant's catch-all routes.
        QCOMPARE(m_db->scalar(u"SELECT count(*) || '/' || min(endpoint_id) FROM deliveries "
                              "WHERE event_id = '%1'"_s.arg(eventId)),
                 u"1/%1"_s.arg(m_namedRoute));
        QCOMPARE(m_db->scalar(u"SELECT tenant FROM audit_log WHERE action = 'route.test' AND "
                              "details->>'delivery_id' = '%1'"_s.arg(deliveryId)),
                 u"acme"_s);
    }

    void aFailedTestIsNotRetriedAndStaysOutOfTheDlq()
    {
        const qint64 route = createRoute(u"acme"_s, m_failing.url(u"/down"_s), u"Broken"_s)
                                 .value("id"_L1)
                                 .toInteger();
        QVERIFY(route > 0);
        const auto sent = api("POST", u"/v1/routes/%1/test"_s.arg(route), m_operator);
        QVERIFY2(sent.status == 202, qPrintable(test::describe(sent)));
        const QString deliveryId = test::jsonObject(sent).value("delivery_id"_L1).toString();
        const QJsonObject trace = finalTrace(deliveryId);
        QCOMPARE(trace.value("state"_L1).toString(), u"discarded"_s);
        QVERIFY2(trace.value("last_error"_L1).toString().contains("503"_L1),
                 QJsonDocument(trace).toJson().constData());
        QCOMPARE(trace.value("attempt_log"_L1).toArray().size(), 1);
        QCOMPARE(m_failing.received().size(), 1);
        // Nothing is left to retry, and the operators' DLQ never sees it.
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM delivery_queue WHERE delivery_id = '%1'"_s.arg(
                     deliveryId)),
                 u"0"_s);
        const auto dlq = api("GET", u"/v1/dlq?tenant=acme"_s, m_viewer);
        QCOMPARE(dlq.status, 200);
        QVERIFY(itemWith(dlq, u"id"_s, deliveryId).isEmpty());
        QVERIFY(
            itemWith(api("GET", u"/v1/dlq/groups?tenant=acme"_s, m_viewer), u"endpoint"_s, route)
                .isEmpty());
    }

    void aTestSendNeedsAnOperatorOfTheTenantAndAnEnabledRoute()
    {
        const QString path = u"/v1/routes/%1/test"_s.arg(m_namedRoute);
        QCOMPARE(api("POST", path, m_viewer).status, 403);
        QCOMPARE(api("POST", path, m_betaOperator).status, 404); // acme's route
        const qint64 route =
            createRoute(u"acme"_s, m_receiver.url(u"/off"_s), u"Off"_s).value("id"_L1).toInteger();
        QCOMPARE(api("DELETE", u"/v1/routes/%1"_s.arg(route), m_admin).status, 204);
        const int before = int(m_receiver.received().size());
        const auto refused = api("POST", u"/v1/routes/%1/test"_s.arg(route), m_operator);
        QCOMPARE(refused.status, 409);
        QVERIFY2(test::jsonObject(refused).value("detail"_L1).toString().contains("enable it"_L1),
                 refused.body.constData());
        QCOMPARE(
            m_db->scalar(u"SELECT count(*) FROM deliveries WHERE endpoint_id = %1"_s.arg(route)),
            u"0"_s);
        QCOMPARE(m_receiver.received().size(), before);
    }
};

QTEST_GUILESS_MAIN(TestRouteAdmin)
#include "tst_routeadmin.moc"
